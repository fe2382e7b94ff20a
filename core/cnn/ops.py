"""The operations of a CNN, number by number, as CNN Explainer shows them.

`conv_step` gives the window under the kernel at one output position, the element-wise products,
and their sum plus bias, which equals the layer's output there (the tests check it against torch).
`relu_view`, `pool_step` and `softmax_view` do the same for ReLU, max-pooling and softmax.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from torch import nn


@dataclass(frozen=True)
class ConvStep:
    row: int
    col: int
    window: np.ndarray  # (C, k, k) input values under the kernel (zeros where padding)
    kernel: np.ndarray  # (C, k, k)
    products: np.ndarray  # window * kernel
    bias: float
    value: float  # sum(products) + bias
    out_shape: tuple[int, int]


def conv_step(x: np.ndarray, conv: nn.Conv2d, out_channel: int, row: int, col: int) -> ConvStep:
    """The multiply-add that produces output (`out_channel`, `row`, `col`) of `conv` on input x (C, H, W)."""
    k, s, p = conv.kernel_size[0], conv.stride[0], conv.padding[0]
    c, h, w = x.shape
    oh, ow = (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1
    if not (0 <= out_channel < conv.out_channels and 0 <= row < oh and 0 <= col < ow):
        raise ValueError(f"position ({out_channel}, {row}, {col}) is outside the {conv.out_channels}x{oh}x{ow} output")
    padded = np.pad(x, ((0, 0), (p, p), (p, p)))
    window = padded[:, row * s:row * s + k, col * s:col * s + k]
    kernel = conv.weight.detach().cpu().numpy()[out_channel]
    bias = float(conv.bias.detach()[out_channel]) if conv.bias is not None else 0.0
    products = window * kernel
    return ConvStep(row, col, window, kernel, products, bias, float(products.sum() + bias), (oh, ow))


@dataclass(frozen=True)
class PoolStep:
    row: int
    col: int
    window: np.ndarray  # (k, k)
    value: float
    argmax: tuple[int, int]


def pool_step(x: np.ndarray, pool: nn.MaxPool2d, channel: int, row: int, col: int) -> PoolStep:
    k = pool.kernel_size if isinstance(pool.kernel_size, int) else pool.kernel_size[0]
    s = pool.stride if isinstance(pool.stride, int) else pool.stride[0]
    p = pool.padding if isinstance(pool.padding, int) else pool.padding[0]
    padded = np.pad(x[channel], p, constant_values=-np.inf) if p else x[channel]
    window = padded[row * s:row * s + k, col * s:col * s + k]
    i, j = np.unravel_index(int(np.argmax(window)), window.shape)
    return PoolStep(row, col, window, float(window.max()), (int(i), int(j)))


def relu_view(x: np.ndarray) -> tuple[np.ndarray, float]:
    """ReLU of `x` and the share of values it set to zero."""
    return np.maximum(x, 0), float((x < 0).mean()) if x.size else 0.0


def softmax_view(logits: np.ndarray) -> dict[str, np.ndarray]:
    """Each step of softmax: logits, logits - max (for stability), exp, and exp / sum."""
    shifted = logits - logits.max()
    e = np.exp(shifted)
    return {"logits": logits, "shifted": shifted, "exp": e, "probabilities": e / e.sum()}
