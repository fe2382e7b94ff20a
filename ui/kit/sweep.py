"""A lab's background sweep (a `core.training.sweep.PointSweep` run as a job): its slot in the session,
the job for the current settings, its finished points, and the one view every lab's sweep draws
(`live_sweep`: play bar, progress bar, a few sentences read off the points, the chart)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from core.training import Job, JobView, TrainConfig, make_job
from ui.kit.job_slot import JobSlot
from ui.kit.live import NARROW_BAR, LiveLab, play_bar


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


@dataclass(frozen=True)
class SweepView:
    """What a lab's sweep shows; the kit draws it the same way in every lab.

    `size(spec)`: (number of points, their unit, the play bar's line); `explain(rows, sweep)`: sentences
    read off the finished points; `chart(rows, sweep, view)`: the figure, or None while there is nothing to
    draw. `chart_first` puts the chart above the sentences (on a projector's first screen)."""

    prefix: str
    state: Callable[[], Sweep]
    size: Callable[[Any], tuple[int, str, str]]
    explain: Callable[[dict[str, np.ndarray], Sweep], str]
    chart: Callable[[dict[str, np.ndarray], Sweep, JobView], go.Figure | None]
    chart_key: str
    chart_first: bool = False
    main_s: float = 0.5


def live_sweep(v: SweepView) -> LiveLab:
    """The sweep's live area: Run sweep and Pause, its progress, and its text and chart as points finish."""
    def draw(live: bool) -> None:
        sweep = v.state()
        view = sweep.slot.job.poll()
        total, unit, extra = v.size(sweep.spec)
        play_bar(lab, view, extra=extra)
        progress_bar(view, total, unit)
        rows = points(view.history)
        fig = v.chart(rows, sweep, view)
        if v.chart_first and fig is not None:
            st.plotly_chart(fig, key=v.chart_key)
        st.markdown(v.explain(rows, sweep))
        if not v.chart_first and fig is not None:
            st.plotly_chart(fig, key=v.chart_key)

    lab = LiveLab(v.prefix, slot=lambda: v.state().slot, draw=draw, main_s=v.main_s, play_label="Run sweep",
                  bar=NARROW_BAR)
    return lab
