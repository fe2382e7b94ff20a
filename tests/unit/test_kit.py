"""The live-lab kit without a page: the job slot (archive, closed-job recovery), the status line, and the
unknown-page name read from the address."""

from functools import partial

import torch

from core.learning.landscape import LandscapeSpec, LandscapeTrainer
from core.training import JobSlots, JobState, make_job
from ui.kit.job_slot import JobSlot
from ui.kit.live import status

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


def test_an_unknown_page_in_the_address_is_named():
    from ui.kit.registry import unknown_page

    assert unknown_page("http://127.0.0.1:8501/nonexistent_page") == "nonexistent_page"
    assert unknown_page("http://school.example/nn/typo%20lab/", "/nn") == "typo lab"
    for fine in ("http://127.0.0.1:8501/", "http://127.0.0.1:8501", "http://school.example/nn", None):
        assert unknown_page(fine, "nn") == ""
    assert unknown_page("http://h/cnn_lab") == ""  # a lab (st.context.url trims it anyway)
