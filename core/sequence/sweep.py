"""Accuracy against the delay: the memory task trained at growing delays T for each chosen cell, every
point real training runs (a `Trainable` whose "epoch" is one finished delay, so a job runs the sweep in
the background with its progress). History columns: `delay` and, per cell `c`, `c_acc` (test accuracy
after `epochs` epochs) and `c_loss`.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import torch
from torch import nn

from core.sequence.trainer import SeqSpec, SeqTrainer
from core.training.snapshot import Snapshot, take_snapshot

DELAYS = (5, 10, 20, 40, 80)


@dataclass(frozen=True)
class DelaySweep:
    base: SeqSpec = SeqSpec()
    delays: tuple[int, ...] = DELAYS
    epochs: int = 10

    def __post_init__(self) -> None:
        if isinstance(self.epochs, bool) or not isinstance(self.epochs, int) or not 1 <= self.epochs <= 200:
            raise ValueError(f"epochs per run must be a whole number from 1 to 200, not {self.epochs!r}")
        if not self.delays or any(not 4 <= d <= 200 for d in self.delays):
            raise ValueError("delays must be from 4 to 200 steps")

    def point(self, delay: int) -> SeqSpec:
        return self.base.with_(task=self.base.task.with_(task="delay", length=int(delay)))


def train_point(spec: SeqSpec, cell: str, epochs: int) -> SeqTrainer:
    """One run of a sweep point: `cell` trained `epochs` epochs on the task of `spec`."""
    t = SeqTrainer(spec, cell)
    for _ in range(epochs):
        t.run(math.inf)
    return t


class DelaySweepTrainer:
    """Runs the sweep's points one after another, a slice of training at a time (a `Trainable`)."""

    def __init__(self, sweep: DelaySweep):
        self.sweep = sweep
        self.device = torch.device("cpu")
        self.model: nn.Module = nn.Identity()
        self.reset()

    def reset(self, seed: int | None = None) -> None:
        self.epoch = self.step_count = 0
        self.train_time = 0.0
        self._cell = 0
        self._current: SeqTrainer | None = None
        self._last: dict[str, float] = {}
        self._row: dict[str, float] = {}

    @property
    def done(self) -> bool:
        return self.epoch >= len(self.sweep.delays)

    def progress(self) -> float:
        cells = self.sweep.base.cells
        part = self._current.epoch / self.sweep.epochs if self._current is not None else 0.0
        return min(1.0, (self.epoch + (self._cell + part) / len(cells)) / len(self.sweep.delays))

    def run(self, max_seconds: float = 0.1) -> bool:
        if self.done:
            return False
        t0 = time.perf_counter()
        deadline = t0 + max_seconds
        delay = self.sweep.delays[self.epoch]
        cells = self.sweep.base.cells
        try:
            while time.perf_counter() < deadline:
                if self._current is None:
                    self._current = SeqTrainer(self.sweep.point(delay), cells[self._cell])
                t = self._current
                t.run(max(0.0, deadline - time.perf_counter()))
                if t.epoch >= self.sweep.epochs:
                    m = t.evaluate()
                    self._row[f"{cells[self._cell]}_acc"] = m["test_acc"]
                    self._row[f"{cells[self._cell]}_loss"] = m["test_loss"]
                    self.step_count += t.step_count
                    self._current, self._cell = None, self._cell + 1
                    if self._cell == len(cells):
                        self._last, self._row, self._cell = {"delay": float(delay), **self._row}, {}, 0
                        self.epoch += 1
                        return True
        finally:
            self.train_time += time.perf_counter() - t0
        return False

    def evaluate(self) -> dict[str, float]:
        keys = ["delay", *(f"{c}_{k}" for c in self.sweep.base.cells for k in ("acc", "loss"))]
        return {k: float(self._last.get(k, math.nan)) for k in keys}

    def snapshot(self) -> Snapshot:
        return take_snapshot([], [], None, self.epoch, self.step_count, self.train_time)

    def set(self, **live: float) -> None:
        if live:
            raise ValueError("a sweep's settings cannot change while it runs")

    def live(self) -> dict[str, float]:
        return {"progress": self.progress()}
