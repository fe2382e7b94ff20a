"""One step of backpropagation, number by number: a small network (a preset, or the Playground's own
when it is small), a few samples, and the step walked phase by phase on the drawing, with the chain
rule written out for a chosen weight and a finite-difference check beside every gradient. "Take
this step" applies the update, so the student can walk step after step and watch the loss fall."""

from __future__ import annotations

import numpy as np
import streamlit as st

from core.data.toy2d import engineer, generate
from core.learning.backprop import PRESETS, Net, Step, chain_rule, from_layers, one_step, phases, preset
from core.learning.backprop_viz import phase_state, step_figure
from core.learning.fields import SETTINGS as S
from ui.kit import models

PLAYGROUND = "your Playground network"


def _playground_net() -> tuple[Net, object] | None:
    """The Playground's network as a Net (with its data), when it is small and plain enough."""
    got = models.trained("playground")
    if got is None:
        return None
    view = got.job.poll()
    snap = view.snapshot if view is not None else None
    if snap is None or got.job.objective is None:
        return None
    layers = [("dense", 0) if type(layer).__name__ == "Dense" else (getattr(layer, "fn", "?"), 0)
              for layer in got.spec.layers]
    net = from_layers(layers, snap.weights, got.job.objective.kind)
    return (net, got.dataset) if net is not None else None


def _samples(net: Net, source: str, start: int, batch: int, dataset) -> tuple[np.ndarray, np.ndarray]:
    if source == PLAYGROUND and dataset is not None:
        x = dataset.x_test.numpy().astype(float)
        y = dataset.y_test.numpy().astype(float).ravel()
    else:  # XOR-like points scaled to [-1, 1] and rounded, easy to follow by hand
        pts, labels = generate("xor", 40, 0.0, 0)
        x = np.round(engineer(pts / 6.0, ("x1", "x2")).numpy().astype(float), 2)
        y = labels.astype(float)
    idx = [(start + k) % len(x) for k in range(batch)]
    y = y[idx]
    return x[idx][:, :net.sizes[0]], (y * 2 - 1 if net.loss == "mse" else y)


def controls() -> tuple[str, Net, object]:
    """The network, its source and (for the Playground's network) its data."""
    pg = _playground_net()
    options = list(PRESETS) + ([PLAYGROUND] if pg else [])
    c = st.columns([1.2, 1, 1, 1, 1])
    if st.session_state.get("bp_net") not in options:
        st.session_state["bp_net"] = "2-2-1"
    source = c[0].selectbox("Network", options, key="bp_net", help=S["bp_net"].help)
    own = source == PLAYGROUND and pg is not None
    act = c[1].selectbox("Hidden activation", S["bp_act"].choices, key="bp_act", disabled=own,
                         help=S["bp_act"].help)
    loss = c[2].selectbox("Loss", S["bp_loss"].choices, key="bp_loss", disabled=own,
                          format_func=lambda k: {"mse": "squared error", "bce": "cross-entropy"}[k],
                          help=S["bp_loss"].help)
    c[3].selectbox("Samples in the batch", S["bp_batch"].steps, key="bp_batch", help=S["bp_batch"].help)
    c[4].number_input("First sample", 0, 399, key="bp_start", help="Which samples the step uses.")
    seed = int(st.session_state.get("bp_seed", 0))
    key = (source, act, loss, seed)
    if own:
        net = pg[0] if st.session_state.get("bp_key") != key else st.session_state["bp_current"]
        data = pg[1]
    else:
        net = preset(source, act, loss, seed) if st.session_state.get("bp_key") != key else \
            st.session_state["bp_current"]
        data = None
    if st.session_state.get("bp_key") != key:
        st.session_state["bp_key"], st.session_state["bp_current"] = key, net
        st.session_state["bp_losses"] = []
    return source, st.session_state["bp_current"], data


def _move(delta: int, names: list[str]) -> None:
    i = names.index(st.session_state.get("bp_phase", names[0])) if st.session_state.get("bp_phase") in names else 0
    st.session_state["bp_phase"] = names[max(0, min(len(names) - 1, i + delta))]


def _take(step: Step) -> None:
    st.session_state["bp_losses"] = [*st.session_state.get("bp_losses", []), step.loss][-200:]
    st.session_state["bp_current"] = step.new_net
    st.session_state["bp_phase"] = phases(len(step.net.weights))[0]


def _new_weights() -> None:
    st.session_state["bp_seed"] = int(st.session_state.get("bp_seed", 0)) + 1


