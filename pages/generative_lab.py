"""Generative lab: autoencoders (a clickable code plane, rebuilds, walks, a VAE, denoising, PCA beside
them) and the anomalies they spot; GANs on 2D targets with five losses side by side, and on small images,
all trained live on the kit."""

from dataclasses import replace

import streamlit as st

from ui.generative import ae, ae_details, gan
from ui.generative.links import LINK
from ui.kit import header
from ui.kit.live import live_area
from ui.kit.registry import BY_ID

LAB = BY_ID["generative_lab"]
VIEWS = {"ae": "Autoencoder", "anomaly": "Anomaly detection", "gan": "GAN on 2D", "images": "Image GAN"}
AE_LIVE = replace(ae.LIVE, details=ae_details.draw)

header.open_lab(LAB, LINK)
hide = header.hidden(LAB)
if st.session_state.get("gn_view") not in VIEWS:
    st.session_state["gn_view"] = "ae"
choice = st.segmented_control("View", list(VIEWS), key="gn_view", required=True, format_func=VIEWS.get,
                              help="Autoencoders compress and rebuild; GANs generate. Each view trains its own "
                                   "network live.")
side_col, main = st.columns([1, 2.8], gap="medium")
is_gan = choice in ("gan", "images")
side = gan.state(choice == "images") if is_gan else ae.state()
with side_col, header.controls():
    try:
        spec = gan.controls(hide, choice == "images") if is_gan else ae.controls(hide, choice == "anomaly")
        if not is_gan:
            ae.data_for(spec)
    except ValueError as exc:  # e.g. no points clicked yet for the student's own target: keep the last run
        st.error(str(exc), icon="⚠️")
        spec = side.spec
    train = gan.train_control() if is_gan else 0
if is_gan:
    gan.ensure(side, spec, train)
    with main:
        live_area(gan.LIVE_IMAGES if choice == "images" else gan.LIVE)
else:
    ae.ensure(side, spec, choice == "anomaly")
    with main:
        live_area(AE_LIVE)
header.share_footer(LAB, LINK)
