"""Data augmentation on images: the chosen augmentations previewed on sample images with the random
parameters drawn, then a small CNN trained on a few images per class with and without them, side by
side, live, and the test accuracies compared."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

import streamlit as st
import torch

from core.data import DataSpec, load_dataset
from core.data.augment import OPS, augment
from core.data.dataset import Dataset
from core.data.zip_images import read_image_zip
from core.generalization.augment import AugSpec, compare_trainer
from core.generalization.fields import SETTINGS as S
from core.generalization.viz import enlarge, to_rgb, variant_curves
from core.training import Job, TrainConfig, make_job
from core.viz.colors import BLUE
from core.viz.panels import lines
from ui.kit.job_slot import JobSlot
from ui.kit.live import NARROW_BAR, LiveLab, play_bar
from ui.kit.panels import show
from ui.kit.text import plain

KEY = "gen_aug_state"
SOURCES = {"digits": "Handwritten digits 8×8", "objects": "Generated objects 32×32", "zip": "Your images (zip)"}
COLORS, LABELS = {"plain": "#333333", "augmented": BLUE}, {"plain": "Without", "augmented": "With augmentation"}
EPOCHS_PER_S = 20.0


@dataclass
class Aug:
    slot: JobSlot = field(default_factory=JobSlot)
    spec: AugSpec = field(default_factory=AugSpec)
    source: str = "digits"
    zip_data: Dataset | None = None
    zip_name: str = ""


def state() -> Aug:
    if KEY not in st.session_state:
        st.session_state[KEY] = Aug()
    return st.session_state[KEY]


@st.cache_resource(show_spinner="Making the images…")
def _builtin(name: str) -> Dataset:
    if name == "objects":
        return load_dataset(DataSpec("objects", n_samples=1200, train_fraction=0.7, image_size=32))
    return load_dataset(DataSpec("digits", train_fraction=0.7))


def _zip(aug: Aug) -> None:
    up = st.file_uploader("A zip with one folder of images per class", type=["zip"], key="gen_zip")
    if up is None or up.name == aug.zip_name:
        return
    try:
        ds, notes = read_image_zip(up.getvalue(), size=32, channels=3, train_fraction=0.7)
    except ValueError as exc:
        st.error(f"That zip cannot be used: {plain(exc)}", icon="⚠️")  # the images already loaded stay
        return
    aug.zip_data, aug.zip_name = ds, up.name
    for note in notes:
        st.caption(note)


def controls() -> tuple[Dataset | None, AugSpec]:
    aug = state()
    if st.session_state.get("gen_aug_data") not in SOURCES:
        st.session_state["gen_aug_data"] = "digits"
    if "gen_aug" not in st.session_state:
        st.session_state["gen_aug"] = list(S.default("aug"))
    if "gen_per_class" not in st.session_state:
        st.session_state["gen_per_class"] = S.default("per_class")
    source = st.selectbox("Images", list(SOURCES), key="gen_aug_data", format_func=SOURCES.get)
    ops = st.pills("Augmentations", list(OPS), selection_mode="multi", key="gen_aug",
                     format_func=lambda o: OPS[o][0], wrap=True, help=S["aug"].help)
    per_class = st.slider("Training images per class", int(S["per_class"].lo), int(S["per_class"].hi),
                          key="gen_per_class", help=S["per_class"].help)
    if source == "zip":
        _zip(aug)
    ds = aug.zip_data if source == "zip" else _builtin(source)
    spec = AugSpec(tuple(o for o in OPS if o in (ops or [])) or ("crop",), int(per_class))
    return ds, spec


def _redraw() -> None:
    st.session_state["gen_aug_seed"] = int(st.session_state.get("gen_aug_seed", 0)) + 1


def preview(ds: Dataset, spec: AugSpec) -> None:
    """Four training images, each with three augmented draws and the parameters drawn."""
    c = st.columns([4, 1])
    c[0].markdown(f"**What the network sees instead**: each row is one image and three random versions of it "
                  f"({', '.join(OPS[o][0].lower() for o in spec.ops)}), labels unchanged.")
    c[1].button("New draws", icon=":material/casino:", key="gen_aug_redraw", on_click=_redraw)
    gen = torch.Generator().manual_seed(int(st.session_state.get("gen_aug_seed", 0)))
    idx = torch.randperm(len(ds.x_train), generator=gen)[:4]
    x = ds.x_train[idx]
    for i in range(len(x)):
        cols = st.columns(4)
        name = ds.class_names[int(ds.y_train[idx[i]])]
        cols[0].image(enlarge(to_rgb(x[i].numpy())), width=110, caption=f"original: {name}")
        for k in range(3):
            out, drawn = augment(x[i:i + 1], spec.ops, gen)
            cols[k + 1].image(enlarge(to_rgb(out[0].numpy())), width=110, caption="; ".join(drawn[0]))


def ensure(aug: Aug, ds: Dataset, spec: AugSpec, source: str) -> Job:
    key = (spec, source, aug.zip_name if source == "zip" else "")
    job = aug.slot.ensure(key, lambda initial: make_job(partial(compare_trainer, spec, ds, EPOCHS_PER_S),
                                                        config=TrainConfig(max_epochs=spec.epochs),
                                                        snapshot_every_s=0.3))
    aug.spec, aug.source = spec, source
    return job


def explain(h: dict, epoch: int) -> str:
    if not epoch:
        return ("Press Play: two copies of the same small CNN start from the same weights on the same few images. "
                "One always sees the images as they are; the other new random versions at every step.")
    p, a = float(h["plain_test_acc"][-1]), float(h["augmented_test_acc"][-1])
    pt, at = float(h["plain_train_acc"][-1]), float(h["augmented_train_acc"][-1])
    text = (f"After {epoch} epochs: without augmentation {pt:.0%} of the training images and {p:.0%} of the test "
            f"images are right; with it {at:.0%} and {a:.0%}.")
    if a > p + 0.01:
        text += (" The augmented network learned what stays the same when the image shifts or turns, not the "
                 "exact pixels.")
    elif p > a + 0.01:
        text += (" Here augmentation hurts: some of these changes turn an image into something it is not (a "
                 "mirrored digit), or the network needs more epochs to fit the harder images.")
    return text


def _draw(live: bool) -> None:
    aug = state()
    view = aug.slot.job.poll()
    play_bar(LIVE, view, extra=f"{aug.spec.per_class} images per class, {aug.spec.epochs} epochs")
    st.markdown(explain(view.history, view.epoch))
    h = view.history
    if not view.epoch:
        return
    if live:
        show([lines(h["epoch"], [(f"{LABELS[v]} ({part})", h[f"{v}_{part}_acc"], COLORS[v] if part == "test"
                                  else ("#999999" if v == "plain" else "#8fbce6")) for v in LABELS
                                 for part in ("train", "test")], "Accuracy", percent=True)],
             "gaug_curves_live", stamp=view.epoch)
    else:
        st.plotly_chart(variant_curves(h, list(LABELS), LABELS, COLORS, "acc"), key="gen_aug_curves")


LIVE = LiveLab("gaug", slot=lambda: state().slot, draw=_draw, main_s=0.5, bar=NARROW_BAR)
