"""Share the server fairly: the more sessions draw live charts at once, the less often each redraws.

Every live redraw costs the server CPU and the GIL (a network picture, curves, a JPEG). At most
`FULL_RATE` sessions get the full rate; beyond that each session's interval grows in proportion, up
to `SLOWEST_S`, so the server's total redraw work stays about constant and it keeps answering.
"""

from __future__ import annotations

import threading
import time

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

FULL_RATE = 4
SLOWEST_S = 2.0
WINDOW_S = 3.0


@st.cache_resource
def _board() -> tuple[dict[str, float], threading.Lock]:
    """Process-wide: session id -> when it last redrew live (no session data, only times)."""
    return {}, threading.Lock()


def note_live() -> None:
    ctx = get_script_run_ctx()
    if ctx is None:
        return
    board, lock = _board()
    with lock:
        board[ctx.session_id] = time.monotonic()


def live_sessions() -> int:
    board, lock = _board()
    now = time.monotonic()
    with lock:
        for sid in [s for s, t in board.items() if now - t > WINDOW_S]:
            del board[sid]
        return len(board)


def refresh_s(base: float) -> float:
    """The live interval for a session starting to draw now, given how many already do."""
    n = live_sessions() + 1
    return min(SLOWEST_S, base * max(1.0, n / FULL_RATE))
