"""Playground: build a network layer by layer and watch it learn, live (TensorFlow Playground, and more)."""

import streamlit as st

from core.playground.fields import HIDEABLE, PLAYGROUND
from ui.kit import links as share
from ui.kit.frame import ensure_frame
from ui.playground import controls as pg_controls
from ui.playground import live as pg_live
from ui.playground import save as pg_save
from ui.playground import share as pg_share
from ui.playground import state as pg_state

ensure_frame()
pg = pg_state.get()
pg_share.apply_link(pg)
share.presenter_style()
st.title("Playground")
st.caption("Pick a dataset, build a network, press Play and watch it learn. Every number and picture here is "
           "computed live from the network you built.")
share.notices("playground")
share.lesson_box("playground")

try:
    pg_state.ensure_job(pg)
except ValueError as exc:  # e.g. a network that cannot be built: keep the last good job, say why
    pg.error = str(exc)
if pg.error:
    st.error(pg.error, icon="⚠️")

presenting = st.session_state.get("present", False)
controls = st.expander("Controls", expanded=False) if presenting else st.container()
with controls:
    data_col, net_col, train_col = st.columns([1, 1.6, 1], gap="medium")
    with data_col:
        pg_controls.data_panel(pg)
    with net_col:
        pg_controls.network_panel(pg)
    with train_col:
        pg_controls.training_panel(pg)

if pg.job is not None:
    pg_save.save_box(pg)
params = share.write_link("playground", PLAYGROUND, pg_share.values(pg))
share.share_box(params)
with st.expander("Hide controls in the link (for a lesson)", icon=":material/visibility_off:"):
    st.multiselect("Controls students will not see", HIDEABLE, key="pg_hide",
                   help="Like TensorFlow Playground's hide flags: the link opens with these controls hidden and "
                        "their values fixed. Your CSV data cannot travel in a link.")

st.divider()
if pg.job is not None:
    pg_live.live_area(pg)
