"""The Playground's network and what it shows of it.

A Playground network is a list of `HiddenLayer`s (units, activation, optional batch norm and dropout)
between the chosen input features and an output layer sized by the task, as in TensorFlow Playground
but with an activation per layer. `neuron_maps` computes what every neuron outputs over the input
plane (the thumbnails and the big output map), from snapshot weights, in a private model copy, so
the page never reads weights that the training thread is writing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.data.toy2d import engineer, grid
from core.inspect import activations
from core.models import Network
from core.specs import ACTIVATIONS, Activation, BatchNorm1d, Dense, Dropout, NetworkSpec

MAX_HIDDEN_LAYERS = 6
MAX_NEURONS = 8  # drawn neuron by neuron up to this width, as TensorFlow Playground
MAX_UNITS = 256  # the Playground's own cap; wider layers are drawn summarized


@dataclass(frozen=True)
class HiddenLayer:
    units: int = 4
    activation: str = "tanh"
    batchnorm: bool = False
    dropout: float = 0.0

    def __post_init__(self) -> None:
        if isinstance(self.units, bool) or not isinstance(self.units, int) or not 1 <= self.units <= MAX_UNITS:
            raise ValueError(f"a hidden layer needs 1 to {MAX_UNITS} neurons, not {self.units!r}")
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation '{str(self.activation)[:20]}'; "
                             f"choose one of {', '.join(ACTIVATIONS)}")
        if not 0.0 <= float(self.dropout) <= 0.9:
            raise ValueError(f"dropout must be between 0 and 0.9, not {self.dropout!r}")


LAYER_EDITS = ("add_layer", "remove_layer", "add_neuron", "remove_neuron")


def edit_layers(hidden: list[HiddenLayer] | tuple[HiddenLayer, ...], event: object) -> list[HiddenLayer]:
    """The hidden layers after one of the network drawing's +/- buttons, as TF Playground has them:
    `{"op": "add_layer" | "remove_layer"}` (a new last layer as wide as the one before it, tanh; the
    last removed) or `{"op": "add_neuron" | "remove_neuron", "layer": i}`. A `ValueError` a student
    can read for a message that is not one of these, or an edit past the Playground's limits."""
    hidden = list(hidden)
    if not isinstance(event, dict) or event.get("op") not in LAYER_EDITS:
        raise ValueError("that change to the network could not be read")
    op = event["op"]
    if op == "add_layer":
        if len(hidden) >= MAX_HIDDEN_LAYERS:
            raise ValueError(f"the Playground allows at most {MAX_HIDDEN_LAYERS} hidden layers")
        return [*hidden, HiddenLayer(hidden[-1].units if hidden else 4, "tanh")]
    if op == "remove_layer":
        if not hidden:
            raise ValueError("there is no hidden layer left to remove")
        return hidden[:-1]
    layer = event.get("layer")
    if isinstance(layer, bool) or not isinstance(layer, int) or not 0 <= layer < len(hidden):
        raise ValueError("that layer is not in this network")
    units = hidden[layer].units + (1 if op == "add_neuron" else -1)
    if not 1 <= units <= MAX_UNITS:
        raise ValueError(f"a hidden layer needs 1 to {MAX_UNITS} neurons")
    hidden[layer] = HiddenLayer(units, hidden[layer].activation, hidden[layer].batchnorm, hidden[layer].dropout)
    return hidden


def playground_spec(n_inputs: int, hidden: list[HiddenLayer] | tuple[HiddenLayer, ...], n_outputs: int) -> NetworkSpec:
    """Dense -> [BatchNorm1d] -> activation -> [Dropout] per hidden layer, then a Dense output."""
    if len(hidden) > MAX_HIDDEN_LAYERS:
        raise ValueError(f"the Playground allows at most {MAX_HIDDEN_LAYERS} hidden layers, not {len(hidden)}")
    layers: list = []
    for h in hidden:
        layers.append(Dense(h.units))
        if h.batchnorm:
            layers.append(BatchNorm1d())
        layers.append(Activation(h.activation))
        if h.dropout > 0:
            layers.append(Dropout(float(h.dropout)))
    layers.append(Dense(n_outputs))
    return NetworkSpec((n_inputs,), tuple(layers), name="Playground network")


def hidden_from_spec(spec: NetworkSpec) -> list[HiddenLayer]:
    """The hidden layers of a spec `playground_spec` made (the inverse), or a `ValueError`."""
    layers, hidden = list(spec.layers), []
    not_ours = ValueError("this network was not built in the Playground (it needs Dense, optional batch norm, an "
                          "activation and optional dropout per hidden layer, then a Dense output)")
    if len(spec.input_shape) != 1 or not layers or not isinstance(layers[-1], Dense):
        raise not_ours
    i = 0
    while i < len(layers) - 1:
        if not isinstance(layers[i], Dense):
            raise not_ours
        units, i = layers[i].units, i + 1
        bn = i < len(layers) and isinstance(layers[i], BatchNorm1d)
        i += bn
        if i >= len(layers) - 1 or not isinstance(layers[i], Activation):
            raise not_ours
        act, i = layers[i].fn, i + 1
        dropout = layers[i].p if i < len(layers) - 1 and isinstance(layers[i], Dropout) else 0.0
        i += dropout > 0
        hidden.append(HiddenLayer(units, act, bn, float(dropout)))
    return hidden


def neuron_layers(model: Network) -> list[str]:
    """The layers whose outputs are a layer's neurons: each hidden activation, then the output Dense."""
    names = model.layer_names()
    acts = [n for n, m in model.named_children() if type(m).__name__ in
            ("ReLU", "LeakyReLU", "Tanh", "Sigmoid", "GELU", "Identity")]
    return acts + [names[-1]]


@dataclass(frozen=True)
class NeuronMaps:
    """Outputs over a resolution x resolution grid of the plane: one map per neuron, and the output."""

    xs: np.ndarray
    ys: np.ndarray
    layers: list[np.ndarray]  # per neuron layer: (units, res, res)
    output: np.ndarray  # (res, res): the score for class 1 / regression value, or the argmax class


def neuron_maps(model: Network, features: tuple[str, ...], resolution: int = 50, multiclass: bool = False,
                layers: list[str] | None = None) -> NeuronMaps:
    xs, ys, pts = grid(resolution)
    x = engineer(pts, features)
    names = layers or neuron_layers(model)
    acts = activations(model, x, names)
    maps = [acts[n].T.reshape(-1, resolution, resolution) for n in names]
    out = acts[names[-1]] if names[-1] == model.layer_names()[-1] else activations(model, x)[model.layer_names()[-1]]
    output = out.argmax(1).reshape(resolution, resolution).astype(float) if multiclass else \
        out[:, 0].reshape(resolution, resolution)
    return NeuronMaps(xs, ys, maps, output)
