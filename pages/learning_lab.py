"""Learning lab: gradient descent and optimizers on loss landscapes, trained live on the kit."""

import streamlit as st

from ui.kit import header
from ui.kit.live import live_area
from ui.kit.registry import BY_ID
from ui.learning import race

LAB = BY_ID["learning_lab"]
header.open_lab(LAB, race.LINK)
hide = header.hidden(LAB)
with header.controls():
    spec = race.controls(hide)
state = race.state()
try:
    race.ensure(state, spec)
except ValueError as exc:
    st.error(str(exc), icon="⚠️")
header.share_footer(LAB, race.LINK)
st.divider()
if state.job is not None:
    live_area(race.LIVE)
