"""ProcessJob: the same behaviour as TrainingJob, with the training in a child process."""

import time

import pytest
import torch

from core.data import DataSpec, load_dataset
from core.models import build_model
from core.presets import playground_mlp
from core.training import JobSlots, JobState, TrainConfig, TrainingJob, messages
from core.training.process_job import ProcessJob, make_job

CFG = TrainConfig(loss="mse", learning_rate=0.03, batch_size=10, seed=3)


@pytest.fixture(scope="module")
def data():
    return load_dataset(DataSpec("spiral", n_samples=200, seed=1))


def _model():
    return build_model(playground_mlp(2, (8, 8), "tanh", 1), seed=3)


def test_controls_work_across_the_process_boundary(data):
    slots = JobSlots(2)
    job = ProcessJob(_model(), data, CFG, slots=slots)
    try:
        assert job.poll().state == JobState.IDLE
        job.start()
        view = job.wait(lambda v: v.epoch >= 10, timeout=20)
        assert view.epoch >= 10 and view.active and slots.running == 1
        job.pause()
        assert not job.poll().active
        paused = job.wait(lambda v: v.state == JobState.PAUSED)
        time.sleep(0.3)
        assert job.poll().epoch == paused.epoch and slots.running == 0
        job.step(2)
        stepped = job.wait(lambda v: v.epoch == paused.epoch + 2 and not v.active)
        assert stepped.epoch == paused.epoch + 2
        job.set_learning_rate(0.1)
        assert job.poll().learning_rate == 0.1
        with pytest.raises(ValueError, match="learning rate"):
            job.set_learning_rate(0.0)
        copy = job.model_copy()
        snap = job.poll().snapshot
        torch.testing.assert_close(copy.dense_1.weight, torch.as_tensor(snap.weights["dense_1.weight"]))
        ckpts = job.checkpoints()
        assert ckpts[0].epoch == 0 and ckpts[-1].epoch == stepped.epoch
        torch.testing.assert_close(copy.dense_1.weight, torch.as_tensor(ckpts[-1].weights["dense_1.weight"]))
        job.reset()
        assert job.poll().epoch == 0 and job.poll().state == JobState.IDLE
    finally:
        job.stop()
    assert job.poll().state == JobState.STOPPED and slots.running == 0


def test_the_same_seed_trains_the_same_weights_as_a_thread_job(data):
    thread_job = TrainingJob(_model(), data, CFG, slots=JobSlots(1))
    proc_job = ProcessJob(_model(), data, CFG, slots=JobSlots(1))
    try:
        for job in (thread_job, proc_job):
            job.step(12)
        for job in (thread_job, proc_job):
            job.wait(lambda v: v.epoch == 12 and not v.active, timeout=20)
        a, b = thread_job.model_copy(), proc_job.model_copy()
        for pa, pb in zip(a.parameters(), b.parameters()):
            assert torch.equal(pa, pb)
        ha, hb = thread_job.poll().history, proc_job.poll().history
        assert list(ha["epoch"]) == list(hb["epoch"]) and list(ha["train_loss"]) == list(hb["train_loss"])
    finally:
        thread_job.stop()
        proc_job.stop()


def test_the_cap_queues_process_jobs_in_the_parent(data):
    slots = JobSlots(1)
    first, second = ProcessJob(_model(), data, CFG, slots=slots), ProcessJob(_model(), data, CFG, slots=slots)
    try:
        first.start()
        first.wait(lambda v: v.state == JobState.RUNNING, timeout=20)
        second.start()
        queued = second.wait(lambda v: v.state == JobState.QUEUED)
        assert queued.queue_position == 1 and queued.active
        time.sleep(0.3)
        assert second.poll().epoch == 0
        first.pause()
        assert second.wait(lambda v: v.state == JobState.RUNNING, timeout=20).state == JobState.RUNNING
    finally:
        first.stop()
        second.stop()
    assert slots.running == 0 and slots.waiting == 0


def test_a_process_job_nobody_polls_pauses_and_frees_its_slot(data):
    slots = JobSlots(1)
    job = ProcessJob(_model(), data, CFG, slots=slots, idle_timeout_s=0.4, stop_after_s=60)
    try:
        job.start()
        job.wait(lambda v: v.state == JobState.RUNNING, timeout=20)
        deadline = time.monotonic() + 30
        while slots.running and time.monotonic() < deadline:  # nobody polls the job
            time.sleep(0.05)
        assert slots.running == 0
        view = job.poll()
        assert not view.active and view.message == messages.IDLE_PAUSED  # the thread job's words exactly
    finally:
        job.stop()


def test_divergence_is_reported_from_the_child(data):
    job = ProcessJob(_model(), data, TrainConfig(loss="mse", learning_rate=10.0, batch_size=1), slots=JobSlots(1))
    try:
        job.start()
        view = job.wait(lambda v: v.state == JobState.DIVERGED, timeout=30)
        assert view.state == JobState.DIVERGED and "too high" in view.message and not view.active
    finally:
        job.stop()


def test_make_job_chooses_the_kind(data):
    job = make_job(_model(), data, CFG, process=False, slots=JobSlots(1))
    assert isinstance(job, TrainingJob)
    job.stop()


def test_training_runs_below_the_server_in_priority(data):
    """The server's pages come first: a training child runs on CPU time nobody else wants (SCHED_IDLE
    on Linux, else the highest niceness)."""
    import os

    job = ProcessJob(_model(), data, CFG, slots=JobSlots(1))
    try:
        if hasattr(os, "sched_getscheduler"):
            assert os.sched_getscheduler(job._proc.pid) == os.SCHED_IDLE
        else:
            assert os.getpriority(os.PRIO_PROCESS, job._proc.pid) == 19
    finally:
        job.close()


def test_a_child_sends_news_less_often_when_many_jobs_train(data):
    from core.training import process_job as pj

    slots = JobSlots(50)
    job = ProcessJob(_model(), data, CFG, slots=slots)
    try:
        job._pace()
        assert job._push_every == pj.PUSH_FASTEST_S
        for i in range(30):  # a class's jobs holding slots
            slots.acquire(("other", i), timeout=0)
        job._paced_at = 0.0
        job._pace()
        assert job._push_every == pj.PUSH_SLOWEST_S
        job.step(2)  # and the child still answers and trains at the slower pace
        assert job.wait(lambda v: v.epoch == 2 and not v.active, timeout=30).epoch == 2
    finally:
        for i in range(30):
            slots.release(("other", i))
        job.close()


def test_a_job_the_idle_stopper_closed_says_stopped_and_never_spins(data):
    """start() on a child the idle stopper ended must not leave poll() active at epoch 0 forever."""
    job = ProcessJob(_model(), data, CFG, slots=JobSlots(1), stop_after_s=0.3)
    try:
        end = time.monotonic() + 5
        while not job.closed and time.monotonic() < end:  # nobody polls: the idle stopper ends the child
            time.sleep(0.05)
        assert job.closed
        job.start()
        view = job.poll()
        assert not view.active and view.state == JobState.STOPPED
        job.step(1)
        assert not job.poll().active
    finally:
        job.stop()
