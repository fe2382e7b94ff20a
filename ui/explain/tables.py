"""The Explain lab for tables: a what-if editor (change a row, see the prediction, its SHAP waterfall and
its LIME weights update) and SHAP's summary over many rows."""

from __future__ import annotations

import numpy as np
import streamlit as st
import torch

from core.explain import Explanation
from core.explain.base import scores
from core.explain.viz import beeswarm, feature_bars, waterfall
from ui.explain import compute as xp_compute
from ui.explain.sources import Source

SUMMARY_ROWS = 50


def edited_row(src: Source, row: torch.Tensor, row_id: object) -> torch.Tensor:
    """Number inputs for every feature, starting from the chosen row; returns the edited row (1, F)."""
    values = row[0].numpy()
    lo, hi = src.background.min(0).values.numpy(), src.background.max(0).values.numpy()
    st.caption("Change any value and everything below follows. The range shown is the training data's; values "
               "outside it are allowed (and the model is on its own there). Features are standardized as the "
               "model sees them.")
    st.button("Back to the sample's values", key="xp_wi_reset", on_click=_reset, args=(len(values),))
    out = []
    cols = st.columns(4)
    for j, name in enumerate(src.feature_names):
        key = f"xp_wi_{j}"
        if st.session_state.get("xp_wi_row") != row_id or key not in st.session_state:
            st.session_state[key] = float(np.round(values[j], 3))
        span = float(hi[j] - lo[j]) or 1.0
        out.append(cols[j % 4].number_input(
            name, min_value=float(lo[j] - 3 * span), max_value=float(hi[j] + 3 * span),
            step=round(span / 20, 3) or 0.01, key=key,
            help=f"training range {lo[j]:.3g} to {hi[j]:.3g}; this sample: {values[j]:.3g}"))
    st.session_state["xp_wi_row"] = row_id
    return torch.tensor([out], dtype=torch.float32)


def _reset(n: int) -> None:
    st.session_state["xp_wi_row"] = None
    for j in range(n):
        st.session_state.pop(f"xp_wi_{j}", None)


def what_if(src: Source, row: torch.Tensor, target: int, options: dict) -> None:
    p = scores(src.model, row, src.output)[0].numpy()
    names = src.output_names
    st.markdown("**Prediction for this row:** " + ", ".join(f"{names[k]} {p[k]:.3f}" for k in np.argsort(-p)[:4]))
    shap_e = xp_compute.one(src, row, "permutation_shap", target, options)
    lime_e = xp_compute.one(src, row, "lime", target, options)
    a, b = st.columns(2)
    with a:
        if isinstance(shap_e, Explanation):
            raw = src.raw(row[0].numpy())  # labelled in the data's own units, not the standardized ones
            st.plotly_chart(waterfall(shap_e.attributions[0], shap_e.base_value, src.feature_names, raw,
                                      f"SHAP for {names[target]}"), key="xp_wi_shap")
            st.caption("From the average output over the training rows (expected) to this row's, feature by "
                       "feature; the steps add up exactly.")
        else:
            st.warning(shap_e)
    with b:
        if isinstance(lime_e, Explanation):
            title = f"LIME weights for {names[target]}"
            st.plotly_chart(feature_bars(lime_e.attributions[0], src.feature_names, title), key="xp_wi_lime")
            st.caption("LIME's local linear model around this row: how much the output moves per standard "
                       "deviation of each feature.")
        else:
            st.warning(lime_e)


def summary(src: Source, target: int, options: dict) -> None:
    rows = src.inputs[:SUMMARY_ROWS]
    n_features = rows.shape[1]
    options = {**options, "max_evals": max(100, min(options.get("max_evals", 500), 8 * n_features + 2))}
    key = ("summary", src.version, target, options["max_evals"], options.get("seed"))
    values = xp_compute.lookup(key)
    if values is None:
        with st.spinner(f"SHAP over {len(rows)} rows…"):
            e = xp_compute.one(src, rows, "permutation_shap", target, options)
        if isinstance(e, str):
            st.warning(e)
            return
        values = e.attributions
        xp_compute.remember(key, values)
    st.plotly_chart(beeswarm(values, src.raw(rows.numpy()), src.feature_names,
                             f"SHAP summary for {src.output_names[target]}"), key="xp_beeswarm")
    st.caption(f"Each dot is one of {len(rows)} held-out rows: how far that feature pushed its prediction (right: "
               "up), coloured by the feature's value. Features are sorted by their mean absolute effect.")
