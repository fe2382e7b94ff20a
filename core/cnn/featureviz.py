"""Feature visualization: what makes a channel fire (Lucid's activation maximization), and the
dataset images that excite it most.

Activation maximization runs gradient ascent on the input image to raise a channel's mean
activation, with the regularizers Lucid uses to keep the picture natural: random jitter (shift) each
step, a slight blur every few steps, and L2 decay towards grey. Seeded; reports progress.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from core.cores import free_cores, torch_threads
from core.inspect import capture

MAX_STEPS = 1024


def _blur(x: torch.Tensor) -> torch.Tensor:
    k = torch.tensor([1.0, 2.0, 1.0])
    k = (k[:, None] * k[None, :]) / 16
    w = k.expand(x.shape[1], 1, 3, 3).to(x)
    return F.conv2d(F.pad(x, (1, 1, 1, 1), mode="reflect"), w, groups=x.shape[1])


def maximize(model: nn.Module, layer: str, channel: int, input_shape: tuple[int, int, int], steps: int = 256,
             lr: float = 0.05, jitter: int = 2, blur_every: int = 4, decay: float = 1e-3, seed: int = 0,
             progress: Callable[[int, float], bool | None] | None = None,
             threads: int | None = None) -> tuple[np.ndarray, list[float]]:
    """Gradient ascent on the input; returns the image (C, H, W) in [0, 1] and the activation per step.

    `progress(step, activation)` is called every 16 steps; returning False stops early (cancel). It runs on
    `threads` torch threads, by default as many as there are free cores (`core.cores.free_cores`).
    """
    with torch_threads(threads or free_cores()):
        return _maximize(model, layer, channel, input_shape, steps, lr, jitter, blur_every, decay, seed, progress)


def _maximize(model: nn.Module, layer: str, channel: int, input_shape: tuple[int, int, int], steps: int, lr: float,
              jitter: int, blur_every: int, decay: float, seed: int,
              progress: Callable[[int, float], bool | None] | None) -> tuple[np.ndarray, list[float]]:
    if not 1 <= steps <= MAX_STEPS:
        raise ValueError(f"steps must be from 1 to {MAX_STEPS}, not {steps}")
    gen = torch.Generator().manual_seed(seed)
    x = (0.5 + 0.05 * torch.randn((1, *input_shape), generator=gen)).requires_grad_(True)
    opt = torch.optim.Adam([x], lr=lr)
    was = model.training
    model.eval()
    history: list[float] = []
    try:
        with capture(model, [layer], keep_graph=True) as cap:
            for step in range(steps):
                dx, dy = (torch.randint(-jitter, jitter + 1, (2,), generator=gen).tolist() if jitter else (0, 0))
                shifted = torch.roll(x, shifts=(dy, dx), dims=(2, 3))
                model(shifted)
                act = cap.live[layer]
                if not 0 <= channel < act.shape[1]:
                    raise ValueError(f"{layer} has {act.shape[1]} channels; there is no channel {channel}")
                score = act[0, channel].mean()
                loss = -score + decay * ((x - 0.5) ** 2).sum()
                opt.zero_grad()
                loss.backward()
                opt.step()
                with torch.no_grad():
                    if blur_every and step % blur_every == blur_every - 1:
                        x.copy_(_blur(x))
                    x.clamp_(0, 1)
                history.append(score.item())
                if progress is not None and (step % 16 == 15 or step == steps - 1):
                    if progress(step + 1, history[-1]) is False:
                        break
    finally:
        model.train(was)
    return x.detach()[0].numpy(), history


@torch.no_grad()
def top_images(model: nn.Module, images: torch.Tensor, layer: str, channel: int, k: int = 6,
               batch: int = 256) -> tuple[np.ndarray, np.ndarray]:
    """Indices and scores of the `k` images whose channel's mean activation is highest."""
    scores = []
    was = model.training
    model.eval()
    try:
        with capture(model, [layer]) as cap:
            for s in range(0, len(images), batch):
                model(images[s:s + batch])
                scores.append(cap.activations[layer][:, channel].flatten(1).mean(1))
    finally:
        model.train(was)
    allscores = torch.cat(scores).numpy()
    order = np.argsort(-allscores)[:k]
    return order, allscores[order]
