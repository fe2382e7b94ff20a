"""A lab's job slot: at most one training job per lab and session, with its past runs.

`ensure(key, build)` returns the job for the current setup: when the setup (`key`) changed, the old
job's run is archived for comparison and the job stopped; when the job was closed meanwhile (its
tab was away past the idle limit, or the janitor stopped it), a new one is built from the last
weights, so nothing the student trained is lost. Every new job is watched by the janitor, which
stops it once its browser session is gone.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import torch

from core.training import Job
from ui.kit import janitor

MAX_RUNS = 5
Build = Callable[[dict[str, torch.Tensor] | None], Job]  # initial weights (or None) -> a new job


@dataclass
class JobSlot:
    job: Job | None = None
    key: object = None
    runs: list[dict[str, Any]] = field(default_factory=list)
    run_count: int = 0
    describe: Callable[[Job], dict[str, Any]] | None = None  # a run's label and settings, for the archive

    def ensure(self, key: object, build: Build, initial: dict[str, torch.Tensor] | None = None) -> Job:
        """The job for `key`; `initial` weights start a new one (a loaded experiment, say)."""
        if self.job is not None and self.job.closed:  # stopped while this tab was away: carry on from there
            snap = self.job.poll().snapshot
            if snap is not None and initial is None and self.key == key:
                initial = {k: torch.as_tensor(v) for k, v in snap.state.items()}
            self.archive()
            self.job = None
        if self.job is None or self.key != key:
            job = build(initial)
            janitor.watch(job)
            self.drop()
            self.job, self.key = job, key
        return self.job

    def drop(self) -> None:
        """Archive the current run and stop its job (the next `ensure` builds a new one)."""
        if self.job is not None:
            self.archive()
            self.job.stop(wait=0.5)
        self.job = None

    def archive(self) -> None:
        """Keep the current run (if it trained) among the last few runs to compare."""
        job = self.job
        view = job.poll() if job is not None else None
        if view is None or view.epoch == 0:
            return
        self.run_count += 1
        info = self.describe(job) if self.describe is not None else {}
        self.runs.append({"label": f"run {self.run_count}: {info.get('label', '')}".rstrip(": "),
                          "history": view.history, "epochs": view.epoch, "wall_s": view.wall_s,
                          "params": int(sum(w.size for w in view.snapshot.weights.values())) if view.snapshot else 0,
                          "dataset": info.get("dataset", ""), "settings": info.get("settings", {}),
                          "finished_at": time.time()})
        del self.runs[:-MAX_RUNS]

    def reset(self) -> None:
        """Archive the run, then back to the seed's weights at epoch 0."""
        if self.job is not None:
            self.archive()
            self.job.reset()
