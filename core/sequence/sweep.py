"""Accuracy against the delay: the memory task trained at growing delays T for each chosen cell, every
point real training runs (a `Trainable` whose "epoch" is one finished delay, so a job runs the sweep in
the background with its progress). History columns: `delay` and, per cell `c`, `c_acc` (test accuracy
after `epochs` epochs) and `c_loss`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial

from core.sequence.trainer import SeqSpec, SeqTrainer
from core.training.sweep import PointSweep, SweepRun

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


def _measure(t: SeqTrainer) -> dict[str, float]:
    m = t.evaluate()
    return {"acc": m["test_acc"], "loss": m["test_loss"]}


class DelaySweepTrainer(PointSweep):
    """Runs the sweep's delays one after another, every chosen cell at each (a `Trainable`)."""

    def __init__(self, sweep: DelaySweep):
        self.sweep = sweep
        cells = sweep.base.cells
        points = [[SweepRun(c, partial(SeqTrainer, sweep.point(d), c)) for c in cells] for d in sweep.delays]
        columns = ["delay", *(f"{c}_{k}" for c in cells for k in ("acc", "loss"))]
        super().__init__(points, sweep.epochs, _measure, self._finish, columns)

    def _finish(self, point: int, results: dict[str, dict[str, float]]) -> dict[str, float]:
        row = {f"{c}_{k}": v for c, r in results.items() for k, v in r.items()}
        return {"delay": float(self.sweep.delays[point]), **row}
