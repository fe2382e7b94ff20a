"""The Explain lab's models: the shipped CNNs, the CNN and the Playground network trained in this
session, and small MLPs on the tabular sets trained here in about a second.

Each becomes a `Source`: this session's own copy of the model (explainers hook modules, so copies are
never shared between sessions), what it reads (images or table rows), samples to explain, training
rows as SHAP/LIME background, its output names, a version for the cache, and its checkpoints when it
was trained in this session.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import streamlit as st
import torch
from torch import nn

from core.data import DataSpec, load_dataset
from core.data.dataset import n_outputs_for
from core.data.tabular import SETS
from core.models import build_model, viewer_model
from core.presets import playground_mlp
from core.specs import NetworkSpec
from core.training import TrainConfig
from core.training.quick import train_with_checkpoints
from ui.kit import models as zoo


@dataclass
class Source:
    key: str
    title: str
    model: nn.Module
    kind: str  # "image" or "table"
    output: str  # softmax, sigmoid or raw
    output_names: tuple[str, ...]
    inputs: torch.Tensor
    labels: np.ndarray | None
    label_names: tuple[str, ...]
    background: torch.Tensor
    feature_names: tuple[str, ...] = ()
    version: object = None
    spec: NetworkSpec | None = None
    checkpoints: Callable[[], list] | None = None
    scaling: tuple[np.ndarray, np.ndarray] | None = None  # a table's (mean, std): the model sees standardized values

    def raw(self, x: np.ndarray) -> np.ndarray:
        """Table rows in their own units (cm, mg, ...) from the standardized values the model reads."""
        return x * self.scaling[1] + self.scaling[0] if self.scaling is not None else x

    def model_at(self, state: dict[str, np.ndarray]) -> nn.Module:
        return viewer_model(self.spec, state)


def _outputs(ds_task: str, class_names: tuple[str, ...], n_out: int) -> tuple[str, tuple[str, ...]]:
    if ds_task == "regression":
        return "raw", ("prediction",)
    if n_out == 1:
        return "sigmoid", (f"P({class_names[1]})",)
    return "softmax", tuple(class_names)


@st.cache_resource(show_spinner=False)
def _table_model(name: str):
    ds = load_dataset(DataSpec(name, train_fraction=0.8, seed=0))
    spec = playground_mlp(ds.input_shape[0], (16, 16), "relu", n_outputs_for(ds))
    cfg = TrainConfig(optimizer="adam", learning_rate=0.01, batch_size=32, seed=0)
    model, ckpts = train_with_checkpoints(build_model(spec, seed=0), ds, cfg, epochs=150, keep=12)
    return ds, spec, model, ckpts


def _scaling(ds) -> tuple[np.ndarray, np.ndarray] | None:
    mean, std = ds.meta.get("x_mean"), ds.meta.get("x_std")
    return (np.asarray(mean, float), np.asarray(std, float)) if mean is not None and std is not None else None


def choices() -> dict[str, str]:
    """Every model the lab can explain now, with a title."""
    out = {k: v for k, v in zoo.available().items() if not v.endswith("(unavailable offline)")}
    pg = zoo.trained("playground")
    if pg is not None and pg.job.poll().epoch > 0:
        out["playground"] = f"{pg.title}, on {pg.dataset.name} data at epoch {pg.job.poll().epoch}"
    for name, (title, _) in SETS.items():
        out[f"table:{name}"] = f"MLP on {title}, trained here"
    return out


def load(key: str) -> Source:
    """This session's Source for `key` (kept in the session; the Playground's is refreshed as it trains)."""
    if key == "playground":
        return _playground()
    cache = st.session_state.setdefault("xp_sources", {})
    # a CNN source is keyed by its model object too: "Explore this CNN" again brings a new one
    ident = key if key.startswith("table:") else (key, id(zoo.model(key).model))
    if ident not in cache:
        cache[ident] = _table(key.split(":", 1)[1]) if key.startswith("table:") else _cnn(key)
    return cache[ident]


def _cnn(name: str) -> Source:
    sm = zoo.model(name)
    x, y, names = zoo.samples_for(sm)
    background = x[torch.randperm(len(x), generator=torch.Generator().manual_seed(0))[:64]]
    src = Source(name, sm.title, sm.model, "image", "softmax", tuple(sm.class_names), x, y, names, background,
                 version=(name, id(sm.model)))
    mine = zoo.trained("cnn")
    if name == "yours" and mine is not None:
        src.spec, src.checkpoints = mine.spec, mine.job.checkpoints
    return src


def _table(name: str) -> Source:
    ds, spec, model, ckpts = _table_model(name)
    output, names = _outputs(ds.task, ds.class_names, n_outputs_for(ds))
    y = ds.y_test.numpy().ravel()
    return Source(f"table:{name}", SETS[name][0], copy.deepcopy(model), "table", output, names, ds.x_test,
                  y if ds.task == "classification" else None, ds.class_names, ds.x_train,
                  tuple(ds.feature_names), version=("table", name), spec=spec, checkpoints=lambda: ckpts,
                  scaling=_scaling(ds))


def _playground() -> Source:
    pg = zoo.trained("playground")
    job = pg.job
    view = job.poll()
    cache = st.session_state.setdefault("xp_pg", {})
    key = (id(job), view.epoch)
    if cache.get("key") != key:  # a new copy only when the network trained further
        ds = pg.dataset
        output, names = _outputs(ds.task, ds.class_names, n_outputs_for(ds))
        y = ds.y_test.numpy().ravel()
        cache["key"] = key
        cache["source"] = Source("playground", f"Playground network on {ds.name}", job.model_copy(), "table",
                                 output, names, ds.x_test, y if ds.task == "classification" else None,
                                 ds.class_names, ds.x_train, tuple(ds.feature_names), version=("pg",) + key,
                                 spec=pg.spec, checkpoints=lambda: list(job.checkpoints()), scaling=_scaling(ds))
    return cache["source"]
