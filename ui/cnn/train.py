"""The CNN lab's "train your own" tab: data (generated, digits or your zip), a CNN built layer by layer
in a table, live training in a child process with the first-layer filters and a layer's feature maps
redrawn as they learn, and a button that puts the result under the lab's microscope.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import streamlit as st

from core.cnn.features import feature_maps
from core.cnn.layers_table import KINDS, rows_from_spec, spec_from_rows
from core.data import Dataset, DataSpec, load_dataset
from core.data.zip_images import read_image_zip
from core.models import build_model, viewer_model
from core.presets import lenet, tiny_vgg
from core.specs import NetworkSpec
from core.training import TrainConfig
from core.training.device import available_devices
from core.training.process_job import make_job
from core.validate import validate
from core.viz.cnn import filters_image, grid_image
from core.viz.curves import downsample
from core.viz.raster import curves_image, image_bytes
from core.zoo.shipped import ShippedModel
from ui.kit import janitor as jobs
from ui.kit import live_load

LIVE_S = 0.5  # the live view's interval with the server to itself (see `live_load`)


@dataclass
class TrainState:
    data_key: object = None
    dataset: Dataset | None = None
    notes: list[str] = field(default_factory=list)
    job: object = None
    job_key: object = None
    spec: NetworkSpec | None = None
    config: TrainConfig | None = None


def _state() -> TrainState:
    return st.session_state.setdefault("cnn_train", TrainState())


@st.cache_resource(show_spinner="Making the training images…")
def _shared_dataset(spec: DataSpec) -> Dataset:
    """Built-in training sets are read-only tensors: one copy serves every session."""
    return load_dataset(spec)


def _is_zip(key: object) -> bool:
    return isinstance(key, tuple) and key[0] == "zip"


def _dataset(ts: TrainState) -> Dataset | None:
    source = st.radio("Data", ["Generated objects 32x32", "Digits 8x8", "Your zip of images"], horizontal=True,
                      key="cnn_tr_data", help="Your zip: one folder per class, PNG or JPEG images inside.")
    if source == "Your zip of images":
        up = st.file_uploader("Zip with a folder per class", type=["zip"], key="cnn_tr_zip")
        if up is None:
            return ts.dataset if _is_zip(ts.data_key) else None
        key = ("zip", up.name, up.size)
        if ts.data_key != key:
            try:
                ts.dataset, ts.notes = read_image_zip(up.getvalue(), size=32, channels=3)
                ts.data_key = key
            except ValueError as exc:
                st.error(str(exc))
                return ts.dataset if _is_zip(ts.data_key) else None
    else:
        spec = DataSpec("objects", n_samples=1200, image_size=32, train_fraction=0.8) if source.startswith("Gen") \
            else DataSpec("digits", train_fraction=0.8)
        if ts.data_key != spec:
            ts.dataset, ts.notes, ts.data_key = _shared_dataset(spec), [], spec
    for note in ts.notes:
        st.caption(note)
    return ts.dataset


def _layers_table(ds: Dataset) -> NetworkSpec | None:
    c, h = ds.input_shape[0], ds.input_shape[1]
    preset = st.selectbox("Start from", ["TinyVGG", "LeNet-like"], index=0 if h >= 32 else 1,
                          key=f"cnn_tr_preset_{h}", help="TinyVGG needs images of 32 pixels or more.")
    base = tiny_vgg(c, h, ds.n_classes, filters=8) if preset == "TinyVGG" else lenet(c, h, ds.n_classes)
    rows = rows_from_spec(base)
    edited = st.data_editor(pd.DataFrame(rows), num_rows="dynamic", key=f"cnn_tr_layers_{preset}_{c}_{h}",
                            column_config={"type": st.column_config.SelectboxColumn("layer", options=list(KINDS),
                                                                                    required=True),
                                           "size": st.column_config.NumberColumn("filters / units", min_value=1,
                                                                                 max_value=256, step=1),
                                           "kernel": st.column_config.NumberColumn("kernel", min_value=1,
                                                                                   max_value=11, step=1),
                                           "padding": st.column_config.NumberColumn("padding", min_value=0,
                                                                                    max_value=5, step=1)},
                            hide_index=True, width="stretch")
    try:
        spec = spec_from_rows(edited.to_dict("records"), ds.input_shape, ds.n_classes)
        table = validate(spec, ds.n_classes)
    except ValueError as exc:
        st.error(str(exc))
        return None
    st.caption(f"{table.total_params:,} parameters; output {table.output_shape[0]} classes: "
               f"{', '.join(ds.class_names)}")
    return spec


def train_tab() -> None:
    """Render the tab: data, the layer table, settings and the live view of the training."""
    ts = _state()
    left, right = st.columns([1, 1.3], gap="medium")
    with left:
        ds = _dataset(ts)
        if ds is None:
            st.info("Upload a zip to train on your own images.")
            return None
        spec = _layers_table(ds)
        c = st.columns(3)
        opt = c[0].selectbox("Optimizer", ["adam", "sgd"], key="cnn_tr_opt")
        lr = c[1].select_slider("Learning rate", [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1], 0.003,
                                key="cnn_tr_lr")
        devices = ["auto", *available_devices()]
        device = c[2].selectbox("Device", devices, key="cnn_tr_device",
                                format_func={"auto": "Automatic", "cpu": "CPU", "cuda": "GPU (CUDA)",
                                             "mps": "GPU (Apple MPS)"}.get,
                                help="Automatic takes a GPU when this server has one; the device used is shown "
                                     "while it trains.")
    if spec is None:
        return None
    cfg = TrainConfig(optimizer=opt, learning_rate=lr, momentum=0.9 if opt == "sgd" else 0.0, batch_size=32,
                      threads=min(2, os.cpu_count() or 1), device=device)
    key = (id(ds), spec.to_json(), opt, device)
    if ts.job_key != key:  # a new network or data: the job is made when Train is pressed
        if ts.job is not None:
            ts.job.stop(wait=0.5)
        ts.job, ts.job_key = None, key
    ts.spec, ts.config = spec, cfg
    if ts.job is not None and ts.job.poll().learning_rate != lr:
        ts.job.set_learning_rate(lr)
    with right:
        active = ts.job is not None and ts.job.poll().active
        st.session_state["cnn_tr_timed"] = active  # redraws on a timer only while it trains
        if active:
            st.fragment(run_every=live_load.refresh_s(LIVE_S))(_live_timed)(ts)
        else:
            st.fragment(_live)(ts)
    return None


def _start(ts: TrainState) -> None:
    """Button callback: build the job (a child process) for the current network and data, and train."""
    if ts.job is None:
        ts.job = make_job(build_model(ts.spec, seed=0), ts.dataset, ts.config, snapshot_every_s=0.5,
                          max_snapshots=50)
        jobs.watch(ts.job)
    ts.job.start()


def _explore(ts: TrainState) -> None:
    """Button callback: a copy of the trained model becomes the lab's "Your CNN"."""
    model = ts.job.model_copy()
    acc = float(ts.job.poll().latest.get("test_acc", float("nan")))
    st.session_state["cnn_yours"] = ShippedModel("yours", "Your CNN", model, ts.dataset.class_names,
                                                 {"test_accuracy": acc})
    st.session_state["cnn_model"] = "yours"
    st.session_state["cnn_tr_explored"] = True


