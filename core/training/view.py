"""What a training job publishes to pages: its state, and `JobView`, a consistent copy of everything a
page draws (taken under the job's lock), plus the polling helper both job kinds share."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

import numpy as np

from core.training.snapshot import Snapshot


def wait_for(poll: Callable[[], JobView], predicate: Callable[[JobView], bool], timeout: float,
             interval: float) -> JobView:
    """Call `poll` until `predicate` holds for its view or `timeout` passes; returns the last view."""
    end = time.monotonic() + timeout
    view = poll()
    while not predicate(view) and time.monotonic() < end:
        time.sleep(interval)
        view = poll()
    return view


class JobState(str, Enum):
    IDLE = "idle"  # built, never trained
    QUEUED = "queued"  # wants to train, waiting for a free slot
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"  # reached max_epochs
    DIVERGED = "diverged"  # the loss became NaN or infinite
    STOPPED = "stopped"  # worker thread ended (stop() or left alone); start() resumes
    FAILED = "failed"


@dataclass(frozen=True)
class JobView:
    """A consistent copy of what a page needs to draw, taken under the job's lock."""

    state: JobState
    message: str
    epoch: int
    step: int
    wall_s: float
    device: str
    queue_position: int | None
    live: dict[str, float]  # the settings that can change mid-run (the trainer's `live()`)
    history: dict[str, np.ndarray]  # epoch, step, wall_s and one column per metric the trainer evaluates
    snapshot: Snapshot | None
    snapshots: tuple[Snapshot, ...]
    version: int
    active: bool = False  # the job wants to train (running, queued, or just told to start)
    recent: tuple[Snapshot, ...] = ()  # the last few full snapshots, oldest first (`snapshot` is the last)

    @property
    def learning_rate(self) -> float:
        return float(self.live.get("learning_rate", float("nan")))

    @property
    def l1(self) -> float:
        return float(self.live.get("l1", 0.0))

    @property
    def l2(self) -> float:
        return float(self.live.get("l2", 0.0))

    @property
    def latest(self) -> dict[str, float]:
        return {k: float(v[-1]) for k, v in self.history.items()} if len(self.history["epoch"]) else {}
