"""The labs' shared trainer skeleton: a tiny lab trainer on it equals a textbook loop over the same seeded
batches (sliced or not), Reset gives the same run again, and every lab's trainer is built on it."""

import copy
import math
from dataclasses import dataclass

import pytest
import torch
from torch import nn

from core.attention.trainer import AttnTrainer
from core.generative.ae_trainer import AETrainer
from core.generative.gan_trainer import GanTrainer
from core.sequence.trainer import SeqTrainer
from core.training.lab_trainer import LabTrainer
from core.training.optim import make_optimizer
from core.transfer.trainer import TransferTrainer


@dataclass(frozen=True)
class Spec:
    seed: int = 3
    batch_size: int = 7


class Tiny(LabTrainer):
    """Least squares on 40 points with a 3-1 linear model."""

    def __init__(self, spec: Spec):
        self.spec = spec
        gen = torch.Generator().manual_seed(0)
        self.x, self.y = torch.randn(40, 3, generator=gen), torch.randn(40, 1, generator=gen)
        self.n = 40
        self.model = nn.Linear(3, 1)
        self.params = list(self.model.parameters())
        self.keep_initial_weights()
        self.optimizer = make_optimizer("sgd", self.params, 0.1, 0.9)
        self.generator = torch.Generator()
        self.reset()

    def step(self, idx: torch.Tensor) -> None:
        loss = ((self.model(self.x[idx]) - self.y[idx]) ** 2).mean()
        grads = list(torch.autograd.grad(loss, self.params))
        with torch.no_grad():
            self.optimizer.step(grads)
        self.last_grads = grads
        self.step_count += 1


def _textbook(t: Tiny, epochs: int) -> nn.Module:
    ref = copy.deepcopy(t.model)
    with torch.no_grad():
        for p, p0 in zip(ref.parameters(), t._initial):
            p.copy_(p0)
    opt = torch.optim.SGD(ref.parameters(), lr=0.1, momentum=0.9)
    gen = torch.Generator().manual_seed(t.spec.seed)
    for _ in range(epochs):
        perm = torch.randperm(t.n, generator=gen)
        for i in range(0, t.n, t.spec.batch_size):
            idx = perm[i:i + t.spec.batch_size]
            opt.zero_grad()
            ((ref(t.x[idx]) - t.y[idx]) ** 2).mean().backward()
            opt.step()
    return ref


@pytest.mark.parametrize("slice_s", [math.inf, 0.0])  # whole epochs, or one batch per slice
def test_a_lab_trainer_on_the_skeleton_trains_as_a_textbook_loop(slice_s):
    t = Tiny(Spec())
    slices = 0
    while t.epoch < 3:
        t.run(slice_s)
        slices += 1
    assert t.step_count == 3 * math.ceil(40 / 7) and t.train_time > 0
    assert slices == (3 if slice_s == math.inf else t.step_count)
    ref = _textbook(t, 3)
    for p, q in zip(t.model.parameters(), ref.parameters()):
        torch.testing.assert_close(p.detach(), q.detach())


def test_reset_gives_the_same_run_again_and_zeroes_the_counters():
    t = Tiny(Spec())
    t.run(math.inf)
    first = [p.detach().clone() for p in t.params]
    t.run(0.0)
    t.reset()
    assert (t.epoch, t.step_count, t.train_time, t.last_grads) == (0, 0, 0.0, None)
    t.run(math.inf)
    for p, q in zip(first, t.params):
        assert torch.equal(p, q)


@pytest.mark.parametrize("cls", [AttnTrainer, SeqTrainer, AETrainer, GanTrainer, TransferTrainer])
def test_every_lab_trainer_is_built_on_the_skeleton(cls):
    assert issubclass(cls, LabTrainer)
    assert "reset" not in vars(cls)  # one reset for all: weights, optimizers, generator, counters
