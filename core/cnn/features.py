"""Feature maps, filters and the strongest channel per layer, from one forward pass with hooks.

Colour scales follow CNN Explainer: each map scaled on its own, all maps of a layer on one scale, or
every layer on one global scale.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from core.inspect import activations

SCALES = ("per map", "per layer", "global")


@dataclass(frozen=True)
class FeatureMaps:
    """Outputs of every layer that keeps an image shape, for one input: layer name -> (C, H, W)."""

    layers: dict[str, np.ndarray]
    logits: np.ndarray  # the network's output for this input
    probs: np.ndarray


def feature_maps(model: nn.Module, x: torch.Tensor) -> FeatureMaps:
    """One forward pass of a single image (C, H, W) recording every image-shaped layer output."""
    names = [n for n, _ in model.named_children()]
    acts = activations(model, x[None], names)
    layers = {n: a[0] for n, a in acts.items() if a.ndim == 4}
    logits = acts[names[-1]][0]
    probs = np.exp(logits - logits.max())
    return FeatureMaps(layers, logits, probs / probs.sum())


def scaled(fm: FeatureMaps, layer: str, mode: str) -> tuple[np.ndarray, float]:
    """The layer's maps divided by the scale `mode` gives (values in [-1, 1]) and that scale's maximum."""
    if mode not in SCALES:
        raise ValueError(f"unknown colour scale '{mode}'; choose one of {', '.join(SCALES)}")
    maps = fm.layers[layer]
    if mode == "per map":
        peak = np.abs(maps).reshape(len(maps), -1).max(1)
        peak = np.where(peak > 0, peak, 1.0)
        return maps / peak[:, None, None], float(peak.max())
    if mode == "per layer":
        peak = float(np.abs(maps).max()) or 1.0
    else:
        peak = max(float(np.abs(m).max()) for m in fm.layers.values()) or 1.0
    return maps / peak, peak


def strongest_channels(fm: FeatureMaps) -> list[tuple[str, int, float]]:
    """Per layer, the channel with the largest mean activation: the hierarchy from edges to objects."""
    out = []
    for name, maps in fm.layers.items():
        means = maps.reshape(len(maps), -1).mean(1)
        k = int(np.argmax(means))
        out.append((name, k, float(means[k])))
    return out


def conv_layers(model: nn.Module) -> list[str]:
    return [n for n, m in model.named_children() if isinstance(m, nn.Conv2d)]


def filters(model: nn.Module, layer: str) -> np.ndarray:
    """A conv layer's weights (out, in, k, k) as numpy."""
    module = model.get_submodule(layer)
    if not isinstance(module, nn.Conv2d):
        raise ValueError(f"'{layer}' is not a convolution layer")
    return module.weight.detach().cpu().numpy()
