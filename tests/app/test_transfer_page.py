"""The Transfer lab through AppTest: the three ways train side by side on the starter set and the page says
what is seen, the confusion matrix, features and per-class accuracy draw, the learning rate changes the
running job, the student's own classes train (and too few images is a clear message that keeps the run),
the trained network is saved, exported and opened in the Explain lab, and the data curve runs."""

import io
import zipfile

import torch

from core import experiment
from tests.conftest import chart_keys, open_page, page_text, train_job


def test_three_ways_train_side_by_side_and_the_views_draw(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = open_page("pages/transfer_lab.py", {"per_class": "2"})
    assert "Press Play" in page_text(at) and "Chance is 33%" in page_text(at)
    side, view = train_job(at, "tl_train_state", 2)
    text = page_text(at)
    assert "After 2 epochs, on the held-out images" in text and "frozen backbone" in text
    assert {"tl_curve_chart", "tl_per_class_chart", "tl_confusion", "tl_pca_chart"} <= chart_keys(at)
    assert {"scratch_test_acc", "frozen_test_acc", "finetune_test_acc"} <= set(view.history)
    job = side.slot.job
    at.select_slider(key="tl_learning_rate").set_value(0.01).run()
    assert side.slot.job is job and job.poll().live["learning_rate"] == 0.01
    at.button_group(key="tl_modes").set_value(["scratch", "frozen"]).run()
    assert side.slot.job is not job and side.spec.modes == ("scratch", "frozen")
    side.slot.job.stop()


def test_own_classes_train_and_too_few_images_keeps_the_run(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = open_page("pages/transfer_lab.py", {})
    side = at.session_state["tl_train_state"]
    job = side.slot.job
    own = at.session_state["tl_images_state"].own
    own["class 1"] += [torch.rand(3, 64, 64) for _ in range(3)]
    own["class 2"] += [torch.rand(3, 64, 64)]
    at.radio(key="tl_source").set_value("own").run()
    assert any("at least 2 images" in e.value and "class 2" in e.value for e in at.error)
    assert side.slot.job is job  # nothing lost
    own["class 2"] += [torch.rand(3, 64, 64) for _ in range(2)]
    at.run()
    assert not at.error and side.slot.job is not job and side.images.classes == ("class 1", "class 2")
    side.slot.job.stop()


def test_the_network_is_saved_exported_and_opened_in_the_explain_lab(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = open_page("pages/transfer_lab.py", {"modes": "frozen", "per_class": "2"})
    side, _ = train_job(at, "tl_train_state", 1)
    saved = next(b for b in at.get("download_button") if b.proto.label == "Experiment file")
    assert saved is not None
    model = side.slot.job.model_copy().variants["frozen"]
    data = experiment.save(model.spec, model.state_dict(), experiment.DataSpec("objects"),
                           experiment.TrainConfig(), {"epoch": [1.0]})
    back = experiment.load(data).model()
    x = torch.rand(2, 3, 64, 64)
    assert torch.allclose(back.eval()(x), model.eval()(x))
    assert zipfile.ZipFile(io.BytesIO(data)).namelist() == ["experiment.json", "weights.safetensors"]
    at.button(key="tl_explain").click().run()
    assert at.session_state["xp_model"] == "yours" and at.session_state["cnn_yours"].class_names == side.images.classes
    at.switch_page("pages/explain_lab.py").run(timeout=180)  # where the button leads: the Explain lab, on it
    assert not at.exception, at.exception
    assert any("Your frozen backbone + new head network" in str(s.options) for s in at.selectbox)
    side.slot.job.stop()


def test_the_data_curve_runs_point_by_point(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = open_page("pages/transfer_lab.py", {"view": "curve", "modes": "scratch,frozen"})
    assert "Press Run sweep" in page_text(at)
    at.select_slider(key="tl_curve_epochs").set_value(10).run()
    curve = at.session_state["tl_curve_state"]
    curve.slot.job.step(2)
    curve.slot.job.wait(lambda v: v.epoch >= 2 and not v.active, timeout=300)
    at.run()
    assert not at.exception and "So far 2 of 5 points" in page_text(at) and "tl_data_curve" in chart_keys(at)
    curve.slot.job.stop()
