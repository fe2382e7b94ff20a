"""A lab's background sweep (a `core.training.sweep.PointSweep` run as a job): its slot in the session,
the job for the current settings, its progress bar and its finished points."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import streamlit as st

from core.training import Job, TrainConfig, make_job
from ui.kit.job_slot import JobSlot


@dataclass
class Sweep:
    slot: JobSlot = field(default_factory=JobSlot)
    spec: Any = None


def state(key: str, default: object) -> Sweep:
    """The session's sweep under `key` (its spec `default` until one runs)."""
    if key not in st.session_state:
        st.session_state[key] = Sweep(spec=default)
    return st.session_state[key]


def ensure(sweep: Sweep, spec: object, trainable: Callable[[], Any], points: int,
           snapshot_every_s: float = 0.3) -> Job:
    """The sweep's job: new settings start a new sweep (the last one is archived)."""
    job = sweep.slot.ensure(spec, lambda initial: make_job(trainable, config=TrainConfig(max_epochs=points),
                                                           snapshot_every_s=snapshot_every_s))
    sweep.spec = spec
    return job


def points(h: dict) -> dict[str, np.ndarray]:
    """The finished points (the history's first row is the job's start, before any point)."""
    keep = np.asarray(h.get("epoch", []), float) > 0
    return {k: np.asarray(v, float)[keep] for k, v in h.items()}


def progress_bar(view, total: int, unit: str) -> None:
    """How much of the sweep is done, counting the run in progress."""
    done = float(view.live.get("progress", 0.0)) if view.epoch < total else 1.0
    st.progress(done, text=f"Sweep {done:.0%} done ({view.epoch} of {total} {unit})")
