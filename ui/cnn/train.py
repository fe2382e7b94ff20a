"""The CNN lab's "train your own" view: data (generated, digits or your zip), a CNN built layer by layer
in a table, live training in a child process with the first-layer filters and a layer's feature maps
redrawn as they learn, and a button that puts the result under the lab's microscope.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd
import streamlit as st

from core.cnn.layers_table import KINDS, cell, rows_from_spec, spec_from_rows
from core.cores import free_cores
from core.data import Dataset, DataSpec, load_dataset
from core.data.zip_images import MAX_ZIP_BYTES, read_image_zip
from core.models import build_model
from core.presets import lenet, tiny_vgg
from core.specs import NetworkSpec
from core.training import Job, TrainConfig, make_job
from core.training.device import available_devices
from core.validate import validate
from ui.cnn import train_live
from ui.kit import header
from ui.kit.job_slot import JobSlot
from ui.kit.text import plain

NUMBER = r"^\s*(\d{1,3}|–|-)?\s*$"  # a table cell: digits, or – where the layer has no such setting


@dataclass
class TrainState:
    data_key: object = None
    dataset: Dataset | None = None
    notes: list[str] = field(default_factory=list)
    slot: JobSlot = field(default_factory=JobSlot)
    key: object = None  # the data, network and settings the next job is built for
    spec: NetworkSpec | None = None
    config: TrainConfig | None = None

    @property
    def job(self) -> Job | None:
        return self.slot.job

    def build(self, initial: dict | None = None) -> Job:
        start = {"initial_state": initial} if initial else {}
        config = replace(self.config, threads=free_cores(cap=2))  # the cores free when the job is made
        return make_job(build_model(self.spec, seed=0), self.dataset, config, snapshot_every_s=0.5,
                        max_snapshots=50, **start)


def state() -> TrainState:
    if "cnn_train" not in st.session_state:
        ts = st.session_state["cnn_train"] = TrainState()
        ts.slot.describe = lambda job: {"label": f"{ts.spec.name if ts.spec else 'CNN'} on {job.dataset.name}",
                                        "dataset": job.dataset.name}
    return st.session_state["cnn_train"]


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
        up = st.file_uploader("Zip with a folder per class", type=["zip"], key="cnn_tr_zip",
                              max_upload_size=MAX_ZIP_BYTES // 2**20)
        if up is None:
            return ts.dataset if _is_zip(ts.data_key) else None
        key = ("zip", up.name, up.size)
        if ts.data_key != key:
            try:
                ts.dataset, ts.notes = read_image_zip(up.getvalue(), size=32, channels=3)
                ts.data_key = key
            except ValueError as exc:
                st.error(plain(exc))  # names from the zip, shown as typed
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
    table = pd.DataFrame([{**r, **{k: cell(r[k]) for k in ("size", "kernel", "padding")}} for r in rows])
    edited = st.data_editor(table, num_rows="dynamic", key=f"cnn_tr_layers_{preset}_{c}_{h}",
                            column_config={"type": st.column_config.SelectboxColumn("layer", options=list(KINDS),
                                                                                    required=True),
                                           "size": st.column_config.TextColumn(
                                               "size", width="small", validate=NUMBER,
                                               help="Filters of a conv2d, units of a dense layer"),
                                           "kernel": st.column_config.TextColumn(
                                               "kernel", width="small", validate=NUMBER,
                                               help="Kernel size of a conv2d or a pooling layer"),
                                           "padding": st.column_config.TextColumn(
                                               "pad", width="small", validate=NUMBER,
                                               help="Zero padding around a conv2d's input")},
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
    """Render the training view: data, the layer table and settings beside the live view (play bar, curves,
    filters, feature maps), so both fit the first screen; the controls fold away in presenter mode."""
    ts = state()
    left, right = st.columns([1, 1.8], gap="medium")
    with left, header.controls():
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
                      device=device)
    key = (id(ds), spec.to_json(), opt, device)
    ts.spec, ts.config, ts.key = spec, cfg, key
    if ts.slot.key != key and ts.job is not None:  # a new network or data: the job is made when Train is pressed
        ts.slot.drop()
    elif ts.job is not None and ts.job.closed:  # stopped while the tab was away: rebuilt from its last weights
        ts.slot.ensure(key, ts.build)
    if ts.job is not None and ts.job.poll().learning_rate != lr:
        ts.job.set(learning_rate=lr)
    with right:
        train_live.live_view(ts)
    return None
