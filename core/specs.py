"""Network specs: frozen dataclasses that describe a network layer by layer.

`validate(spec)` walks the shapes from the input shape and returns a per-layer table (output shape,
parameter count) or raises a `SpecError` (a `ValueError`) whose message names the layer, e.g.
"layer 3, Conv2d: a 5x5 kernel does not fit a 4x4 input". Specs round-trip through JSON with
`to_json` / `from_json`; parsing checks every field's type and range, so a spec read from a link or
a file is as safe as one built in code.

Size limits keep a shared server alive; they are documented in the README.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

MAX_LAYERS = 32
MAX_UNITS = 1024
MAX_CHANNELS = 256
MAX_KERNEL = 11
MAX_PARAMS = 5_000_000
MAX_ACTIVATION_ELEMENTS = 2_000_000  # per sample, per layer: bounds the memory of one forward pass
MAX_INPUT_ELEMENTS = 3 * 256 * 256
MAX_JSON_CHARS = 100_000

ACTIVATIONS = ("relu", "leaky_relu", "tanh", "sigmoid", "gelu", "identity")
ACTIVATION_TITLES = {
    "relu": "ReLU",
    "leaky_relu": "LeakyReLU",
    "tanh": "Tanh",
    "sigmoid": "Sigmoid",
    "gelu": "GELU",
    "identity": "Identity",
}


class SpecError(ValueError):
    """A spec that cannot be built, with a message a student understands."""


Shape = tuple[int, ...]


def _fmt(shape: Shape) -> str:
    return "x".join(str(s) for s in shape) if shape else "a scalar"


@dataclass(frozen=True)
class Dense:
    """A fully connected (Linear) layer: every output unit sees every input value."""

    units: int
    bias: bool = True
    kind: ClassVar[str] = "dense"
    title: ClassVar[str] = "Dense"

    def out_shape(self, shape: Shape) -> Shape:
        if len(shape) != 1:
            raise ValueError(f"expects a flat vector but gets {_fmt(shape)}; add a Flatten layer before it")
        return (self.units,)

    def n_params(self, shape: Shape) -> int:
        return shape[0] * self.units + (self.units if self.bias else 0)


@dataclass(frozen=True)
class Conv2d:
    """A 2D convolution: `out_channels` filters of `kernel_size` x `kernel_size` slide over the image."""

    out_channels: int
    kernel_size: int = 3
    stride: int = 1
    padding: int = 0
    kind: ClassVar[str] = "conv2d"
    title: ClassVar[str] = "Conv2d"

    def out_shape(self, shape: Shape) -> Shape:
        if len(shape) != 3:
            raise ValueError(f"expects an image (channels x height x width) but gets {_fmt(shape)}")
        c, h, w = shape
        k, s, p = self.kernel_size, self.stride, self.padding
        if h + 2 * p < k or w + 2 * p < k:
            raise ValueError(f"a {k}x{k} kernel does not fit a {h}x{w} input" + (f" padded by {p}" if p else ""))
        return (self.out_channels, (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1)

    def n_params(self, shape: Shape) -> int:
        return shape[0] * self.out_channels * self.kernel_size**2 + self.out_channels


@dataclass(frozen=True)
class _Pool:
    kernel_size: int = 2
    stride: int | None = None  # None: same as kernel_size
    title: ClassVar[str] = "Pool"

    def out_shape(self, shape: Shape) -> Shape:
        if len(shape) != 3:
            raise ValueError(f"expects an image (channels x height x width) but gets {_fmt(shape)}")
        c, h, w = shape
        k, s = self.kernel_size, self.stride or self.kernel_size
        if h < k or w < k:
            raise ValueError(f"a {k}x{k} window does not fit a {h}x{w} input")
        return (c, (h - k) // s + 1, (w - k) // s + 1)

    def n_params(self, shape: Shape) -> int:
        return 0


@dataclass(frozen=True)
class MaxPool2d(_Pool):
    """Keeps the largest value of each window: shrinks the image, keeps the strongest responses."""

    kind: ClassVar[str] = "maxpool2d"
    title: ClassVar[str] = "MaxPool2d"


@dataclass(frozen=True)
class AvgPool2d(_Pool):
    """Averages each window: shrinks the image smoothly."""

    kind: ClassVar[str] = "avgpool2d"
    title: ClassVar[str] = "AvgPool2d"


@dataclass(frozen=True)
class Flatten:
    """Turns an image of feature maps into one flat vector for Dense layers."""

    kind: ClassVar[str] = "flatten"
    title: ClassVar[str] = "Flatten"

    def out_shape(self, shape: Shape) -> Shape:
        return (math.prod(shape),)

    def n_params(self, shape: Shape) -> int:
        return 0


@dataclass(frozen=True)
class Dropout:
    """While training, zeroes each value with probability `p` (a regularizer); does nothing at test time."""

    p: float = 0.5
    kind: ClassVar[str] = "dropout"
    title: ClassVar[str] = "Dropout"

    def out_shape(self, shape: Shape) -> Shape:
        return shape

    def n_params(self, shape: Shape) -> int:
        return 0


@dataclass(frozen=True)
class BatchNorm1d:
    """Normalizes each feature over the batch, then scales and shifts it (2 parameters a feature)."""

    kind: ClassVar[str] = "batchnorm1d"
    title: ClassVar[str] = "BatchNorm1d"

    def out_shape(self, shape: Shape) -> Shape:
        if len(shape) != 1:
            raise ValueError(f"expects a flat vector but gets {_fmt(shape)}; use BatchNorm2d for images")
        return shape

    def n_params(self, shape: Shape) -> int:
        return 2 * shape[0]


@dataclass(frozen=True)
class BatchNorm2d:
    """Normalizes each channel over the batch and the image, then scales and shifts it."""

    kind: ClassVar[str] = "batchnorm2d"
    title: ClassVar[str] = "BatchNorm2d"

    def out_shape(self, shape: Shape) -> Shape:
        if len(shape) != 3:
            raise ValueError(f"expects an image (channels x height x width) but gets {_fmt(shape)}; "
                             "use BatchNorm1d after Dense layers")
        return shape

    def n_params(self, shape: Shape) -> int:
        return 2 * shape[0]


@dataclass(frozen=True)
class Activation:
    """An element-wise non-linearity: relu, leaky_relu, tanh, sigmoid, gelu or identity."""

    fn: str = "relu"
    kind: ClassVar[str] = "activation"

    @property
    def title(self) -> str:  # type: ignore[override]
        return ACTIVATION_TITLES.get(self.fn, self.fn)

    def out_shape(self, shape: Shape) -> Shape:
        return shape

    def n_params(self, shape: Shape) -> int:
        return 0


LayerSpec = Dense | Conv2d | MaxPool2d | AvgPool2d | Flatten | Dropout | BatchNorm1d | BatchNorm2d | Activation
LAYER_TYPES: dict[str, type] = {
    cls.kind: cls
    for cls in (Dense, Conv2d, MaxPool2d, AvgPool2d, Flatten, Dropout, BatchNorm1d, BatchNorm2d, Activation)
}
# friendly aliases accepted when parsing
_ALIASES = {"linear": "dense", "conv": "conv2d", "maxpool": "maxpool2d", "avgpool": "avgpool2d"}


@dataclass(frozen=True)
class NetworkSpec:
    """A whole network: the shape of one input sample and its layers, first to last."""

    input_shape: Shape
    layers: tuple[LayerSpec, ...] = field(default_factory=tuple)
    name: str = "network"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "input_shape": list(self.input_shape),
            "layers": [layer_to_dict(layer) for layer in self.layers],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict())

    def replace_layers(self, layers: list[LayerSpec] | tuple[LayerSpec, ...]) -> NetworkSpec:
        return NetworkSpec(self.input_shape, tuple(layers), self.name)


def layer_to_dict(layer: LayerSpec) -> dict[str, Any]:
    out: dict[str, Any] = {"type": layer.kind}
    for f in fields(layer):
        out[f.name] = getattr(layer, f.name)
    return out


@dataclass(frozen=True)
class LayerRow:
    """One row of the shape table: what a layer does to the shape, and what it costs."""

    index: int  # 1-based
    name: str  # the module's name in the built model, e.g. "conv_1"
    layer: str  # a readable description, e.g. "Conv2d 8 filters 3x3"
    output_shape: Shape
    params: int


@dataclass(frozen=True)
class ShapeTable:
    input_shape: Shape
    rows: tuple[LayerRow, ...]

    @property
    def total_params(self) -> int:
        return sum(r.params for r in self.rows)

    @property
    def output_shape(self) -> Shape:
        return self.rows[-1].output_shape if self.rows else self.input_shape

    def as_records(self) -> list[dict[str, Any]]:
        return [
            {"#": r.index, "name": r.name, "layer": r.layer, "output shape": _fmt(r.output_shape),
             "parameters": r.params}
            for r in self.rows
        ]


def describe(layer: LayerSpec) -> str:
    if isinstance(layer, Dense):
        return f"Dense {layer.units} unit{'s' if layer.units != 1 else ''}" + ("" if layer.bias else " (no bias)")
    if isinstance(layer, Conv2d):
        k = layer.kernel_size
        extra = "".join([f", stride {layer.stride}" if layer.stride != 1 else "",
                         f", padding {layer.padding}" if layer.padding else ""])
        return f"Conv2d {layer.out_channels} filters {k}x{k}{extra}"
    if isinstance(layer, _Pool):
        return f"{layer.title} {layer.kernel_size}x{layer.kernel_size}"
    if isinstance(layer, Dropout):
        return f"Dropout p={layer.p:g}"
    return layer.title


def layer_names(layers: tuple[LayerSpec, ...] | list[LayerSpec]) -> list[str]:
    """Stable, readable module names: dense_1, relu_1, conv_1, maxpool_1, flatten_1, ..."""
    counts: dict[str, int] = {}
    names = []
    for layer in layers:
        base = layer.fn if isinstance(layer, Activation) else layer.kind.replace("2d", "").replace("1d", "")
        counts[base] = counts.get(base, 0) + 1
        names.append(f"{base}_{counts[base]}")
    return names
