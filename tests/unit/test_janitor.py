"""The janitor stops jobs whose session is gone, after a grace period, and leaves live ones alone."""

import time

from core.data import DataSpec, load_dataset
from core.models import build_model
from core.presets import playground_mlp
from core.training import JobSlots, JobState, TrainConfig, TrainingJob
from core.training.janitor import Janitor
from core.training.process_job import ProcessJob


def _job(cls=TrainingJob):
    ds = load_dataset(DataSpec("circle", n_samples=100, seed=0))
    return cls(build_model(playground_mlp(2, (4,), "tanh", 1), seed=0), ds, TrainConfig(loss="mse"),
               slots=JobSlots(2))


def test_a_gone_session_loses_its_job_after_the_grace_period_and_a_live_one_keeps_it():
    alive = {"a": True, "b": True}
    janitor = Janitor(lambda sid: alive[sid], grace_s=10.0, interval_s=3600)
    ja, jb = _job(), _job()
    janitor.watch(ja, "a")
    janitor.watch(jb, "b")
    ja.start()
    alive["a"] = False
    assert janitor.sweep(now=100.0) == 0  # gone since now: not yet
    assert janitor.sweep(now=105.0) == 0
    alive["a"] = True  # it came back (a dropped connection): the clock restarts
    assert janitor.sweep(now=108.0) == 0
    alive["a"] = False
    assert janitor.sweep(now=109.0) == 0
    assert janitor.sweep(now=119.5) == 1
    assert ja.poll().state == JobState.STOPPED and jb.poll().state != JobState.STOPPED
    assert janitor.watching == 1 and janitor.stopped == 1
    jb.stop()


def test_a_process_job_of_a_closed_tab_ends_its_child():
    janitor = Janitor(lambda sid: False, grace_s=0.2, interval_s=0.1)
    job = _job(ProcessJob)
    job.start()
    janitor.watch(job, "closed-tab")
    deadline = time.monotonic() + 10
    while not (job.closed and janitor.stopped) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert job.closed and janitor.stopped == 1
    job._proc.join(5)
    assert not job._proc.is_alive()
