"""A real network's loss landscape: the Playground's trained network (or one trained here in a moment),
mapped along two filter-normalized random directions (contour and 3D), its training path on the
principal directions of its weight trajectory, the line from its initial to its trained weights,
and a learning-rate range test that suggests a rate. Computed on demand, with a progress bar."""

from __future__ import annotations

import numpy as np
import streamlit as st
import torch

from core.data import DataSpec, load_dataset
from core.learning import network_landscape as NL
from core.learning.fields import SETTINGS as S
from core.learning.network_landscape_viz import contour_figure, interpolation_figure, range_figure, surface_figure
from core.models import build_model, viewer_model
from core.presets import playground_mlp
from core.training import TrainConfig, Trainer
from ui.kit import models

OWN, HERE = "your Playground network", "a network trained here"


def _here(data: str, lr: float, epochs: int) -> tuple:
    """A 2-4-3-1 tanh network trained here (compiled, a fraction of a second), a checkpoint an epoch."""
    ds = load_dataset(DataSpec(data, n_samples=300, noise=0.1, seed=0))
    spec = playground_mlp(2, (4, 3), "tanh", 1)
    model = build_model(spec, seed=0)
    trainer = Trainer(model, ds, TrainConfig(learning_rate=lr))
    trainer.reset()
    states, eps = [NL.params_of(model)], [0]
    for e in range(1, epochs + 1):
        trainer.train_epochs(1)
        if not trainer.params_finite():
            break
        states.append(NL.params_of(model))
        eps.append(e)
    return model, trainer.x_train, trainer.t_train, trainer.objective, states, eps


def _own(got) -> tuple | None:
    view = got.job.poll()
    if view is None or view.snapshot is None or got.job.objective is None or not view.epoch:
        return None
    cps = [c for c in got.job.checkpoints() if c.weights]
    model = viewer_model(got.spec, view.snapshot.state)
    names = {n for n, _ in model.named_parameters()}
    states = [{n: torch.as_tensor(np.asarray(w)).float() for n, w in c.weights.items() if n in names} for c in cps]
    obj = got.job.objective
    return model, got.dataset.x_train, obj.targets(got.dataset.y_train), obj, states, [c.epoch for c in cps]


