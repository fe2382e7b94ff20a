"""Playground: build a network layer by layer and watch it learn, live (TensorFlow Playground, and more)."""

import streamlit as st

from ui import pg_controls, pg_live, pg_state
from ui.frame import ensure_frame

ensure_frame()
st.title("Playground")
st.caption("Pick a dataset, build a network, press Play and watch it learn. Every number and picture here is "
           "computed live from the network you built.")

pg = pg_state.get()
try:
    pg_state.ensure_job(pg)
except ValueError as exc:  # e.g. a network that cannot be built: keep the last good job, say why
    pg.error = str(exc)
if pg.error:
    st.error(pg.error, icon="⚠️")

data_col, net_col, train_col = st.columns([1, 1.6, 1], gap="medium")
with data_col:
    pg_controls.data_panel(pg)
with net_col:
    pg_controls.network_panel(pg)
with train_col:
    pg_controls.training_panel(pg)

st.divider()
if pg.job is not None:
    pg_live.live_area(pg)
