"""`TrainingJob`: one session's training, run in a worker thread that never touches Streamlit.

It drives any `Trainable` (see `protocol.py`): the supervised `Trainer` when it is given a model, a
dataset and a config, or a lab's own trainer given as the first argument. History columns are the
trainer's `evaluate()` keys.

Commands (start, pause, step, stop, reset, new learning rate or regularization) go in through a
condition variable and are applied by the worker between slices of work, so the trainer is only
ever mutated by one thread. Metrics (one row per epoch) and periodic snapshots come out through
`poll()`, a lock-protected copy a page can draw from. A job takes a slot of the process-wide
`JobSlots` cap while it trains and waits, visibly "queued", when none is free. A job whose page has
not polled it for `idle_timeout_s` pauses itself, and one left alone for `stop_after_s` ends its
thread (the model is kept, `start()` brings it back).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from core.data.dataset import Dataset
from core.settings import SETTINGS
from core.training import messages
from core.training.config import TrainConfig, with_live
from core.training.device import describe_device
from core.training.engine import Probe, Trainer
from core.training.objective import Objective
from core.training.protocol import Trainable, loss_keys
from core.training.record import MAX_CHECKPOINTS, RunRecord
from core.training.slots import JobSlots, default_slots, register_job
from core.training.snapshot import Snapshot
from core.training.view import JobState, JobView, wait_for

__all__ = ["JobState", "JobView", "TrainingJob", "wait_for"]



class TrainingJob:
    def __init__(
        self,
        model: nn.Module | Trainable,
        dataset: Dataset | None = None,
        config: TrainConfig | None = None,
        slots: JobSlots | None = None,
        idle_timeout_s: float = SETTINGS.idle_pause_s,
        stop_after_s: float = SETTINGS.idle_stop_s,
        slice_s: float = 0.05,
        snapshot_every_s: float = 0.25,
        max_history: int = 4000,
        max_snapshots: int = 300,
        checkpoint_bytes: int = 64 * 2**20,
        initial_state: dict[str, torch.Tensor] | None = None,
        probe: Probe | None = None,
    ):
        if isinstance(model, nn.Module):
            if dataset is None or config is None:
                raise ValueError("a job for a model needs its dataset and training settings")
            self.trainer: Trainable = Trainer(model, dataset, config, probe=probe)
        else:
            self.trainer = model
        own = getattr(self.trainer, "config", None)
        # the job reads threads and max_epochs from a TrainConfig; a lab's trainer keeps its own settings
        self.config = config or (own if isinstance(own, TrainConfig) else TrainConfig())
        self.trainer.reset(config.seed if config is not None else None)
        model = self.trainer.model
        if initial_state is not None:  # carry on from saved weights (Reset still goes back to the seed's)
            with torch.no_grad():
                model.load_state_dict({k: torch.as_tensor(v) for k, v in initial_state.items()})
        self.dataset = dataset if dataset is not None else getattr(self.trainer, "dataset", None)
        self._slots = slots or default_slots()
        self.idle_timeout_s, self.stop_after_s = idle_timeout_s, stop_after_s
        self.slice_s, self.snapshot_every_s = slice_s, snapshot_every_s
        self._cond = threading.Condition()
        self._lock = threading.Lock()
        self._commands: list[tuple[Callable[[Trainable], Any], list]] = []
        self._want_run = False
        self._pending_epochs = 0
        self._stopping = False
        self._alive = False
        self._thread: threading.Thread | None = None
        self._state = JobState.IDLE
        self._message = ""
        self._last_poll = time.monotonic()
        self._version = 0
        state_bytes = sum(v.numel() * v.element_size() for v in model.state_dict().values()) or 1
        self.max_checkpoints = int(max(2, min(MAX_CHECKPOINTS, checkpoint_bytes // state_bytes)))
        self._record_log = RunRecord(max_history, max_snapshots, self.max_checkpoints)
        self._reset_history()
        self._publish_snapshot()  # a page can draw the untrained network at once
        register_job(self)

    # -- commands (any thread) --------------------------------------------------------------------
    def start(self) -> None:
        """Train continuously (play / resume)."""
        with self._cond:
            if self._state in (JobState.DIVERGED, JobState.FINISHED):
                return
            self._want_run = True
            self._stopping = False
            self._cond.notify_all()
        self._ensure_thread()

    resume = start

    def pause(self) -> None:
        with self._cond:
            self._want_run = False
            self._pending_epochs = 0
            self._cond.notify_all()

    def step(self, epochs: int = 1) -> None:
        """Train exactly `epochs` more epochs, then pause (TensorFlow Playground's step button)."""
        if isinstance(epochs, bool) or not isinstance(epochs, int) or not 1 <= epochs <= 10_000:
            raise ValueError(f"steps must be a whole number of epochs from 1 to 10000, not {epochs!r}")
        with self._cond:
            if self._state == JobState.DIVERGED:
                return
            self._want_run = False
            self._pending_epochs += epochs
            self._stopping = False
            self._cond.notify_all()
        self._ensure_thread()

    def stop(self, wait: float = 2.0) -> None:
        """End the worker thread and give back the slot; the model and history are kept."""
        with self._cond:
            self._stopping = True
            self._want_run = False
            self._pending_epochs = 0
            self._cond.notify_all()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(wait)

    close = stop

    def reset(self, seed: int | None = None) -> None:
        """Pause, re-initialize the weights from the seed, clear the history."""
        self.pause()
        self._call(lambda t: t.reset(seed))
        with self._lock:
            self._reset_history()
        self._set_state(JobState.IDLE, "")
        self._publish_snapshot()

    def set(self, **live: float) -> None:
        """Change the trainer's live settings mid-run (a readable ValueError when one is refused); the job's
        `config` follows, so what a page reads from it is what trains now."""
        self._call(lambda t: t.set(**live))
        self.config = with_live(self.config, live)
        self._bump()

    def set_learning_rate(self, lr: float) -> None:
        self.set(learning_rate=lr)

    def edit_weight(self, name: str, index: tuple[int, ...], value: float) -> None:
        """Set one weight while paused (TensorFlow Playground's weight edit); refused while training."""
        if self._want_run or self._pending_epochs:
            raise ValueError("pause the training first, then change a weight")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError("a weight must be a number")

        def edit(t: Trainable) -> None:
            params = dict(t.model.named_parameters())
            if name not in params:
                raise ValueError(f"the network has no weight '{str(name)[:40]}'")
            p = params[name]
            if len(index) != p.dim() or not all(0 <= int(i) < n for i, n in zip(index, p.shape)):
                raise ValueError("that weight is not in this network")
            with torch.no_grad():
                p[tuple(int(i) for i in index)] = float(value)

        self._call(edit)
        self._publish_snapshot()

    def set_regularization(self, l1: float, l2: float) -> None:
        self.set(l1=l1, l2=l2)

    @property
    def closed(self) -> bool:
        """A thread job can always train again: `start()` brings a stopped worker back."""
        return False

    def _bump(self) -> None:
        with self._lock:
            self._version += 1

    def model_copy(self) -> nn.Module:
        """A CPU copy of the model in eval mode, taken between two slices of training."""
        import copy

        def take(t: Trainable) -> nn.Module:
            m = copy.deepcopy(t.model).cpu().eval()
            for p in m.parameters():
                p.requires_grad_(False)
            return m

        return self._call(take)

    # -- reading (any thread) ---------------------------------------------------------------------
    def poll(self) -> JobView:
        """Everything a page draws; also tells the job that someone is still watching."""
        self._last_poll = time.monotonic()
        t = self.trainer
        with self._lock:
            log = self._record_log
            history = log.history_arrays()
            return JobView(
                state=self._state, message=self._message, epoch=t.epoch, step=t.step_count,
                wall_s=t.train_time, device=describe_device(t.device),
                queue_position=self._slots.position(self), live=dict(t.live()),
                history=history, snapshot=log.latest, snapshots=tuple(log.snapshots), version=self._version,
                active=self._want_run or self._pending_epochs > 0, recent=tuple(log.recent),
            )

    @property
    def state(self) -> JobState:
        return self._state

    @property
    def model(self) -> nn.Module:
        return self.trainer.model

    @property
    def objective(self) -> Objective | None:
        """The supervised trainer's loss and targets (None for other trainers)."""
        return getattr(self.trainer, "objective", None)

    def checkpoints(self) -> tuple[Snapshot, ...]:
        """Full-weight snapshots kept during training, from the untrained network to the latest.

        At most `max_checkpoints` (fewer for big models: their bytes are capped); when full, every other
        one is dropped and the spacing in epochs doubles, so they stay spread over the whole run.
        """
        with self._lock:
            return self._record_log.all_checkpoints()

    def wait(self, predicate: Callable[[JobView], bool], timeout: float = 10.0, interval: float = 0.01) -> JobView:
        """Poll until `predicate(view)` holds or `timeout` passes; returns the last view."""
        return wait_for(self.poll, predicate, timeout, interval)

    # -- internals --------------------------------------------------------------------------------
    def _reset_history(self) -> None:
        self._record_log.reset()
        self._record(self.trainer.evaluate())

    def _record(self, metrics: dict[str, float]) -> None:
        t = self.trainer
        if self._record_log.add_row(t.epoch, t.step_count, t.train_time, metrics):
            self._version += 1

    def _set_state(self, state: JobState, message: str | None = None) -> None:
        with self._lock:
            self._state = state
            if message is not None:
                self._message = message
            self._version += 1

    def _publish_snapshot(self) -> None:
        snap = self.trainer.snapshot()
        with self._lock:
            self._record_log.add_snapshot(snap)
            self._version += 1

    def _call(self, fn: Callable[[Trainable], Any], timeout: float = 30.0) -> Any:
        """Run `fn(trainer)` on the worker between slices, or here when no worker runs."""
        box: list = []
        done = threading.Event()
        with self._cond:
            if not self._alive:
                return fn(self.trainer)
            self._commands.append((fn, [box, done]))
            self._cond.notify_all()
        if not done.wait(timeout):
            raise TimeoutError("the training job did not answer in time")
        if box and isinstance(box[0], BaseException):
            raise box[0]
        return box[0] if box else None

    def _drain(self) -> None:
        """Apply queued commands; called by the worker with `_cond` held."""
        while self._commands:
            fn, (box, done) = self._commands.pop(0)
            try:
                box.append(fn(self.trainer))
            except BaseException as exc:  # handed back to the caller
                box.append(exc)
            done.set()

    def _ensure_thread(self) -> None:
        with self._cond:
            if self._alive:
                return
            self._alive = True
            self._last_poll = time.monotonic()
            self._thread = threading.Thread(target=self._loop, name="training-job", daemon=True)
            self._thread.start()

    def _idle_for(self) -> float:
        return time.monotonic() - self._last_poll

    def _loop(self) -> None:
        torch.set_num_threads(self.config.threads)  # per thread: the page's threads keep theirs
        holding = False
        last_snap = 0.0
        try:
            while True:
                with self._cond:
                    self._drain()
                    if self._stopping or self._idle_for() > self.stop_after_s:
                        break
                    active = self._want_run or self._pending_epochs > 0
                    if not active:
                        if holding:
                            self._slots.release(self)
                            holding = False
                        if self._state in (JobState.RUNNING, JobState.QUEUED):
                            self._set_state(JobState.PAUSED)
                        self._cond.wait(0.25)
                        continue
                if self._want_run and self._idle_for() > self.idle_timeout_s:
                    self._want_run = False
                    self._set_state(JobState.PAUSED, messages.IDLE_PAUSED)
                    continue
                if not holding:
                    if self._state != JobState.QUEUED:
                        self._set_state(JobState.QUEUED, messages.QUEUED)
                    holding = self._slots.acquire(self, timeout=0.2)
                    if not holding:
                        continue
                    self._set_state(JobState.RUNNING, "")
                finished_epoch = self.trainer.run(self.slice_s)
                now = time.monotonic()
                if finished_epoch and self._after_epoch():
                    last_snap = now
                elif now - last_snap >= self.snapshot_every_s:
                    self._publish_snapshot()
                    last_snap = now
        except Exception as exc:  # a bug or an out-of-memory must not kill the server, only this job
            self._set_state(JobState.FAILED, messages.failed(exc))
        finally:
            self._slots.release(self)  # gives back the slot, or leaves the queue
            with self._cond:
                self._alive = False
                self._drain()
            if self._state in (JobState.RUNNING, JobState.QUEUED, JobState.PAUSED, JobState.IDLE):
                self._set_state(JobState.STOPPED)
            self._publish_snapshot()

    def _after_epoch(self) -> bool:
        """Record the epoch; stop on divergence or max_epochs. True when a snapshot was published."""
        t = self.trainer
        m = t.evaluate()
        with self._lock:
            self._record(m)
        bad = [k for k in loss_keys(m) if not math.isfinite(m[k])]
        finite = getattr(t, "params_finite", None)
        if bad or (finite is not None and not finite()):
            with self._cond:
                self._want_run = False
                self._pending_epochs = 0
            value = m[bad[0]] if bad else math.nan
            self._set_state(JobState.DIVERGED, messages.diverged(t.epoch, value, t.live().get("learning_rate")))
            self._publish_snapshot()
            return True
        with self._cond:
            if self._pending_epochs > 0:
                self._pending_epochs -= 1
                if self._pending_epochs == 0:
                    self._publish_snapshot()
                    return True
        if self.config.max_epochs and t.epoch >= self.config.max_epochs:
            with self._cond:
                self._want_run = False
                self._pending_epochs = 0
            self._set_state(JobState.FINISHED, messages.finished(t.epoch))
            self._publish_snapshot()
            return True
        return False