def _compute(setup: tuple, n: int, span: float) -> dict:
    model, x, t, obj, states, epochs = setup
    bar = st.progress(0.0, text="Mapping the loss around the trained weights…")
    centre = states[-1]
    d1, d2 = NL.filter_normalized(centre, 1), NL.filter_normalized(centre, 2)
    rand = NL.surface(model, x, t, obj, d1, d2, span, n, centre=centre,
                      progress=lambda f: bar.progress(0.6 * f, text="Mapping the loss around the trained weights…"))
    out = {"random": rand}
    if len(states) >= 3:
        tr = NL.trajectory(states, epochs)
        pad = lambda v: (float(v.min()) - 0.2 * (np.ptp(v) + 1e-3), float(v.max()) + 0.2 * (np.ptp(v) + 1e-3))  # noqa: E731
        k = max(11, n // 2)
        out["path"] = tr
        out["pca"] = NL.surface(model, x, t, obj, tr.d1, tr.d2, n=k, centre=centre,
                                limits=(pad(tr.coords[:, 0]), pad(tr.coords[:, 1])),
                                progress=lambda f: bar.progress(0.6 + 0.3 * f, text="Mapping the training path…"))
    bar.progress(0.92, text="The line from the initial weights, and the learning-rate range test…")
    out["line"] = NL.interpolation(model, states[0], centre, x, t, obj)
    out["range"] = NL.lr_range_test(NL.with_params(model, states[0]), x, t, obj, steps=120)
    bar.empty()
    return out


def explain(res: dict) -> list[str]:
    rand, line, rt = res["random"], res["line"], res["range"]
    edge = float(np.median(np.concatenate([rand.loss[0], rand.loss[-1], rand.loss[:, 0], rand.loss[:, -1]])))
    out = [f"At the star the loss is {rand.centre_loss:.3g}; one step of the directions' size away it is typically "
           f"{edge:.3g}: " + ("a wide, flat basin (the trained weights are robust to small changes)."
                              if edge < 3 * rand.centre_loss + 0.05 else
                              "a narrow valley: small changes to the weights cost a lot of loss.")]
    if "path" in res:
        e1, e2 = res["path"].explained
        out.append(f"The training path's two main directions hold {e1:.0%} and {e2:.0%} of how the weights moved: "
                   "it starts far out and settles at the star; a path that zig-zags across the valley took steps too "
                   "long for it.")
    a, losses = line
    bump = bool(np.any(np.diff(losses[(a >= 0) & (a <= 1)]) > 1e-4))
    out.append("Straight from the initial to the trained weights the loss " +
               ("rises on the way before it falls: the path training took was not a straight line."
                if bump else "falls all the way: the valley is reachable in a straight line."))
    out.append(f"The range test raised the learning rate at every step: the loss falls fastest near "
               f"{rt.suggestion:.2g}" + (f" and blows up from {rt.diverged_at:.2g}" if rt.diverged_at else "")
               + "; a rate a little below the fastest fall is a good start.")
    return out


def view() -> None:
    got = models.trained("playground")
    options = ([OWN] if got is not None else []) + [HERE]
    if st.session_state.get("nl_source") not in options:
        st.session_state["nl_source"] = options[0]
    c = st.columns([1.4, 1, 1.2, 0.9, 0.9, 0.9], vertical_alignment="bottom")
    source = c[0].selectbox("Network", options, key="nl_source",
                            help="Your Playground network with its checkpoints, or a small 2-4-3-1 network trained "
                                 "here on the data and learning rate you choose.")
    here = source == HERE
    data = c[1].selectbox("Data", S["nl_data"].choices, key="nl_data", disabled=not here)
    rate = S["nl_lr"]
    if st.session_state.get("nl_lr") not in rate.steps:
        st.session_state["nl_lr"] = rate.default
    lr = c[2].select_slider("Learning rate", rate.steps, key="nl_lr", disabled=not here, help=rate.help)
    epochs = c[3].selectbox("Epochs", [30, 100, 300], index=1, key="nl_epochs", disabled=not here)
    n = c[4].selectbox("Grid", [21, 31, 41], index=1, key="nl_grid", help="Points per side of the map.")
    span = c[5].selectbox("Span", [0.5, 1.0, 2.0], index=1, key="nl_span",
                          help="How far the map reaches, in units of each layer's own weight size.")
    key = (source, data, lr, epochs, n, span) if here else (source, id(got.job), got.job.poll().epoch, n, span)
    st.button("Map the landscape", key="nl_go", type="primary",
              on_click=lambda: st.session_state.__setitem__("nl_wanted", True))
    if st.session_state.pop("nl_wanted", False):  # a callback's flag: kept if the page runs again first
        setup = _here(data, float(lr), int(epochs)) if here else _own(got)
        if setup is None:
            st.warning("Train your Playground network a little first (press Play there), then come back.")
        else:
            st.session_state["nl_result"] = (key, _compute(setup, int(n), float(span)))
    cached = st.session_state.get("nl_result")
    if cached is None or cached[0] != key:
        st.info("Press **Map the landscape**: the loss is computed at every point of a grid around the trained "
                "weights (a few seconds at most).")
        return
    res = cached[1]
    for sentence in explain(res):
        st.markdown(sentence)
    left, right = st.columns(2)
    left.plotly_chart(contour_figure(res["random"]), key="nl_contour")
    left.caption("The loss around the trained weights (the star) along two random directions, each scaled filter "
                 "by filter to the weights' own size (Li et al. 2018). Darker is lower.")
    right.plotly_chart(surface_figure(res["random"]), key="nl_surface")
    right.caption("The same map as a surface: drag to turn it.")
    if "pca" in res:
        left.plotly_chart(contour_figure(res["pca"], res["path"].coords, res["path"].epochs,
                                         ("main direction of the path", "second direction")), key="nl_path")
        left.caption("The training path projected on the two directions the weights moved most, over the loss on "
                     "that plane; hover a point for its epoch.")
    right.plotly_chart(interpolation_figure(*res["line"]), key="nl_line")
    right.caption("The loss on the straight line through the initial (0) and trained (1) weights.")
    right.plotly_chart(range_figure(res["range"]), key="nl_range")
    right.caption("Learning-rate range test: plain SGD from the initial weights, the rate growing exponentially "
                  "at every step; the dashed line is the suggested rate.")
