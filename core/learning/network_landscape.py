"""A real network's loss landscape: around its trained weights along two filter-normalized random
directions (Li et al. 2018, "Visualizing the Loss Landscape of Neural Nets"), the training path on
the principal directions of the weight trajectory, the loss on the line from the initial to the
final weights, and a learning-rate range test (Smith 2017) that suggests a rate.

Weights are state dicts of tensors (names as the model's). Only parameters move; buffers (batch
norm statistics) stay as trained. Filter normalization: each direction's filter (a row of a Dense
weight, an output channel of a convolution) gets the norm of the same filter in the trained
weights, so the plot's scale means the same in every layer; biases and 1D parameters get zero, as
the paper does.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torch.func import functional_call

State = dict[str, torch.Tensor]


def params_of(model: nn.Module) -> State:
    return {n: p.detach().clone() for n, p in model.named_parameters()}


def with_params(model: nn.Module, state: State) -> nn.Module:
    """A copy of `model` with its parameters set to `state` (buffers as they are)."""
    out = copy.deepcopy(model)
    with torch.no_grad():
        for n, p in out.named_parameters():
            p.copy_(state[n])
    return out


def filter_normalized(weights: State, seed: int) -> State:
    """A random direction, filter by filter scaled to the weights' norms (zero for 1D parameters)."""
    gen = torch.Generator().manual_seed(int(seed))
    out = {}
    for name, w in weights.items():
        if w.dim() <= 1:
            out[name] = torch.zeros_like(w)
            continue
        d = torch.randn(w.shape, generator=gen, dtype=w.dtype)
        dims = tuple(range(1, w.dim()))
        d_norm = d.norm(dim=dims, keepdim=True).clamp_min(1e-12)
        out[name] = d / d_norm * w.norm(dim=dims, keepdim=True)
    return out


def _combine(base: State, dirs: list[State], coefs: list[float]) -> State:
    return {n: base[n] + sum(c * d[n] for c, d in zip(coefs, dirs)) for n in base}


@torch.no_grad()
def loss_at(model: nn.Module, params: State, x: torch.Tensor, t: torch.Tensor, objective) -> float:
    was = model.training
    model.eval()
    try:
        return float(objective.loss(functional_call(model, params, (x,)), t))
    finally:
        model.train(was)


@dataclass(frozen=True)
class Surface:
    alphas: np.ndarray
    betas: np.ndarray
    loss: np.ndarray  # (len(betas), len(alphas))
    centre_loss: float


def surface(model: nn.Module, x: torch.Tensor, t: torch.Tensor, objective, d1: State, d2: State,
            span: float = 1.0, n: int = 31, centre: State | None = None, progress=None,
            limits: tuple[tuple[float, float], tuple[float, float]] | None = None) -> Surface:
    """The loss on an n x n grid of centre + a d1 + b d2, a and b in [-span, span] (or `limits`)."""
    base = centre if centre is not None else params_of(model)
    (a_lo, a_hi), (b_lo, b_hi) = limits or ((-span, span), (-span, span))
    alphas, betas = np.linspace(a_lo, a_hi, n), np.linspace(b_lo, b_hi, n)
    z = np.empty((n, n))
    for bi, b in enumerate(betas):
        for ai, a in enumerate(alphas):
            z[bi, ai] = loss_at(model, _combine(base, [d1, d2], [float(a), float(b)]), x, t, objective)
        if progress is not None:
            progress((bi + 1) / n)
    return Surface(alphas, betas, z, loss_at(model, base, x, t, objective))


@dataclass(frozen=True)
class Trajectory:
    d1: State
    d2: State
    explained: tuple[float, float]  # share of the path's variance along each direction
    coords: np.ndarray  # (checkpoints, 2): each checkpoint's position, the final one at (0, 0)
    epochs: list[int]


def _flat(state: State) -> torch.Tensor:
    return torch.cat([v.reshape(-1).double() for v in state.values()])


