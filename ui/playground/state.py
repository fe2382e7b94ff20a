"""The Playground's session state: its data, network, settings, training job and past runs.

Everything lives in `st.session_state` (per browser session, never shared). A change of data,
network or a setting that needs new weights archives the current run for comparison and builds a
new job (the kit's `JobSlot`, which also rebuilds a job closed while the tab was away); the
learning rate and regularization are changed on the running job instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import streamlit as st

from core.data import Dataset, DataSpec, load_dataset
from core.data.dataset import n_outputs_for
from core.models import build_model
from core.playground.fields import SETTINGS as S
from core.playground.network import HiddenLayer, playground_spec
from core.playground.plane import plane_probe
from core.specs import NetworkSpec
from core.training import Job, TrainConfig, make_job
from core.validate import validate
from ui.kit import models
from ui.kit.job_slot import JobSlot

KEY = "pg"


@dataclass
class Playground:
    # every default is the settings table's (core/playground/fields.py)
    data: DataSpec = field(default_factory=lambda: DataSpec(
        S.default("dataset"), n_samples=S.default("points"), noise=S.default("noise"),
        train_fraction=S.default("ratio"), seed=S.default("seed"), features=S.default("features")))
    hidden: list[HiddenLayer] = field(default_factory=lambda: list(S.default("layers")))
    config: TrainConfig = field(default_factory=lambda: TrainConfig(
        optimizer=S.default("optimizer"), learning_rate=S.default("learning_rate"),
        batch_size=S.default("batch_size")))
    regularization: str = S.default("regularization")  # none, l1, l2
    reg_rate: float = S.default("reg_rate")
    csv: Dataset | None = None  # the user's own data, when chosen
    csv_notes: tuple[str, ...] = ()
    csv_source: tuple | None = None  # (bytes, file name, label, features): rebuilt with a new split or seed
    show_test: bool = False
    discretize: bool = False
    sample: int = 0  # the test row drawn in the network when the data has no plane
    dataset: Dataset | None = None
    dataset_key: object = None
    slot: JobSlot = field(default_factory=JobSlot)
    job_hidden: tuple[HiddenLayer, ...] = ()  # the hidden layers the current job was built with
    pending_weights: dict | None = None  # a loaded experiment's weights, for the next job
    loads: int = 0
    error: str = ""

    @property
    def job(self) -> Job | None:
        return self.slot.job

    @property
    def runs(self) -> list[dict]:
        return self.slot.runs


def get() -> Playground:
    if KEY not in st.session_state:
        pg = st.session_state[KEY] = Playground()
        pg.slot.describe = lambda job: describe(pg, job)
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


def describe(pg: Playground, job: Job) -> dict:
    """A run's label and settings for the comparison of runs."""
    view = job.poll()
    cfg = job.config
    ds = job.dataset
    hidden = "-".join(str(h.units) for h in pg.job_hidden)
    acts = sorted({h.activation for h in pg.job_hidden}) or ["linear"]
    return {"label": f"{ds.name} {hidden or 'no hidden'} {'/'.join(acts)} {cfg.optimizer} lr {view.learning_rate:g}",
            "dataset": ds.name,
            "settings": {"optimizer": cfg.optimizer, "learning rate": view.learning_rate, "batch": cfg.batch_size,
                         "L1": view.l1, "L2": view.l2, "loss": job.objective.title}}


def ensure_job(pg: Playground) -> Job:
    """The job for the current data, network and settings; rebuilt (old run archived) when they change."""
    ds = dataset(pg)
    net = spec(pg)
    validate(net, n_outputs_for(ds))
    l1, l2 = _reg(pg)
    cfg = replace(pg.config, l1=l1, l2=l2)
    key = (id(ds), net.to_json(), cfg.optimizer, cfg.batch_size, cfg.loss, cfg.device, cfg.momentum, cfg.seed,
           pg.loads)
    before = pg.slot.job

    def build(initial: dict | None) -> Job:
        start = {"initial_state": initial} if initial else {}
        return make_job(build_model(net, seed=cfg.seed), ds, cfg, snapshot_every_s=0.1, probe=plane_probe, **start)

    job = pg.slot.ensure(key, build, pg.pending_weights)
    if job is not before:
        pg.pending_weights = None
        pg.job_hidden = tuple(pg.hidden)
        models.publish("playground", models.Trained("Your Playground network", job, net, ds))
    else:  # live changes, applied mid-run
        now = job.config  # the job's current settings, kept by the job itself (never read back from its process)
        if (now.learning_rate, now.l1, now.l2) != (cfg.learning_rate, l1, l2):
            job.set(learning_rate=cfg.learning_rate, l1=l1, l2=l2)
    return job


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
