"""Below the live view, from the weights trained so far: per-class accuracy, the confusion matrix with the
held-out images in each cell, the backbone's features of every image projected to 2D (PCA), a new photo
or upload classified by each way, the trained network saved (experiment file, PyTorch code) and opened
in the Explain lab."""

from __future__ import annotations

import numpy as np
import streamlit as st
import torch

from core import experiment
from core.data import DataSpec
from core.data.dataset import Dataset
from core.export import pytorch_code
from core.inspect import pca_2d
from core.training import TrainConfig
from core.transfer.images import read_upload, split
from core.transfer.model import MODES, build, features
from core.transfer.trainer import confusion
from core.transfer.viz import confusion_figure, per_class_figure, probs_figure
from core.viz.embedding import code_figure
from core.viz.images import image_row
from core.viz.raster import image_bytes
from core.zoo.shipped import ShippedModel
from ui.kit import models as zoo
from ui.transfer.train import state


def model_now(mode: str):
    return zoo.current(state().slot.job, "tl_model").variants[mode]


def _test_images():
    side = state()
    _, test = split(side.images, side.spec.per_class or None, side.spec.test_share, side.spec.seed)
    return side.images.images[test]


def confusion_cells(plane: dict) -> None:
    side = state()
    classes = side.images.classes
    mode = st.segmented_control("Way", list(side.spec.modes), key="tl_cm_mode", format_func=MODES.get,
                                default=side.spec.modes[-1]) or side.spec.modes[-1]
    probs, labels = plane[mode], plane["labels"]
    a, b = st.columns([1, 1.2])
    a.plotly_chart(confusion_figure(confusion(probs, labels, len(classes)), classes, f"Confusion: {MODES[mode]}"),
                   key="tl_confusion")
    with b:
        st.caption("The held-out images in each cell (row: true class, then what it was taken for):")
        x, pred = _test_images(), probs.argmax(1)
        for t in range(len(classes)):
            for p in range(len(classes)):
                idx = np.flatnonzero((labels == t) & (pred == p))[:6]
                if len(idx):
                    mark = "✓" if t == p else "✗"
                    st.image(image_bytes(image_row(x[idx].numpy(), 1, 2)),
                             caption=f"{mark} {classes[t]} → {classes[p]} ({int(((labels == t) & (pred == p)).sum())})")


def feature_map() -> None:
    """Every image's backbone features (the pretrained one: what the frozen way reads), on their 2 main axes."""
    side = state()
    key = ("tl_pca", id(side.images))
    if st.session_state.get("tl_pca_key") != key:
        f = features(build("frozen", len(side.images.classes)), side.images.images).numpy()
        st.session_state["tl_pca"], st.session_state["tl_pca_key"] = pca_2d(f), key
    st.plotly_chart(code_figure(st.session_state["tl_pca"], side.images.labels.numpy(), side.images.classes,
                                "Your images in the pretrained backbone's features (PCA)", clickable=False,
                                height=360), key="tl_pca_chart")
    st.caption("Each dot is one of your images, placed by the 10 numbers the pretrained backbone makes of it. "
               "Where your classes already sit apart, a new head only has to draw the lines: few images suffice.")


def try_one() -> None:
    side = state()
    c = st.columns(2)
    with c[0].popover("Webcam", icon=":material/photo_camera:", width="stretch"):
        shot = st.camera_input("A photo to classify", key="tl_try_cam")
    up = c[1].file_uploader("or an image", type=["png", "jpg", "jpeg", "gif", "bmp", "webp"], key="tl_try_up")
    f = shot or up
    if f is None:
        st.caption("Hold something up to the webcam, or upload an image: each way says what it sees.")
        return
    try:
        x = read_upload(f.getvalue(), f.name)
    except ValueError as exc:
        st.error(str(exc), icon="⚠️")
        return
    probs = {}
    for m in side.spec.modes:
        with torch.no_grad():
            probs[m] = torch.softmax(model_now(m)(x[None]), 1)[0].numpy()
    a, b = st.columns([1, 3])
    a.image(image_bytes(image_row(x[None].numpy(), 2)), caption="what the network sees (64x64)")
    b.plotly_chart(probs_figure(probs, side.images.classes, MODES), key="tl_try_probs")


def _dataset() -> Dataset:
    side = state()
    train, test = split(side.images, side.spec.per_class or None, side.spec.test_share, side.spec.seed)
    x, y = side.images.images, side.images.labels
    return Dataset("your images", "classification", "image", x[train], y[train], x[test], y[test],
                   side.images.classes, meta={"title": "Your images"})


def _explore(mode: str) -> None:
    """Button callback: the chosen way's network becomes "Your CNN", which the Explain lab (and the CNN
    lab) open."""
    side = state()
    model = model_now(mode)
    acc = float(side.slot.job.poll().history[f"{mode}_test_acc"][-1])
    st.session_state["cnn_yours"] = ShippedModel("yours", f"Your {MODES[mode].lower()} network", model,
                                                 side.images.classes, {"test_accuracy": acc})
    zoo.publish("cnn", zoo.Trained(f"Your {MODES[mode].lower()} network", _NoCheckpoints(), model.spec, _dataset()))
    st.session_state["xp_model"] = "yours"
    st.session_state["tl_go_explain"] = True


class _NoCheckpoints:
    """The Explain lab reads a trained model's checkpoints from its job; this comparison keeps none per way."""

    def checkpoints(self) -> tuple:
        return ()


def save_and_explain() -> None:
    side = state()
    mode = st.segmented_control("Network to keep", list(side.spec.modes), key="tl_keep_mode", format_func=MODES.get,
                                default=side.spec.modes[-1]) or side.spec.modes[-1]
    model = model_now(mode)
    view = side.slot.job.poll()
    hist = {"epoch": view.history["epoch"], **{k.split("_", 1)[1]: v for k, v in view.history.items()
                                               if k.startswith(f"{mode}_")}}
    data = experiment.save(model.spec, model.state_dict(), DataSpec("objects", image_size=64),
                           TrainConfig(optimizer="adam", learning_rate=side.spec.learning_rate), hist,
                           {"lab": "transfer", "way": mode, "classes": list(side.images.classes)})
    c = st.columns(3)
    c[0].download_button("Experiment file", data, "transfer_experiment.zip", "application/zip", key="tl_save",
                         icon=":material/download:", help="The network, its weights and its history (no pickle).")
    c[1].download_button("PyTorch code", pytorch_code(model.spec), "transfer_model.py", "text/x-python",
                         key="tl_code", icon=":material/code:")
    c[2].button("Explain it", key="tl_explain", icon=":material/visibility:", on_click=_explore, args=(mode,),
                help="Open the Explain lab on this network: saliency, Grad-CAM and the rest, on your images.")


def draw() -> None:
    side = state()
    job = side.slot.job
    view = job.poll() if job is not None else None
    plane = view.snapshot.plane if view is not None and view.snapshot is not None else None
    if not view or not view.epoch or not plane:
        if side.images is not None:
            feature_map()
        return
    st.plotly_chart(per_class_figure({m: plane[m] for m in side.spec.modes}, plane["labels"], side.images.classes,
                                     MODES), key="tl_per_class_chart")
    tabs = st.tabs(["Confusion, with the images", "Features", "Try an image", "Save or explain"])
    with tabs[0]:
        confusion_cells(plane)
    with tabs[1]:
        feature_map()
    with tabs[2]:
        try_one()
    with tabs[3]:
        save_and_explain()
