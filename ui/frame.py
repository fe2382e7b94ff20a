"""Every page runs inside app.py's frame (page config, navigation).

Streamlit still routes a fresh server's first request through its legacy `pages/` folder mode
until some session has run `st.navigation`; a page opened directly by URL would then run without
app.py. `ensure_frame()` switches that mode off and reruns, so app.py frames the same page.
"""

from __future__ import annotations

import gc
import threading

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

_tuned = threading.Event()


def tune_gc() -> None:
    """Once per server process: move everything alive after start-up (torch, plotly, the app's modules)
    out of the collector's reach and collect less often. A full collection otherwise walks that whole
    heap and holds the interpreter for hundreds of milliseconds, so every session (and the health
    check) stalls at once; measured with benchmarks/load.py. Per-session memory is bounded by capped
    histories, not by the collector."""
    if not _tuned.is_set():
        _tuned.set()
        gc.collect()
        gc.freeze()
        gc.set_threshold(50_000, 20, 100)


def ensure_frame() -> None:
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
