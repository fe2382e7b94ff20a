"""GANs, trained live: on a 2D target (with the student's own clicked points), or on small images. The
controls (target, loss and the variants beside it, networks, k, learning rates, which network trains),
the job (every variant side by side from one seed), and the live views: real and generated points over
the discriminator with the generator's push, or a grid of generated images; the losses, the distance
and the modes covered."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

import numpy as np
import streamlit as st

from core.generative.data import GAN_TARGETS, MAX_POINTS
from core.generative.fields import GAN_HIDDEN
from core.generative.fields import SETTINGS as S
from core.generative.gan import LOSSES
from core.generative.gan_trainer import IMAGES, OPTIMIZERS, GanCompare, GanSpec
from core.generative.viz import gan_curves, gan_figure, gan_panel, points_figure, variants_figure
from core.training import Job, TrainConfig, make_job
from core.viz.images import image_row
from core.viz.panels import lines, raster
from core.viz.raster import image_bytes
from ui.kit import links
from ui.kit.fieldmap import widget_defaults
from ui.kit.header import presenting
from ui.kit.job_slot import JobSlot
from ui.kit.live import NARROW_BAR, LiveLab, play_bar
from ui.kit.panels import show

KEY = "gan_train_state"
EPOCHS = 300
TRAIN = {0: "Both", 1: "D only", 2: "G only"}


@dataclass
class Side:
    slot: JobSlot = field(default_factory=JobSlot)
    spec: GanSpec = field(default_factory=GanSpec)


def state(image: bool = False) -> Side:
    key = KEY + ("_img" if image else "")
    if key not in st.session_state:
        st.session_state[key] = Side(spec=GanSpec("digits", noise=16, g_hidden=(256,), d_hidden=(256,),
                                                  lr_g=0.0003, lr_d=0.0003, iters=20) if image else GanSpec())
    return st.session_state[key]


# the settings table's defaults (key, default, what its control offers), then the page's own state
DEFAULTS = (*widget_defaults(S, part="gan_"), ("gan_train", 0, tuple(TRAIN)), ("gan_points", [], None))


def defaults() -> None:
    for k, v, opts in DEFAULTS:
        if k not in st.session_state or (opts is not None and st.session_state[k] not in opts):
            st.session_state[k] = v
    st.session_state["gan_k"] = min(10, max(1, int(st.session_state["gan_k"])))
    st.session_state["gan_noise"] = min(16, max(1, int(st.session_state["gan_noise"])))
    st.session_state["gan_compare"] = [v for v in st.session_state["gan_compare"] if v in LOSSES]


def _points() -> tuple[tuple[float, float], ...]:
    """The student's own target: click the plane to add a point (each becomes a small Gaussian)."""
    pts = st.session_state["gan_points"]
    event = st.plotly_chart(points_figure(pts), key="gan_points_chart", on_select="rerun", selection_mode="points")
    chosen = (event or {}).get("selection", {}).get("points", []) if event else []
    for p in chosen:
        xy = (round(float(p["x"]), 2), round(float(p["y"]), 2))
        if xy not in pts and len(pts) < MAX_POINTS:
            pts.append(xy)
    st.button("Clear the points", key="gan_points_clear", on_click=pts.clear)
    st.caption(f"{len(pts)} point{'s' if len(pts) != 1 else ''}: click the plane to add up to {MAX_POINTS}.")
    return tuple(tuple(p) for p in pts)


def controls(hide: set[str], image: bool) -> GanSpec:
    defaults()
    points: tuple[tuple[float, float], ...] = ()
    if image:
        target = st.selectbox("Images", list(IMAGES), key="gan_images", format_func=IMAGES.get)
    elif "data" in hide:
        target = links.keep("gan_target", st.session_state["gan_target"])
    else:
        target = st.selectbox("Target", list(GAN_TARGETS), key="gan_target", format_func=GAN_TARGETS.get,
                              help=S["gan_target"].help)
        if target == "custom":
            points = _points()
    loss = st.selectbox("Loss", list(LOSSES), key="gan_loss", format_func=LOSSES.get, help=S["gan_loss"].help)
    compare = [] if image else st.pills("Beside it, the same GAN with", [v for v in LOSSES if v != loss],
                                        selection_mode="multi", key="gan_compare", format_func=LOSSES.get) or []
    c = st.columns(2)
    base = state(image).spec
    with c[0].popover("Networks", width="stretch"):
        if "network" in hide or image:
            noise, gh, dh = base.noise, base.g_hidden, base.d_hidden
            st.caption("Image GAN: noise 16, one hidden layer of 256 units each." if image else "Set by the link.")
        else:
            noise = st.slider("Noise numbers per sample", int(S["gan_noise"].lo), int(S["gan_noise"].hi),
                              key="gan_noise")
            gh = GAN_HIDDEN[st.selectbox("Generator hidden layers", list(GAN_HIDDEN), key="gan_g")]
            dh = GAN_HIDDEN[st.selectbox("Discriminator hidden layers", list(GAN_HIDDEN), key="gan_d")]
    with c[1].popover("Training", width="stretch"):
        optimizer = st.selectbox("Optimizer (both networks)", OPTIMIZERS, key="gan_optimizer",
                                 format_func=str.capitalize)
        k = st.slider("D steps per G step (k)", int(S["gan_k"].lo), int(S["gan_k"].hi), key="gan_k",
                      help=S["gan_k"].help)
        lr_g = st.select_slider("Generator learning rate", S["gan_lr_g"].steps, key="gan_lr_g",
                                help=S["gan_lr_g"].help)
        lr_d = st.select_slider("Discriminator learning rate", S["gan_lr_d"].steps, key="gan_lr_d")
    return base.with_(target=target, points=points, loss=loss, losses=tuple(compare), noise=int(noise),
                      g_hidden=tuple(gh), d_hidden=tuple(dh), k=int(k), optimizer=optimizer, lr_g=float(lr_g),
                      lr_d=float(lr_d))


