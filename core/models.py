"""Spec -> `nn.Module`, built so that explainers can read it.

Rules (the design brief, `../shared/design/ARCHITECTURE.md` beside the project, "Models that explainers
can read"): every activation is its own module
instance, used once, never in place; `forward` calls modules only (no functional activations); layer
names are stable and readable (`conv_1`, `relu_1`, `dense_2`, ...), so a Grad-CAM or a feature-map
layer is chosen by name with `model.get_submodule(name)`.

Initialization is seeded with a private `torch.Generator`, never the process-wide RNG, so that two
sessions building models at the same moment cannot change each other's weights.
"""

from __future__ import annotations

import math
from collections import OrderedDict

import numpy as np
import torch
from torch import nn

from core import specs as S
from core.specs import NetworkSpec
from core.validate import validate

_ACT_MODULES = {
    "relu": nn.ReLU,
    "leaky_relu": lambda: nn.LeakyReLU(0.01),
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "gelu": nn.GELU,
    "identity": nn.Identity,
}


class SeededDropout(nn.Dropout):
    """`nn.Dropout` whose training mask comes from a generator the training job owns.

    The global RNG is shared by every session of the server; a private generator keeps a seeded run
    reproducible. At evaluation time it is the identity, like `nn.Dropout`.
    """

    generator: torch.Generator | None = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or self.p == 0.0:
            return x
        if self.generator is None or self.generator.device != x.device:
            return super().forward(x)
        keep = torch.empty_like(x).bernoulli_(1.0 - self.p, generator=self.generator)
        return x * keep / (1.0 - self.p)


class Network(nn.Sequential):
    """A sequential network built from a `NetworkSpec`; it keeps the spec it came from."""

    def __init__(self, spec: NetworkSpec, modules: OrderedDict[str, nn.Module]):
        super().__init__(modules)
        self.spec = spec

    def layer_names(self) -> list[str]:
        return [name for name, _ in self.named_children()]


def _module_for(layer: S.LayerSpec, in_shape: tuple[int, ...]) -> nn.Module:
    if isinstance(layer, S.Dense):
        return nn.Linear(in_shape[0], layer.units, bias=layer.bias)
    if isinstance(layer, S.Conv2d):
        return nn.Conv2d(in_shape[0], layer.out_channels, layer.kernel_size, layer.stride, layer.padding)
    if isinstance(layer, S.MaxPool2d):
        return nn.MaxPool2d(layer.kernel_size, layer.stride or layer.kernel_size)
    if isinstance(layer, S.AvgPool2d):
        return nn.AvgPool2d(layer.kernel_size, layer.stride or layer.kernel_size)
    if isinstance(layer, S.Flatten):
        return nn.Flatten()
    if isinstance(layer, S.Dropout):
        return SeededDropout(layer.p)
    if isinstance(layer, S.BatchNorm1d):
        return nn.BatchNorm1d(in_shape[0])
    if isinstance(layer, S.BatchNorm2d):
        return nn.BatchNorm2d(in_shape[0])
    if isinstance(layer, S.Activation):
        return _ACT_MODULES[layer.fn]()
    raise S.SpecError(f"unknown layer {layer!r}")


def build_model(spec: NetworkSpec, seed: int = 0, n_outputs: int | None = None) -> Network:
    """Validate `spec` and build its `Network`, initialized from `seed`."""
    table = validate(spec, n_outputs)
    modules: OrderedDict[str, nn.Module] = OrderedDict()
    shape = tuple(spec.input_shape)
    for layer, row in zip(spec.layers, table.rows):
        modules[row.name] = _module_for(layer, shape)
        shape = row.output_shape
    model = Network(spec, modules)
    init_weights(model, seed)
    return model


_RELU_LIKE = (nn.ReLU, nn.LeakyReLU, nn.GELU)
_PASS_THROUGH = (nn.BatchNorm1d, nn.BatchNorm2d, nn.Dropout, nn.MaxPool2d, nn.AvgPool2d, nn.Flatten)


def _next_activation(children: list[nn.Module], i: int) -> nn.Module | None:
    for m in children[i + 1:]:
        if isinstance(m, _PASS_THROUGH):
            continue
        return m if not isinstance(m, (nn.Linear, nn.Conv2d)) else None
    return None


@torch.no_grad()
def init_weights(model: nn.Module, seed: int) -> None:
    """Seeded initialization that keeps the signal alive through deep stacks.

    A layer followed by a ReLU-like activation gets He (Kaiming) uniform weights, bound sqrt(6/fan_in);
    any other layer Glorot (Xavier) uniform, bound sqrt(6/(fan_in + fan_out)); biases start at 0.
    PyTorch's default (bound 1/sqrt(fan_in)) shrinks activations layer after layer: measured here, a
    TinyVGG built that way gave the same output for every image and never left chance accuracy.
    BatchNorm layers start as the identity. Draws come from a private generator, never the global RNG.
    """
    gen = torch.Generator().manual_seed(int(seed))
    children = list(model.children()) or [model]
    for i, module in enumerate(children):
        if isinstance(module, (nn.Linear, nn.Conv2d)):
            fan_in = module.weight[0].numel()
            fan_out = module.weight.shape[0] * module.weight[0, 0].numel()
            if isinstance(_next_activation(children, i), _RELU_LIKE):
                bound = math.sqrt(6.0 / fan_in)
            else:
                bound = math.sqrt(6.0 / (fan_in + fan_out))
            module.weight.copy_(torch.empty(module.weight.shape).uniform_(-bound, bound, generator=gen))
            if module.bias is not None:
                module.bias.zero_()
        elif isinstance(module, nn.modules.batchnorm._BatchNorm):
            module.reset_parameters()
            module.reset_running_stats()


def count_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def viewer_model(spec: NetworkSpec, weights: dict[str, np.ndarray]) -> Network:
    """A CPU model for drawing, loaded with a snapshot's weights (buffers such as BN stats are kept)."""
    model = build_model(spec, seed=0)
    state = model.state_dict()
    for name, value in weights.items():
        if name in state and tuple(state[name].shape) == value.shape:
            state[name] = torch.as_tensor(value)
    model.load_state_dict(state)
    return model.eval()
