"""Optimizers race on a 2D loss landscape: SGD, momentum, Nesterov, RMSprop, Adagrad and Adam start from the same
point with the same learning rate and descend together, one step each per epoch (a `Trainable`).

A racer whose point blows up (a learning rate too high for it) stops where it was and is marked
diverged; the others go on. History columns: `<racer>_value` (the loss there), `<racer>_x`, `<racer>_y`.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import torch
from torch import nn

from core.learning.landscape import LANDSCAPES, LandscapeSpec, LandscapeTrainer

RACERS: dict[str, tuple[str, str, float]] = {  # id -> (label, optimizer, momentum)
    "sgd": ("SGD", "sgd", 0.0), "momentum": ("Momentum (0.9)", "sgd", 0.9),
    "nesterov": ("Nesterov (0.9)", "nesterov", 0.9), "rmsprop": ("RMSprop", "rmsprop", 0.0),
    "adagrad": ("Adagrad", "adagrad", 0.0), "adam": ("Adam", "adam", 0.0),
}


@dataclass(frozen=True)
class RaceSpec:
    landscape: str = "ravine"
    racers: tuple[str, ...] = ("sgd", "momentum", "adam")
    learning_rate: float = 0.02
    start: tuple[float, float] | None = None
    condition: float = 1.0  # the bowl's condition number
    steps_per_s: float = 25.0  # paced, so the race can be watched (0: as fast as it goes, for tests)

    def __post_init__(self) -> None:
        if self.landscape not in LANDSCAPES:
            raise ValueError(f"unknown landscape '{str(self.landscape)[:20]}'")
        if not self.racers or any(r not in RACERS for r in self.racers):
            raise ValueError(f"choose racers among {', '.join(RACERS)}")
        LandscapeSpec(self.landscape, learning_rate=self.learning_rate, condition=self.condition)  # checks them


class _Points(nn.Module):
    def __init__(self, trainers: dict[str, LandscapeTrainer]):
        super().__init__()
        self.racers = nn.ModuleDict({k: t.model for k, t in trainers.items()})


class RaceTrainer:
    """One `LandscapeTrainer` per racer, stepped together (a `Trainable`)."""

    def __init__(self, spec: RaceSpec):
        self.spec = spec
        self.trainers = {r: LandscapeTrainer(LandscapeSpec(spec.landscape, RACERS[r][1], spec.learning_rate,
                                                           RACERS[r][2], spec.start, condition=spec.condition))
                         for r in spec.racers}
        self.model = _Points(self.trainers)
        self.device = torch.device("cpu")
        self.reset()

    def reset(self, seed: int | None = None) -> None:
        for t in self.trainers.values():
            t.reset()
        self.diverged: set[str] = set()
        self._next_step = 0.0
        self.epoch = self.step_count = 0
        self.train_time = 0.0

    def run(self, max_seconds: float = 0.1) -> bool:
        if self.spec.steps_per_s > 0:  # wait for this step's turn (within the job's slice)
            due = self._next_step - time.monotonic()
            if due > 0:
                time.sleep(min(due, max_seconds))
                if time.monotonic() < self._next_step:
                    return False
            self._next_step = max(self._next_step, time.monotonic() - 1.0) + 1.0 / self.spec.steps_per_s
        t0 = time.perf_counter()
        for name, t in self.trainers.items():
            if name in self.diverged:
                continue
            before = t.model.point.detach().clone()
            t.run(max_seconds)
            loss = float(t.loss().detach())
            if not (t.params_finite() and math.isfinite(loss) and abs(loss) < 1e12):
                with torch.no_grad():
                    t.model.point.copy_(before)  # stays where it was, shown as diverged
                self.diverged.add(name)
        self.step_count += 1
        self.epoch += 1
        self.train_time += time.perf_counter() - t0
        return True

    def evaluate(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for name, t in self.trainers.items():
            m = t.evaluate()
            out.update({f"{name}_value": m["loss"], f"{name}_x": m["x"], f"{name}_y": m["y"],
                        f"{name}_diverged": float(name in self.diverged)})
        return out

    def snapshot(self):
        from core.training.snapshot import take_snapshot

        names = [f"{r}.point" for r in self.trainers]
        params = [t.model.point for t in self.trainers.values()]
        grads = [t.last_grads[0] for t in self.trainers.values()] if all(
            t.last_grads for t in self.trainers.values()) else None
        return take_snapshot(names, params, grads, self.epoch, self.step_count, self.train_time)

    def set(self, **live: float) -> None:
        for t in self.trainers.values():
            t.set(**live)

    def live(self) -> dict[str, float]:
        return next(iter(self.trainers.values())).live()


@dataclass(frozen=True)
class StepDetail:
    """What one optimizer did at one step: where it was, the gradient there, its memory, its step."""

    step: int
    point: tuple[float, float]
    loss: float
    grad: tuple[float, float]
    velocity: tuple[float, float] | None  # momentum's buffer, Adam's first moment (bias-corrected)
    scale: tuple[float, float] | None  # the adaptive methods' per-coordinate factor 1 / (sqrt(v) + eps)
    move: tuple[float, float]  # the step taken: new point - old point
    plain: tuple[float, float]  # what plain SGD would have stepped: -lr * grad


def inspect(spec: RaceSpec, racer: str, upto: int) -> list[StepDetail]:
    """Replay `racer` alone for `upto` steps (deterministic, as in the race) and record every step."""
    if racer not in RACERS:
        raise ValueError(f"unknown racer '{str(racer)[:20]}'")
    t = LandscapeTrainer(LandscapeSpec(spec.landscape, RACERS[racer][1], spec.learning_rate, RACERS[racer][2],
                                       spec.start, condition=spec.condition))
    opt, out = t.optimizer, []
    for k in range(max(0, int(upto))):
        before = t.model.point.detach().clone()
        loss_t = t.loss()
        (g,) = torch.autograd.grad(loss_t, [t.model.point])
        loss = float(loss_t.detach())
        t.run(1.0)
        after = t.model.point.detach()
        if not (torch.isfinite(after).all() and math.isfinite(loss)):
            break
        velocity = scale = None
        if getattr(opt, "bufs", None):
            velocity = tuple(float(v) for v in opt.bufs[0])
        elif hasattr(opt, "m"):
            velocity = tuple(float(v) for v in opt.m[0] / (1 - opt.b1 ** opt.steps))
            v_hat = opt.v[0] / (1 - opt.b2 ** opt.steps)
            scale = tuple(float(v) for v in 1.0 / (v_hat.sqrt() + opt.eps))
        elif hasattr(opt, "sq"):
            scale = tuple(float(v) for v in 1.0 / (opt.sq[0].sqrt() + opt.eps))
        elif hasattr(opt, "sum"):
            scale = tuple(float(v) for v in 1.0 / (opt.sum[0].sqrt() + opt.eps))
        lr = spec.learning_rate
        out.append(StepDetail(k + 1, (float(before[0]), float(before[1])), loss, (float(g[0]), float(g[1])),
                              velocity, scale, (float(after[0] - before[0]), float(after[1] - before[1])),
                              (-lr * float(g[0]), -lr * float(g[1]))))
    return out
