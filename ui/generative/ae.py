"""The autoencoder, trained live: controls (data, bottleneck, dense or convolutional, VAE, denoising; for
anomaly detection, the class left out of training), the job, and the live view: the curves and the test
set's codes in the plane, a picture while it trains and a clickable chart when paused."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache, partial

import streamlit as st

from core.generative.ae_trainer import AETrainer
from core.generative.autoencoder import OPTIMIZERS, AESpec
from core.generative.data import AE_SETS, AEData, ae_data
from core.generative.fields import AE_HIDDEN
from core.generative.fields import SETTINGS as S
from core.training import Job, TrainConfig, make_job
from core.viz.embedding import code_figure, code_panel
from ui.kit import links
from ui.kit.fieldmap import widget_defaults
from ui.kit.header import presenting
from ui.kit.job_slot import JobSlot
from ui.kit.live import LOSS, NARROW_BAR, LiveLab, curves, play_bar
from ui.kit.panels import show

KEY = "ae_train_state"
EPOCHS = 300


@dataclass
class Side:
    slot: JobSlot = field(default_factory=JobSlot)
    spec: AESpec = field(default_factory=AESpec)
    anomaly: bool = False


def state() -> Side:
    if KEY not in st.session_state:
        st.session_state[KEY] = Side()
    return st.session_state[KEY]


@lru_cache(maxsize=6)
def data_for(spec: AESpec) -> AEData:
    """The data the job trains on (made from the same seed)."""
    return ae_data(spec.data, spec.normal, spec.seed)


@lru_cache(maxsize=8)
def classes_of(name: str) -> tuple[str, ...]:
    return ae_data(name).classes


DEFAULTS = widget_defaults(S, part="ae_")  # (key, default, what its control offers), from the settings table


def defaults() -> None:
    for k, v, opts in DEFAULTS:
        if k not in st.session_state or (opts is not None and st.session_state[k] not in opts):
            st.session_state[k] = v
    st.session_state["ae_bottleneck"] = min(16, max(1, int(st.session_state["ae_bottleneck"])))
    n = len(classes_of(st.session_state["ae_data"]))
    st.session_state["ae_left_out"] = min(max(0, int(st.session_state["ae_left_out"])), n - 1)
    if st.session_state["ae_data"] not in ("digits", "objects"):
        st.session_state["ae_conv"] = False


def controls(hide: set[str], anomaly: bool) -> AESpec:
    defaults()
    if "data" in hide:
        name = links.keep("ae_data", st.session_state["ae_data"])
    else:
        name = st.selectbox("Data", list(AE_SETS), key="ae_data", format_func=AE_SETS.get)
    classes = classes_of(name)
    normal: tuple[int, ...] = ()
    if anomaly:
        left = st.selectbox("Class left out of training (the anomaly)", range(len(classes)), key="ae_left_out",
                            format_func=lambda c: classes[c], help=S["ae_left_out"].help)
        normal = tuple(c for c in range(len(classes)) if c != left)
    b = S["ae_bottleneck"]
    bottleneck = st.slider("Bottleneck (numbers per input)", int(b.lo), int(b.hi), key="ae_bottleneck", help=b.help)
    c = st.columns(2)
    with c[0].popover("Network", width="stretch"):
        if "network" in hide:
            hidden, conv, vae, beta, denoise = (links.keep(k, st.session_state[k]) for k in
                                                ("ae_hidden", "ae_conv", "ae_vae", "ae_beta", "ae_denoise"))
            st.caption("The network is set by the link.")
        else:
            hidden = st.selectbox("Hidden layers (encoder; the decoder mirrors them)", list(AE_HIDDEN),
                                  key="ae_hidden")
            conv = st.toggle("Convolutional", key="ae_conv", disabled=name not in ("digits", "objects"),
                             help=S["ae_conv"].help)
            vae = st.toggle("Variational (VAE)", key="ae_vae", help=S["ae_vae"].help)
            beta = st.select_slider("KL weight β", S["ae_beta"].steps, key="ae_beta", disabled=not vae)
            denoise = st.select_slider("Denoising: noise added to inputs", S["ae_denoise"].steps, key="ae_denoise",
                                       help=S["ae_denoise"].help)
    with c[1].popover("Training", width="stretch"):
        optimizer = st.selectbox("Optimizer", OPTIMIZERS, key="ae_optimizer", format_func=str.capitalize)
        lr = st.select_slider("Learning rate", S["ae_learning_rate"].steps, key="ae_learning_rate",
                              help=S["ae_learning_rate"].help)
    kind = ("convolutional " if conv else "") + ("VAE" if vae else "autoencoder")
    st.caption(f"{kind}, bottleneck {bottleneck}" + (f", denoising σ {denoise:g}" if denoise else "") + ".")
    return AESpec(name, normal, int(bottleneck), AE_HIDDEN[hidden], bool(conv), bool(vae), float(beta), float(denoise),
                  optimizer, float(lr))


def ensure(side: Side, spec: AESpec, anomaly: bool) -> Job:
    key = spec.with_(learning_rate=1.0)
    job = side.slot.ensure(key, lambda initial: make_job(
        partial(AETrainer, spec), config=TrainConfig(max_epochs=EPOCHS), snapshot_every_s=0.3,
        **({"initial_state": initial} if initial else {})))
    live = job.poll().live
    if live.get("learning_rate") is not None and live["learning_rate"] != spec.learning_rate:
        job.set(learning_rate=spec.learning_rate)
    side.spec, side.anomaly = spec, anomaly
    return job


def explain(view, spec: AESpec, data: AEData) -> str:
    if not view.epoch:
        return (f"Press Play: the encoder squeezes each of the {data.dim} numbers of an input into {spec.bottleneck}, "
                "the decoder rebuilds the input from them. On the right, every test input at its code, coloured by "
                "class: the network was never told the classes.")
    h = view.history
    text = (f"After {view.epoch} epoch{'s' if view.epoch != 1 else ''}: the test inputs are rebuilt with a mean "
            f"squared error of {float(h['test_loss'][-1]):.4f} (from {float(h['test_loss'][0]):.4f} at the start).")
    if "auc" in h:
        text += (f" Rebuilding badly flags the class it never saw: ROC area {float(h['auc'][-1]):.2f} "
                 "(0.5 is a coin toss, 1 perfect).")
    elif spec.bottleneck <= 3:
        text += " Classes that land in their own patch of the plane are ones the code learned to tell apart."
    return text


def _draw(live: bool) -> None:
    side = state()
    view = side.slot.job.poll()
    spec = side.spec
    data = data_for(spec)
    play_bar(LIVE, view, extra=f"bottleneck {spec.bottleneck}")
    left, right = st.columns([1, 1.3])
    with left.container(key="ae_curves"):
        curves(view, (LOSS,), "ae")
    plane = view.snapshot.plane if view.snapshot is not None else None
    with right.container(key="ae_codes"):
        if plane:
            title = "Test inputs at their codes" + (" (2 main directions)" if spec.bottleneck > 2 else "")
            labels = data.y_test.numpy()
            if live:
                show([code_panel(plane["plane"], labels, data.classes, title, max_w=380 if presenting() else 520)],
                     "ae_codes_live", stamp=view.epoch)  # its legend stays on a projector's first screen
            else:
                marked = st.session_state.get("ae_decode_at")
                event = st.plotly_chart(code_figure(plane["plane"], labels, data.classes, title + ": click to decode",
                                                    marked=marked), key="ae_code_chart", on_select="rerun",
                                        selection_mode="points")
                points = (event or {}).get("selection", {}).get("points", []) if event else []
                if points:
                    st.session_state["ae_decode_at"] = (float(points[-1]["x"]), float(points[-1]["y"]))
    st.markdown(explain(view, spec, data))


LIVE = LiveLab("ae", slot=lambda: state().slot, draw=_draw, main_s=0.5, bar=NARROW_BAR)
