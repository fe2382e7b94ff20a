"""What a job keeps of its run, bounded however long it trains: the history (one row per epoch,
halving its resolution over the whole run when full), the compact snapshots for charts over time
(thinned out evenly, the beginning kept), and full-weight checkpoints (spacing doubling when full).
Not thread-safe on its own: the job calls it under its lock."""

from __future__ import annotations

import math
from collections import deque

import numpy as np

from core.training.protocol import BASE_COLUMNS
from core.training.snapshot import Snapshot

MAX_CHECKPOINTS = 16
RECENT = 12  # full snapshots kept for a live view that redraws less often than snapshots come
RECENT_BYTES = 4 * 2**20  # ... but no more than this much of them (a wide network keeps fewer)


def _arrays_bytes(obj: object) -> int:
    """The bytes of the numpy arrays in a snapshot's plane (a `Plane`, or a lab's dict of maps)."""
    if isinstance(obj, np.ndarray):
        return obj.nbytes
    if isinstance(obj, dict):
        return sum(_arrays_bytes(v) for v in obj.values())
    if isinstance(obj, (list, tuple)):
        return sum(_arrays_bytes(v) for v in obj)
    if hasattr(obj, "__dataclass_fields__"):
        return sum(_arrays_bytes(getattr(obj, f)) for f in obj.__dataclass_fields__)
    return 0


def snapshot_bytes(snap: Snapshot) -> int:
    extra = _arrays_bytes(snap.plane)
    return sum(np.asarray(w).nbytes for w in snap.weights.values()) + extra


def keep_recent(recent: deque, snap: Snapshot) -> None:
    """Append `snap`, then drop the oldest beyond `RECENT` snapshots or `RECENT_BYTES` of them."""
    recent.append(snap)
    keep = max(1, min(RECENT, RECENT_BYTES // max(1, snapshot_bytes(snap))))
    while len(recent) > keep:
        recent.popleft()


class RunRecord:
    def __init__(self, max_history: int = 4000, max_snapshots: int = 300, max_checkpoints: int = MAX_CHECKPOINTS):
        self.max_history, self.max_snapshots, self.max_checkpoints = max_history, max_snapshots, max_checkpoints
        self.latest: Snapshot | None = None
        self.recent: deque[Snapshot] = deque()
        self.reset()

    def reset(self) -> None:
        self.history: dict[str, list[float]] = {k: [] for k in BASE_COLUMNS}
        self._stride = 1
        self.snapshots: list[Snapshot] = []
        self._snap_stride, self._snap_count = 1, 0
        self.checkpoints: list[Snapshot] = []
        self._checkpoint_every = 1
        self.recent.clear()

    def add_row(self, epoch: int, step: int, wall_s: float, metrics: dict[str, float]) -> bool:
        """One history row (a metric new to the run gets NaN for the earlier rows); False if skipped."""
        h = self.history
        if epoch % self._stride and len(h["epoch"]):
            return False
        n = len(h["epoch"])
        for k, v in {"epoch": epoch, "step": step, "wall_s": wall_s, **metrics}.items():
            h.setdefault(k, [math.nan] * n).append(float(v))
        for column in h.values():
            if len(column) == n:  # a metric this row lacks
                column.append(math.nan)
        if len(h["epoch"]) > self.max_history:  # halve the resolution over the whole run
            for k in h:
                h[k] = h[k][::2]
            self._stride *= 2
        return True

    def add_snapshot(self, snap: Snapshot) -> None:
        self.latest = snap
        keep_recent(self.recent, snap)
        if self._snap_count % self._snap_stride == 0:
            self.snapshots.append(snap.compact())
            if len(self.snapshots) > self.max_snapshots:  # thin out evenly, never drop the beginning
                self.snapshots = self.snapshots[::2]
                self._snap_stride *= 2
        self._snap_count += 1
        ck = self.checkpoints
        if not ck or snap.epoch >= ck[-1].epoch + self._checkpoint_every:
            ck.append(snap)
            if len(ck) > self.max_checkpoints:
                self.checkpoints = ck[::2]
                self._checkpoint_every *= 2

    def history_arrays(self) -> dict[str, np.ndarray]:
        return {k: np.asarray(v, dtype=float) for k, v in self.history.items()}

    def all_checkpoints(self) -> tuple[Snapshot, ...]:
        """The checkpoints from the untrained network to the latest snapshot."""
        kept = list(self.checkpoints)
        if self.latest is not None and (not kept or kept[-1].epoch != self.latest.epoch):
            kept.append(self.latest)
        return tuple(kept)
