"""Variants side by side: the overfitting baseline and the remedies the student toggles, trained live in
one job (same data, same seed), their curves overlaid, the gap over time, each one's decision boundary,
the final table and two or three sentences on what is seen."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

import numpy as np
import streamlit as st

from core.data.toy2d import DOMAIN, SETS
from core.generalization.fields import SETTINGS as S
from core.generalization.fields import VARIANTS_PART
from core.generalization.trainer import VariantsTrainer
from core.generalization.variants import COLORS, DATASETS, VARIANTS, GenSpec, make_data
from core.generalization.viz import boundary_panel, gap_figure, variant_curves
from core.training import Job, TrainConfig, make_job
from core.viz.panels import lines
from ui.kit import links
from ui.kit.fieldmap import widget_defaults
from ui.kit.job_slot import JobSlot
from ui.kit.live import NARROW_BAR, LiveLab, play_bar
from ui.kit.panels import show

KEY = "gen_variants_state"
EPOCHS, EPOCHS_PER_S = 400, 40.0
LABELS = {v: label for v, (label, _) in VARIANTS.items()}


@dataclass
class Side:
    slot: JobSlot = field(default_factory=JobSlot)
    spec: GenSpec = field(default_factory=GenSpec)


def state() -> Side:
    if KEY not in st.session_state:
        st.session_state[KEY] = Side()
    return st.session_state[KEY]


def _default(key: str, value: object, options: object = None) -> None:
    if key not in st.session_state or (options is not None and st.session_state[key] not in options):
        st.session_state[key] = value


SETTINGS_DEFAULTS = widget_defaults(S, names=VARIANTS_PART)  # (key, default, what its control offers)


def keep_settings() -> None:
    """On a view that does not draw these controls: keep their values (Streamlit drops undrawn widgets')."""
    for k, v, opts in SETTINGS_DEFAULTS:
        _default(k, v, opts)
        links.keep(k, st.session_state[k])


def controls(hide: set[str], with_variants: bool = True) -> GenSpec:
    """Data, variants, then the network and the remedies' strengths in two popovers: compact, beside the
    live view."""
    for k, v, opts in SETTINGS_DEFAULTS:
        _default(k, v, opts)
    if "data" in hide:
        data, noise, label_noise, n = (links.keep(k, st.session_state[k])
                                       for k in ("gen_data", "gen_noise", "gen_label_noise", "gen_n"))
    else:
        data = st.selectbox("Dataset", DATASETS, key="gen_data", format_func=lambda d: SETS[d][0])
        c = st.columns(2)
        noise, flipped, n = S["noise"], S["label_noise"], S["n"]
        noise = c[0].slider("Noise", noise.lo, noise.hi, step=0.05, key="gen_noise", help=noise.help)
        label_noise = c[1].slider("Flipped labels", flipped.lo, flipped.hi, step=0.05, key="gen_label_noise",
                                  help=flipped.help)
        n = st.number_input("Training points", int(n.lo), int(n.hi), step=10, key="gen_n", help=n.help)
    if "variants" in hide or not with_variants:
        chosen = links.keep("gen_variants", st.session_state["gen_variants"])
    else:
        chosen = st.pills("Variants, trained side by side", list(VARIANTS), selection_mode="multi",
                          key="gen_variants", format_func=LABELS.get, wrap=True,
                          help="; ".join(f"{LABELS[v]}: {d}" for v, (_, d) in VARIANTS.items())) or []
    c = st.columns(2)
    with c[0].popover("Network", width="stretch"):
        if "network" in hide:
            width, depth, lr = (links.keep(k, st.session_state[k])
                                for k in ("gen_width", "gen_depth", "gen_learning_rate"))
            st.caption("The network is set by the link.")
        else:
            width = st.select_slider("Units per hidden layer", S["width"].steps, key="gen_width")
            depth = st.slider("Hidden layers", int(S["depth"].lo), int(S["depth"].hi), key="gen_depth")
            lr = st.select_slider("Learning rate (Adam)", S["learning_rate"].steps, key=S.key("learning_rate"))
    with c[1].popover("Strengths", width="stretch"):
        dropout, p = S["dropout"], S["patience"]
        dropout = st.slider("Dropout rate", dropout.lo, dropout.hi, step=0.05, key="gen_dropout", help=dropout.help)
        l2 = st.select_slider("L2 rate", S["l2"].steps, key="gen_l2", help=S["l2"].help)
        patience = st.number_input("Early-stopping patience (epochs)", int(p.lo), int(p.hi), key="gen_patience",
                                   help=p.help)
    st.caption(f"{width} units × {depth} hidden layers, Adam at {lr:g}. "
               + " · ".join(f"**{LABELS[v]}** {VARIANTS[v][1]}" for v in chosen if v != "baseline"))
    variants = ("baseline", *[v for v in VARIANTS if v in chosen and v != "baseline"])
    return GenSpec(data, float(noise), float(label_noise), int(n), int(width), int(depth), learning_rate=float(lr),
                   variants=variants, dropout=float(dropout), l2=float(l2), patience=int(patience))


def ensure(side: Side, spec: GenSpec) -> Job:
    """The job for these settings; any change starts a new one (the last runs are kept to compare)."""
    job = side.slot.ensure(spec, lambda initial: make_job(
        partial(VariantsTrainer, spec, epochs_per_s=EPOCHS_PER_S), config=TrainConfig(max_epochs=EPOCHS),
        snapshot_every_s=0.2, **({"initial_state": initial} if initial else {})))
    side.spec = spec
    return job


def stops(h: dict) -> dict[str, tuple[int, int]]:
    if "early_stop_stopped" not in h or not len(h["early_stop_stopped"]):
        return {}
    return {"early_stop": (int(h["early_stop_best"][-1]), int(h["early_stop_stopped"][-1]))}


def explain(h: dict, spec: GenSpec, epoch: int) -> str:
    """Two or three sentences read off the curves: does the baseline memorize, which remedy generalizes best."""
    if not epoch:
        return ("Press Play: every variant trains from the same start on the same few points. Dotted lines are the "
                "training loss, solid lines the test loss on points the networks never see.")
    te, tr = np.asarray(h["baseline_test_loss"], float), np.asarray(h["baseline_train_loss"], float)
    best = int(np.nanargmin(te))
    text = f"After {epoch} epoch{'s' if epoch != 1 else ''} the baseline's training loss is {tr[-1]:.3f}"
    if te[-1] > 1.15 * te[best] and epoch > h["epoch"][best] + 5:
        text += (f", but its test loss rose from its lowest, {te[best]:.3f} at epoch {int(h['epoch'][best])}, to "
                 f"{te[-1]:.3f}: it is memorizing the training points, noise included, instead of learning the shape.")
    else:
        text += f" and its test loss {te[-1]:.3f}."
    others = [v for v in spec.variants if v != "baseline"]
    if others:
        win = min(others, key=lambda v: h[f"{v}_test_loss"][-1])
        text += f" Lowest test loss now: {LABELS[win]} ({h[f'{win}_test_loss'][-1]:.3f})."
    s = stops(h).get("early_stop")
    if s and s[1]:
        text += f" Early stopping stopped at epoch {s[1]} and went back to the weights of epoch {s[0]}."
    return text


def _masked(ep: np.ndarray, y: np.ndarray, upto: int) -> np.ndarray:
    """The full column with the epochs from an early stop on blanked (so every line has the same length)."""
    y = np.asarray(y, float).copy()
    if upto:
        y[np.asarray(ep) >= upto] = np.nan
    return y


def _test_loss(h: dict, v: str, upto: int) -> np.ndarray:
    return _masked(h["epoch"], h[f"{v}_test_loss"], upto)


def _gap(h: dict, v: str, upto: int) -> np.ndarray:
    return _masked(h["epoch"], np.asarray(h[f"{v}_test_loss"], float) - np.asarray(h[f"{v}_train_loss"], float), upto)


def _maps(view, spec: GenSpec) -> None:
    snap = view.snapshot
    maps = snap.plane if snap is not None and isinstance(snap.plane, dict) else None
    if not maps:
        return
    data = make_data(spec)
    n_classes = len(SETS[spec.dataset][2])
    panels = []
    for v, values in maps.items():
        n = spec.n_train * (spec.more_data if v == "more_data" else 1)
        panels.append(boundary_panel(values, data.train_points[:n], data.train_labels[:n], n_classes, DOMAIN,
                                     LABELS[v], flipped=data.flipped[:n]))
    show(panels, "gen_maps_live", cols=2 if len(maps) <= 4 else 3, stamp=view.epoch)

def _draw(live: bool) -> None:
    side = state()
    view = side.slot.job.poll()
    spec = side.spec
    play_bar(LIVE, view, extra=f"{len(spec.variants)} variants, {EPOCHS} epochs")
    h = view.history
    left, right = st.columns([1.2, 1])
    with left.container(key="gen_curves"):
        if view.epoch:
            sv = stops(h)
            if live:
                show([lines(h["epoch"], [(LABELS[v], series(h, v, sv.get(v, (0, 0))[1]), COLORS[v])
                                         for v in spec.variants], title, height=190)
                      for title, series in (("Test loss", _test_loss), ("Gap: test loss - training loss", _gap))],
                     "gen_curves_live", stamp=view.epoch)
            else:
                st.plotly_chart(variant_curves(h, list(spec.variants), LABELS, COLORS, "loss", sv), key="gen_loss")
                st.plotly_chart(gap_figure(h, list(spec.variants), LABELS, COLORS, sv), key="gen_gap_chart")
        else:  # before Play: say what will be drawn here rather than leave a blank area
            st.info(f"Press Play: each variant's **test loss**, and its **gap** (test loss − training loss), are "
                    f"drawn here as they train, {EPOCHS} epochs from the same start. On the right, where each "
                    "variant draws the line between the classes.", icon=":material/show_chart:")
    with right.container(key="gen_maps"):
        _maps(view, spec)
    st.markdown(explain(h, spec, view.epoch))  # below the pictures: they stay on the first screen


def _details() -> None:
    side = state()
    view = side.slot.job.poll()
    h, spec = view.history, side.spec
    if not view.epoch:
        return
    sv = stops(h)
    rows = []
    for v in spec.variants:
        te = np.asarray(h[f"{v}_test_loss"], float)
        rows.append({"variant": LABELS[v], "training loss": float(h[f"{v}_train_loss"][-1]),
                     "test loss": float(te[-1]), "gap": float(te[-1] - h[f"{v}_train_loss"][-1]),
                     "training accuracy": float(h[f"{v}_train_acc"][-1]),
                     "test accuracy": float(h[f"{v}_test_acc"][-1]),
                     "lowest test loss": float(np.nanmin(te)),
                     "stopped at": sv.get(v, (0, 0))[1] or None})
    st.dataframe(rows, hide_index=True, width="stretch", column_config={
        "training accuracy": st.column_config.NumberColumn(format="percent"),
        "test accuracy": st.column_config.NumberColumn(format="percent")})


LIVE = LiveLab("gen", slot=lambda: state().slot, draw=_draw, details=_details, main_s=0.5, bar=NARROW_BAR)
