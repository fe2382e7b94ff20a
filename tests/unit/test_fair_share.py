"""A class trains at once: no CPU cap, every job advances while the others run, a light job is not
starved by a heavy neighbour, and only memory caps how many jobs train."""

import pytest

from core.data import DataSpec, load_dataset
from core.models import build_model
from core.presets import playground_mlp
from core.settings import JOB_MB, MEMORY_SHARE, SETTINGS, physical_mb
from core.training import JobSlots, JobState, TrainConfig, make_job


def test_the_cap_comes_from_memory_not_from_the_cores(monkeypatch):
    monkeypatch.delenv("NN_MAX_JOBS", raising=False)
    assert SETTINGS.max_jobs == max(1, int(MEMORY_SHARE * physical_mb() / JOB_MB))
    monkeypatch.setenv("NN_MAX_JOBS", "3")
    assert SETTINGS.max_jobs == 3


@pytest.fixture(scope="module")
def spiral():
    return load_dataset(DataSpec("spiral", n_samples=300, seed=2))


def _job(ds, hidden, batch, slots):
    cfg = TrainConfig(loss="mse", learning_rate=0.03, batch_size=batch, seed=1)
    return make_job(build_model(playground_mlp(2, hidden, "tanh", 1), seed=1), ds, cfg, process=True, slots=slots)


def test_six_students_all_train_at_once_on_two_cores(spiral, monkeypatch):
    monkeypatch.delenv("NN_MAX_JOBS", raising=False)
    slots = JobSlots(SETTINGS.max_jobs)
    jobs = [_job(spiral, (8, 8), 10, slots) for _ in range(6)]
    try:
        for job in jobs:
            job.start()
        views = [job.wait(lambda v: v.epoch >= 5, timeout=90) for job in jobs]
        assert all(v.epoch >= 5 for v in views)  # nobody sits at epoch 0
        assert all(job.poll().state != JobState.QUEUED for job in jobs) and slots.running == 6
    finally:
        for job in jobs:
            job.stop()


def test_a_light_job_keeps_training_beside_a_heavy_one(spiral):
    slots = JobSlots(SETTINGS.max_jobs)
    heavy = _job(spiral, (64, 64, 64), 1, slots)  # hundreds of small steps per epoch
    light = _job(spiral, (4,), 10, slots)
    try:
        heavy.start()
        heavy.wait(lambda v: v.epoch >= 1, timeout=90)
        light.start()
        lv = light.wait(lambda v: v.epoch >= 30, timeout=90)
        assert lv.epoch >= 30 and heavy.poll().active  # both train: the light one is not starved
        before = heavy.poll().epoch
        hv = heavy.wait(lambda v: v.epoch > before, timeout=90)
        assert hv.epoch > before  # and the heavy one still advances
    finally:
        heavy.stop()
        light.stop()
