"""`Batches`: shuffled mini-batch indices over a training set, an epoch at a time, which a slice of training
may stop in the middle of and resume in the next slice. The loop every lab's own trainer runs (the Sequence,
Attention and Generative labs'), so a job can pause, step and share the CPU between two batches."""

from __future__ import annotations

import time
from collections.abc import Callable

import torch


class Batches:
    def __init__(self, n: int, batch_size: int, generator: torch.Generator):
        self.n, self.batch_size, self.generator = n, batch_size, generator
        self.restart()

    def restart(self) -> None:
        """A new shuffle from the generator, from the first batch (after a reset, and at each epoch's end)."""
        self.perm = torch.randperm(self.n, generator=self.generator)
        self.pos = 0

    def run(self, step: Callable[[torch.Tensor], object], deadline: float) -> bool:
        """Call `step(indices)` batch after batch until the epoch ends (True; the next one is shuffled) or
        `perf_counter()` passes `deadline` (False; the next call carries on from there)."""
        while self.pos < self.n:
            idx = self.perm[self.pos:self.pos + self.batch_size]
            self.pos += self.batch_size
            step(idx)
            if time.perf_counter() > deadline:
                break
        if self.pos < self.n:
            return False
        self.restart()
        return True