def _live_timed(ts: TrainState) -> None:
    with live_load.Redraw():  # counts against the server's live budget, like the Playground's
        _live(ts)


def _live(ts: TrainState) -> None:
    """The training's live view: a fragment on a timer while the job trains, drawn once otherwise."""
    if st.session_state.pop("cnn_tr_explored", False):
        st.rerun()  # the whole page: the Model list now holds "Your CNN"
    job = ts.job
    if (job is not None and job.poll().active) != st.session_state.get("cnn_tr_timed", False):
        st.rerun()  # it started or stopped: the whole page draws this view again, with or without its timer
    if job is None:
        st.button("Train", icon=":material/play_arrow:", key="cnn_tr_play", on_click=_start, args=(ts,),
                  type="primary")
        st.caption("Press Train: the filters and feature maps appear here and change as the network learns.")
        return
    view = job.poll()
    c = st.columns([1, 1, 1, 2], vertical_alignment="center")
    if view.active:
        c[0].button("Pause", icon=":material/pause:", key="cnn_tr_pause", on_click=job.pause, width="stretch")
    else:
        c[0].button("Train", icon=":material/play_arrow:", key="cnn_tr_play", on_click=_start, args=(ts,),
                    type="primary", width="stretch")
    c[1].button("Reset", icon=":material/restart_alt:", key="cnn_tr_reset", on_click=job.reset, width="stretch")
    latest = view.latest
    c[2].markdown(f"**Epoch** {view.epoch}")
    c[3].caption(f"{'Training' if view.active else 'Paused'} on {view.device}; test accuracy "
                 f"{latest.get('test_acc', float('nan')):.1%}" + (f". {view.message}" if view.message else ""))
    h = view.history
    ep, tr, te = downsample(h["epoch"], h["train_acc"], h["test_acc"])
    st.image(image_bytes(curves_image(ep, [("training accuracy", tr, "#333333"), ("test accuracy", te, "#0877bd")],
                                      "Accuracy", y_range=(0, 1.02), percent=True)), width="stretch")
    st.button("Explore this CNN in the lab", key="cnn_tr_use", disabled=view.epoch == 0, on_click=_explore,
              args=(ts,), help="Put it in the Model list at the top of the page, to look at its feature maps, "
                               "filters and operations in the other tabs.")
    snap = view.snapshot
    if snap is None:
        return
    model = viewer_model(ts.spec, snap.state)
    first = next(n for n, _ in model.named_children() if n.startswith("conv"))
    st.image(filters_image(model.get_submodule(first).weight.detach().numpy(), size=40), width="content",
             caption=f"{first} filters, epoch {snap.epoch}: they sharpen into edge and colour detectors as it learns")
    fm = feature_maps(model, ts.dataset.x_test[0])
    names = list(fm.layers)
    layer = st.selectbox("Feature maps of", names, index=min(1, len(names) - 1), key="cnn_tr_fm_layer")
    maps = fm.layers[layer]
    peak = np.abs(maps).reshape(len(maps), -1).max(1)
    st.image(grid_image(maps / np.where(peak > 0, peak, 1)[:, None, None], cols=8, size=48), width="content",
             caption=f"{layer} on a test image, epoch {snap.epoch}")
