"""`ProcessJob`: a `TrainingJob` run in a child process, behind the same API.

Python runs one thread at a time (the GIL): a training thread inside the web server competes with
every page redraw and with the server's own work, and all sessions' training threads share a single
core. Child processes leave the server responsive and the OS shares the cores among them (every job
trains at once; only memory caps their number, see `slots.py`). The parent keeps the cap and the
queue: it takes a slot before telling the child to train and gives it back when the child stops.

The child runs the very same `TrainingJob`, over the supervised `Trainer` (given a model, a dataset
and a config) or over a lab's own `Trainable` (given a picklable factory that builds it); it pushes a
fresh `JobView` to the parent whenever its version changes (only what is new; see `child.py`), and
answers commands (start, pause, step, reset, live settings, weights) over a pipe. Only plain data
crosses: specs, tensors, numpy arrays.
"""

from __future__ import annotations

import copy
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
from torch import nn

from core.data.dataset import Dataset
from core.settings import SETTINGS
from core.training import messages
from core.training.child import child_main, context, warm_up, without_main
from core.training.config import TrainConfig, with_live
from core.training.job import JobState, JobView, TrainingJob, wait_for
from core.training.objective import Objective, make_objective
from core.training.protocol import Job, Trainable
from core.training.record import keep_recent
from core.training.slots import JobSlots, default_slots, register_job

__all__ = ["ProcessJob", "make_job", "warm_up"]

TrainerFactory = Callable[[], Trainable]
# news from a child (see `_pace`), measured with benchmarks/load.py: with 20 jobs at 0.1 s each the
# health check's p99 was 290 ms, at 0.5 s 226 ms
PUSH_FASTEST_S, PUSH_SLOWEST_S, PUSH_PER_JOB_S = 0.1, 0.4, 0.025
# how long a job's relay thread waits for news before it looks after the slot and idleness again
# (news wake it at once; with 30 jobs, every wake-up competes for the server's interpreter)
RELAY_WAIT_S = 0.2


