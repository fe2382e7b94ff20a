"""Models every lab can use: the shipped CNNs and their sample images (shared, read-only), this
session's copies of them, the image input picker, and the models a lab trained in this session
(`publish` / `trained`), which another lab (the Explain lab) may open without reaching into the
lab that trained them.

`st.cache_resource` holds only what every user may share: the loaded weights and the sample images.
A session hooks its own deep copy of a model, so two students never touch the same module.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
import streamlit as st
import torch

from core.data import DataSpec, load_dataset
from core.data.dataset import Dataset
from core.data.photos import MAX_BYTES, PHOTOS, Prepared, decode_image, photo, preprocess, tensor_to_rgb
from core.specs import NetworkSpec
from core.training import Job
from core.zoo import resnet
from core.zoo.shipped import INPUTS, SHIPPED, ShippedModel, load_shipped
from ui.kit import links as share

SOURCES = {"sample": "Sample", "photo": "Photo"}  # the link's input sources -> the picker's choices


@dataclass(frozen=True)
class Trained:
    """A network a lab trained in this session: its job (weights, checkpoints), spec and data."""

    title: str
    job: Job
    spec: NetworkSpec
    dataset: Dataset


def current(job: Job, key: str) -> torch.nn.Module:
    """A CPU copy of the job's model at its current weights, taken once per training step and kept in the
    session under `key`, so the views that read it (step by step, generation, attributions) share one copy."""
    step = job.poll().step
    got = st.session_state.get(key)
    if got is None or got[0] is not job or got[1] != step:
        got = (job, step, job.model_copy())
        st.session_state[key] = got
    return got[2]


def publish(name: str, trained: Trained) -> None:
    st.session_state.setdefault("kit_trained", {})[name] = trained


def trained(name: str) -> Trained | None:
    return st.session_state.get("kit_trained", {}).get(name)


@st.cache_resource(show_spinner="Loading the pretrained weights…")
def _shipped(name: str) -> ShippedModel:
    return load_shipped(name)


@st.cache_resource(show_spinner="Downloading ResNet-18's ImageNet weights (45 MB, once per server)…")
def _resnet() -> ShippedModel:
    return resnet.from_state_dict(resnet.fetch_state_dict())


@st.cache_data(ttl=600, show_spinner=False)
def resnet_status() -> tuple[bool, str]:
    return resnet.weights_status()


@st.cache_resource(show_spinner="Making the sample images…")
def samples(name: str) -> tuple[torch.Tensor, np.ndarray, tuple[str, ...]]:
    """Images the model never trained on: digits' held-out split, or a fresh seed of the objects set."""
    if name == "lenet":
        ds = load_dataset(DataSpec("digits", train_fraction=0.8, seed=0))
    else:
        ds = load_dataset(DataSpec("objects", n_samples=600, image_size=64, train_fraction=0.5, seed=20261121))
    return ds.x_test, ds.y_test.numpy(), ds.class_names


def samples_for(sm: ShippedModel) -> tuple[torch.Tensor, np.ndarray, tuple[str, ...]]:
    """Held-out images for a model: its shipped set, or the test split it was trained beside."""
    if sm.name == "yours":
        ds = trained("cnn").dataset
        return ds.x_test, ds.y_test.numpy(), ds.class_names
    if sm.name == "resnet18":
        return photo_samples(sm.input_shape[1])
    return samples(sm.name)


@st.cache_resource(show_spinner=False)
def photo_samples(size: int) -> tuple[torch.Tensor, np.ndarray, tuple[str, ...]]:
    """The bundled photos at the model's size: ResNet-18's samples (ImageNet itself is not shipped)."""
    x = torch.stack([preprocess(photo(name), size, 3).tensor for name in PHOTOS])
    return x, np.arange(len(PHOTOS)), tuple(PHOTOS.values())


