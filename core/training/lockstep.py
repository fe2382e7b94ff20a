"""`Lockstep`: several trainers stepped together, one epoch each per epoch, so labs that compare runs
side by side (the Generalization lab's variants, the Sequence lab's cells) get curves that line up epoch
for epoch, one job, one snapshot whose weights are named as in the joint model's state dict."""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np
import torch
from torch import nn

from core.training.snapshot import Snapshot, take_snapshot


class _Models(nn.Module):
    def __init__(self, models: dict[str, nn.Module]):
        super().__init__()
        self.variants = nn.ModuleDict(models)


class Lockstep:
    """Several trainers stepped together, one epoch each per epoch (a `Trainable`); `epochs_per_s` paces
    them so the curves can be watched growing (0: as fast as they go). History columns `<name>_<metric>`.
    Each trainer has `run`, `reset`, `evaluate`, `set`, `model`, `params`, `names`, `last_grads`,
    `step_count`, `device`, `dataset` and `optimizer.lr` (a `Trainer` does)."""

    def __init__(self, trainers: dict[str, Any], epochs_per_s: float = 0.0):
        self.trainers, self.epochs_per_s = trainers, epochs_per_s
        first = next(iter(trainers.values()))
        self.model = _Models({k: t.model for k, t in trainers.items()})
        self.device = first.device
        self.dataset = first.dataset
        self.reset()

    def reset(self, seed: int | None = None) -> None:
        for t in self.trainers.values():
            t.reset(seed)
        self._next = 0.0
        self.epoch = self.step_count = 0
        self.train_time = 0.0

    @property
    def active(self) -> list[str]:
        return list(self.trainers)

    def after_epoch(self) -> None:
        """What a subclass does once every trainer finished the epoch."""

    def run(self, max_seconds: float = 0.1) -> bool:
        if self.epochs_per_s > 0:
            due = self._next - time.monotonic()
            if due > 0:
                time.sleep(min(due, max_seconds))
                if time.monotonic() < self._next:
                    return False
            self._next = max(self._next, time.monotonic() - 1.0) + 1.0 / self.epochs_per_s
        t0 = time.perf_counter()
        for k in self.active:
            self.trainers[k].run(math.inf)
        self.epoch += 1
        self.step_count = sum(t.step_count for t in self.trainers.values())
        self.after_epoch()
        self.train_time += time.perf_counter() - t0
        return True

    def evaluate(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for k, t in self.trainers.items():
            out.update({f"{k}_{name}": value for name, value in t.evaluate().items()})
        return out

    def maps(self) -> dict[str, np.ndarray] | None:
        return None

    def snapshot(self) -> Snapshot:
        """Weights named as in `model.state_dict()` (with the buffers), so a job can start from them again."""
        names, params, grads = [], [], []
        for k, t in self.trainers.items():
            names += [f"variants.{k}.{n}" for n in t.names]
            params += t.params
            grads += t.last_grads if t.last_grads is not None else [torch.zeros_like(p) for p in t.params]
        return take_snapshot(names, params, grads if self.epoch else None, self.epoch, self.step_count,
                             self.train_time, buffers=dict(self.model.named_buffers()), plane=self.maps())

    def set(self, **live: float) -> None:
        for t in self.trainers.values():
            t.set(**{k: v for k, v in live.items() if k == "learning_rate"})

    def live(self) -> dict[str, float]:
        return {"learning_rate": next(iter(self.trainers.values())).optimizer.lr}
