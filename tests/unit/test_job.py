"""TrainingJob: a worker thread that pauses, resumes, steps, stops, resets, queues and gives up."""

import threading
import time

import numpy as np
import pytest
import torch

from core.data import DataSpec, load_dataset
from core.models import build_model
from core.presets import playground_mlp
from core.training import JobSlots, JobState, TrainConfig, TrainingJob, messages


def _job(ds, slots, **kw):
    cfg = kw.pop("config", TrainConfig(loss="mse", learning_rate=0.03, batch_size=10))
    return TrainingJob(build_model(playground_mlp(2, (8, 8), "tanh", 1), seed=0), ds, cfg, slots=slots, **kw)


def test_start_pause_resume_step_and_stop(spiral, slots):
    job = _job(spiral, slots)
    assert job.poll().state == JobState.IDLE and job.poll().epoch == 0
    job.start()
    view = job.wait(lambda v: v.epoch >= 20)
    assert view.state == JobState.RUNNING and view.epoch >= 20
    job.pause()
    paused = job.wait(lambda v: v.state == JobState.PAUSED, timeout=2)
    assert paused.state == JobState.PAUSED
    time.sleep(0.2)
    assert job.poll().epoch == paused.epoch  # nothing trains while paused
    job.step()
    stepped = job.wait(lambda v: v.epoch == paused.epoch + 1 and v.state == JobState.PAUSED)
    assert stepped.epoch == paused.epoch + 1
    job.resume()
    assert job.wait(lambda v: v.epoch > stepped.epoch + 5).epoch > stepped.epoch + 5
    job.stop()
    assert job.poll().state == JobState.STOPPED
    assert slots.running == 0 and slots.waiting == 0


def test_metrics_and_snapshots_are_published(spiral, slots):
    job = _job(spiral, slots, snapshot_every_s=0.01)
    job.step(30)
    view = job.wait(lambda v: v.epoch == 30 and v.state == JobState.PAUSED)
    h = view.history
    assert h["epoch"][0] == 0 and h["epoch"][-1] == 30 and len(h["epoch"]) == 31
    assert h["train_loss"][-1] < h["train_loss"][0]
    assert all(0 <= a <= 1 for a in h["test_acc"])
    snap = view.snapshot
    assert snap is not None and snap.epoch == 30
    assert set(snap.weights) == {n for n, _ in job.model.named_parameters()}
    torch.testing.assert_close(torch.as_tensor(snap.weights["dense_1.weight"]), job.model.dense_1.weight.detach())
    assert set(snap.grad_norms) == {"dense_1", "dense_2", "dense_3"}
    assert all(v >= 0 for v in snap.grad_norms.values())
    q = snap.weight_quantiles["dense_1"]
    w = job.model.dense_1.weight.detach()
    assert q[0] == pytest.approx(float(w.min())) and q[-1] == pytest.approx(float(w.max()))
    job.stop()


def test_reset_restores_the_initial_weights_and_clears_history(spiral, slots):
    job = _job(spiral, slots)
    initial = [p.detach().clone() for p in job.model.parameters()]
    job.step(10)
    job.wait(lambda v: v.epoch == 10 and v.state == JobState.PAUSED)
    assert not torch.equal(initial[0], job.model.dense_1.weight)
    job.reset()
    view = job.poll()
    assert view.epoch == 0 and len(view.history["epoch"]) == 1 and view.state == JobState.IDLE
    for a, p in zip(initial, job.model.parameters()):
        assert torch.equal(a, p)
    job.stop()


def test_two_jobs_with_the_same_seed_train_the_same_weights(spiral, slots):
    jobs = [_job(spiral, slots) for _ in range(2)]
    for job in jobs:
        job.step(15)
    for job in jobs:
        job.wait(lambda v: v.epoch == 15 and v.state == JobState.PAUSED)
        job.stop()
    for a, b in zip(jobs[0].model.parameters(), jobs[1].model.parameters()):
        assert torch.equal(a, b)


def test_a_diverging_run_stops_with_an_explanation(spiral, slots):
    job = _job(spiral, slots, config=TrainConfig(loss="mse", learning_rate=10.0, batch_size=1))
    job.start()
    view = job.wait(lambda v: v.state == JobState.DIVERGED, timeout=20)
    assert view.state == JobState.DIVERGED
    assert "learning rate" in view.message and "too high" in view.message
    epoch = view.epoch
    job.start()  # refused until reset: nothing trains
    time.sleep(0.2)
    assert job.poll().epoch == epoch
    job.reset()
    assert job.poll().state == JobState.IDLE
    job.stop()


def test_learning_rate_changes_mid_run(spiral, slots):
    job = _job(spiral, slots)
    job.start()
    job.wait(lambda v: v.epoch >= 3)
    job.set_learning_rate(0.001)
    job.set_regularization(0.0, 0.01)
    view = job.poll()
    assert view.learning_rate == 0.001 and view.l2 == 0.01 and view.state == JobState.RUNNING
    with pytest.raises(ValueError, match="learning rate"):
        job.set_learning_rate(-1.0)
    job.stop()


