"""Accuracy against the delay: the memory task trained at delays 5 to 80 for each chosen cell, every point
real training runs, run as a job in the background with its progress; the chart fills in point by point."""

from __future__ import annotations

from functools import partial

import streamlit as st

from core.sequence.sweep import DelaySweep, DelaySweepTrainer
from core.sequence.tasks import SYMBOLS
from core.sequence.viz import CELL_NAMES, delay_figure
from core.training import Job
from ui.kit import sweep as kit_sweep
from ui.kit.live import NARROW_BAR, LiveLab, play_bar
from ui.kit.sweep import Sweep, points

KEY = "seq_delay_state"


def state() -> Sweep:
    return kit_sweep.state(KEY, DelaySweep())


def controls() -> int:
    return int(st.select_slider("Epochs per run", [3, 5, 10, 20, 40], value=10, key="seq_sweep_epochs",
                                help="Each point trains every chosen cell this many epochs on the memory task at "
                                     "that delay, from the same seed."))


def ensure(sweep: Sweep, spec: DelaySweep) -> Job:
    return kit_sweep.ensure(sweep, spec, partial(DelaySweepTrainer, spec), len(spec.delays))


def explain(h: dict, spec: DelaySweep) -> str:
    rows = points(h)
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


def _draw(live: bool) -> None:
    sweep = state()
    view = sweep.slot.job.poll()
    spec = sweep.spec
    play_bar(LIVE, view, extra=f"{len(spec.delays)} delays × {len(spec.base.cells)} cells × {spec.epochs} epochs")
    kit_sweep.progress_bar(view, len(spec.delays), "delays")
    st.markdown(explain(view.history, spec))
    if view.epoch:
        st.plotly_chart(delay_figure(points(view.history), spec.base.cells, 1 / len(SYMBOLS)), key="seq_delay_chart")


LIVE = LiveLab("sqd", slot=lambda: state().slot, draw=_draw, main_s=0.5, play_label="Run sweep", bar=NARROW_BAR)
