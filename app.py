"""Entry point: page config, navigation between the labs, nothing else.

Run with `make run` (or `streamlit run app.py`).
"""

import sys

import streamlit as st

from core.training.process_job import warm_up
from ui.kit.gate import full_run
from ui.kit.registry import HOME, LABS, unknown_page

# Training threads release the GIL inside every small torch op; with Python's default 5 ms switch
# interval a page thread that grabs it then holds it for up to 5 ms per op, and training crawls
# while a page redraws. A 1 ms interval shares the interpreter fairly (measured in benchmarks/live_ui.py).
sys.setswitchinterval(0.001)

warm_up()  # training runs in child processes forked from a server that has torch loaded already

st.set_page_config(page_title="Neural Network Explainer", page_icon=":material/neurology:", layout="wide")

pages = [st.Page(HOME.path, title=HOME.title, icon=HOME.icon, default=True)]
pages += [st.Page(lab.path, title=lab.title, icon=lab.icon) for lab in LABS]
page = st.navigation(pages, position="hidden")  # the sidebar's links are drawn here (see .streamlit/config.toml)
with full_run():  # a few whole-page runs at a time: the event loop keeps its share (ui/kit/gate.py)
    with st.sidebar:
        for p in pages:
            st.page_link(p)
    missing = unknown_page(st.context.url, st.get_option("server.baseUrlPath") or "")
    if missing and not st.session_state.get("told_unknown_page"):  # once: later reruns keep the first URL
        st.session_state["told_unknown_page"] = True
        st.warning(f"There is no page \"{missing}\" in this app, so here is the home page. The labs are listed "
                   "on the left.", icon=":material/link_off:")
    page.run()
