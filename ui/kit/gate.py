"""At most `MAX_FULL_RUNS` whole-page runs at once in the server; the others wait their turn (a few
milliseconds each), never more than `WAIT_S`.

When a class arrives, 30 sessions each run the whole page (and again when they press Play) within
seconds, all in the server's one interpreter: with 30 script threads runnable at once, the event
loop that answers every request (the health check, the websocket messages, the static files) waits
for the interpreter lock behind all of them. A waiting thread holds no lock (it sleeps on the
semaphore), so capping the runnable page runs leaves the event loop its share. Fragment reruns (the
live views) do not pass here: they are cheap and paced by `live_load`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

MAX_FULL_RUNS = 2
WAIT_S = 5.0
_GATE = threading.BoundedSemaphore(MAX_FULL_RUNS)


@contextmanager
def full_run() -> Iterator[None]:
    got = _GATE.acquire(timeout=WAIT_S)
    try:
        yield
    finally:
        if got:
            _GATE.release()
