"""What a network computes over the input plane, computed where it trains (the job's process).

The Playground's jobs are made with `probe=plane_probe`, so for 2D data every snapshot carries a
`Plane`: each neuron's output over a grid of the plane (the thumbnails a live view draws), the
network's output over a finer grid (the big output map), the predicted class or value of every training
and test point, and the share of dead ReLUs. A page draws
these numbers as they come; it never runs the network itself while a job trains. On the compiled
path the forward passes are compiled too (`CompiledMLP.activations`), otherwise torch computes them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from core.data.toy2d import engineer, grid
from core.training.mlp import is_activation

OUTPUT_RES = 50  # the big output map
THUMB_RES = 25  # each neuron's thumbnail


@dataclass(frozen=True)
class Plane:
    layers: list[np.ndarray]  # per neuron layer (each hidden activation, then the output): (units, T, T) float16
    output: np.ndarray  # (R, R) float32: the first output (class-1 score / value), or the argmax class
    pred_train: np.ndarray  # class index (int16) or predicted value (float32) per point
    pred_test: np.ndarray
    dead: dict[str, float]  # ReLU layer name -> share of its units that output 0 on every training point


def neuron_layer_names(model: nn.Module) -> list[str]:
    """Each hidden activation, then the last layer: what a drawing shows as columns of neurons."""
    acts = [n for n, m in model.named_children() if is_activation(m)]
    last = [n for n, _ in model.named_children()][-1:]
    return acts + [n for n in last if n not in acts]


def _grid_inputs(features: tuple[str, ...], res: int) -> np.ndarray:
    return engineer(grid(res)[2], features).numpy()


def _torch_layers(model: nn.Module, x: np.ndarray, names: list[str]) -> list[np.ndarray]:
    from core.inspect import activations

    device = next(model.parameters()).device
    acts = activations(model, torch.as_tensor(x).to(device), names)
    return [acts[n] for n in names]


def compute_plane(model: nn.Module, features: tuple[str, ...], x_train: torch.Tensor, x_test: torch.Tensor,
                  n_outputs: int, regression: bool, compiled=None) -> Plane:
    """The plane view of `model` now; `compiled`: its `CompiledMLP`, whose forward pass is used when given."""
    names = neuron_layer_names(model)
    relus = [n for n, m in model.named_children() if isinstance(m, nn.ReLU)]

    if compiled is not None and len(compiled.widths) != len(names):
        compiled = None  # a hidden Linear without an activation: its columns would not line up

    def layers_of(x: np.ndarray) -> list[np.ndarray]:
        if compiled is not None:
            return compiled.activations(x)
        return _torch_layers(model, x, names)

    thumbs = [a.T.reshape(-1, THUMB_RES, THUMB_RES).astype(np.float16)
              for a in layers_of(_grid_inputs(features, THUMB_RES))]
    out = layers_of(_grid_inputs(features, OUTPUT_RES))[-1]
    multiclass = not regression and n_outputs > 1
    output = (out.argmax(1) if multiclass else out[:, 0]).reshape(OUTPUT_RES, OUTPUT_RES).astype(np.float32)

    def predict(o: np.ndarray) -> np.ndarray:
        if regression:
            return o[:, 0].astype(np.float32)
        return (o.argmax(1) if o.shape[1] > 1 else (o[:, 0] > 0)).astype(np.int16)

    empty = [np.zeros((0, max(1, n_outputs)), np.float32)]
    train_layers = layers_of(x_train.numpy()) if len(x_train) else empty
    test_layers = layers_of(x_test.numpy()) if len(x_test) else empty
    dead: dict[str, float] = {}
    if relus and len(x_train):
        from core.inspect import dead_fraction

        dead = {n: dead_fraction(train_layers[names.index(n)]) for n in relus if n in names}
    return Plane(thumbs, output, predict(train_layers[-1]), predict(test_layers[-1]), dead)


def plane_probe(trainer) -> Plane | None:
    """A `Trainer`'s probe (see `core.training.engine`): its plane view now, for 2D data; None otherwise."""
    ds = trainer.dataset
    if ds.kind != "2d" or "features" not in ds.meta:
        return None
    return compute_plane(trainer.model, tuple(ds.meta["features"]), ds.x_train, ds.x_test,
                         trainer.objective.n_outputs, ds.task == "regression", trainer.compiled)
