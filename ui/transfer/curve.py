"""Less data: held-out accuracy against images per class (1, 2, 5, 10, all), every way at every point real
training runs in the background; the chart fills in point by point."""

from __future__ import annotations

from functools import partial

import plotly.graph_objects as go
import streamlit as st

from core.training import Job
from core.transfer.images import ImageSet
from core.transfer.model import MODES
from core.transfer.trainer import DataCurve, DataCurveTrainer, TransferSpec
from core.transfer.viz import curve_figure
from ui.kit import sweep as kit_sweep
from ui.kit.sweep import Sweep, SweepView

KEY = "tl_curve_state"


def state() -> Sweep:
    return kit_sweep.state(KEY, DataCurve())


def controls() -> int:
    return int(st.select_slider("Epochs per run", [10, 20, 30, 40], value=20, key="tl_curve_epochs",
                                help="Each point trains every way this many epochs on that many images per class."))


def ensure(curve: Sweep, base: TransferSpec, images: ImageSet, version: int, epochs: int,
           resnet_state: dict | None) -> Job:
    spec = DataCurve(base.with_(per_class=0), epochs=epochs)
    job = kit_sweep.ensure(curve, (spec, version), partial(DataCurveTrainer, spec, images, resnet_state),
                           len(spec.per_class))
    curve.spec, curve.images = spec, images  # the sweep's key holds the images' version too
    return job


def explain(rows: dict, spec: DataCurve, images: ImageSet) -> str:
    if not len(rows.get("per_class", [])):
        return ("Each point trains every way on that many images per class and tests it on the same held-out images. "
                "Press Run sweep.")
    k = rows["per_class"]
    text = f"So far {len(k)} of {len(spec.per_class)} points."
    if "frozen_acc" in rows and "scratch_acc" in rows:
        f, s = rows["frozen_acc"], rows["scratch_acc"]
        text += (f" With {k[0]:g} image{'s' if k[0] != 1 else ''} per class: frozen backbone {f[0]:.0%}, from scratch "
                 f"{s[0]:.0%}.")
        if len(k) > 1:
            text += f" With {k[-1]:g}: {f[-1]:.0%} and {s[-1]:.0%}."
        if (f - s).mean() > 0.1:
            text += " The pretrained features need far less data."
    return text


def _chart(rows: dict, curve: Sweep, view) -> go.Figure | None:
    if not len(rows.get("per_class", [])):
        return None
    return curve_figure(rows, curve.spec.base.modes, MODES, 1 / len(curve.images.classes), height=300)


LIVE = kit_sweep.live_sweep(SweepView(
    "tlc", state,
    lambda s: (len(s.per_class), "points", f"{len(s.per_class)} sizes × {len(s.base.modes)} ways × {s.epochs} epochs"),
    lambda rows, curve: explain(rows, curve.spec, curve.images), _chart, "tl_data_curve",
    chart_first=True, main_s=0.6))  # the chart first, so it is on a projector's first screen
