"""Sweeps: one setting of the baseline varied over a range, each point real training runs (a `Trainable`
whose "epoch" is one finished point, so a job runs a sweep in the background with its progress).

- capacity: the hidden layers' width, against train and test error;
- size: the number of training points (learning curves);
- label noise: the share of training labels flipped.

Each point trains the baseline network `epochs` epochs from `repeats` seeds and records the mean and
spread of the final train and test loss and error.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from core.generalization.variants import GenSpec, build, setup
from core.training.engine import Trainer
from core.training.snapshot import Snapshot, take_snapshot

# kind -> (label, GenSpec field, default values, axis title)
SWEEPS: dict[str, tuple[str, str, tuple[float, ...], str]] = {
    "capacity": ("Capacity", "width", (2, 4, 8, 16, 32, 64, 128), "hidden units per layer"),
    "size": ("Training-set size", "n_train", (10, 20, 40, 80, 160, 320, 640), "training points"),
    "label_noise": ("Label noise", "label_noise", (0.0, 0.05, 0.1, 0.2, 0.3, 0.4), "share of training labels flipped"),
}
COLUMNS = ("value", "train_loss", "test_loss", "train_error", "test_error", "train_error_sd", "test_error_sd")


@dataclass(frozen=True)
class SweepSpec:
    kind: str = "capacity"
    base: GenSpec = GenSpec()
    epochs: int = 300
    repeats: int = 2

    def __post_init__(self) -> None:
        if self.kind not in SWEEPS:
            raise ValueError(f"choose a sweep among {', '.join(SWEEPS)}")
        if isinstance(self.epochs, bool) or not isinstance(self.epochs, int) or not 10 <= self.epochs <= 3000:
            raise ValueError(f"epochs per point must be a whole number from 10 to 3000, not {self.epochs!r}")
        if isinstance(self.repeats, bool) or not isinstance(self.repeats, int) or not 1 <= self.repeats <= 5:
            raise ValueError(f"repeats must be a whole number from 1 to 5, not {self.repeats!r}")

    @property
    def values(self) -> tuple[float, ...]:
        return SWEEPS[self.kind][2]

    def point(self, value: float, repeat: int) -> GenSpec:
        field = SWEEPS[self.kind][1]
        v = int(value) if field in ("width", "n_train") else float(value)
        return self.base.with_(**{field: v, "seed": self.base.seed + repeat, "variants": ("baseline",)})


def train_point(spec: GenSpec, epochs: int) -> Trainer:
    """The baseline of `spec` trained `epochs` epochs (what one run of a sweep point does)."""
    s = setup(spec, "baseline")
    t = Trainer(build(s), s.dataset, s.config)
    t.reset()
    t.train_epochs(epochs)
    return t


class SweepTrainer:
    """Runs a sweep's points one after another, a slice of training at a time (a `Trainable`)."""

    def __init__(self, spec: SweepSpec):
        self.spec = spec
        self.device = torch.device("cpu")
        self.model: nn.Module = nn.Identity()
        self.reset()

    def reset(self, seed: int | None = None) -> None:
        self.epoch = self.step_count = 0
        self.train_time = 0.0
        self._repeat = 0
        self._current: Trainer | None = None
        self._runs: list[tuple[float, float, float, float]] = []
        self._last: dict[str, float] = {}

    @property
    def done(self) -> bool:
        return self.epoch >= len(self.spec.values)

    def progress(self) -> float:
        """Share of the sweep's training done, counting the point in progress."""
        n, r = len(self.spec.values), self.spec.repeats
        part = (self._current.epoch / self.spec.epochs) if self._current is not None else 0.0
        return min(1.0, (self.epoch + (self._repeat + part) / r) / n)

    def run(self, max_seconds: float = 0.1) -> bool:
        if self.done:
            return False
        t0 = time.perf_counter()
        deadline = t0 + max_seconds
        value = self.spec.values[self.epoch]
        try:
            while time.perf_counter() < deadline:
                if self._current is None:
                    s = setup(self.spec.point(value, self._repeat), "baseline")
                    self._current = Trainer(build(s), s.dataset, s.config)
                    self._current.reset()
                t = self._current
                t.run(max(0.0, deadline - time.perf_counter()))
                if t.epoch >= self.spec.epochs:
                    m = t.metrics()
                    self._runs.append((m.train_loss, m.test_loss, 1 - m.train_acc, 1 - m.test_acc))
                    self.step_count += t.step_count
                    self._current, self._repeat = None, self._repeat + 1
                    if self._repeat == self.spec.repeats:
                        self._finish(value)
                        return True
        finally:
            self.train_time += time.perf_counter() - t0
        return False

    def _finish(self, value: float) -> None:
        runs = np.asarray(self._runs, float)
        mean, sd = runs.mean(0), runs.std(0)
        self._last = {"value": float(value), "train_loss": mean[0], "test_loss": mean[1], "train_error": mean[2],
                      "test_error": mean[3], "train_error_sd": sd[2], "test_error_sd": sd[3]}
        self._runs, self._repeat = [], 0
        self.epoch += 1

    def evaluate(self) -> dict[str, float]:
        return {k: float(self._last.get(k, math.nan)) for k in COLUMNS}

    def snapshot(self) -> Snapshot:
        return take_snapshot([], [], None, self.epoch, self.step_count, self.train_time)

    def set(self, **live: float) -> None:
        if live:
            raise ValueError("a sweep's settings cannot change while it runs")

    def live(self) -> dict[str, float]:
        return {"progress": self.progress()}
