"""What the compiled MLP engine can train, decided once: one activation table and one plan per model.

A model is a plain MLP when it is Linear layers, each followed by at most one element-wise activation
from `ACTIVATIONS` (exact GELU only). `mlp_plan(model)` says so by returning its `MLPPlan` (the Linear
layers in order, each with the code and slope of the activation after it), or None. The codes are the
numba kernels' (`kernels.py` keeps them as plain integers, importing nothing of ours; a test checks that
the two agree). Which layers are activations, for drawing neurons, is read from the same table.
"""

from __future__ import annotations

from dataclasses import dataclass

from torch import nn

# activation class -> (name, kernel code); the codes are kernels.IDENTITY ... kernels.GELU
ACTIVATIONS: dict[type[nn.Module], tuple[str, int]] = {
    nn.Identity: ("identity", 0), nn.ReLU: ("relu", 1), nn.LeakyReLU: ("leaky_relu", 2), nn.Tanh: ("tanh", 3),
    nn.Sigmoid: ("sigmoid", 4), nn.GELU: ("gelu", 5)}


def is_activation(m: nn.Module) -> bool:
    """An element-wise activation of the table (any GELU: for drawing, approximate or not)."""
    return type(m) in ACTIVATIONS


@dataclass(frozen=True)
class Layer:
    """One Linear layer of a plan and the activation after it ("identity" when none)."""

    linear: nn.Linear
    activation: str
    code: int
    slope: float  # LeakyReLU's negative slope, 0 otherwise


@dataclass(frozen=True)
class MLPPlan:
    layers: tuple[Layer, ...]

    @property
    def widths(self) -> list[int]:
        """Each layer's number of outputs."""
        return [la.linear.out_features for la in self.layers]

    @property
    def inputs(self) -> int:
        return self.layers[0].linear.in_features


def mlp_plan(model: nn.Module) -> MLPPlan | None:
    """The model's plan when it is a plain MLP (see the module's docstring), else None."""
    layers: list[Layer] = []
    pending: nn.Linear | None = None
    for m in model.children():
        if isinstance(m, nn.Linear):
            if pending is not None:
                layers.append(Layer(pending, "identity", 0, 0.0))
            pending = m
        elif is_activation(m) and pending is not None:
            if isinstance(m, nn.GELU) and m.approximate != "none":
                return None
            name, code = ACTIVATIONS[type(m)]
            layers.append(Layer(pending, name, code, float(m.negative_slope) if isinstance(m, nn.LeakyReLU) else 0.0))
            pending = None
        else:
            return None
    if pending is not None:
        layers.append(Layer(pending, "identity", 0, 0.0))
    return MLPPlan(tuple(layers)) if layers else None
