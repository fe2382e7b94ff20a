"""Share the server fairly: live redraws get a budget of the server's time, split over the sessions
that draw.

Every live redraw costs the server's one Python interpreter CPU time under the GIL (a network
picture, the output map, curves, JPEGs). If the sessions ask for more redraws than the server can
make, Streamlit's queue of pending fragment reruns grows, most runs end early to let the next one
in, and the server answers nobody (measured with `benchmarks/load.py`: 20 sessions at fixed rates
got a redraw every 5-13 s each, and the health check's p99 was 0.66-1.25 s). So the server
measures what a redraw costs (CPU time of the script thread), and sets each session's interval so
that all sessions' redraws together take at most `BUDGET` of one core:

    interval = max(base, sessions x cost per redraw / BUDGET), at most `SLOWEST_S`.

A fragment's `run_every` is fixed when the page draws it, so a session whose interval is far from
the current one (`RETUNE` times off, sessions came or went) redraws the whole page once to take the
new one (`should_retune`, the Playground), at most every `RETUNE_EVERY_S`. The CNN lab's training
view counts against the same budget (its interval is set when its page is drawn). Sessions count from the moment their
page is drawn (`note_present`, kept `PRESENT_S`), not only once they draw live: in a class everyone
opens the page and then presses Play within seconds, and counting only the sessions already
drawing would give the first ones a fast interval that they must retune a moment later, a burst
of whole-page runs just when the server is busiest.
"""

from __future__ import annotations

import threading
import time

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

BUDGET = 0.3  # of one core, for all sessions' live redraws together (each brings every snapshot since the last)
OVERHEAD_S = 0.008  # per redraw, outside the fragment's own code (thread start, messages, websocket)
FIRST_COST_S = 0.03  # until the first redraws are measured
SLOWEST_S = 4.0
WINDOW_S = 2 * SLOWEST_S + 1  # a session counts as drawing until this long after its last redraw
RETUNE = 2.0  # the snapshots since the last redraw come with each one: an interval a little off costs little
RETUNE_EVERY_S = 3.0
PRESENT_S = 30.0  # a session whose page was drawn this recently counts, drawing live or not


class Board:
    """Process-wide: session id -> when it last redrew, and what a redraw costs (CPU seconds of the
    main redraws and of the slower details, per main redraw, decaying). Holds no session data."""

    DECAY = 0.97

    def __init__(self) -> None:
        self.last: dict[str, float] = {}
        self.present: dict[str, float] = {}
        self._cpu, self._redraws = FIRST_COST_S, 1.0
        self.lock = threading.Lock()

    @property
    def cost_s(self) -> float:
        return self._cpu / self._redraws

    def note(self, session: str, cpu_s: float | None = None, main: bool = True, now: float | None = None) -> None:
        with self.lock:
            self.last[session] = time.monotonic() if now is None else now
            if cpu_s is not None:
                self._cpu = self._cpu * self.DECAY + cpu_s + (OVERHEAD_S if main else 0.0)
                self._redraws = self._redraws * self.DECAY + (1.0 if main else 0.0)

    def note_present(self, session: str, now: float | None = None) -> None:
        with self.lock:
            self.present[session] = time.monotonic() if now is None else now

    def sessions(self, now: float | None = None) -> int:
        """Sessions drawing live now, or at least those whose page was drawn lately (more of them)."""
        now = time.monotonic() if now is None else now
        with self.lock:
            for table, window in ((self.last, WINDOW_S), (self.present, PRESENT_S)):
                for sid in [s for s, t in table.items() if now - t > window]:
                    del table[sid]
            return max(len(self.last), len(self.present))


def interval(base: float, sessions: int, cost_s: float = FIRST_COST_S) -> float:
    """The live interval when `sessions` sessions draw at once and a redraw costs `cost_s`."""
    return min(SLOWEST_S, max(base, sessions * cost_s / BUDGET))


@st.cache_resource
def board() -> Board:
    return Board()


def _session() -> str | None:
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else None


class Redraw:
    """Times one live redraw (the script thread's CPU time) and notes it on the board; `main`:
    the redraw the interval is for (the details, drawn less often, add their cost to it)."""

    def __init__(self, main: bool = True) -> None:
        self.main = main

    def __enter__(self) -> Redraw:
        self.start = time.thread_time()
        return self

    def __exit__(self, *exc: object) -> None:
        session = _session()
        if session is not None:
            board().note(session, time.thread_time() - self.start, self.main)


def note_present() -> None:
    """This session's page is drawn (it may start drawing live soon)."""
    session = _session()
    if session is not None:
        board().note_present(session)


def refresh_s(base: float) -> float:
    """The live interval for this session now (counting it among the drawing sessions)."""
    b, session = board(), _session()
    if session is not None:
        b.note(session)
    return interval(base, b.sessions(), b.cost_s)


def should_retune(base: float, current: float, key: str) -> bool:
    """Whether this session's fragment interval `current` is `RETUNE` times off the one it should
    have now; then the caller redraws the page (at most every `RETUNE_EVERY_S` per session, the
    time of the last one kept under `key` in the session)."""
    b, now = board(), time.monotonic()
    if not retune_due(current, interval(base, b.sessions(), b.cost_s), now - st.session_state.get(key, 0.0)):
        return False
    st.session_state[key] = now
    return True


def retune_due(current: float, wanted: float, since_last_s: float) -> bool:
    return max(wanted, current) / min(wanted, current) >= RETUNE and since_last_s >= RETUNE_EVERY_S
