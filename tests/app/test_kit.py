"""The live-lab kit through AppTest: plain-text link notices, presenter mode in every lab, and the CNN
lab's training through the kit's play bar."""

import pytest

from tests.conftest import open_page, unfold
from ui.kit.text import plain


def test_link_values_are_shown_as_plain_text_never_as_markdown():
    assert plain("[click](http://evil.example)") == r"\[click\]\(http\://evil\.example\)"
    at = open_page("pages/cnn_lab.py", {"photo": "[click](http://evil.example)", "model": ":red[big]"})
    text = " ".join(w.value for w in at.warning)
    assert "could not be used" in text and "[click](http" not in text and r"\[click\]" in text
    assert ":red[" not in text


@pytest.mark.parametrize("page", ["pages/cnn_lab.py", "pages/explain_lab.py", "pages/playground.py"])
def test_presenter_mode_folds_the_controls_and_stays_in_the_address(monkeypatch, page):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = open_page(page)
    assert not any(e.label == "Controls" for e in at.expander)
    unfold(at, "share_open").toggle(key="_present_widget").set_value(True).run()
    assert any(e.label == "Controls" for e in at.expander)
    assert at.query_params.get("present") in ("1", ["1"])
    if page == "pages/playground.py":
        at.session_state["pg"].job.stop()


def test_the_cnn_lab_trains_through_the_kit_with_step_resume_and_status(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = open_page("pages/cnn_lab.py", {"tab": "train"})
    next(r for r in at.radio if r.key == "cnn_tr_data").set_value("Digits 8x8").run()
    step = next(b for b in at.button if b.key == "cnn_tr_step")
    assert step.disabled  # nothing to step before the network exists
    assert any("training and" in c.value and "test images" in c.value for c in at.caption)  # the data's size
    next(b for b in at.button if b.key == "cnn_tr_play").click().run()
    ts = at.session_state["cnn_train"]
    ts.job.pause()
    ts.job.reset()
    at.run()
    next(b for b in at.button if b.key == "cnn_tr_step").click().run()
    ts.job.wait(lambda v: v.epoch == 1 and not v.active, timeout=60)
    at.run()
    play = next(b for b in at.button if b.key == "cnn_tr_play")
    assert play.label == "Resume" and any(c.value.startswith("Paused") for c in at.caption)
    assert not at.exception
    at.selectbox(key="cnn_tr_opt").set_value("sgd").run()  # a new setup: the run is archived for comparison
    assert ts.job is None and [r["epochs"] for r in ts.slot.runs] == [1]
    next(b for b in at.button if b.key == "cnn_tr_play").click().run()
    ts.job.pause()
    at.run()
    assert any(e.label == "Compare runs (1 kept)" for e in at.expander) and not at.exception
    ts.job.stop()
