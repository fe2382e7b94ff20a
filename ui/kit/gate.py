"""At most `MAX_FULL_RUNS` whole-page runs at once in the server; the others wait their turn (a few
milliseconds each), never more than `WAIT_S`. While any whole-page run is under way, the other
sessions' timed live redraws wait for it (`yield_to_pages`, at most `YIELD_S`).

When a class arrives, 30 sessions each run the whole page (and again when they press Play) within
seconds, all in the server's one interpreter: with 30 script threads runnable at once, the event
loop that answers every request (the health check, the websocket messages, the static files) waits
for the interpreter lock behind all of them. A waiting thread holds no lock (it sleeps on the
semaphore), so capping the runnable page runs leaves the event loop its share. Fragment reruns (the
live views) do not pass here: they are cheap and paced by `live_load`.

A student who opens a lab while the others train waits for the page's first run: it shared the
interpreter with every other session's live redraws, and on a busy server its controls came last
(`benchmarks/first_visit.py`). A live redraw that is a moment late costs nothing (the browser plays
the snapshots it has), so the live redraws step aside while a page is being drawn.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

MAX_FULL_RUNS = 2
WAIT_S = 5.0
YIELD_S = 1.0
_GATE = threading.BoundedSemaphore(MAX_FULL_RUNS)
_PAGES = threading.Condition()  # guards _running: whole-page runs waiting or under way
_running = 0
_here = threading.local()  # set in the thread of a whole-page run (its fragments run inside it)


@contextmanager
def full_run() -> Iterator[None]:
    global _running
    with _PAGES:
        _running += 1
    _here.page = True
    got = _GATE.acquire(timeout=WAIT_S)
    try:
        yield
    finally:
        if got:
            _GATE.release()
        _here.page = False
        with _PAGES:
            _running -= 1
            if not _running:
                _PAGES.notify_all()


def yield_to_pages(max_s: float = YIELD_S) -> None:
    """Wait (holding no lock, so leaving the interpreter to them) while whole-page runs are waiting or
    under way, at most `max_s`; at once inside a whole-page run's own thread."""
    if getattr(_here, "page", False):
        return
    with _PAGES:
        _PAGES.wait_for(lambda: not _running, timeout=max_s)
