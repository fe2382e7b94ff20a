"""`LabTrainer`: the skeleton every lab's own trainer shares (the Attention, Sequence, Generative and
Transfer labs'), so each writes only its step, its evaluation and what it draws.

A subclass's `__init__` sets `spec` (with `seed`, and `batch_size` when it trains over `Batches`), `model`,
`params`, `names`, `optimizer` and `generator`, calls `keep_initial_weights()` if Reset should go back to
the weights it was built with, then `reset()`. The base gives it the counters a job reads (`epoch`,
`step_count`, `train_time`, `last_grads`), `reset(seed)` (weights, every optimizer, the generator, the
counters, a fresh shuffle) and `run(max_seconds)`: one timed slice of training, an epoch counted when it
ends. Hooks, each with a default: `init_weights`, `optimizers`, `on_reset`, `train_mode`, `train_slice`,
`on_epoch`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from core.training.batches import Batches
from core.training.optim import Optimizer


class LabTrainer:
    """The shared part of a lab's `Trainable` (see the module docstring)."""

    BATCHES = True  # train over shuffled mini-batches of `n` examples (`step(indices)` per batch)
    spec: Any
    model: nn.Module
    params: list[torch.Tensor]
    optimizer: Any
    generator: torch.Generator
    n: int = 0
    step: Callable[[torch.Tensor], object]  # one step on the examples `idx`: every trainer over `Batches` has one

    def keep_initial_weights(self) -> None:
        """Reset restores these weights (the default `init_weights`)."""
        self._initial = [p.detach().clone() for p in self.params]

    def init_weights(self, seed: int) -> None:
        with torch.no_grad():
            for p, p0 in zip(self.params, self._initial):
                p.copy_(p0)

    def optimizers(self) -> list[Optimizer]:
        return [self.optimizer]

    def on_reset(self) -> None:
        """A subclass's own state back to its start (after the counters)."""

    def reset(self, seed: int | None = None) -> None:
        """The weights (`init_weights`), every optimizer, the generator from `seed` (default: the spec's),
        the counters at zero, and a new shuffle."""
        seed = self.spec.seed if seed is None else seed
        self.init_weights(seed)
        for opt in self.optimizers():
            opt.reset()
        self.generator.manual_seed(seed)
        self.last_grads: list[torch.Tensor] | None = None
        self.epoch = self.step_count = 0
        self.train_time = 0.0
        if self.BATCHES:
            self.batches = Batches(self.n, self.spec.batch_size, self.generator)
        self.on_reset()

    def train_mode(self) -> None:
        self.model.train()

    def train_slice(self, deadline: float) -> bool:
        """Train until the epoch ends (True) or `perf_counter()` passes `deadline` (False)."""
        return self.batches.run(self.step, deadline)

    def on_epoch(self) -> None:
        """Called after an epoch ends (and is counted)."""

    def run(self, max_seconds: float = 0.1) -> bool:
        """One slice of training; True when it ended an epoch."""
        t0 = time.perf_counter()
        self.train_mode()
        try:
            done = self.train_slice(t0 + max_seconds)
        finally:
            self.train_time += time.perf_counter() - t0
        if done:
            self.epoch += 1
            self.on_epoch()
        return done
