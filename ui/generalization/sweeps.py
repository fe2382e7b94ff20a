"""Sweeps: capacity, training-set size or label noise against train and test error, every point real
training runs, run as a job in the background with its progress; the chart fills in point by point."""

from __future__ import annotations

from functools import partial

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from core.generalization.sweeps import SWEEPS, SweepSpec, SweepTrainer
from core.generalization.viz import sweep_figure
from core.training import Job
from ui.kit import sweep as kit_sweep
from ui.kit.sweep import Sweep, SweepView

KEY = "gen_sweep_state"
NOTES = {
    "capacity": "Each point trains the baseline with that many units per hidden layer. Small networks underfit "
                "(both errors high); large ones drive the training error to zero while the test error stops "
                "falling or rises: the gap is what they memorized.",
    "size": "Each point trains the same network on that many points (learning curves). With few points it "
            "memorizes them all (training error near zero, test error high); more data closes the gap.",
    "label_noise": "Each point flips that share of the training labels. A big network fits the wrong labels too "
                   "(training error stays low) and the test error climbs with the noise it memorized.",
}


def state() -> Sweep:
    return kit_sweep.state(KEY, SweepSpec())


def controls() -> dict:
    """Which sweep, epochs per run, seeds per point (drawn above the baseline's own controls)."""
    if st.session_state.get("gen_sweep") not in SWEEPS:
        st.session_state["gen_sweep"] = "capacity"
    kind = st.segmented_control("Sweep", list(SWEEPS), key="gen_sweep", format_func=lambda k: SWEEPS[k][0],
                                  help="Which setting to vary; everything else is the variants view's baseline.")
    c = st.columns(2)
    epochs = c[0].select_slider("Epochs per run", [100, 200, 300, 500, 1000], value=300, key="gen_sweep_epochs")
    repeats = c[1].select_slider("Seeds per point", [1, 2, 3, 5], value=2, key="gen_sweep_repeats",
                                 help="Each point is the mean over this many runs (new data and weights each); "
                                      "the bars show their spread.")
    return {"kind": kind or "capacity", "epochs": int(epochs), "repeats": int(repeats)}


def ensure(sweep: Sweep, spec: SweepSpec) -> Job:
    """The sweep's job: new settings start a new sweep."""
    return kit_sweep.ensure(sweep, spec, partial(SweepTrainer, spec), len(spec.values), snapshot_every_s=0.2)


def explain(h: dict, spec: SweepSpec) -> str:
    """Two or three sentences read off the finished points (`ui.kit.sweep.points`) so far."""
    if not len(h.get("value", [])):
        return NOTES[spec.kind] + " Press Run sweep."
    x, te, tr = (np.asarray(h[k], float) for k in ("value", "test_error", "train_error"))
    best = int(np.nanargmin(te))
    axis = SWEEPS[spec.kind][3]
    text = (f"So far {len(x)} of {len(spec.values)} points: the lowest test error, {te[best]:.0%}, is at "
            f"{x[best]:g} {axis}, where the training error is {tr[best]:.0%}.")
    if len(x) >= 3 and spec.kind == "capacity" and tr[-1] < 0.02 and te[-1] > te[best] + 0.01:
        text += " The largest networks fit every training point and still do worse on new points: memorizing."
    if len(x) >= 3 and spec.kind == "size" and te[-1] < te[0]:
        text += f" From {x[0]:g} to {x[-1]:g} points the test error fell from {te[0]:.0%} to {te[-1]:.0%}."
    return text


def _chart(rows: dict, sweep: Sweep, view) -> go.Figure | None:
    kind = sweep.spec.kind
    return sweep_figure(rows, SWEEPS[kind][3], log_x=kind != "label_noise") if view.epoch else None


LIVE = kit_sweep.live_sweep(SweepView(
    "gsw", state, lambda s: (len(s.values), "points", f"{len(s.values)} points × {s.repeats} runs × {s.epochs} epochs"),
    lambda rows, sweep: explain(rows, sweep.spec), _chart, "gen_sweep_chart"))
