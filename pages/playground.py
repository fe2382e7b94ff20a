"""Playground: build a network layer by layer and watch it learn, live (TensorFlow Playground, and more).
One screen, as TF Playground is: data and training beside the live view, the layers under it."""

import streamlit as st

from ui.kit import header
from ui.kit.registry import BY_ID
from ui.playground import controls as pg_controls
from ui.playground import live as pg_live
from ui.playground import save as pg_save
from ui.playground import state as pg_state
from ui.playground.share import LINK

LAB = BY_ID["playground"]
pg = pg_state.get()
header.open_lab(LAB, LINK)

try:
    pg_state.ensure_job(pg)
except ValueError as exc:  # e.g. a network that cannot be built: keep the last good job, say why
    pg.error = str(exc)
if pg.error:
    st.error(pg.error, icon="⚠️")

side_col, main = st.columns([1, 2.7], gap="medium")  # the live view on the first screen, controls beside it
with side_col, header.controls():
    pg_controls.data_panel(pg)
    pg_controls.training_panel(pg)
with main:
    if pg.job is not None:
        pg_live.live_area(pg)
    with header.controls():
        pg_controls.network_panel(pg)  # the layers, under the drawing of the network they build

if pg.job is not None:
    pg_save.save_box(pg)
header.share_footer(LAB, LINK, note="Your CSV data cannot travel in a link.")
