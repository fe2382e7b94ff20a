"""What one redraw of the Playground shows, computed from one snapshot of the job (the page caches it
per snapshot): the neuron and output maps over the plane, mistakes, the network's columns and
weights, and the share of dead ReLUs. Framework-free, so the live fragment only arranges it.

For 2D data the job's process has already computed the maps and predictions (`Snapshot.plane`):
then this only arranges numbers, and the server runs no network at all while a class trains.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import torch

from core.data.dataset import Dataset
from core.data.toy2d import engineer, grid
from core.inspect import activations, dead_fraction
from core.models import viewer_model
from core.playground.drawing import Column
from core.playground.network import NeuronMaps, neuron_layers, neuron_maps
from core.specs import NetworkSpec
from core.training.objective import Objective
from core.training.snapshot import Snapshot


@dataclass
class Frame:
    """Everything drawn from one snapshot."""

    maps: NeuronMaps | None
    output_values: np.ndarray | None  # the map shown, on the grid
    wrong_train: np.ndarray | None
    wrong_test: np.ndarray | None
    pred_test: np.ndarray
    columns: list[Column]
    weights: list[np.ndarray]
    dead: dict[str, float]
    task_kind: str  # binary, multiclass or regression


def _output_scale(out: np.ndarray, loss_kind: str) -> np.ndarray:
    if loss_kind == "bce":
        return 2.0 / (1.0 + np.exp(-out)) - 1.0
    return out


def weight_names(snap: Snapshot) -> list[str]:
    """The Dense layers' weight matrices in the snapshot, in order: what the drawing's edges show."""
    return [n for n, w in snap.weights.items() if n.endswith(".weight") and np.ndim(w) == 2]


def _from_plane(obj: Objective, snap: Snapshot, ds: Dataset) -> Frame:
    plane = snap.plane
    n_out = obj.n_outputs
    kind = "regression" if ds.task == "regression" else ("binary" if n_out == 1 else "multiclass")
    xs, ys, _ = grid(plane.output.shape[-1])
    layers = [np.asarray(a, np.float32) for a in plane.layers]
    maps = NeuronMaps(xs, ys, layers, plane.output)
    output_values = maps.output if kind != "binary" else _output_scale(maps.output, obj.kind)
    wrong_train = wrong_test = None
    if kind != "regression":
        wrong_train = plane.pred_train != ds.y_train.numpy()
        wrong_test = plane.pred_test != ds.y_test.numpy()
    weights = [snap.weights[n] for n in weight_names(snap)]
    columns = [Column("inputs", ds.input_shape[0], _feature_maps(ds, layers[0].shape[-1]),
                      labels=tuple(ds.feature_names)[:ds.input_shape[0]])]
    for i, thumbs in enumerate(layers):
        last = i == len(layers) - 1
        if last and kind == "binary":
            thumbs = _output_scale(thumbs, obj.kind)
        columns.append(Column("output" if last else f"layer {i + 1}", weights[i].shape[0], thumbs))
    return Frame(maps, output_values, wrong_train, wrong_test, np.asarray(plane.pred_test), columns, weights,
                 dict(plane.dead), kind)


@torch.no_grad()
def compute_frame(obj: Objective, spec: NetworkSpec, snap: Snapshot, ds: Dataset, resolution: int = 50,
                  sample: int = 0) -> Frame:
    """`sample`: the test row whose values fill the nodes when the data has no plane to draw on."""
    if snap.plane is not None and ds.kind == "2d":
        return _from_plane(obj, snap, ds)
    model = viewer_model(spec, snap.state)
    n_out = obj.n_outputs
    kind = "regression" if ds.task == "regression" else ("binary" if n_out == 1 else "multiclass")

    def predict(x: torch.Tensor) -> np.ndarray:
        out = model(x)
        if kind == "regression":
            return out[:, 0].numpy()
        return obj.predict(out).numpy()

    pred_train, pred_test = predict(ds.x_train), predict(ds.x_test)
    wrong_train = wrong_test = None
    if kind != "regression":
        wrong_train = pred_train != ds.y_train.numpy()
        wrong_test = pred_test != ds.y_test.numpy()
    names = neuron_layers(model)
    maps = output_values = None
    if ds.kind == "2d":
        feats = tuple(ds.meta["features"])
        maps = neuron_maps(model, feats, resolution, multiclass=kind == "multiclass", layers=names)
        output_values = maps.output if kind != "binary" else _output_scale(maps.output, obj.kind)
    linear = [m for m in model.children() if isinstance(m, torch.nn.Linear)]
    weights = [m.weight.numpy() for m in linear]
    values: dict[str, np.ndarray] = {}
    row = ds.x_test[min(sample, len(ds.x_test) - 1)][None] if len(ds.x_test) else ds.x_train[:1]
    if maps is None:  # no plane: each node shows its value on one sample instead of a map
        values = {n: a[0] for n, a in activations(model, row, names).items()}
    labels = tuple(ds.feature_names)[:ds.input_shape[0]]
    thumb_res = maps.layers[0].shape[-1] // 2 if maps is not None and maps.layers else 25
    columns = [Column("inputs", ds.input_shape[0], _feature_maps(ds, thumb_res) if maps is not None else None,
                      labels=labels, values=row[0].numpy() if maps is None else None)]
    for i, name in enumerate(names):
        title = "output" if i == len(names) - 1 else f"layer {i + 1}"
        thumbs = None
        if maps is not None:
            thumbs = maps.layers[i][:, ::2, ::2]
            if i == len(names) - 1 and kind == "binary":
                thumbs = _output_scale(thumbs, obj.kind)
        columns.append(Column(title, linear[i].out_features, thumbs, values=values.get(name)))
    relus = [n for n, m in model.named_children() if isinstance(m, (torch.nn.ReLU,))]
    dead = {}
    if relus:
        acts = activations(model, ds.x_train, relus)
        dead = {n: dead_fraction(a) for n, a in acts.items()}
    return Frame(maps, output_values, wrong_train, wrong_test, pred_test, columns, weights, dead, kind)


def _feature_maps(ds: Dataset, res: int) -> np.ndarray:
    return _input_maps(tuple(ds.meta["features"]), res)


@functools.lru_cache(maxsize=64)
def _input_maps(features: tuple[str, ...], res: int) -> np.ndarray:
    """Each input feature over the plane, scaled to [-1, 1] (the same for every frame: cached)."""
    _, _, pts = grid(res)
    x = engineer(pts, features).numpy()
    x = x / np.maximum(np.abs(x).max(0, keepdims=True), 1e-8)
    out = x.T.reshape(-1, res, res)
    out.setflags(write=False)
    return out
