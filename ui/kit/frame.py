"""Every page runs inside app.py's frame (page config, navigation).

Streamlit still routes a fresh server's first request through its legacy `pages/` folder mode
until some session has run `st.navigation`; a page opened directly by URL would then run without
app.py. `ensure_frame()` switches that mode off and reruns, so app.py frames the same page.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def ensure_frame() -> None:
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
