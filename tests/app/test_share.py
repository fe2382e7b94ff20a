"""Share links through AppTest: links reproduce a setup (and, with the same seed, the same training);
lessons, hide flags, presenter mode, hostile links and the share box work."""

import pytest
import torch

from core.cnn.fields import CNN_LAB
from core.explain.fields import EXPLAIN_LAB
from core.playground.fields import PLAYGROUND
from tests.conftest import open_page, unfold


def _open(page, params):
    return open_page(page, params, timeout=90)


LINK = {"dataset": "xor", "noise": "0.1", "features": "x1,x2,x1*x2", "layers": "6relu,3tanh", "optimizer": "adam",
        "lr": "0.01", "batch": "16", "seed": "5"}


def test_a_playground_link_reproduces_the_setup_and_the_training(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "thread")
    states = []
    for _ in range(2):
        at = _open("pages/playground.py", LINK)
        pg = at.session_state["pg"]
        assert pg.data.name == "xor" and pg.data.features == ("x1", "x2", "x1*x2") and pg.data.seed == 5
        assert [(h.units, h.activation) for h in pg.hidden] == [(6, "relu"), (3, "tanh")]
        assert pg.config.optimizer == "adam" and pg.config.learning_rate == 0.01 and pg.config.batch_size == 16
        assert {k: at.query_params[k] for k in LINK} == LINK  # the URL keeps describing the page
        pg.job.step(5)
        pg.job.wait(lambda v: v.epoch == 5 and not v.active, timeout=30)
        states.append(pg.job.model_copy().state_dict())
        pg.job.stop()
    for name, value in states[0].items():
        assert torch.equal(value, states[1][name]), name


def test_a_lesson_link_explains_and_hides_controls(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = _open("pages/playground.py", {"lesson": "lr_too_high", "hide": "optimizer,learning_rate"})
    assert any(m.value.startswith("**Lesson: A learning rate too high**") for m in at.markdown)
    assert any("Question" in m.value for m in at.markdown)
    assert at.session_state["pg"].config.learning_rate == 3.0
    assert not any(s.label == "Optimizer" for s in at.selectbox)
    assert not any(s.label == "Learning rate" for s in at.select_slider)
    at.session_state["pg"].job.stop()


@pytest.mark.parametrize("page", ["pages/playground.py", "pages/cnn_lab.py", "pages/explain_lab.py"])
def test_a_hostile_link_shows_a_notice_and_the_page_works(monkeypatch, page):
    monkeypatch.setenv("NN_JOBS", "thread")
    fields = {"playground": PLAYGROUND, "cnn_lab": CNN_LAB, "explain_lab": EXPLAIN_LAB}[page[6:-3]]
    at = _open(page, {f.name: "<img src=x onerror=alert(1)>" for f in fields})
    assert any("could not be used" in w.value for w in at.warning)
    assert not at.error
    if page == "pages/playground.py":
        at.session_state["pg"].job.stop()


def test_cnn_and_explain_links_choose_model_input_and_methods():
    at = _open("pages/cnn_lab.py", {"model": "lenet", "sample": "5"})
    assert at.selectbox(key="cnn_model").value == "lenet" and at.slider(key="cnn_sample_lenet").value == 5
    at = _open("pages/explain_lab.py", {"model": "table:iris", "sample": "99999", "methods": "saliency,lime,gradcam"})
    assert at.selectbox(key="xp_model").value == "table:iris"
    row = at.slider(key="xp_row_table:iris")
    assert row.value == row.max  # clamped to the last row
    assert at.button_group(key="xp_methods_table").value == ["saliency", "lime"]  # Grad-CAM cannot apply to a table


def test_presenter_mode_folds_the_controls_away(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = _open("pages/playground.py", {"present": "1"})
    assert unfold(at, "share_open").toggle(key="_present_widget").value is True
    assert any(e.label == "Controls" for e in at.expander)
    at.toggle(key="_present_widget").set_value(False).run()
    assert not any(e.label == "Controls" for e in at.expander)
    at.session_state["pg"].job.stop()


def test_the_share_box_makes_its_link_only_when_open_and_its_choices_outlive_it(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = _open("pages/cnn_lab.py", {"model": "lenet"})
    assert not at.code and "_present_widget" not in [t.key for t in at.toggle]  # closed: none of it is sent
    unfold(at, "share_open")
    assert "model=lenet" in at.code[0].value
    at.toggle(key="_present_widget").set_value(True).run()
    at.multiselect(key="_hide_cnn_lab_widget").set_value(["model"]).run()
    at.session_state["share_open"] = False  # folded again, as a click on its title does
    at.run().run()  # Streamlit forgets a widget that a run did not draw; these values are kept apart from it
    assert at.session_state["present"] is True and at.session_state["hide_cnn_lab"] == ["model"]
    assert any(e.label == "Controls" for e in at.expander) and "cnn_model" not in [s.key for s in at.selectbox]
    assert at.query_params.get("present") in ("1", ["1"])
