"""Gradient descent on a 2D loss landscape: a `Trainable` whose "network" is one point (x, y).

The loss is a known function of two weights (a bowl, a ravine, Rosenbrock's banana, a saddle), so a
student sees the optimizer's path over the whole surface: a learning rate too high oscillates or
blows up, one too low crawls, momentum and Adam cut through a ravine. Each epoch is
`steps_per_epoch` optimizer steps with the gradient from autograd; `evaluate()` reports the loss, the
point and the gradient's norm, which a job records as its history.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import nn

from core.training.config import OPTIMIZERS
from core.training.optim import make_optimizer
from core.training.snapshot import Snapshot, take_snapshot

Loss = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]

LANDSCAPES: dict[str, tuple[str, Loss, tuple[float, float]]] = {
    # name -> (formula, loss of (x, y), the default start)
    "bowl": ("x² + κ·y²", lambda x, y: x ** 2 + y ** 2, (1.5, 1.0)),  # κ: `condition`, see loss_function
    "ravine": ("0.1·x² + 10·y²", lambda x, y: 0.1 * x ** 2 + 10 * y ** 2, (1.8, 0.6)),  # 100 times steeper across
    "rosenbrock": ("(1 − x)² + 100·(y − x²)²", lambda x, y: (1 - x) ** 2 + 100 * (y - x ** 2) ** 2, (-1.2, 1.0)),
    "saddle": ("x² − y² + y⁴/4", lambda x, y: x ** 2 - y ** 2 + y ** 4 / 4, (1.5, 0.01)),
    "beale": ("(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²",
              lambda x, y: (1.5 - x + x * y) ** 2 + (2.25 - x + x * y ** 2) ** 2 + (2.625 - x + x * y ** 3) ** 2,
              (1.0, 1.4)),
    "himmelblau": ("(x² + y − 11)² + (x + y² − 7)²", lambda x, y: (x ** 2 + y - 11) ** 2 + (x + y ** 2 - 7) ** 2,
                   (-0.5, 0.5)),
}
# where each surface is worth looking at (x and y from lo to hi)
DOMAINS: dict[str, tuple[float, float]] = {"bowl": (-2, 2), "ravine": (-2, 2), "rosenbrock": (-2, 2),
                                           "saddle": (-2, 2), "beale": (-1.5, 4.5), "himmelblau": (-5, 5)}


def loss_function(name: str, condition: float = 1.0) -> Loss:
    """The landscape's loss; the bowl's y is `condition` times steeper than its x (its condition number:
    the ratio of its largest to its smallest curvature)."""
    if name == "bowl":
        return lambda x, y: x ** 2 + condition * y ** 2
    return LANDSCAPES[name][1]


@dataclass(frozen=True)
class LandscapeSpec:
    """Which surface, where to start, and how to descend it."""

    landscape: str = "bowl"
    optimizer: str = "sgd"
    learning_rate: float = 0.1
    momentum: float = 0.0
    start: tuple[float, float] | None = None  # None: the landscape's default start
    steps_per_epoch: int = 1
    seed: int = 0
    condition: float = 1.0  # the bowl's condition number

    def __post_init__(self) -> None:
        if self.landscape not in LANDSCAPES:
            raise ValueError(f"unknown landscape '{str(self.landscape)[:20]}'; choose one of {', '.join(LANDSCAPES)}")
        if self.optimizer not in (*OPTIMIZERS, "nesterov"):
            raise ValueError(f"unknown optimizer '{str(self.optimizer)[:20]}'")
        if not (isinstance(self.learning_rate, (int, float)) and 0 < self.learning_rate <= 10):
            raise ValueError("the learning rate must be above 0 and at most 10")
        if not (isinstance(self.condition, (int, float)) and 1 <= self.condition <= 1000):
            raise ValueError("the condition number must be from 1 to 1000")
        if not 1 <= int(self.steps_per_epoch) <= 1000:
            raise ValueError("steps per epoch must be from 1 to 1000")


class Point(nn.Module):
    """The two weights being trained."""

    def __init__(self, start: tuple[float, float]):
        super().__init__()
        self.point = nn.Parameter(torch.tensor(start, dtype=torch.float64))


class LandscapeTrainer:
    """Descends `spec.landscape` from its start with the chosen optimizer (a `Trainable`)."""

    def __init__(self, spec: LandscapeSpec):
        self.spec = spec
        self.formula, _, default = LANDSCAPES[spec.landscape]
        self.loss_fn = loss_function(spec.landscape, spec.condition)
        self.start = tuple(float(v) for v in (spec.start or default))
        self.model = Point(self.start)
        self.device = torch.device("cpu")
        self.params = [self.model.point]
        self.optimizer = make_optimizer(spec.optimizer, self.params, spec.learning_rate, spec.momentum)
        self.last_grads: list[torch.Tensor] | None = None
        self.reset()

    def reset(self, seed: int | None = None) -> None:
        """Back to the start (the path is deterministic: the seed is not needed)."""
        with torch.no_grad():
            self.model.point.copy_(torch.tensor(self.start, dtype=torch.float64))
        self.optimizer.reset()
        self.last_grads = None
        self.epoch = self.step_count = 0
        self.train_time = 0.0

    def loss(self) -> torch.Tensor:
        x, y = self.model.point
        return self.loss_fn(x, y)

    def run(self, max_seconds: float = 0.1) -> bool:
        t0 = time.perf_counter()
        for _ in range(self.spec.steps_per_epoch):
            (grad,) = torch.autograd.grad(self.loss(), self.params)
            self.last_grads = [grad]
            with torch.no_grad():
                self.optimizer.step([grad])
            self.step_count += 1
        self.train_time += time.perf_counter() - t0
        self.epoch += 1
        return True

    def evaluate(self) -> dict[str, float]:
        with torch.no_grad():
            loss = float(self.loss())
        x, y = (float(v) for v in self.model.point.detach())
        g = self.last_grads[0] if self.last_grads else None
        return {"loss": loss, "x": x, "y": y, "grad_norm": float(g.norm()) if g is not None else math.nan}

    def snapshot(self) -> Snapshot:
        return take_snapshot(["point"], self.params, self.last_grads, self.epoch, self.step_count, self.train_time)

    def set(self, **live: float) -> None:
        unknown = sorted(set(live) - {"learning_rate"})
        if unknown:
            raise ValueError(f"these settings cannot change while descending: {', '.join(unknown)[:80]}")
        lr = live.get("learning_rate", self.optimizer.lr)
        LandscapeSpec(self.spec.landscape, self.spec.optimizer, lr, condition=self.spec.condition)  # validates
        self.optimizer.lr = lr

    def live(self) -> dict[str, float]:
        return {"learning_rate": self.optimizer.lr}

    def params_finite(self) -> bool:
        return bool(torch.isfinite(self.model.point).all())


def surface(name: str, lo: float = -2.0, hi: float = 2.0, n: int = 81, condition: float = 1.0) -> tuple:
    """The landscape's loss on an n x n grid (for the contour picture)."""
    fn = loss_function(name, condition)
    xs = torch.linspace(lo, hi, n, dtype=torch.float64)
    gx, gy = torch.meshgrid(xs, xs, indexing="xy")
    return xs.numpy(), xs.numpy(), fn(gx, gy).numpy()
