"""The live-lab kit: the job slot (archive, closed-job recovery), the status line, plain-text link
notices, presenter mode in every lab, and the CNN lab's training through the kit's play bar."""

from functools import partial

import pytest
import torch

from core.learning.landscape import LandscapeSpec, LandscapeTrainer
from core.training import JobSlots, JobState, make_job
from tests.conftest import open_page, unfold
from ui.kit.job_slot import JobSlot
from ui.kit.live import status
from ui.kit.text import plain

SPEC = LandscapeSpec("ravine", "sgd", learning_rate=0.02)


def _build(process: bool):
    def build(initial):
        start = {"initial_state": initial} if initial else {}
        return make_job(partial(LandscapeTrainer, SPEC), process=process, slots=JobSlots(2), **start)
    return build


def test_a_closed_job_is_rebuilt_from_its_last_weights_and_its_run_kept():
    slot = JobSlot(describe=lambda job: {"label": "ravine", "dataset": "none"})
    job = slot.ensure("a", _build(process=True))
    try:
        job.step(7)
        trained = job.wait(lambda v: v.epoch == 7 and not v.active, timeout=30)
        point = torch.as_tensor(trained.snapshot.weights["point"])
        job.stop()  # as the idle stopper or the janitor would
        assert job.closed
        again = slot.ensure("a", _build(process=True))
        assert again is not job and not again.closed
        assert torch.allclose(again.model_copy().point, point)  # carries on from where it was
        assert [r["epochs"] for r in slot.runs] == [7] and slot.runs[0]["label"] == "run 1: ravine"
        other = slot.ensure("b", _build(process=False))  # a new setup: the old job stops, its run is kept
        assert other is not again and again.closed and slot.key == "b"
    finally:
        slot.drop()


def test_the_status_line_says_queued_diverged_paused_and_ready():
    job = make_job(partial(LandscapeTrainer, SPEC), process=False, slots=JobSlots(1))
    try:
        assert status(job.poll()) == ("idle", "Ready: press Play to train")
        job.step(2)
        view = job.wait(lambda v: v.epoch == 2 and not v.active)
        assert status(view) == ("idle", "Paused")
        from dataclasses import replace
        assert status(replace(view, active=True, state=JobState.QUEUED, queue_position=3))[1].startswith(
            "Queued: place 3")
        assert status(replace(view, state=JobState.DIVERGED, message="blew up"))[0] == "error"
    finally:
        job.stop()


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


def test_an_unknown_page_in_the_address_is_named():
    from ui.kit.registry import unknown_page

    assert unknown_page("http://127.0.0.1:8501/nonexistent_page") == "nonexistent_page"
    assert unknown_page("http://school.example/nn/typo%20lab/", "/nn") == "typo lab"
    for fine in ("http://127.0.0.1:8501/", "http://127.0.0.1:8501", "http://school.example/nn", None):
        assert unknown_page(fine, "nn") == ""
    assert unknown_page("http://h/cnn_lab") == ""  # a lab (st.context.url trims it anyway)
