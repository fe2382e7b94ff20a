"""The live view of the CNN lab's "train your own" tab, on the kit: the play bar (Train, Pause, Step,
Reset, status), the accuracy and loss curves, the first layer's filters and a layer's feature maps
redrawn as they learn, and the button that puts the network under the lab's microscope."""

from __future__ import annotations

import numpy as np
import streamlit as st

from core.cnn.features import feature_maps
from core.cnn.viz import filters_image, grid_image
from core.models import viewer_model
from core.settings import SETTINGS
from core.viz.panels import raster
from core.zoo.shipped import ShippedModel
from ui.kit import models
from ui.kit.live import ACCURACY, COMPACT_BAR, LOSS, LiveLab, compare_runs_view, curves, live_area, play_bar
from ui.kit.panels import show

KEY = "cnn_train"


def _ts():
    return st.session_state[KEY]


def _start() -> None:
    """Play with no job yet: build it (a child process) for the current network and data, and train."""
    ts = _ts()
    ts.slot.ensure(ts.key, ts.build).start()


def _explore() -> None:
    """Button callback: a copy of the trained model becomes the lab's "Your CNN"."""
    ts = _ts()
    model = ts.job.model_copy()
    acc = float(ts.job.poll().latest.get("test_acc", float("nan")))
    st.session_state["cnn_yours"] = ShippedModel("yours", "Your CNN", model, ts.dataset.class_names,
                                                 {"test_accuracy": acc})
    models.publish("cnn", models.Trained("Your CNN", ts.job, ts.spec, ts.dataset))
    st.session_state["cnn_model"] = "yours"
    st.session_state["cnn_view"] = "inside"  # back to the microscope, on the student's network
    st.session_state["cnn_tr_explored"] = True


def overfitting_note(latest: dict, epoch: int, n_train: int, n_test: int) -> str:
    """A sentence when training accuracy runs 15 points or more ahead of test accuracy (after 5 epochs)."""
    gap = latest.get("train_acc", float("nan")) - latest.get("test_acc", float("nan"))
    if epoch < 5 or not gap >= 0.15:
        return ""
    return (f"**Overfitting**: {latest['train_acc']:.0%} right on the {n_train:,} training images but "
            f"{latest['test_acc']:.0%} on the {n_test:,} it never saw. It is memorizing them. Try dropout or "
            "fewer filters, stop earlier, or give it more images.")


def _draw(live: bool) -> None:
    if st.session_state.pop("cnn_tr_explored", False):
        st.rerun()  # the whole page: the Model list now holds "Your CNN"
    ts = _ts()
    job = ts.job
    view = job.poll() if job is not None else None
    ds = ts.dataset
    size = f"{len(ds.x_train):,} training and {len(ds.x_test):,} test images"
    play_bar(LIVE, view, size)
    if view is None:
        st.caption("Press Train: the curves, filters and feature maps appear here and change as the network learns.")
        return
    learning, pictures = st.columns([1.1, 1], gap="small")  # the curves beside what the curves are about
    with learning, st.container(key="cnn_tr_curves"):
        curves(view, (LOSS, ACCURACY), "cnn_tr", stacked=True)
    with pictures, st.container(key="cnn_tr_filters"):
        _pictures(ts, view.snapshot)
    note = overfitting_note(view.latest, view.epoch, len(ds.x_train), len(ds.x_test))
    if note:
        st.info(note, icon=":material/psychology_alt:")
    st.button("Explore this CNN in the lab", key="cnn_tr_use", disabled=view.epoch == 0, on_click=_explore,
              help="Put it in the Model list of \"Look inside a trained CNN\" and open that view, to look at its "
                   "feature maps, filters and operations.")
    if not live:
        with st.expander(f"Compare runs ({len(ts.slot.runs)} kept)"):
            compare_runs_view(ts.slot, view, "cnn_tr", {"dataset": ds.name})


def _pictures(ts, snap) -> None:
    """The first layer's filters and one layer's feature maps on a test image, at the snapshot's weights."""
    if snap is None:
        return
    model = viewer_model(ts.spec, snap.state)
    first = next(n for n, _ in model.named_children() if n.startswith("conv"))
    show([raster(filters_image(model.get_submodule(first).weight.detach().numpy(), size=32), "",
                 caption=f"{first} filters, epoch {snap.epoch}: edge and colour detectors as it learns")],
         "cnn_tr_filters_live", stamp=snap.epoch)
    fm = feature_maps(model, ts.dataset.x_test[0])
    names = list(fm.layers)
    layer = st.selectbox("Feature maps of", names, index=min(1, len(names) - 1), key="cnn_tr_fm_layer")
    maps = fm.layers[layer]
    peak = np.abs(maps).reshape(len(maps), -1).max(1)
    show([raster(grid_image(maps / np.where(peak > 0, peak, 1)[:, None, None], cols=8, size=32), "",
                 caption=f"{layer} on a test image, epoch {snap.epoch}")], "cnn_tr_maps_live", stamp=snap.epoch)

LIVE = LiveLab("cnn_tr", slot=lambda: _ts().slot, draw=_draw, start=_start, main_s=SETTINGS.live_heavy_s,
               play_label="Train", bar=COMPACT_BAR)


def live_view(ts) -> None:
    live_area(LIVE)
