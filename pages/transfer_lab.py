"""Transfer lab: the student's own images (webcam, uploads, a zip, or the starter set), a network trained
from scratch beside a pretrained backbone frozen under a new head and one fine-tuned; per-class accuracy,
the confusion matrix with its images, the backbone's features, a photo classified, the network saved and
explained; and held-out accuracy against images per class, all on the kit."""

from dataclasses import replace

import streamlit as st

from ui.kit import header
from ui.kit.live import live_area
from ui.kit.registry import BY_ID
from ui.kit.text import plain
from ui.transfer import curve, details, images, train
from ui.transfer.links import LINK

LAB = BY_ID["transfer_lab"]
VIEWS = {"train": "Train and compare", "curve": "Less data"}
LIVE = replace(train.LIVE, details=details.draw)

if st.session_state.pop("tl_go_explain", False):  # "Explain it" was pressed: open the Explain lab on it
    st.switch_page("pages/explain_lab.py")
header.open_lab(LAB, LINK)
hide = header.hidden(LAB)
if st.session_state.get("tl_view") not in VIEWS:
    st.session_state["tl_view"] = "train"
choice = st.segmented_control("View", list(VIEWS), key="tl_view", required=True, format_func=VIEWS.get,
                              help="Train the ways side by side on your images; or measure how much data each needs.")
side_col, main = st.columns([1, 2.6], gap="medium")
side = train.state()
with side_col, header.controls():
    try:
        imgs = images.controls(hide)
    except ValueError as exc:  # too few images yet, a bad zip: keep the last set and its run
        st.error(plain(exc), icon="⚠️")
        imgs = side.images or images.starter()
    if choice == "curve":
        epochs = curve.controls()
    spec, resnet_state = train.controls(hide)
version = images.state().version
if choice == "curve":
    curve.ensure(curve.state(), spec, imgs, version, epochs, resnet_state)
    with main:
        live_area(curve.LIVE)
else:
    train.ensure(side, spec, imgs, version, resnet_state)
    with main:
        live_area(LIVE)
header.share_footer(LAB, LINK)
