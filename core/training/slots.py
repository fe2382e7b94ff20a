"""A process-wide cap on how many jobs train at once, with a visible first-come queue.

The cap is a memory limit, not a CPU one (`core.settings.Settings.max_jobs`): every job that wants to
train trains at once and the OS shares the cores among them, so in a class nobody waits at epoch 0
while a classmate trains. Only when so many jobs train that memory would run short does a job
queue, with its place shown."""

from __future__ import annotations

import atexit
import threading
import weakref

from core.settings import SETTINGS


class JobSlots:
    """Like a bounded semaphore, but first come first served, and it can tell a job its place."""

    def __init__(self, capacity: int):
        if capacity < 1:
            raise ValueError("at least one job must be allowed to train")
        self.capacity = capacity
        self._cond = threading.Condition()
        self._holders: set[object] = set()
        self._queue: list[object] = []

    def _grantable(self, token: object) -> bool:
        free = self.capacity - len(self._holders)
        return free > 0 and token in self._queue[:free]

    def acquire(self, token: object, timeout: float) -> bool:
        """Wait up to `timeout` s for a slot; the token keeps its place in the queue between calls."""
        with self._cond:
            if token in self._holders:
                return True
            if token not in self._queue:
                self._queue.append(token)
            if self._cond.wait_for(lambda: self._grantable(token), timeout):
                self._queue.remove(token)
                self._holders.add(token)
                return True
            return False

    def release(self, token: object) -> None:
        """Give back a slot, or leave the queue."""
        with self._cond:
            self._holders.discard(token)
            if token in self._queue:
                self._queue.remove(token)
            self._cond.notify_all()

    def position(self, token: object) -> int | None:
        """1-based place in the queue, 0 while holding a slot, None when neither."""
        with self._cond:
            if token in self._holders:
                return 0
            if token in self._queue:
                return self._queue.index(token) + 1
            return None

    @property
    def running(self) -> int:
        with self._cond:
            return len(self._holders)

    @property
    def waiting(self) -> int:
        with self._cond:
            return len(self._queue)


_LIVE_JOBS: weakref.WeakSet = weakref.WeakSet()


def register_job(job: object) -> None:
    """Remember a job, so that `stop_all_jobs` can end it before the interpreter shuts down."""
    _LIVE_JOBS.add(job)


def stop_all_jobs() -> None:
    """Stop every job still alive (threads joined, child processes ended).

    Registered with `atexit`: a training thread still inside a torch kernel while Python tears down
    aborts the whole process ("terminate called without an active exception").
    """
    for job in list(_LIVE_JOBS):
        try:
            job.stop(wait=2.0)
        except Exception:  # shutting down: never let one job keep the others running
            pass


atexit.register(stop_all_jobs)

_default: JobSlots | None = None
_default_lock = threading.Lock()


def default_slots() -> JobSlots:
    """The server's one cap: NN_MAX_JOBS, or else as many jobs as memory allows (see `core.settings`)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = JobSlots(SETTINGS.max_jobs)
        return _default