def explain(step: Step, phase: str) -> str:
    """Two or three sentences on what this phase shows."""
    n = len(step.net.weights)
    shown, _, low, update = phase_state(phase, n)
    if phase.startswith("forward"):
        return (f"Forward, layer {shown}: each neuron adds up its inputs times their weights plus its bias "
                f"(z), then applies its activation (a). The numbers under each node are this sample's.")
    if phase == "loss":
        return (f"The loss compares the output score with the target: {step.loss:.4f} on average over the batch. "
                "Training will move every weight a little in the direction that lowers it.")
    if not update:
        return (f"Backward, layer {low}: δ = ∂L/∂z says how much the loss changes when that neuron's z changes. "
                "The chain rule carries it back: each edge's gradient is the δ above it times the activation "
                "below it, checked against a finite difference.")
    return (f"Update: every weight moves against its gradient, w ← w - {step.lr:g} × ∂L/∂w. On this batch the "
            f"loss goes from {step.loss:.4f} to {step.new_loss:.4f}"
            + (" (lower: a step downhill)." if step.new_loss < step.loss else
               " (higher: the learning rate overshoots)."))


def view() -> None:
    source, net, data = controls()
    batch, start = int(st.session_state.get("bp_batch", 1)), int(st.session_state.get("bp_start", 0))
    x, y = _samples(net, source, start, batch, data)
    if st.session_state.get("bp_lr") not in S["bp_lr"].steps:
        st.session_state["bp_lr"] = S.default("bp_lr")
    names = phases(len(net.weights))
    if st.session_state.get("bp_phase") not in names:
        st.session_state["bp_phase"] = names[0]
    bar = st.columns([0.9, 0.9, 4.4, 1.6, 1.3], vertical_alignment="bottom")
    bar[0].button("◀ Back", key="bp_prev", on_click=_move, args=(-1, names), width="stretch")
    bar[1].button("Next ▶", key="bp_next", on_click=_move, args=(1, names), width="stretch", type="primary")
    bar[2].select_slider("Phase", names, key="bp_phase", help="Forward layer by layer, the loss, backward layer "
                         "by layer, the update.")
    lr = bar[3].select_slider("Learning rate", S["bp_lr"].steps, key="bp_lr")
    step = one_step(net, x, y, float(lr))
    bar[4].button("Take this step", key="bp_take", on_click=_take, args=(step,), width="stretch",
                  help="Apply the update and start the next step from the new weights.")
    phase = st.session_state["bp_phase"]
    edges = [(layer, j, i) for layer in range(1, len(net.weights) + 1)
             for j in range(net.weights[layer - 1].shape[0]) for i in range(net.weights[layer - 1].shape[1])]
    label = {e: f"layer {e[0]}: node {e[2] + 1} → node {e[1] + 1}" for e in edges}
    if st.session_state.get("bp_weight") not in edges:
        st.session_state["bp_weight"] = edges[-1]
    left, right = st.columns([1.35, 1])
    with left:
        st.markdown(explain(step, phase))
        st.plotly_chart(step_figure(step, phase, st.session_state["bp_weight"]), key="bp_figure")
        st.caption(f"Sample {start}" + (f" to {start + batch - 1}" if batch > 1 else "") + " of the data; the node "
                   "numbers are the first sample's. Blue positive, orange negative, thicker is larger; the red edge "
                   "is the weight on the right. Hover a node or the dot on an edge for all its numbers.")
    with right:
        chosen = st.selectbox("Chain rule for the weight", edges, key="bp_weight", format_func=label.get)
        st.code("\n".join(chain_rule(step, *chosen)), language=None, wrap_lines=True)
        rows = [{"weight": label[e], "∂L/∂w (backprop)": float(step.grad_w[e[0] - 1][e[1], e[2]]),
                 "finite difference": float(step.numeric_w[e[0] - 1][e[1], e[2]])} for e in edges]
        for r in rows:
            r["difference"] = abs(r["∂L/∂w (backprop)"] - r["finite difference"])
        st.dataframe(rows, hide_index=True, height=min(320, 38 + 35 * len(rows)))
        losses = st.session_state.get("bp_losses", [])
        if losses:
            st.line_chart({"loss before each step": [*losses, step.loss]}, height=160)
        else:
            st.caption("Press **Take this step** to apply the update; the loss of each step taken appears here.")
    st.button("New random weights", key="bp_new", on_click=_new_weights,
              disabled=source not in PRESETS, help="Draw the preset's weights again from a new seed.")
