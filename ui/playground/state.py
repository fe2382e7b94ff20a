"""The Playground's session state: its data, network, settings, training job and past runs.

Everything lives in `st.session_state` (per browser session, never shared). A change of data,
network or a setting that needs new weights archives the current run for comparison and builds a
new job; the learning rate and regularization are changed on the running job instead.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import streamlit as st
import torch

from core.data import Dataset, DataSpec, load_dataset
from core.models import build_model
from core.playground.network import HiddenLayer, n_outputs_for, playground_spec
from core.specs import NetworkSpec
from core.training import TrainConfig, TrainingJob
from core.training.process_job import make_job
from core.validate import validate
from ui.kit import janitor as jobs

MAX_RUNS = 5
KEY = "pg"


@dataclass
class Playground:
    data: DataSpec = field(default_factory=lambda: DataSpec("circle", n_samples=500, noise=0.0, train_fraction=0.5))
    hidden: list[HiddenLayer] = field(default_factory=lambda: [HiddenLayer(4, "tanh"), HiddenLayer(2, "tanh")])
    config: TrainConfig = field(default_factory=lambda: TrainConfig(learning_rate=0.03, batch_size=10))
    regularization: str = "none"  # none, l1, l2
    reg_rate: float = 0.0
    csv: Dataset | None = None  # the user's own data, when chosen
    csv_notes: tuple[str, ...] = ()
    show_test: bool = False
    discretize: bool = False
    dataset: Dataset | None = None
    dataset_key: object = None
    job: TrainingJob | None = None
    job_key: object = None
    job_hidden: tuple[HiddenLayer, ...] = ()  # the hidden layers the current job was built with
    runs: list[dict] = field(default_factory=list)
    pending_weights: dict | None = None  # a loaded experiment's weights, for the next job
    loads: int = 0
    run_count: int = 0
    error: str = ""


def get() -> Playground:
    if KEY not in st.session_state:
        st.session_state[KEY] = Playground()
    return st.session_state[KEY]


def dataset(pg: Playground) -> Dataset:
    if pg.data.name == "csv" and pg.csv is not None:
        return pg.csv
    key = pg.data
    if pg.dataset is None or pg.dataset_key != key:
        pg.dataset = load_dataset(pg.data)
        pg.dataset_key = key
    return pg.dataset


def spec(pg: Playground) -> NetworkSpec:
    ds = dataset(pg)
    return playground_spec(ds.input_shape[0], pg.hidden, n_outputs_for(ds))


def _reg(pg: Playground) -> tuple[float, float]:
    return (pg.reg_rate if pg.regularization == "l1" else 0.0, pg.reg_rate if pg.regularization == "l2" else 0.0)


def _archive(pg: Playground) -> None:
    """Stop the current job and keep its run for comparison."""
    if pg.job is None:
        return
    record_run(pg)
    pg.job.stop(wait=0.5)


def record_run(pg: Playground) -> None:
    """Keep the current run (if it trained) among the last few runs to compare."""
    job = pg.job
    view = job.poll() if job is not None else None
    if view is None or view.epoch == 0:
        return
    pg.run_count += 1
    cfg = job.config
    ds = job.dataset
    hidden = "-".join(str(h.units) for h in pg.job_hidden)
    acts = sorted({h.activation for h in pg.job_hidden}) or ["linear"]
    pg.runs.append({
        "label": f"run {pg.run_count}: {ds.name} {hidden or 'no hidden'} {'/'.join(acts)} {cfg.optimizer} "
                 f"lr {view.learning_rate:g}",
        "history": view.history, "epochs": view.epoch, "wall_s": view.wall_s,
        "params": sum(p.numel() for p in job.model.parameters()), "dataset": ds.name,
        "settings": {"optimizer": cfg.optimizer, "learning rate": view.learning_rate, "batch": cfg.batch_size,
                     "L1": view.l1, "L2": view.l2, "loss": job.objective.title},
        "finished_at": time.time(),
    })
    del pg.runs[:-MAX_RUNS]


def ensure_job(pg: Playground) -> TrainingJob:
    """The job for the current data, network and settings; rebuilt (old run archived) when they change."""
    ds = dataset(pg)
    net = spec(pg)
    validate(net, n_outputs_for(ds))
    l1, l2 = _reg(pg)
    cfg = replace(pg.config, l1=l1, l2=l2)
    key = (id(ds), net.to_json(), cfg.optimizer, cfg.batch_size, cfg.loss, cfg.device, cfg.momentum, cfg.seed,
           pg.loads)
    if pg.job is not None and getattr(pg.job, "closed", False):  # stopped while this tab was away
        snap = pg.job.poll().snapshot
        if snap is not None and pg.pending_weights is None:
            pg.pending_weights = {k: torch.as_tensor(v) for k, v in snap.state.items()}
        record_run(pg)
        pg.job = None
    if pg.job is None or pg.job_key != key:
        start = {"initial_state": pg.pending_weights} if pg.pending_weights else {}
        job = make_job(build_model(net, seed=cfg.seed), ds, cfg, snapshot_every_s=0.1, **start)
        jobs.watch(job)
        pg.pending_weights = None
        _archive(pg)
        pg.job, pg.job_key, pg.job_hidden = job, key, tuple(pg.hidden)
    else:  # live changes, applied mid-run
        view = pg.job.poll()
        if view.learning_rate != cfg.learning_rate:
            pg.job.set_learning_rate(cfg.learning_rate)
        if (view.l1, view.l2) != (l1, l2):
            pg.job.set_regularization(l1, l2)
    return pg.job


def try_update(pg: Playground, **changes) -> bool:
    """Apply changes to the Playground; on a bad value keep everything as it was and show why."""
    before = {k: getattr(pg, k) for k in changes}
    try:
        for k, v in changes.items():
            setattr(pg, k, v)
        ensure_job(pg)
        pg.error = ""
        return True
    except ValueError as exc:
        for k, v in before.items():
            setattr(pg, k, v)
        pg.error = str(exc)
        return False
