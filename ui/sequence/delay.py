"""Accuracy against the delay: the memory task trained at delays 5 to 80 for each chosen cell, every point
real training runs, run as a job in the background with its progress; the chart fills in point by point."""

from __future__ import annotations

from functools import partial

import plotly.graph_objects as go
import streamlit as st

from core.sequence.sweep import DelaySweep, DelaySweepTrainer
from core.sequence.tasks import SYMBOLS
from core.sequence.viz import CELL_NAMES, delay_figure
from core.training import Job
from ui.kit import sweep as kit_sweep
from ui.kit.sweep import Sweep, SweepView

KEY = "seq_delay_state"


def state() -> Sweep:
    return kit_sweep.state(KEY, DelaySweep())


def controls() -> int:
    return int(st.select_slider("Epochs per run", [3, 5, 10, 20, 40], value=10, key="seq_sweep_epochs",
                                help="Each point trains every chosen cell this many epochs on the memory task at "
                                     "that delay, from the same seed."))


def ensure(sweep: Sweep, spec: DelaySweep) -> Job:
    return kit_sweep.ensure(sweep, spec, partial(DelaySweepTrainer, spec), len(spec.delays))


def explain(rows: dict, spec: DelaySweep) -> str:
    """A sentence per cell, read off the finished points (`ui.kit.sweep.points`)."""
    cells = spec.base.cells
    if not len(rows.get("delay", [])):
        return ("Each point trains every chosen cell on the memory task at that delay and measures its test accuracy. "
                "Press Run sweep.")
    d = rows["delay"]
    text = f"So far {len(d)} of {len(spec.delays)} delays."
    chance = 1 / len(SYMBOLS)
    for c in cells:
        acc = rows.get(f"{c}_acc")
        if acc is None:
            continue
        fail = d[acc < chance + 0.15]
        text += (f" {CELL_NAMES[c]}: at chance from T = {fail[0]:g}." if len(fail) else
                 f" {CELL_NAMES[c]}: {acc[-1]:.0%} at T = {d[-1]:g}.")
    return text


def _chart(rows: dict, sweep: Sweep, view) -> go.Figure | None:
    return delay_figure(rows, sweep.spec.base.cells, 1 / len(SYMBOLS)) if view.epoch else None


LIVE = kit_sweep.live_sweep(SweepView(
    "sqd", state,
    lambda s: (len(s.delays), "delays", f"{len(s.delays)} delays × {len(s.base.cells)} cells × {s.epochs} epochs"),
    lambda rows, sweep: explain(rows, sweep.spec), _chart, "seq_delay_chart"))
