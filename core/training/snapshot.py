"""What a training job publishes besides per-epoch metrics: periodic snapshots of the network.

A `Snapshot` carries the latest weights (as numpy copies, per parameter), per-layer gradient norms of
the last step, and per-layer weight and gradient quantiles, the compact form of the histograms over
time that TensorBoard draws. Only the latest snapshot keeps full weights; the history keeps the
small per-layer numbers, capped, so a long run's memory stays bounded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

QUANTILES = (0.0, 0.07, 0.16, 0.31, 0.5, 0.69, 0.84, 0.93, 1.0)
_MAX_SAMPLE = 20_000


@dataclass(frozen=True)
class Snapshot:
    epoch: int
    step: int
    wall_s: float
    weights: dict[str, np.ndarray]  # parameter name -> values (latest snapshot only; {} in history)
    grad_norms: dict[str, float]  # layer name -> L2 norm of the last step's gradient
    weight_quantiles: dict[str, tuple[float, ...]]  # layer name -> QUANTILES of its weights
    grad_quantiles: dict[str, tuple[float, ...]]
    buffers: dict[str, np.ndarray] | None = None  # e.g. BatchNorm running statistics (latest only)
    plane: Any = None  # what the lab draws live (the Playground's `core.playground.plane.Plane`), latest only

    def compact(self) -> Snapshot:
        return Snapshot(self.epoch, self.step, self.wall_s, {}, self.grad_norms, self.weight_quantiles,
                        self.grad_quantiles)

    @property
    def state(self) -> dict[str, np.ndarray]:
        """Parameters and buffers together, as a state dict of numpy arrays."""
        return {**self.weights, **(self.buffers or {})}


def _layer(param_name: str) -> str:
    return param_name.rsplit(".", 1)[0]


def _quantiles(values: list[torch.Tensor]) -> tuple[float, ...]:
    flat = torch.cat([v.detach().reshape(-1).float().cpu() for v in values])
    if flat.numel() > _MAX_SAMPLE:  # a fixed stride keeps it cheap and deterministic
        flat = flat[:: flat.numel() // _MAX_SAMPLE + 1]
    q = torch.quantile(flat, torch.tensor(QUANTILES))
    return tuple(float(v) for v in q)


@torch.no_grad()
def take_snapshot(names: list[str], params: list[torch.Tensor], grads: list[torch.Tensor] | None,
                  epoch: int, step: int, wall_s: float,
                  buffers: dict[str, torch.Tensor] | None = None, plane: Any = None) -> Snapshot:
    layers: dict[str, list[int]] = {}
    for i, n in enumerate(names):
        layers.setdefault(_layer(n), []).append(i)
    weights = {n: p.detach().cpu().numpy().copy() for n, p in zip(names, params)}
    grad_norms: dict[str, float] = {}
    wq: dict[str, tuple[float, ...]] = {}
    gq: dict[str, tuple[float, ...]] = {}
    norms = torch._foreach_norm(grads) if grads else None
    for layer, idx in layers.items():
        wq[layer] = _quantiles([params[i] for i in idx])
        if grads is not None and norms is not None:
            grad_norms[layer] = float(torch.sqrt(sum(norms[i].float() ** 2 for i in idx)))
            gq[layer] = _quantiles([grads[i] for i in idx])
    bufs = {n: b.detach().cpu().numpy().copy() for n, b in (buffers or {}).items()}
    return Snapshot(epoch, step, wall_s, weights, grad_norms, wq, gq, bufs, plane)
