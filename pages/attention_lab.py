"""Attention lab: a tiny Transformer trained live on reversing, sorting, copying, adding or text; every
head's attention forming, one query's path number by number, positions, embeddings, generation,
attributions beside attention, and the race against an LSTM as sequences grow, all on the kit."""

from dataclasses import replace

import streamlit as st

from ui.attention import details, explore, race, train
from ui.attention.links import LINK
from ui.kit import header
from ui.kit.live import live_area
from ui.kit.registry import BY_ID

LAB = BY_ID["attention_lab"]
VIEWS = {"train": "Train and watch", "race": "Beside the LSTM"}
LIVE = replace(train.LIVE, details=details.draw)

header.open_lab(LAB, LINK)
hide = header.hidden(LAB)
if st.session_state.get("att_view") not in VIEWS:
    st.session_state["att_view"] = "train"
choice = st.segmented_control("View", list(VIEWS), key="att_view", required=True, format_func=VIEWS.get,
                              help="Train one Transformer and look inside it; or race it against an LSTM as the "
                                   "sequences grow.")
side_col, main = st.columns([1, 2.8], gap="medium")  # controls beside what they change (issue 19)
side = train.state()
spec = side.spec
with side_col, header.controls():
    if choice == "race":
        epochs, hidden = race.controls()
    try:
        spec = train.controls(hide)
        data = train.task_data(spec.task)
    except ValueError as exc:  # e.g. the student's text cannot make this task: keep the last working one
        st.error(str(exc), icon="⚠️")
        spec = side.spec
        data = train.task_data(spec.task)
    if choice != "race":
        sample = train.sample_control(data)
if choice == "race":
    sweep = race.state()
    race.ensure(sweep, race.make(spec, epochs, hidden))
    with main:
        live_area(race.LIVE)
else:
    train.ensure(side, spec, sample)
    with main:
        live_area(LIVE)
        explore.draw()
header.share_footer(LAB, LINK)
