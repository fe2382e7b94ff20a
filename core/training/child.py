"""The child side of `ProcessJob`: the fork server, launching a child, and the loop it runs.

The child runs a plain `TrainingJob`, answers commands from the parent over a pipe, and pushes what
changed in its view (new history rows and snapshots only) whenever the view's version changes.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from multiprocessing import spawn
from typing import Any

from torch import nn

from core.data.dataset import Dataset
from core.training.config import TrainConfig
from core.training.job import JobView, TrainingJob
from core.training.slots import JobSlots

_CTX: Any = None
_LAUNCH = threading.Lock()


@contextmanager
def without_main() -> Iterator[None]:
    """Keep `__main__` out of what a new process re-imports.

    Streamlit runs app.py as `__main__`; multiprocessing would run the app script again in the fork
    server and in every child. Our children only need `_child_main`, which is importable.
    """
    with _LAUNCH:
        original = spawn.get_preparation_data

        def prepare(name: str) -> dict:
            data = original(name)
            data.pop("init_main_from_path", None)
            data.pop("init_main_from_name", None)
            return data

        spawn.get_preparation_data = prepare
        try:
            yield
        finally:
            spawn.get_preparation_data = original


def warm_up() -> None:
    """Start the fork server ahead of the first job (it imports torch once, which takes seconds)."""
    ctx = context()
    if ctx.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        def run() -> None:
            with without_main():
                forkserver.ensure_running()

        threading.Thread(target=run, daemon=True).start()


def context():
    """A forkserver context with torch and the engine preloaded (the compiled kernels too, loaded from
    numba's cache or compiled once there): a new job starts in milliseconds."""
    global _CTX
    if _CTX is None:
        try:
            ctx = mp.get_context("forkserver")
            ctx.set_forkserver_preload(["torch", "core.training.job", "core.training.kernels"])
        except ValueError:  # no forkserver on this platform
            ctx = mp.get_context("spawn")
        _CTX = ctx
    return _CTX


class _Delta:
    """What the child sends: the view without history and snapshot list, plus what is new in them."""

    def __init__(self) -> None:
        self.rows = 0
        self.last_epoch = None
        self.last_snap: tuple | None = None
        self.n_snaps = 0

    def make(self, view: JobView) -> tuple:
        h = view.history
        n = len(h["epoch"])
        full_rows = n < self.rows or (self.rows and h["epoch"][self.rows - 1] != self.last_epoch)
        start = 0 if full_rows else self.rows
        rows = {k: v[start:] for k, v in h.items()}
        self.rows, self.last_epoch = n, (h["epoch"][n - 1] if n else None)
        snaps = view.snapshots
        keys = [(s.step, s.wall_s) for s in snaps]
        shrank = len(snaps) < self.n_snaps  # thinned out: the parent takes the list whole
        self.n_snaps = len(snaps)
        if self.last_snap in keys and not shrank:
            new_snaps, full_snaps = snaps[keys.index(self.last_snap) + 1:], False
        else:
            new_snaps, full_snaps = snaps, True
        self.last_snap = keys[-1] if keys else None
        bare = replace(view, history={}, snapshots=(), recent=())  # the parent keeps its own recent ones
        return bare, bool(full_rows), rows, full_snaps, new_snaps


# The lowest priority. The server and its training children share one scheduling group (the
# kernel's autogroup is per session), where niceness counts: the server's script threads draw the
# pages and answer the students, so they come first. Training still gets every core the server
# leaves idle (`benchmarks/live_ui.py`: 169-248 epochs/s while drawing, 129-158 at niceness 4 in a
# slower hour). In `benchmarks/load.py` 19 and 4 did not separate from run-to-run noise (health p99
# 297-332 ms and 318 ms with 20 sessions arriving at once): the priority states the intent.
CHILD_NICENESS = 19


def lowest_priority() -> None:
    """Training yields the CPU to the web server and its pages whenever they need it: SCHED_IDLE where
    Linux offers it (such a process runs only on CPU time nobody else wants, and the idle children
    share that time equally among themselves), else the highest niceness."""
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
        return
    except (AttributeError, OSError):
        pass
    if hasattr(os, "nice"):
        os.nice(CHILD_NICENESS)


def child_main(conn, model: Any, dataset: Dataset | None, config: TrainConfig | None, kwargs: dict) -> None:
    """Runs in the child: a TrainingJob, a loop answering commands and pushing what changed.

    `model` is a module (supervised, on `dataset` with `config`) or a factory that builds a trainer."""
    lowest_priority()
    target = model if isinstance(model, nn.Module) else model()
    job = TrainingJob(target, dataset, config, slots=JobSlots(1), **kwargs)
    push_every = kwargs.get("snapshot_every_s", 0.1)
    delta = _Delta()
    last: tuple = (-1, False)

    def push() -> None:
        nonlocal last
        view = job.poll()
        if (view.version, view.active) != last:
            conn.send(("view", delta.make(view)))
            last = (view.version, view.active)

    try:
        while True:
            if conn.poll(push_every):
                ident, cmd, args = conn.recv()
                if cmd == "quit":
                    break
                if cmd == "push_every":  # the parent's pace: slower when many jobs share the server
                    push_every = float(args[0])
                    continue
                try:
                    result = _apply(job, cmd, args)
                except Exception as exc:  # handed back to the caller, as in TrainingJob._call
                    conn.send(("reply", (ident, exc, True)))
                    continue
                push()  # the caller sees the command's effect as soon as it returns
                conn.send(("reply", (ident, result, False)))
            push()
    except (EOFError, BrokenPipeError, OSError):
        pass
    finally:
        job.stop()


def _apply(job: TrainingJob, cmd: str, args: tuple) -> Any:
    if cmd == "state":
        return {k: v.detach().cpu().clone() for k, v in job.model.state_dict().items()}
    if cmd == "set":
        return job.set(**args[0])
    return getattr(job, cmd)(*args)
