"""Export a network as runnable PyTorch code: plain `nn.Sequential` with the same layer names, so the
weights saved from this app (safetensors) load into it with `load_state_dict`. Generated from the
spec's validated shape table; nothing from the user is pasted into the code but numbers and our names.
"""

from __future__ import annotations

from core import specs as S
from core.specs import NetworkSpec
from core.validate import validate

_ACTS = {"relu": "nn.ReLU()", "leaky_relu": "nn.LeakyReLU(0.01)", "tanh": "nn.Tanh()", "sigmoid": "nn.Sigmoid()",
         "gelu": "nn.GELU()", "identity": "nn.Identity()"}


def _module(layer: S.LayerSpec, in_shape: tuple[int, ...]) -> str:
    if isinstance(layer, S.Dense):
        return f"nn.Linear({in_shape[0]}, {layer.units}, bias={layer.bias})"
    if isinstance(layer, S.Conv2d):
        return (f"nn.Conv2d({in_shape[0]}, {layer.out_channels}, kernel_size={layer.kernel_size}, "
                f"stride={layer.stride}, padding={layer.padding})")
    if isinstance(layer, (S.MaxPool2d, S.AvgPool2d)):
        kind = "MaxPool2d" if isinstance(layer, S.MaxPool2d) else "AvgPool2d"
        return f"nn.{kind}({layer.kernel_size}, stride={layer.stride or layer.kernel_size})"
    if isinstance(layer, S.Flatten):
        return "nn.Flatten()"
    if isinstance(layer, S.Dropout):
        return f"nn.Dropout({float(layer.p)!r})"
    if isinstance(layer, S.BatchNorm1d):
        return f"nn.BatchNorm1d({in_shape[0]})"
    if isinstance(layer, S.BatchNorm2d):
        return f"nn.BatchNorm2d({in_shape[0]})"
    if isinstance(layer, S.Activation):
        return _ACTS[layer.fn]
    raise S.SpecError(f"cannot export {type(layer).__name__}")


def pytorch_code(spec: NetworkSpec, n_outputs: int | None = None) -> str:
    """A self-contained Python module defining `build()`, with a usage note for the saved weights."""
    table = validate(spec, n_outputs)
    lines = []
    shape = tuple(spec.input_shape)
    for layer, row in zip(spec.layers, table.rows):
        lines.append(f'        ("{row.name}", {_module(layer, shape)}),  # -> {tuple(row.output_shape)}')
        shape = tuple(row.output_shape)
    body = "\n".join(lines)
    return f'''"""{_safe(spec.name)}: exported from Neural Network Explainer.

Input shape {tuple(spec.input_shape)}, {table.total_params:,} parameters.
Load the weights saved with it (experiment.zip holds weights.safetensors):

    from safetensors.torch import load_file
    model = build()
    model.load_state_dict(load_file("weights.safetensors"))
    model.eval()
"""

from collections import OrderedDict

from torch import nn


def build() -> nn.Sequential:
    return nn.Sequential(OrderedDict([
{body}
    ]))


if __name__ == "__main__":
    print(build())
'''


def _safe(name: str) -> str:
    return "".join(c for c in str(name) if c.isalnum() or c in " -_.")[:60] or "network"
