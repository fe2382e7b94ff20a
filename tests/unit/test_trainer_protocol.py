"""Any `Trainable` trains through the same jobs: a 2D loss-landscape minimizer (no dataset, no
accuracy) in a thread and in a child process, checked against plain `torch.optim` on the same function."""

from functools import partial

import pytest
import torch

from core.learning.landscape import LANDSCAPES, LandscapeSpec, LandscapeTrainer
from core.training import Job, JobSlots, JobState, ProcessJob, Trainable, Trainer, TrainingJob, make_job


def _reference(spec: LandscapeSpec, steps: int) -> list[tuple[float, float]]:
    """The path plain torch.optim.SGD takes on the same function: the trusted reference."""
    _, fn, start = LANDSCAPES[spec.landscape]
    p = torch.nn.Parameter(torch.tensor(spec.start or start, dtype=torch.float64))
    opt = torch.optim.SGD([p], lr=spec.learning_rate, momentum=spec.momentum)
    path = []
    for _ in range(steps):
        opt.zero_grad()
        fn(p[0], p[1]).backward()
        opt.step()
        path.append(tuple(float(v) for v in p.detach()))
    return path


SPEC = LandscapeSpec("ravine", "sgd", learning_rate=0.02, momentum=0.9)


def test_both_trainers_meet_the_protocol():
    assert isinstance(LandscapeTrainer(SPEC), Trainable)
    from core.data import DataSpec, load_dataset
    from core.models import build_model
    from core.presets import playground_mlp
    from core.training import TrainConfig
    ds = load_dataset(DataSpec("circle", n_samples=50))
    assert isinstance(Trainer(build_model(playground_mlp()), ds, TrainConfig()), Trainable)


@pytest.mark.parametrize("process", [False, True], ids=["thread", "process"])
def test_a_landscape_minimizer_trains_through_the_job(process):
    job = make_job(partial(LandscapeTrainer, SPEC), process=process, slots=JobSlots(2))
    try:
        assert isinstance(job, Job) and isinstance(job, ProcessJob if process else TrainingJob)
        job.step(30)
        view = job.wait(lambda v: v.epoch == 30 and not v.active, timeout=30)
        assert view.epoch == 30
        h = view.history
        # history columns come from evaluate()'s keys: no accuracy for a trainer that has none
        assert set(h) == {"epoch", "step", "wall_s", "loss", "x", "y", "grad_norm"}
        ref = _reference(SPEC, 30)
        assert h["x"][-1] == pytest.approx(ref[-1][0], rel=1e-9) and h["y"][-1] == pytest.approx(ref[-1][1], rel=1e-9)
        assert h["loss"][-1] < h["loss"][0] / 10
        job.set(learning_rate=0.01)
        assert job.poll().learning_rate == 0.01
        with pytest.raises(ValueError, match="cannot change"):
            job.set(l2=0.1)
        copy = job.model_copy()
        assert torch.allclose(copy.point, torch.tensor(ref[-1], dtype=torch.float64))
        job.reset()
        assert job.poll().epoch == 0
    finally:
        job.stop()


def test_a_learning_rate_too_high_diverges_with_a_readable_message():
    job = TrainingJob(LandscapeTrainer(LandscapeSpec("bowl", "sgd", learning_rate=5.0)), slots=JobSlots(1))
    try:
        job.start()
        view = job.wait(lambda v: v.state == JobState.DIVERGED, timeout=20)
        assert view.state == JobState.DIVERGED and "learning rate (5)" in view.message
        assert not view.active
    finally:
        job.stop()
