"""GANs: a generator G turns noise into samples, a discriminator D scores samples as real or generated,
and each trains against the other. The losses, for D's raw score s (real r, generated f), as means over
the batch:

- `minimax` (Goodfellow et al. 2014): L_D = softplus(-s_r) + softplus(s_f); L_G = -softplus(s_f), that is
  log(1 - sigmoid(s_f)), which saturates when D wins;
- `nonsaturating`: the same L_D; L_G = softplus(-s_f) = -log sigmoid(s_f);
- `lsgan` (least squares): L_D = ((s_r - 1)^2 + s_f^2) / 2; L_G = (s_f - 1)^2 / 2;
- `wgan_gp` (Wasserstein, Gulrajani et al. 2017): L_D = s_f - s_r + lambda (||grad D(x_hat)|| - 1)^2 at
  x_hat = e x_r + (1 - e) x_f, e ~ U(0, 1) per sample; L_G = -s_f;
- `hinge`: L_D = relu(1 - s_r) + relu(1 + s_f); L_G = -s_f.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

LOSSES: dict[str, str] = {"minimax": "Original (minimax)", "nonsaturating": "Non-saturating",
                          "lsgan": "Least squares", "wgan_gp": "Wasserstein + gradient penalty", "hinge": "Hinge"}


def d_loss(kind: str, s_real: torch.Tensor, s_fake: torch.Tensor) -> torch.Tensor:
    """The discriminator's loss without the gradient penalty."""
    if kind in ("minimax", "nonsaturating"):
        return F.softplus(-s_real).mean() + F.softplus(s_fake).mean()
    if kind == "lsgan":
        return 0.5 * ((s_real - 1).pow(2).mean() + s_fake.pow(2).mean())
    if kind == "wgan_gp":
        return s_fake.mean() - s_real.mean()
    if kind == "hinge":
        return F.relu(1 - s_real).mean() + F.relu(1 + s_fake).mean()
    raise ValueError(f"choose a loss among {', '.join(LOSSES)}")


def g_loss(kind: str, s_fake: torch.Tensor) -> torch.Tensor:
    if kind == "minimax":
        return -F.softplus(s_fake).mean()
    if kind == "nonsaturating":
        return F.softplus(-s_fake).mean()
    if kind == "lsgan":
        return 0.5 * (s_fake - 1).pow(2).mean()
    if kind in ("wgan_gp", "hinge"):
        return -s_fake.mean()
    raise ValueError(f"choose a loss among {', '.join(LOSSES)}")


def gradient_penalty(d: nn.Module, real: torch.Tensor, fake: torch.Tensor, eps: torch.Tensor) -> torch.Tensor:
    """Mean over the batch of (||grad_x D(x)|| - 1)^2 at x = eps real + (1 - eps) fake (eps: (N, 1))."""
    x = (eps * real + (1 - eps) * fake).requires_grad_(True)
    (grad,) = torch.autograd.grad(d(x).sum(), x, create_graph=True)
    return (grad.flatten(1).norm(dim=1) - 1).pow(2).mean()


def mlp(sizes: list[int]) -> nn.Sequential:
    """Linear layers with leaky ReLUs between them (GANs' usual choice: no dead units for G's gradient)."""
    layers: list[nn.Module] = []
    for i, (a, b) in enumerate(zip(sizes, sizes[1:])):
        layers.append(nn.Linear(a, b))
        if i < len(sizes) - 2:
            layers.append(nn.LeakyReLU(0.2))
    return nn.Sequential(*layers)


def energy_distance(a: torch.Tensor, b: torch.Tensor) -> float:
    """Energy distance 2 E|a - b| - E|a - a'| - E|b - b'| between two samples: 0 when they come from the same
    distribution, larger the more they differ (the divergence estimate drawn beside the losses)."""
    return float(2 * torch.cdist(a, b).mean() - torch.cdist(a, a).mean() - torch.cdist(b, b).mean())


def coverage(fake: torch.Tensor, modes: torch.Tensor, sd: float) -> tuple[int, float]:
    """(modes covered, share of samples near a mode). A sample is near a mode within 3 standard deviations;
    a mode is covered when at least a fifth of its fair share (samples / modes) lands near it."""
    dist = torch.cdist(fake, modes)
    near = dist.min(1).values < 3 * sd
    counts = torch.bincount(dist.argmin(1)[near], minlength=len(modes))
    return int((counts >= 0.2 * len(fake) / len(modes)).sum()), float(near.float().mean())