def available() -> dict[str, str]:
    """Shipped models whose weights are present, with their titles (and held-out accuracy)."""
    out = {}
    yours = st.session_state.get("cnn_yours")
    if yours is not None:
        out["yours"] = f"{yours.title}, trained here: {yours.card['test_accuracy']:.0%} test accuracy"
    for name, title in SHIPPED.items():
        try:
            acc = _shipped(name).card.get("test_accuracy")
            out[name] = f"{title}, {INPUTS[name]}" + (f", {acc:.0%} held-out accuracy" if acc is not None else "")
        except ValueError:
            continue
    ok, _ = resnet_status()
    out["resnet18"] = (f"ResNet-18 on ImageNet, {resnet.IMAGENET_TOP1:.1%} top-1 (torchvision's weights)" if ok
                       else "ResNet-18 on ImageNet (unavailable offline)")
    return out


def model(name: str) -> ShippedModel:
    """This session's own copy of a shipped model (safe to hook)."""
    if name == "yours":
        return st.session_state["cnn_yours"]
    key = f"cnn_model_{name}"
    if key not in st.session_state:
        shared = _resnet() if name == "resnet18" else _shipped(name)
        st.session_state[key] = ShippedModel(shared.name, shared.title, copy.deepcopy(shared.model),
                                             shared.class_names, shared.card)
    return st.session_state[key]


def choose_input(sm: ShippedModel, fixed: bool = False) -> tuple[Prepared | None, int | None]:
    """Input widgets: a held-out sample, a bundled photo or an upload. Returns the prepared image.
    `fixed` (a link hides the input): no widgets, the link's choice (an upload is not offered)."""
    c, size = sm.input_shape[0], sm.input_shape[1]
    sources = ["Photo", "Your image"] if sm.name == "resnet18" else ["Sample", "Photo", "Your image"]
    if fixed:
        source = share.keep("cnn_source", sources[0])
        if source not in sources[:-1]:
            source = st.session_state["cnn_source"] = sources[0]
    else:
        source = st.radio("Input", sources, horizontal=True, key="cnn_source",
                          help="A held-out image the model never trained on, a photo bundled with scikit-image, "
                               "or your own PNG/JPEG.")
    if source == "Sample":
        x, y, classes = samples_for(sm)
        key = f"cnn_sample_{sm.name}"
        if st.session_state.get(key, 0) > len(x) - 1:  # a link may name a sample beyond this set
            st.session_state[key] = len(x) - 1
        # No default beside the value a link may have set (Streamlit warns of the two); it starts at 0.
        i = share.keep(key, 0) if fixed else st.slider("Sample", 0, len(x) - 1, key=key)
        st.caption(f"True class: **{classes[int(y[i])]}**")
        rgb = tensor_to_rgb(x[i])
        return Prepared(x[i], rgb, ("a held-out sample: already the model's size",)), int(y[i])
    if source == "Photo":
        name = (share.keep("cnn_photo", next(iter(PHOTOS))) if fixed else
                st.selectbox("Photo", list(PHOTOS), format_func=PHOTOS.get, key="cnn_photo"))
        return _steps(sm, preprocess(photo(name), size, c)), None
    up = st.file_uploader("PNG or JPEG", type=["png", "jpg", "jpeg", "gif", "bmp", "webp", "tif", "tiff"],
                          key="cnn_upload",
                          max_upload_size=MAX_BYTES // 2**20)
    if up is None:
        st.info("Upload an image to see what the network makes of it.")
        return None, None
    try:
        return _steps(sm, preprocess(decode_image(up.getvalue(), up.name), size, c)), None
    except ValueError as exc:
        st.error(str(exc))
        return None, None


def _steps(sm: ShippedModel, p: Prepared) -> Prepared:
    if sm.name != "resnet18":
        return p
    return Prepared(p.tensor, p.display, (*p.steps, "the network's first stage subtracts ImageNet's mean colour "
                                                    "and divides by its standard deviation"))
