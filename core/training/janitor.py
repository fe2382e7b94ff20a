"""Stop the training jobs of sessions that are gone (a closed tab), soon after they go.

Each job is watched with its owner's session id; a daemon thread asks `is_active(session_id)` every
few seconds (the web server supplies that check) and stops the job once its session has been
inactive for `grace_s` in a row, so a dropped connection that comes back at once keeps its job.
Framework-free: the check is a plain callable.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable


class Janitor:
    def __init__(self, is_active: Callable[[str], bool], grace_s: float = 20.0, interval_s: float = 5.0) -> None:
        self.is_active, self.grace_s, self.interval_s = is_active, grace_s, interval_s
        self._lock = threading.Lock()
        self._watched: dict[int, tuple[weakref.ref, str, float | None]] = {}
        self._thread: threading.Thread | None = None
        self.stopped = 0  # jobs stopped because their session went away

    def watch(self, job: object, session_id: str) -> None:
        with self._lock:
            self._watched[id(job)] = (weakref.ref(job), session_id, None)
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="job-janitor", daemon=True)
                self._thread.start()

    def sweep(self, now: float | None = None) -> int:
        """One pass: stop the jobs whose sessions have been gone for `grace_s`; returns how many."""
        now = time.monotonic() if now is None else now
        with self._lock:
            items = list(self._watched.items())
        ended = 0
        for key, (ref, session_id, gone_since) in items:
            job = ref()
            if job is None:
                self._forget(key)
                continue
            if self.is_active(session_id):
                if gone_since is not None:
                    with self._lock:
                        self._watched[key] = (ref, session_id, None)
                continue
            if gone_since is None:
                with self._lock:
                    self._watched[key] = (ref, session_id, now)
            elif now - gone_since >= self.grace_s:
                try:
                    job.stop(wait=2.0)
                finally:
                    self._forget(key)
                    ended += 1
        self.stopped += ended
        return ended

    def _forget(self, key: int) -> None:
        with self._lock:
            self._watched.pop(key, None)

    @property
    def watching(self) -> int:
        with self._lock:
            return len(self._watched)

    def _loop(self) -> None:
        while True:
            time.sleep(self.interval_s)
            try:
                self.sweep()
            except Exception:  # the janitor must outlive any one job's failure to stop
                pass
