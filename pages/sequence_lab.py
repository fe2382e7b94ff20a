"""Sequence lab: RNN, LSTM and GRU trained live side by side on memory, counting, series and text tasks;
hidden states and gates over time, the gradient through time, accuracy against the delay, and
Integrated Gradients over the steps, all on the kit."""

from dataclasses import replace

import streamlit as st

from core.sequence.sweep import DelaySweep
from ui.kit import header
from ui.kit.live import live_area
from ui.kit.registry import BY_ID
from ui.sequence import delay, details, explore, train
from ui.sequence.links import LINK

LAB = BY_ID["sequence_lab"]
VIEWS = {"train": "Train and compare", "delay": "Accuracy vs delay"}
LIVE = replace(train.LIVE, details=details.draw)

header.open_lab(LAB, LINK)
hide = header.hidden(LAB)
if st.session_state.get("seq_view") not in VIEWS:
    st.session_state["seq_view"] = "train"
choice = st.segmented_control("View", list(VIEWS), key="seq_view", required=True, format_func=VIEWS.get,
                              help="Train the cells side by side on one task and look inside them; or measure how far "
                                   "back each one can remember.")
side_col, main = st.columns([1, 2.8], gap="medium")  # controls beside what they change (issue 19)
side = train.state()
spec = side.spec
with side_col, header.controls():
    if choice == "delay":
        epochs = delay.controls()
    try:
        spec = train.controls(hide, sweep=choice == "delay")
        data = train.task_data(spec.task)
    except ValueError as exc:  # e.g. the student's text cannot make this task: keep the last working one
        st.error(str(exc), icon="⚠️")
        spec = side.spec
        data = train.task_data(spec.task)
    if choice != "delay":
        inside, sample = train.look_controls(spec, data)
if choice == "delay":
    sweep = delay.state()
    delay.ensure(sweep, DelaySweep(base=spec, epochs=epochs))
    with main:
        live_area(delay.LIVE)
else:
    train.ensure(side, spec, inside, sample)
    with main:
        live_area(LIVE)
        explore.draw()
header.share_footer(LAB, LINK)
