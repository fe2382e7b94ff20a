"""Learning lab: one step of backpropagation number by number, and gradient descent and optimizers on
loss landscapes, trained live on the kit."""

import streamlit as st

from ui.kit import header
from ui.kit.live import live_area
from ui.kit.registry import BY_ID
from ui.learning import backprop, net_landscape, race

LAB = BY_ID["learning_lab"]
VIEWS = {"race": "Optimizers race", "backprop": "One step of backprop", "landscape": "A real network's landscape"}

header.open_lab(LAB, race.LINK)
hide = header.hidden(LAB)
if st.session_state.get("lr_view") not in VIEWS:
    st.session_state["lr_view"] = "race"
choice = st.segmented_control("View", list(VIEWS), key="lr_view", required=True, format_func=VIEWS.get,
                              help="Watch optimizers race down a loss landscape, walk through one training step "
                                   "of a small network number by number, or map a real network's loss.")
if choice == "backprop":
    backprop.view()
    header.share_footer(LAB, race.LINK)
elif choice == "landscape":
    net_landscape.view()
    header.share_footer(LAB, race.LINK)
else:  # the race: its settings beside it, so the paths and the controls that change them share one screen
    side, main = st.columns([1, 2.8], gap="medium")
    with side, header.controls():
        spec = race.controls(hide)
    state = race.state()
    try:
        race.ensure(state, spec)
    except ValueError as exc:
        st.error(str(exc), icon="⚠️")
    if state.job is not None:
        with main:
            live_area(race.LIVE)
        race.step_inspector(state)
    header.share_footer(LAB, race.LINK)