def _unflat(vec: torch.Tensor, like: State) -> State:
    out, i = {}, 0
    for n, v in like.items():
        out[n] = vec[i:i + v.numel()].reshape(v.shape).to(v.dtype)
        i += v.numel()
    return out


def trajectory(states: list[State], epochs: list[int]) -> Trajectory:
    """Principal directions of (checkpoint - final) over the run, and the path projected on them."""
    if len(states) < 3:
        raise ValueError("train a little longer: the path needs at least three checkpoints")
    final = _flat(states[-1])
    m = torch.stack([_flat(s) - final for s in states])  # (k, P)
    _, sv, vt = torch.linalg.svd(m, full_matrices=False)
    d1, d2 = vt[0], vt[1]
    var = sv ** 2
    explained = (float(var[0] / var.sum()), float(var[1] / var.sum())) if float(var.sum()) > 0 else (0.0, 0.0)
    coords = torch.stack([m @ d1, m @ d2], 1).numpy()
    like = states[-1]
    return Trajectory(_unflat(d1, like), _unflat(d2, like), explained, coords, list(epochs))


def interpolation(model: nn.Module, start: State, end: State, x: torch.Tensor, t: torch.Tensor, objective,
                  n: int = 41, lo: float = -0.5, hi: float = 1.5) -> tuple[np.ndarray, np.ndarray]:
    """The loss at (1 - a) start + a end for a in [lo, hi] (0: the initial weights, 1: the trained)."""
    alphas = np.linspace(lo, hi, n)
    losses = np.array([loss_at(model, {k: (1 - a) * start[k] + a * end[k] for k in end}, x, t, objective)
                       for a in alphas])
    return alphas, losses


@dataclass(frozen=True)
class RangeTest:
    lrs: np.ndarray
    losses: np.ndarray  # the training-set loss after each step
    suggestion: float  # where the loss falls fastest (on a 5-step moving average)
    diverged_at: float | None


def lr_range_test(model: nn.Module, x: torch.Tensor, t: torch.Tensor, objective, lr_min: float = 1e-4,
                  lr_max: float = 10.0, steps: int = 100, batch: int = 10, seed: int = 0) -> RangeTest:
    """Plain SGD on a copy of `model`, the learning rate growing exponentially from lr_min to lr_max
    over `steps` mini-batches, the whole training set's loss after each; stops once the loss is 4x
    its best (diverged)."""
    if not 0 < lr_min < lr_max or steps < 10:
        raise ValueError("the range test needs 0 < lr_min < lr_max and at least 10 steps")
    net = copy.deepcopy(model).train()
    params = [p for p in net.parameters()]
    gen = torch.Generator().manual_seed(int(seed))
    lrs = np.exp(np.linspace(math.log(lr_min), math.log(lr_max), steps))
    best, out, diverged = math.inf, [], None
    for lr in lrs:
        idx = torch.randint(0, len(x), (min(batch, len(x)),), generator=gen)
        grads = torch.autograd.grad(objective.loss(net(x[idx]), t[idx]), params)
        with torch.no_grad():
            for p, g in zip(params, grads):
                p -= float(lr) * g
            full = float(objective.loss(net(x), t))  # the whole training set: a curve without batch noise
        out.append(full)
        best = min(best, full)
        if not math.isfinite(full) or full > 4 * best:
            diverged = float(lr)
            break
    losses = np.array(out)
    used = lrs[:len(losses)]
    smooth = np.convolve(np.pad(losses, 2, mode="edge"), np.ones(5) / 5, mode="valid") if len(losses) > 4 else losses
    slope = np.gradient(smooth, np.log(used)) if len(smooth) > 2 else np.zeros(len(smooth))
    stop = max(2, int(np.nanargmin(smooth)) + 1)  # the fastest fall comes before the lowest point
    suggestion = float(used[int(np.nanargmin(slope[:stop]))])
    return RangeTest(used, losses, suggestion, diverged)
