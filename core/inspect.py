"""Looking inside a model: activations and gradients of chosen layers, and per-layer statistics.

`capture(model, layers)` is a context manager that registers forward hooks (and, on request, tensor
hooks for gradients) and always removes them in `finally`, so reruns never pile hooks up.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn


@dataclass
class Capture:
    """What `capture` recorded: layer name -> tensor (detached, on the model's device)."""

    activations: dict[str, torch.Tensor] = field(default_factory=dict)
    gradients: dict[str, torch.Tensor] = field(default_factory=dict)
    live: dict[str, torch.Tensor] = field(default_factory=dict)  # outputs still in the graph (keep_graph)


def _resolve(model: nn.Module, layers: list[str]) -> list[tuple[str, nn.Module]]:
    found = []
    for name in layers:
        try:
            found.append((name, model.get_submodule(name)))
        except AttributeError:
            known = ", ".join(n for n, _ in model.named_children())
            raise ValueError(f"the model has no layer named '{name[:40]}'; its layers are: {known}") from None
    return found


@contextmanager
def capture(model: nn.Module, layers: list[str], gradients: bool = False,
            keep_graph: bool = False) -> Iterator[Capture]:
    """Record the outputs (and their gradients, after a backward pass) of the named layers.

    With `keep_graph`, `Capture.live` also holds the outputs attached to the graph, to differentiate
    through them (feature visualization).
    """
    cap = Capture()
    handles = []

    def make_hook(name: str):
        def hook(_module: nn.Module, _inputs: tuple, output: torch.Tensor) -> None:
            cap.activations[name] = output.detach()
            if keep_graph:
                cap.live[name] = output
            if gradients and output.requires_grad:
                def grad_hook(grad: torch.Tensor) -> None:
                    cap.gradients[name] = grad.detach()
                output.register_hook(grad_hook)
        return hook

    try:
        for name, module in _resolve(model, layers):
            handles.append(module.register_forward_hook(make_hook(name)))
        yield cap
    finally:
        for h in handles:
            h.remove()


@torch.no_grad()
def activations(model: nn.Module, x: torch.Tensor, layers: list[str] | None = None) -> dict[str, np.ndarray]:
    """Every named layer's output for input `x` as numpy (eval mode, no gradients)."""
    names = layers or [n for n, _ in model.named_children()]
    was = model.training
    model.eval()
    try:
        with capture(model, names) as cap:
            model(x)
    finally:
        model.train(was)
    return {n: cap.activations[n].cpu().numpy() for n in names if n in cap.activations}


@dataclass(frozen=True)
class LayerStats:
    layer: str
    params: int
    weight_mean: float
    weight_std: float
    weight_min: float
    weight_max: float
    weight_norm: float
    grad_norm: float  # nan when no gradient has been computed


@torch.no_grad()
def layer_stats(model: nn.Module) -> list[LayerStats]:
    """Per layer with parameters: weight mean, std, range and norm; gradient norm from `.grad`."""
    rows = []
    for name, module in model.named_modules():
        params = [p for p in module.parameters(recurse=False)]
        if not params:
            continue
        flat = torch.cat([p.detach().reshape(-1).float() for p in params])
        grads = [p.grad for p in params if p.grad is not None]
        gnorm = float(torch.sqrt(sum((g.float() ** 2).sum() for g in grads))) if grads else float("nan")
        rows.append(LayerStats(
            layer=name, params=flat.numel(), weight_mean=float(flat.mean()),
            weight_std=float(flat.std()) if flat.numel() > 1 else 0.0,
            weight_min=float(flat.min()), weight_max=float(flat.max()),
            weight_norm=float(flat.norm()), grad_norm=gnorm,
        ))
    return rows


def dead_fraction(acts: np.ndarray) -> float:
    """Share of units (features or channels) that output zero for every input in the batch."""
    a = np.asarray(acts)
    if a.ndim < 2 or a.shape[0] == 0:
        return 0.0
    per_unit = np.abs(a).reshape(a.shape[0], a.shape[1], -1).max(axis=(0, 2))
    return float((per_unit == 0).mean())


def pca_2d(x: np.ndarray) -> np.ndarray:
    """Rows of x (any shape after the first axis) on their two principal directions: (N, 2)."""
    x = x.reshape(len(x), -1).astype(float)
    x = x - x.mean(0)
    _, _, vt = np.linalg.svd(x, full_matrices=False)
    return x @ vt[:2].T
