"""Generalization lab: overfitting and its remedies side by side, sweeps of capacity, data and label
noise, and data augmentation on images, all trained live on the kit."""

import streamlit as st

from core.generalization.sweeps import SweepSpec
from ui.generalization import augment, sweeps, variants
from ui.generalization.links import LINK
from ui.kit import header
from ui.kit.live import live_area
from ui.kit.registry import BY_ID

LAB = BY_ID["generalization_lab"]
VIEWS = {"variants": "Remedies side by side", "sweeps": "Sweeps", "augment": "Data augmentation"}

header.open_lab(LAB, LINK)
hide = header.hidden(LAB)
if st.session_state.get("gen_view") not in VIEWS:
    st.session_state["gen_view"] = "variants"
choice = st.segmented_control("View", list(VIEWS), key="gen_view", required=True, format_func=VIEWS.get,
                              help="Train the baseline and its remedies together; sweep one setting over a range; "
                                   "or see what augmenting images does for a CNN with few examples.")
side_col, main = st.columns([1, 2.8], gap="medium")  # controls beside what they change (issue 19)
spec = variants.state().spec
if choice == "augment":
    variants.keep_settings()
else:
    with side_col, header.controls():
        if choice == "sweeps":
            sweep_settings = sweeps.controls()
        try:
            spec = variants.controls(hide, with_variants=choice != "sweeps")  # the sweeps vary this baseline
        except ValueError as exc:
            st.error(str(exc), icon="⚠️")
if choice == "sweeps":
    sweep = sweeps.state()
    sweep_spec = SweepSpec(base=spec, **sweep_settings)
    sweeps.ensure(sweep, sweep_spec)
    with main:
        live_area(sweeps.LIVE)
elif choice == "augment":
    aug = augment.state()
    with side_col, header.controls():
        ds, aug_spec = augment.controls()
    with main:
        if ds is None:
            st.info("Upload a zip with a folder of images per class (say cats/ and dogs/), or pick a built-in set.")
        else:
            augment.ensure(aug, ds, aug_spec, st.session_state["gen_aug_data"])
            live_area(augment.LIVE)
            st.divider()
            augment.preview(ds, aug_spec)
else:
    variants.ensure(variants.state(), spec)
    with main:
        live_area(variants.LIVE)
header.share_footer(LAB, LINK)
