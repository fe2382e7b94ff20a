"""Train: the chosen ways (from scratch, frozen backbone, fine-tuned) trained live side by side on the
student's images, their held-out accuracy over the epochs, and two or three sentences on what is seen.
The learning rate changes in the running job; new images or settings start a new one."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

import streamlit as st

from core.data.augment import OPS
from core.training import Job, TrainConfig, make_job
from core.transfer.fields import SETTINGS as S
from core.transfer.images import ImageSet
from core.transfer.model import BACKBONES, MODES
from core.transfer.trainer import TransferCompare, TransferSpec
from core.transfer.viz import MODE_COLORS, accuracy_curves
from core.viz.panels import lines
from ui.kit import links
from ui.kit import models as zoo
from ui.kit.fieldmap import widget_defaults
from ui.kit.job_slot import JobSlot
from ui.kit.live import NARROW_BAR, LiveLab, play_bar
from ui.kit.panels import show

KEY = "tl_train_state"
EPOCHS = 40


@dataclass
class Side:
    slot: JobSlot = field(default_factory=JobSlot)
    spec: TransferSpec = field(default_factory=TransferSpec)
    images: ImageSet | None = None


def state() -> Side:
    if KEY not in st.session_state:
        st.session_state[KEY] = Side()
    return st.session_state[KEY]


DEFAULTS = widget_defaults(S)  # (key, default, the values its control offers or None), from the settings table


def defaults() -> None:
    for k, v, opts in DEFAULTS:
        if k not in st.session_state or (opts is not None and st.session_state[k] not in opts):
            st.session_state[k] = v
    st.session_state["tl_modes"] = [m for m in st.session_state["tl_modes"] if m in MODES] or list(MODES)
    st.session_state["tl_augment"] = [a for a in st.session_state["tl_augment"] if a in OPS]


def backbone() -> tuple[str, dict | None]:
    """TinyVGG always; ResNet-18 when its ImageNet weights can be had (else a sentence saying why not)."""
    ok, why = zoo.resnet_status()
    choice = st.radio("Backbone", list(BACKBONES), key="tl_backbone", format_func=BACKBONES.get, horizontal=True,
                      help=S["backbone"].help)
    if choice == "resnet18" and not ok:
        st.warning(why, icon=":material/cloud_off:")
        st.session_state["tl_backbone"] = "tinyvgg"
        return "tinyvgg", None
    if choice == "resnet18":
        return "resnet18", zoo.model("resnet18").model.state_dict()
    return "tinyvgg", None


def controls(hide: set[str]) -> tuple[TransferSpec, dict | None]:
    defaults()
    modes = st.pills("Ways, trained side by side", list(MODES), selection_mode="multi", key="tl_modes",
                     format_func=MODES.get, help=S["modes"].help) or list(MODES)
    with st.popover("Training", width="stretch"):
        if "training" in hide:
            per, aug, lr = (links.keep(k, st.session_state[k])
                            for k in ("tl_per_class", "tl_augment", "tl_learning_rate"))
            st.caption("Training is set by the link.")
        else:
            per = st.select_slider("Images per class to learn from", S["per_class"].steps, key="tl_per_class",
                                   format_func=lambda k: "all" if k == 0 else str(k), help=S["per_class"].help)
            aug = st.pills("Augmentations", list(OPS), selection_mode="multi", key="tl_augment",
                           format_func=lambda o: OPS[o][0], help=S["augment"].help)
            lr = st.select_slider("Learning rate", S["learning_rate"].steps, key=S.key("learning_rate"),
                                  help=S["learning_rate"].help)
        name, state_dict = backbone()
    st.caption(f"{'all' if not per else per} images per class" + (f", {len(aug)} augmentations" if aug else "")
               + f", learning rate {lr:g}, {BACKBONES[name].split(' (')[0]}.")
    return TransferSpec(int(per), tuple(m for m in MODES if m in modes), tuple(aug), float(lr), backbone=name), \
        state_dict


def ensure(side: Side, spec: TransferSpec, images: ImageSet, version: int, resnet_state: dict | None) -> Job:
    key = (spec.with_(learning_rate=1.0), version)
    job = side.slot.ensure(key, lambda initial: make_job(
        partial(TransferCompare, spec, images, resnet_state), config=TrainConfig(max_epochs=EPOCHS),
        snapshot_every_s=0.5, **({"initial_state": initial} if initial else {})))
    live = job.poll().live
    if live.get("learning_rate") is not None and live["learning_rate"] != spec.learning_rate:
        job.set(learning_rate=spec.learning_rate)
    side.spec, side.images = spec, images
    return job


def explain(view, spec: TransferSpec, images: ImageSet) -> str:
    k = len(images.classes)
    if not view.epoch:
        return (f"Press Play: {', '.join(MODES[m].lower() for m in spec.modes)} learn your {k} classes from the same "
                f"images. Chance is {1 / k:.0%}.")
    h = view.history
    accs = {m: float(h[f"{m}_test_acc"][-1]) for m in spec.modes}
    text = (f"After {view.epoch} epochs, on the held-out images: "
            + ", ".join(f"{MODES[m].lower()} {a:.0%}" for m, a in accs.items()) + f" (chance {1 / k:.0%}).")
    if "frozen" in accs and "scratch" in accs and accs["frozen"] > accs["scratch"] + 0.1:
        text += (" The frozen backbone already knows edges, corners and shapes from its pretraining; with so few "
                 "images, learning only which of those features mean which class is easier than learning the "
                 "features themselves.")
    elif "scratch" in accs and accs["scratch"] >= max(accs.values()) - 0.02 and view.epoch > 10:
        text += " Here training from scratch keeps up: these images differ from what the backbone was trained on."
    return text


def _draw(live: bool) -> None:
    side = state()
    view = side.slot.job.poll()
    spec, images = side.spec, side.images
    play_bar(LIVE, view, extra=f"{len(spec.modes)} ways, {len(images.classes)} classes")
    with st.container(key="tl_curves"):
        if view.epoch:
            h = view.history
            if live:
                show([lines(h["epoch"], [(MODES[m], h[f"{m}_test_acc"], MODE_COLORS[m]) for m in spec.modes],
                            "Held-out accuracy", percent=True)], "tl_curves_live", stamp=view.epoch)
            else:
                st.plotly_chart(accuracy_curves(h, spec.modes, MODES), key="tl_curve_chart")
    st.markdown(explain(view, spec, images))


LIVE = LiveLab("tl", slot=lambda: state().slot, draw=_draw, main_s=0.6, bar=NARROW_BAR)
