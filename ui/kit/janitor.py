"""Jobs belong to a browser session: the janitor stops them once that session's tab is gone."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from core.settings import SETTINGS
from core.training.janitor import Janitor


def _active(session_id: str) -> bool:
    # Outside a real server (tests) there is no runtime to ask: never stop anything.
    return not Runtime.exists() or Runtime.instance().is_active_session(session_id)


@st.cache_resource
def janitor() -> Janitor:
    """One per server process (read-only to sessions: it only holds weak references to jobs)."""
    return Janitor(_active, grace_s=SETTINGS.janitor_grace_s, interval_s=SETTINGS.janitor_every_s)


def watch(job: object) -> None:
    ctx = get_script_run_ctx()
    if ctx is not None:
        janitor().watch(job, ctx.session_id)