def test_the_cap_queues_jobs_and_shows_their_place(spiral):
    slots = JobSlots(1)
    first, second, third = (_job(spiral, slots) for _ in range(3))
    first.start()
    first.wait(lambda v: v.state == JobState.RUNNING)
    second.start()
    v2 = second.wait(lambda v: v.state == JobState.QUEUED and v.queue_position == 1)
    third.start()  # each job's worker thread joins the queue; started one after the other, they queue in order
    v3 = third.wait(lambda v: v.state == JobState.QUEUED and v.queue_position == 2)
    assert (v2.queue_position, v3.queue_position) == (1, 2)
    assert first.poll().queue_position == 0
    time.sleep(0.1)
    assert second.poll().epoch == 0  # queued jobs do not train
    first.pause()
    assert second.wait(lambda v: v.state == JobState.RUNNING).state == JobState.RUNNING
    assert third.wait(lambda v: v.queue_position == 1).queue_position == 1
    for job in (first, second, third):
        job.stop()
    assert slots.running == 0 and slots.waiting == 0


def test_a_job_nobody_polls_pauses_then_ends_its_thread(spiral, slots):
    job = _job(spiral, slots, idle_timeout_s=0.3, stop_after_s=0.8)
    job.start()
    deadline = time.monotonic() + 30
    while job._thread.is_alive() and time.monotonic() < deadline:  # no poll() meanwhile: the page is gone
        time.sleep(0.05)
    view = job.poll()
    assert view.state == JobState.STOPPED
    assert slots.running == 0
    assert view.message == messages.IDLE_PAUSED
    job.start()  # a returning page can carry on
    assert job.wait(lambda v: v.epoch > view.epoch + 2).epoch > view.epoch + 2
    job.stop()


def test_worker_threads_set_their_own_torch_threads(spiral, slots):
    before = torch.get_num_threads()
    seen = []
    job = _job(spiral, slots)
    job._call(lambda t: None)
    job.step(1)
    job.wait(lambda v: v.epoch == 1 and v.state == JobState.PAUSED)
    seen.append(job._call(lambda t: torch.get_num_threads()))
    job.stop()
    assert seen == [1] and torch.get_num_threads() == before
    assert threading.active_count() >= 1


def test_model_copy_is_a_cpu_snapshot_independent_of_training(spiral, slots):
    job = _job(spiral, slots)
    copy = job.model_copy()
    job.step(5)
    job.wait(lambda v: v.epoch == 5 and v.state == JobState.PAUSED)
    assert not torch.equal(copy.dense_1.weight, job.model.dense_1.weight)
    assert not copy.training
    job.stop()


def test_bad_step_counts_are_refused(spiral, slots):
    job = _job(spiral, slots)
    with pytest.raises(ValueError, match="whole number"):
        job.step(0)


def test_max_epochs_finishes_the_job():
    ds = load_dataset(DataSpec("xor", n_samples=100))
    job = TrainingJob(build_model(playground_mlp(2, (4,), "relu", 2)), ds, TrainConfig(max_epochs=7),
                      slots=JobSlots(1))
    job.start()
    view = job.wait(lambda v: v.state == JobState.FINISHED)
    assert view.epoch == 7 and "Finished" in view.message
    job.stop()


def test_checkpoints_span_the_run_and_stay_bounded(spiral, slots):
    job = _job(spiral, slots, snapshot_every_s=0.0)
    first = job.checkpoints()
    assert [c.epoch for c in first] == [0]
    untrained = {k: v.copy() for k, v in first[0].weights.items()}
    job.step(200)
    view = job.wait(lambda v: v.epoch >= 200 and v.state == JobState.PAUSED)
    ckpts = job.checkpoints()
    epochs = [c.epoch for c in ckpts]
    assert epochs[0] == 0 and epochs[-1] == view.epoch and epochs == sorted(set(epochs))
    assert 3 <= len(ckpts) <= job.max_checkpoints + 1
    for name, w in untrained.items():  # the first checkpoint is still the untrained network
        assert (ckpts[0].weights[name] == w).all()
    final = job.model_copy().state_dict()
    for name, w in ckpts[-1].weights.items():
        assert torch.equal(torch.from_numpy(w), final[name])
    job.stop()


def test_checkpoints_of_a_big_model_are_fewer(spiral, slots):
    job = _job(spiral, slots, checkpoint_bytes=1000)
    assert job.max_checkpoints == 2
    job.stop()


@pytest.mark.parametrize("process", [False, True], ids=["thread", "process"])
def test_snapshots_thin_out_evenly_and_keep_the_start_of_a_long_run(process):
    from functools import partial

    from core.learning.landscape import LandscapeSpec, LandscapeTrainer
    from core.training import make_job

    job = make_job(partial(LandscapeTrainer, LandscapeSpec("bowl", learning_rate=0.001)), process=process,
                   slots=JobSlots(1), max_snapshots=10, snapshot_every_s=0.0)
    try:
        job.step(120)
        view = job.wait(lambda v: v.epoch == 120 and not v.active, timeout=60)
        epochs = [s.epoch for s in view.snapshots]
        assert view.epoch == 120 and len(epochs) <= 20
        assert epochs[0] == 0 and epochs[-1] >= 60  # the beginning is kept, the spread covers the run
        gaps = np.diff(epochs)
        assert gaps.max() <= 4 * max(gaps.min(), 1)  # evenly spread, not the last few only
    finally:
        job.stop()