def train_control() -> int:
    return int(st.segmented_control("Train", list(TRAIN), key="gan_train", format_func=TRAIN.get,
                                    help="GAN Lab's step buttons: pause, choose D only or G only, and press Step to "
                                         "train just that network for one epoch.") or 0)


def ensure(side: Side, spec: GanSpec, train: int) -> Job:
    key = spec.with_(lr_g=0.001)
    job = side.slot.ensure(key, lambda initial: make_job(
        partial(GanCompare, spec), config=TrainConfig(max_epochs=2 * EPOCHS if spec.image else EPOCHS),
        snapshot_every_s=0.3,
        **({"initial_state": initial} if initial else {})))
    live = job.poll().live
    want = {"learning_rate": spec.lr_g, "train": float(train)}
    changed = {k: v for k, v in want.items() if live.get(k) is not None and live[k] != v}
    if changed:
        job.set(**changed)
    side.spec = spec
    return job


def explain(view, spec: GanSpec) -> str:
    if not view.epoch:
        return ("Press Play. The generator (G) turns random noise into points; the discriminator (D) learns to tell "
                "them from the real ones, and G follows D's gradient towards what D calls real.")
    h, v = view.history, spec.loss
    text = (f"After {view.epoch} epochs: D's loss {float(h[f'{v}_d_loss'][-1]):.3f}, "
            f"G's {float(h[f'{v}_g_loss'][-1]):.3f}; distance to the real data "
            f"{float(h[f'{v}_distance'][-1]):.3f} (energy distance, 0 = the same).")
    if f"{v}_modes" in h:
        modes = int(h[f"{v}_modes"][-1])
        text += f" Modes covered: {modes}."
        if modes <= 2 and view.epoch > 20:
            text += (" If that stays low while the points crowd into one or two blobs, that is **mode collapse**: "
                     "G found a few outputs D accepts and stopped exploring.")
    return text


def _draw(live: bool) -> None:
    side = state()
    view = side.slot.job.poll()
    spec = side.spec
    play_bar(LIVE, view, extra=LOSSES[spec.loss] + (f" + {len(spec.losses)} beside" if spec.losses else ""))
    maps = view.snapshot.plane if view.snapshot is not None else None
    left, right = st.columns([1.15, 1])
    with left.container(key="gan_plane"):
        if maps:
            if live:  # as wide as a projector's height leaves room for
                show([gan_panel(maps["_main"], max_w=300 if presenting() else 440)], "gan_plane_live", stamp=view.epoch)
            else:
                st.plotly_chart(gan_figure(maps["_main"]), key="gan_plane_chart")
    with right.container(key="gan_curves"):
        if view.epoch:
            if live:
                h = view.history
                series = [(LOSSES[v], np.asarray(h[f"{v}_distance"], float), c) for v, c in
                         zip(dict.fromkeys((spec.loss, *spec.losses)), ("#ff7f0e", "#1f77b4", "#2ca02c", "#d62728",
                                                                        "#9467bd"))]
                show([lines(h["epoch"], series, "Distance to the real data", height=220)], "gan_curves_live",
                     stamp=view.epoch)
            else:
                st.plotly_chart(gan_curves(view.history, tuple(dict.fromkeys((spec.loss, *spec.losses))), LOSSES),
                                key="gan_curve_chart")
    st.markdown(explain(view, spec))
    if maps and spec.losses and not live:
        st.plotly_chart(variants_figure(maps, LOSSES), key="gan_variants_chart")


LIVE = LiveLab("gan", slot=lambda: state().slot, draw=_draw, main_s=0.5, bar=NARROW_BAR)


def _draw_images(live: bool) -> None:
    side = state(True)
    view = side.slot.job.poll()
    spec = side.spec
    play_bar(LIVE_IMAGES, view, extra=f"{IMAGES[spec.target]}, {LOSSES[spec.loss]}")
    maps = view.snapshot.plane["_main"] if view.snapshot is not None and view.snapshot.plane else None
    left, right = st.columns([1, 1])
    with left.container(key="gim_samples"):
        if maps:
            scale = 12 if spec.target == "digits" else 6
            show([raster(image_row(maps["samples"], scale, per_row=4), "",
                         caption="16 samples from the same fixed noise: the generator's output now.")],
                 "gim_samples_live", stamp=view.epoch)
    with right.container(key="gim_curves"):
        if view.epoch:
            h, v = view.history, spec.loss
            series = [("D's loss", h[f"{v}_d_loss"], "#1f77b4"), ("G's loss", h[f"{v}_g_loss"], "#ff7f0e")]
            show([lines(h["epoch"], series, "Losses", height=220)], "gim_curves_live", stamp=view.epoch)
    if maps and len(maps["grids"]) and not live:
        st.caption("The same noise over training (epochs " + ", ".join(str(int(e)) for e in maps["grid_epochs"])
                   + "): blobs become strokes.")
        st.image(image_bytes(image_row(np.stack([g[i] for g in maps["grids"] for i in range(8)]), 4, per_row=8)),
                 caption="Each row: one epoch, the first 8 samples.")
    st.markdown("The generator never sees a real image: all it learns comes through the discriminator's gradient. "
                "Early samples are noise, then blurry averages, then strokes." if view.epoch else
                "Press Play: a generator and a discriminator of one hidden layer each train on the real images.")


LIVE_IMAGES = LiveLab("gim", slot=lambda: state(True).slot, draw=_draw_images, main_s=0.6, bar=NARROW_BAR)
