"""The Playground's "more views": weights and gradients over time, gradient norms, dead ReLUs,
confusion matrix, one neuron's output large, and a comparison of this session's runs.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from core.playground.maps import decision_map
from core.viz.curves import (
    confusion_matrix,
    confusion_matrix_chart,
    dead_units_chart,
    distribution_chart,
    grad_norm_chart,
    histogram_chart,
)
from ui.kit.live import compare_runs_view
from ui.playground.state import Playground

VIEWS = ["Weights & gradients", "Gradient norms", "Dead ReLUs", "Confusion matrix", "Neuron", "Compare runs"]


def selected(pg: Playground) -> tuple[int, int] | None:
    return st.session_state.get("pg_neuron")


def more_views(pg: Playground, view, frame) -> None:
    if "views" in st.session_state.get("hide_playground", ()):
        choice = st.session_state.get("pg_view")
    else:
        choice = st.segmented_control("More views", VIEWS, key="pg_view",
                                      help="Open one more live view of the training (they all update while it "
                                           "trains).")
    snaps = view.snapshots
    if choice == "Weights & gradients":
        layers = list(snaps[-1].weight_quantiles) if snaps else []
        if not layers:
            st.info("Train a little to see how the weights move.")
            return
        layer = st.selectbox("Layer", layers, key="pg_hist_layer")
        ep = np.array([s.epoch for s in snaps])
        c = st.columns(3)
        c[0].plotly_chart(distribution_chart(ep, np.array([s.weight_quantiles[layer] for s in snaps]),
                                             f"Weights of {layer} over time"), key="pg_wdist")
        with_grads = [s for s in snaps if layer in s.grad_quantiles]
        if with_grads:
            c[1].plotly_chart(distribution_chart(np.array([s.epoch for s in with_grads]),
                                                 np.array([s.grad_quantiles[layer] for s in with_grads]),
                                                 f"Gradients of {layer} over time"), key="pg_gdist")
        w = view.snapshot.weights.get(f"{layer}.weight") if view.snapshot else None
        if w is not None:
            c[2].plotly_chart(histogram_chart(w, f"Weights of {layer} now"), key="pg_whist")
        st.caption("Bands hold 100%, 86%, 68% and 38% of the values around the median, as TensorBoard draws them.")
    elif choice == "Gradient norms":
        with_grads = [s for s in snaps if s.grad_norms]
        if not with_grads:
            st.info("Train a little to see the gradients.")
            return
        layers = list(with_grads[-1].grad_norms)
        norms = {la: np.array([s.grad_norms.get(la, np.nan) for s in with_grads]) for la in layers}
        st.plotly_chart(grad_norm_chart(np.array([s.epoch for s in with_grads]), norms), key="pg_gnorm")
        st.caption("Each line is one layer's gradient size (log scale). Lines far below the others: vanishing "
                   "gradients, those layers barely learn. Lines shooting up: exploding gradients.")
    elif choice == "Dead ReLUs":
        if not frame.dead:
            st.info("No layer uses ReLU. A ReLU is dead when it outputs 0 for every input: it never learns again.")
            return
        st.plotly_chart(dead_units_chart(frame.dead), key="pg_dead")
    elif choice == "Confusion matrix":
        ds = pg.job.dataset
        if ds.task != "classification":
            st.info("A confusion matrix needs classes; this is a regression task.")
            return
        cm = confusion_matrix(ds.y_test.numpy(), frame.pred_test, ds.n_classes)
        st.plotly_chart(confusion_matrix_chart(cm, ds.class_names), key="pg_cm")
        st.caption("Rows: the true class of each test point; columns: what the network predicted. "
                   "The diagonal is what it gets right.")
    elif choice == "Neuron":
        _neuron(pg, frame)
    elif choice == "Compare runs":
        _compare(pg, view)


def _neuron(pg: Playground, frame) -> None:
    if frame.maps is None:
        st.info("Neuron maps need a 2D dataset (a plane to draw on).")
        return
    options = [(ci, k) for ci, col in enumerate(frame.columns) if ci > 0 for k in range(min(col.units, 8))]
    label = {o: f"{frame.columns[o[0]].title}, neuron {o[1] + 1}" for o in options}
    current = selected(pg) if selected(pg) in options else options[0]
    choice = st.selectbox("Neuron", options, options.index(current), format_func=label.get, key="pg_neuron_pick")
    st.session_state["pg_neuron"] = choice
    values = frame.maps.layers[choice[0] - 1][choice[1]]
    ds = pg.job.dataset
    scale = float(np.abs(values).max()) or 1.0
    task = "binary" if ds.task != "regression" else "regression"
    res = values.shape[-1]  # the job sends thumbnails coarser than the output map
    xs = np.linspace(frame.maps.xs[0], frame.maps.xs[-1], res)
    ys = np.linspace(frame.maps.ys[0], frame.maps.ys[-1], res)
    st.plotly_chart(decision_map(xs, ys, values / scale, ds.points_train,
                                 ds.y_train.numpy().ravel(), task=task), key="pg_neuron_map")
    st.caption(f"What {label[choice]} outputs at each point of the plane (orange negative, blue positive; "
               f"largest magnitude {scale:.3g}). It is highlighted in the network drawing.")


def _compare(pg: Playground, view) -> None:
    job = pg.job
    current = {"dataset": job.dataset.name,
               "settings": {"optimizer": job.config.optimizer, "learning rate": view.learning_rate,
                            "batch": job.config.batch_size, "L1": view.l1, "L2": view.l2, "loss": job.objective.title}}
    compare_runs_view(pg.slot, view, "pg", current)
