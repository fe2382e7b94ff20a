"""What a job drives and what a page holds: the `Trainable` and `Job` protocols.

A job (`TrainingJob` in a worker thread, `ProcessJob` in a child process) trains any object that
has this small surface, so every lab plugs its own trainer into the same job, live area and links:
the supervised `Trainer` (Playground, CNN lab), a 2D loss-landscape minimizer (`core.learning`),
and the autoencoders, sequence models and GANs of the labs to come.

- `reset(seed)` new weights from the seed, counters at zero;
- `run(seconds) -> bool` train one slice of at most `seconds`; True when an epoch ended;
- `evaluate() -> dict` the metrics of the epoch, by name. The job's history has one column per
  key (plus epoch, step and wall_s); a key ending in "loss" that becomes NaN or infinite stops the
  job as diverged;
- `snapshot() -> Snapshot` the latest weights and gradient statistics, for the page to draw;
- `set(**live)` change settings mid-run (learning rate, regularization, ...), `live()` read them;
- `epoch`, `step_count`, `train_time` counters, `device` where it trains, and `model` (a module,
  for `model_copy` and checkpoints).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol, runtime_checkable

import torch
from torch import nn

from core.training.snapshot import Snapshot
from core.training.view import JobState, JobView

BASE_COLUMNS = ("epoch", "step", "wall_s")


@runtime_checkable
class Trainable(Protocol):
    epoch: int
    step_count: int
    train_time: float
    device: torch.device
    model: nn.Module

    def reset(self, seed: int | None = None) -> None: ...

    def run(self, max_seconds: float = 0.1) -> bool: ...

    def evaluate(self) -> Mapping[str, float]: ...

    def snapshot(self) -> Snapshot: ...

    def set(self, **live: float) -> None: ...

    def live(self) -> dict[str, float]: ...


@runtime_checkable
class Job(Protocol):
    """What thread and process jobs share: the calls a page makes."""

    def start(self) -> None: ...

    def resume(self) -> None: ...

    def pause(self) -> None: ...

    def step(self, epochs: int = 1) -> None: ...

    def stop(self, wait: float = 2.0) -> None: ...

    def reset(self, seed: int | None = None) -> None: ...

    def set(self, **live: float) -> None: ...

    def model_copy(self) -> nn.Module: ...

    def checkpoints(self) -> tuple[Snapshot, ...]: ...

    def poll(self) -> JobView: ...

    def wait(self, predicate: Callable[[JobView], bool], timeout: float = 10.0,
             interval: float = 0.01) -> JobView: ...

    @property
    def state(self) -> JobState: ...

    @property
    def closed(self) -> bool: ...


def loss_keys(metrics: Mapping[str, Any]) -> list[str]:
    """The metrics that are losses: a non-finite one means the training diverged."""
    return [k for k in metrics if k.endswith("loss")]
