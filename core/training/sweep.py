"""`PointSweep`: a sweep whose every point is real training runs, run one after another a slice at a
time (a `Trainable` whose "epoch" is one finished point), so a job runs it in the background with its
progress. The Generalization lab's capacity, size and noise sweeps, the Sequence lab's delay sweep and
the Attention lab's length sweep are all one of these.

A point is a list of `SweepRun`s; each run's trainer (anything with `run(max_seconds) -> bool` that
finishes an epoch when it returns True, `epoch` and `step_count`) trains `epochs` epochs, then
`measure(trainer)` gives its numbers; once every run of the point is done, `finish(point, results)`
makes the history row. With `curve`, each run's value after every epoch is kept (learning curves) and
sent in the snapshot as `plane[(point, name)] -> array`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from core.training.snapshot import Snapshot, take_snapshot


@dataclass(frozen=True)
class SweepRun:
    name: str  # the run's name within its point: a cell, a model, a repeat
    make: Callable[[], Any]  # builds the run's trainer, ready to train


class PointSweep:
    """Runs a sweep's points one after another, a slice of training at a time (a `Trainable`)."""

    def __init__(self, points: Sequence[Sequence[SweepRun]], epochs: int,
                 measure: Callable[[Any], dict[str, float]],
                 finish: Callable[[int, dict[str, dict[str, float]]], dict[str, float]],
                 columns: Sequence[str], curve: Callable[[Any], float] | None = None):
        if not points or any(not runs for runs in points):
            raise ValueError("a sweep needs at least one point, each with at least one run")
        self.points, self.epochs = [list(p) for p in points], int(epochs)
        self.measure, self.finish, self.columns, self.curve = measure, finish, tuple(columns), curve
        self.device = torch.device("cpu")
        self.model: nn.Module = nn.Identity()
        self.reset()

    def reset(self, seed: int | None = None) -> None:
        self.epoch = self.step_count = 0
        self.train_time = 0.0
        self._run = 0
        self._current: Any = None
        self._results: dict[str, dict[str, float]] = {}
        self._last: dict[str, float] = {}
        self.curves: dict[tuple[int, str], list[float]] = {}

    @property
    def done(self) -> bool:
        return self.epoch >= len(self.points)

    def progress(self) -> float:
        """Share of the sweep's training done, counting the run in progress."""
        if self.done:
            return 1.0
        runs = self.points[self.epoch]
        part = self._current.epoch / self.epochs if self._current is not None else 0.0
        return min(1.0, (self.epoch + (self._run + part) / len(runs)) / len(self.points))

    def run(self, max_seconds: float = 0.1) -> bool:
        if self.done:
            return False
        t0 = time.perf_counter()
        deadline = t0 + max_seconds
        runs = self.points[self.epoch]
        try:
            while time.perf_counter() < deadline:
                spec = runs[self._run]
                if self._current is None:
                    self._current = spec.make()
                t = self._current
                if t.run(max(0.0, deadline - time.perf_counter())) and self.curve is not None:
                    self.curves.setdefault((self.epoch, spec.name), []).append(float(self.curve(t)))
                if t.epoch >= self.epochs:
                    self._results[spec.name] = self.measure(t)
                    self.step_count += t.step_count
                    self._current, self._run = None, self._run + 1
                    if self._run == len(runs):
                        self._last = self.finish(self.epoch, self._results)
                        self._results, self._run = {}, 0
                        self.epoch += 1
                        return True
        finally:
            self.train_time += time.perf_counter() - t0
        return False

    def evaluate(self) -> dict[str, float]:
        return {k: float(self._last.get(k, math.nan)) for k in self.columns}

    def snapshot(self) -> Snapshot:
        plane = {k: np.asarray(v, np.float32) for k, v in self.curves.items()} if self.curve is not None else None
        return take_snapshot([], [], None, self.epoch, self.step_count, self.train_time, plane=plane)

    def set(self, **live: float) -> None:
        if live:
            raise ValueError("a sweep's settings cannot change while it runs")

    def live(self) -> dict[str, float]:
        return {"progress": self.progress()}