class ProcessJob:
    """Same calls as `TrainingJob` (the `Job` protocol: start, pause, resume, step, stop, reset, set,
    model_copy, checkpoints, poll, wait); the training runs in a child process.

    `model` is a module (with its dataset and config: the supervised trainer) or a picklable factory
    (a module-level function or class, or a `functools.partial` of one) that builds a `Trainable`
    in the child.
    """

    def __init__(self, model: nn.Module | TrainerFactory, dataset: Dataset | None = None,
                 config: TrainConfig | None = None, slots: JobSlots | None = None,
                 idle_timeout_s: float = SETTINGS.idle_pause_s, stop_after_s: float = SETTINGS.idle_stop_s,
                 **job_kwargs: Any):
        supervised = isinstance(model, nn.Module)
        if supervised and (dataset is None or config is None):
            raise ValueError("a job for a model needs its dataset and training settings")
        self.config = config or TrainConfig()
        self.dataset = dataset
        self._config_given = config
        self._target = model
        self._model = model if supervised else None  # the parent's copy: weights synced on model_copy()
        self._slots = slots or default_slots()
        self.idle_timeout_s, self.stop_after_s = idle_timeout_s, stop_after_s
        self._job_kwargs = {**job_kwargs, "idle_timeout_s": 1e9, "stop_after_s": 1e9}  # the parent decides
        self._lock = threading.Lock()
        self._replies: list = []
        self._next_id = 0
        self._reply_ready = threading.Condition(self._lock)
        self._view: JobView | None = None
        self._rows: dict[str, list] = {}
        self._snaps: list = []
        self._history: dict[str, np.ndarray] = {}
        self._history_stale = False
        self._recent: deque = deque()  # the last full snapshots received, for the live views
        self._max_snaps = job_kwargs.get("max_snapshots", 300)
        self._wants_slot = False
        self._holding = False
        self._last_poll = time.monotonic()
        self._closed = False
        self._objective: Objective | None = None
        if supervised:
            make_objective(dataset.task, 1, config.loss)  # a task/loss mismatch fails here, readably
        self._spawn()
        register_job(self)
        alive = self._proc.is_alive
        if self.wait(lambda v: v is not None or not alive(), timeout=60) is None:
            self.stop(wait=0.5)
            raise RuntimeError("the training process could not build this job (see the server's log)")

    # -- process plumbing -------------------------------------------------------------------------
    def _spawn(self) -> None:
        ctx = context()
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(target=child_main, args=(child, self._target, self.dataset, self._config_given,
                                                           self._job_kwargs), daemon=True, name="training-job")
        with without_main():
            self._proc.start()
        child.close()
        self._relay = threading.Thread(target=self._relay_loop, name="training-relay", daemon=True)
        self._relay.start()

    def _relay_loop(self) -> None:
        """Receive views and replies; hold the slot while the child trains; watch for idleness."""
        try:
            while not self._closed:
                if self._conn.poll(RELAY_WAIT_S):
                    kind, payload = self._conn.recv()
                    with self._lock:
                        if kind == "view":
                            self._merge(*payload)
                        else:
                            self._replies.append(payload)
                            self._reply_ready.notify_all()
                self._manage_slot()
                self._watch_idle()
                self._pace()
        except (EOFError, OSError):
            pass
        finally:
            self._release()
            with self._lock:
                self._reply_ready.notify_all()

    def _merge(self, bare: JobView, full_rows: bool, rows: dict, full_snaps: bool, snaps: tuple) -> None:
        """Rebuild the child's view from a delta (called with the lock held)."""
        if full_rows or not self._rows:
            self._rows = {k: list(v) for k, v in rows.items()}
        else:
            for k, v in rows.items():
                self._rows[k].extend(v.tolist())
        if full_snaps:  # the child thinned its list out (it never drops the beginning): take it whole
            self._snaps = list(snaps)
        else:
            self._snaps.extend(snaps)
            if len(self._snaps) > 2 * self._max_snaps:  # a safeguard only: thin out, keep the start
                self._snaps = self._snaps[::2]
        snap = bare.snapshot
        if snap is not None and (not self._recent or (self._recent[-1].step, self._recent[-1].wall_s)
                                 != (snap.step, snap.wall_s)):
            if self._recent and (snap.step < self._recent[-1].step or full_rows):
                self._recent.clear()  # a reset: the earlier snapshots belong to another run
            keep_recent(self._recent, snap)
        # the history's arrays are built when a page polls (less often than news arrive)
        self._history_stale = True
        self._view = replace(bare, history=self._history, snapshots=tuple(self._snaps), recent=tuple(self._recent))
        if bare.active or bare.version != self._start_version:
            self._starting = False  # the child has acted on the last start or step

    def _manage_slot(self) -> None:
        view = self._view
        if self._wants_slot and not self._holding:
            if self._slots.acquire(self, timeout=0.05):
                self._holding = True
                self._starting = True
                self._wants_slot = False
                self._send(*self._pending_start)
        elif self._holding and view is not None and not view.active and not self._starting:
            self._release()

    _push_every = 0.0
    _paced_at = 0.0

    def _pace(self) -> None:
        """How often the child sends news: every 0.1 s for a job or two, slower as more jobs train at
        once (each news costs the server's interpreter; the pages redraw less often then anyway)."""
        now = time.monotonic()
        if now - self._paced_at < 1.0:
            return
        self._paced_at = now
        wanted = min(PUSH_SLOWEST_S, max(PUSH_FASTEST_S, PUSH_PER_JOB_S * self._slots.running))
        if abs(wanted - self._push_every) > 0.2 * max(wanted, self._push_every):
            self._push_every = wanted
            self._send("push_every", (wanted,))

    def _release(self) -> None:
        self._slots.release(self)
        self._holding = False

    def _watch_idle(self) -> None:
        idle = time.monotonic() - self._last_poll
        view = self._view
        if view is not None and (view.active or self._wants_slot) and idle > self.idle_timeout_s:
            self._wants_slot = False
            self._slots.release(self)
            self._send("pause", ())
            self._idle_message = messages.IDLE_PAUSED
        if idle > self.stop_after_s and not self._closed:
            self._closed = True
            self._send("quit", ())

    def _send(self, cmd: str, args: tuple) -> int:
        with self._lock:
            self._next_id += 1
            ident = self._next_id
        try:
            self._conn.send((ident, cmd, args))
        except (BrokenPipeError, OSError):
            pass
        return ident

    def _call(self, cmd: str, *args: Any, timeout: float = 60.0) -> Any:
        """Send a command and wait for its own reply (replies to other commands are dropped)."""
        ident = self._send(cmd, args)

        def mine() -> bool:
            return any(r[0] == ident for r in self._replies) or not self._relay.is_alive()

        with self._lock:
            if not self._reply_ready.wait_for(mine, timeout):
                raise TimeoutError("the training process did not answer in time")
            found = [r for r in self._replies if r[0] == ident]
            # replies to fire-and-forget commands sent earlier are of no use to anyone
            self._replies[:] = [r for r in self._replies if r[0] > ident]
            if not found:
                raise RuntimeError("the training process has ended; reset or rebuild the network")
            _, payload, failed = found[0]
        if failed:
            raise payload
        return payload

    # -- the TrainingJob API ----------------------------------------------------------------------
    _idle_message = ""
    _pending_start: tuple = ("start", ())
    _start_version = -1
    _starting = False  # a start or step was sent and the child has not shown it yet

    def _request_run(self, cmd: str, args: tuple) -> None:
        view = self._view
        if self._closed or not self._proc.is_alive():
            return  # an ended child cannot train: `closed` tells the page to build a new job
        if view is not None and view.state in (JobState.DIVERGED, JobState.FINISHED) and cmd == "start":
            return
        self._idle_message = ""
        self._last_poll = time.monotonic()
        self._start_version = view.version if view is not None else -1
        if not self._holding and self._slots.acquire(self, timeout=0):  # also takes a place in the queue
            self._holding = True
        if self._holding:
            self._starting = True
            self._send(cmd, args)
        else:
            self._pending_start = (cmd, args)
            self._wants_slot = True

    def start(self) -> None:
        self._request_run("start", ())

    resume = start

    def step(self, epochs: int = 1) -> None:
        if isinstance(epochs, bool) or not isinstance(epochs, int) or not 1 <= epochs <= 10_000:
            raise ValueError(f"steps must be a whole number of epochs from 1 to 10000, not {epochs!r}")
        self._request_run("step", (epochs,))

    def pause(self) -> None:
        self._wants_slot = False
        self._starting = False
        self._call("pause")
        self._release()

    def reset(self, seed: int | None = None) -> None:
        self._wants_slot = False
        self._starting = False
        self._call("reset", seed)
        self._release()
        self._idle_message = ""

    def set(self, **live: float) -> None:
        self._call("set", live)  # raises (and changes nothing) when the child refuses them
        self.config = with_live(self.config, live)

    def set_learning_rate(self, lr: float) -> None:
        self.set(learning_rate=lr)

    def edit_weight(self, name: str, index: tuple[int, ...], value: float) -> None:
        self._call("edit_weight", name, tuple(index), value)

    def set_regularization(self, l1: float, l2: float) -> None:
        self.set(l1=l1, l2=l2)

    def model_copy(self) -> nn.Module:
        if self._model is None:  # a lab's trainer: the child sends its copy whole
            return self._call("model_copy")
        state = self._call("state")
        self._model.load_state_dict(state)
        m = copy.deepcopy(self._model).cpu().eval()
        for p in m.parameters():
            p.requires_grad_(False)
        return m

    def checkpoints(self) -> tuple:
        """The child job's full-weight checkpoints (see `TrainingJob.checkpoints`), fetched on demand."""
        return self._call("checkpoints")

    def stop(self, wait: float = 2.0) -> None:
        if not self._closed:
            self._closed = True
            self._send("quit", ())
        self._release()
        self._proc.join(wait)
        if self._proc.is_alive():
            self._proc.terminate()
            self._proc.join(1.0)

    close = stop

    @property
    def model(self) -> nn.Module:
        """The parent's copy of the model (for a lab's trainer, a fresh copy from the child)."""
        return self._model if self._model is not None else self.model_copy()

    @property
    def closed(self) -> bool:
        """True once the child process was told to end (stopped): this job cannot train again."""
        return self._closed

    @property
    def state(self) -> JobState:
        return self.poll().state

    def poll(self) -> JobView:
        self._last_poll = time.monotonic()
        with self._lock:
            if self._history_stale and self._view is not None:
                self._history = {k: np.asarray(v, dtype=float) for k, v in self._rows.items()}
                self._view = replace(self._view, history=self._history)
                self._history_stale = False
            view = self._view
        if view is None:
            return None  # type: ignore[return-value]  # only before the child's first view
        if self._closed or not self._proc.is_alive():  # before anything that says it would train
            return replace(view, state=JobState.STOPPED, active=False, queue_position=None)
        position = self._slots.position(self)
        if self._wants_slot:
            return replace(view, state=JobState.QUEUED, queue_position=position, active=True,
                           message=messages.QUEUED)
        if self._starting:
            return replace(view, active=True, queue_position=position)
        if self._idle_message and not view.active:
            return replace(view, message=self._idle_message)
        return replace(view, queue_position=position)

    def wait(self, predicate: Callable[[JobView], bool], timeout: float = 10.0, interval: float = 0.01) -> JobView:
        return wait_for(self.poll, predicate, timeout, interval)

    @property
    def objective(self) -> Objective | None:
        """The supervised trainer's loss and targets (None for a lab's own trainer)."""
        if self._model is None or self.dataset is None:
            return None
        if self._objective is None:
            was = self._model.training
            self._model.eval()
            n_out = int(self._model(self.dataset.x_train[:2]).shape[1])
            self._model.train(was)
            self._objective = make_objective(self.dataset.task, n_out, self.config.loss)
        return self._objective


def make_job(model: nn.Module | TrainerFactory, dataset: Dataset | None = None, config: TrainConfig | None = None,
             process: bool | None = None, **kwargs: Any) -> Job:
    """A job for a page: in a child process by default (see the module docstring), or a thread.

    `model` is a module (supervised training of it on `dataset` with `config`) or a factory that
    builds a lab's `Trainable`. With `process=None` the settings decide: NN_JOBS=thread keeps jobs
    inside the server.
    """
    if process is None:
        process = SETTINGS.jobs != "thread"
    if process:
        return ProcessJob(model, dataset, config, **kwargs)
    target = model if isinstance(model, nn.Module) else model()
    return TrainingJob(target, dataset, config, **kwargs)
