"""Sweeps: one setting of the baseline varied over a range, each point real training runs (a `Trainable`
whose "epoch" is one finished point, so a job runs a sweep in the background with its progress).

- capacity: the hidden layers' width, against train and test error;
- size: the number of training points (learning curves);
- label noise: the share of training labels flipped.

Each point trains the baseline network `epochs` epochs from `repeats` seeds and records the mean and
spread of the final train and test loss and error.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np

from core.generalization.variants import GenSpec, build, setup
from core.training.engine import Trainer
from core.training.sweep import PointSweep, SweepRun

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


def _make(spec: GenSpec) -> Trainer:
    s = setup(spec, "baseline")
    t = Trainer(build(s), s.dataset, s.config)
    t.reset()
    return t


def _measure(t: Trainer) -> dict[str, float]:
    m = t.metrics()
    return {"train_loss": m.train_loss, "test_loss": m.test_loss, "train_error": 1 - m.train_acc,
            "test_error": 1 - m.test_acc}


class SweepTrainer(PointSweep):
    """Runs a sweep's points one after another, each the mean of `repeats` seeds (a `Trainable`)."""

    def __init__(self, spec: SweepSpec):
        self.spec = spec
        points = [[SweepRun(f"seed{r}", partial(_make, spec.point(v, r))) for r in range(spec.repeats)]
                  for v in spec.values]
        super().__init__(points, spec.epochs, _measure, self._finish, COLUMNS)

    def _finish(self, point: int, results: dict[str, dict[str, float]]) -> dict[str, float]:
        runs = np.asarray([[r[k] for k in ("train_loss", "test_loss", "train_error", "test_error")]
                           for r in results.values()], float)
        mean, sd = runs.mean(0), runs.std(0)
        return {"value": float(self.spec.values[point]), "train_loss": mean[0], "test_loss": mean[1],
                "train_error": mean[2], "test_error": mean[3], "train_error_sd": sd[2], "test_error_sd": sd[3]}
