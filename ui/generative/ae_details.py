"""Below the autoencoder's live view, from the weights trained so far: inputs beside their rebuilds, the
code clicked in the plane decoded, a walk between two inputs' codes, the same data by PCA beside it;
and for anomaly detection, the error histogram with a threshold, precision and recall, the ROC curve and
the worst-rebuilt test inputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st
import torch

from core.generative.ae_trainer import Detector
from core.generative.autoencoder import Plane, interpolate, pca_error
from core.generative.viz import anomaly_histogram, roc_figure
from core.inspect import pca_2d
from core.viz.embedding import code_figure
from core.viz.images import image_row
from core.viz.raster import image_bytes
from ui.generative.ae import data_for, state
from ui.kit import models


def model_now():
    return models.current(state().slot.job, "ae_model")


def _show(arrays: np.ndarray, caption: str, per_row: int | None = None) -> None:
    """Images as an enlarged strip; other data as a table of its numbers."""
    data = data_for(state().spec)
    if data.image:
        scale = 7 if data.image[1] <= 8 else 4
        st.image(image_bytes(image_row(arrays, scale, per_row=per_row)))
        st.caption(caption)
    else:
        st.caption(caption)
        st.dataframe(pd.DataFrame(np.asarray(arrays).reshape(len(arrays), -1)).round(3), hide_index=True)


def rebuilds(plane: dict) -> None:
    data = data_for(state().spec)
    n = len(plane["recon"])
    _show(data.x_test[:n].numpy(), "Test inputs")
    _show(plane["recon"], "... rebuilt from their codes")


def decoded(plane: dict) -> None:
    at = st.session_state.get("ae_decode_at")
    if at is None:
        st.caption("Pause and click anywhere in the plane above: the decoder turns that spot into an input. Spots "
                   "between the classes show what the network makes of the space it was never shown.")
        return
    code = Plane(np.asarray(plane["mean"]), np.asarray(plane["axes"])).from_plane(np.asarray(at, float))
    with torch.no_grad():
        out = model_now().decode(torch.tensor(code, dtype=torch.float32)[None]).numpy()
    _show(out, f"Decoded at ({at[0]:.2f}, {at[1]:.2f}): code " + ", ".join(f"{v:.2f}" for v in code[:6]))


def prior_samples() -> None:
    """A VAE's codes were pulled towards a standard normal: decode draws from it, images never seen."""
    spec = state().spec
    if not spec.vae:
        return
    seed = st.session_state.get("ae_prior_seed", 0)
    st.button("Draw 8 new codes", key="ae_prior_go", icon=":material/casino:",
              on_click=lambda: st.session_state.__setitem__("ae_prior_seed", seed + 1))
    z = torch.randn(8, spec.bottleneck, generator=torch.Generator().manual_seed(seed))
    with torch.no_grad():
        out = model_now().decode(z).numpy()
    _show(out, "Codes drawn from the standard normal the KL term pulls the codes towards, decoded: new inputs "
               "the VAE makes up.")


def walk() -> None:
    data = data_for(state().spec)
    c = st.columns(2)
    a = c[0].number_input("From test input", 0, len(data.x_test) - 1, 0, key="ae_walk_a")
    b = c[1].number_input("To test input", 0, len(data.x_test) - 1, 1, key="ae_walk_b")
    line = interpolate(model_now(), data.x_test[int(a)], data.x_test[int(b)], 9)
    _show(line, f"From {data.classes[int(data.y_test[int(a)])]} to {data.classes[int(data.y_test[int(b)])]}: the "
                "decoder along the straight line between their codes")


def pca_beside(view) -> None:
    spec = state().spec
    data = data_for(spec)
    st.plotly_chart(code_figure(pca_2d(data.x_test.numpy()), data.y_test.numpy(), data.classes,
                                "The same test inputs by PCA (linear, 2 directions)", clickable=False, height=360),
                    key="ae_pca_chart")
    k = min(spec.bottleneck, data.dim)
    st.caption(f"PCA is the best a *linear* code of {k} numbers can do: its rebuild error here is "
               f"{pca_error(data.x_train.numpy(), data.x_test.numpy(), k):.4f}, the autoencoder's "
               f"{float(view.history['test_loss'][-1]):.4f}. An autoencoder can bend its code around curved data.")


def anomaly(plane: dict) -> None:
    data = data_for(state().spec)
    det = Detector(np.asarray(plane["err"], float), data.anomalous)
    normal_err = det.scores[~det.anomalous]
    pct = st.select_slider("Threshold: flag errors above this share of normal test inputs", [80, 90, 95, 98, 99],
                           value=95, key="ae_threshold", format_func=lambda p: f"{p}%")
    th = float(np.percentile(normal_err, pct))
    precision, recall = det.at(th)
    a, b = st.columns(2)
    a.plotly_chart(anomaly_histogram(det.scores, det.anomalous, th), key="ae_hist")
    fpr, tpr = det.roc()
    false_alarm = float((normal_err > th).mean())
    b.plotly_chart(roc_figure(fpr, tpr, det.auc, (false_alarm, recall)), key="ae_roc")
    left = [c for c in range(len(data.classes)) if c not in data.normal]
    st.markdown(f"At this threshold: **precision {precision:.0%}** (of the inputs flagged, the share that really are "
                f"{', '.join(data.classes[c] for c in left)}) and **recall {recall:.0%}** (of those, the share "
                f"flagged), with {false_alarm:.0%} of normal inputs flagged by mistake.")
    worst = np.argsort(-det.scores)[:8]
    x = data.x_test[worst]
    with torch.no_grad():
        m = model_now()
        rec = m.decode(m.encode(x)[0]).numpy()
    tags = ", ".join(f"{data.classes[int(data.y_test[i])]} ({det.scores[i]:.3f})" for i in worst)
    _show(x.numpy(), f"The worst-rebuilt test inputs: {tags}")
    _show(rec, "... and what the autoencoder made of them")


def draw() -> None:
    side = state()
    job = side.slot.job
    view = job.poll() if job is not None else None
    plane = view.snapshot.plane if view is not None and view.snapshot is not None else None
    if not view or not view.epoch or not plane:
        return
    if side.anomaly:
        anomaly(plane)
        return
    tabs = st.tabs(["Rebuilds", "Decode a spot", "Walk between two", "Beside PCA"])
    with tabs[0]:
        rebuilds(plane)
    with tabs[1]:
        decoded(plane)
        prior_samples()
    with tabs[2]:
        walk()
    with tabs[3]:
        pca_beside(view)
