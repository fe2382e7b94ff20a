"""Autoencoders: an encoder squeezes each input into a few numbers (the bottleneck), a decoder rebuilds the
input from them, and training makes the rebuilt input match. Dense or convolutional (images), plain or
variational (a VAE: the encoder gives a mean and a spread, the code is sampled, and a KL term pulls the
codes towards a standard normal), optionally denoising (noise added to the input, the clean input as the
target).

Loss per batch: the mean squared error per feature, plus `beta` x the KL divergence per sample divided by
the number of features (so the two terms keep their balance whatever the input's size).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from core.generative.data import AE_SETS, AEData

OPTIMIZERS = ("adam", "rmsprop", "sgd")


@dataclass(frozen=True)
class AESpec:
    data: str = "digits"
    normal: tuple[int, ...] = ()  # train on these classes only (anomaly detection); () = all
    bottleneck: int = 2
    hidden: tuple[int, ...] = (64, 32)
    conv: bool = False  # images only: convolutional encoder and decoder
    vae: bool = False
    beta: float = 0.2  # a VAE's KL weight (the loss divides it by the features; 1 lets the codes collapse here)
    denoise: float = 0.0  # the noise's standard deviation added to inputs while training
    optimizer: str = "adam"
    learning_rate: float = 0.003
    batch_size: int = 64
    seed: int = 0
    device: str = "auto"

    def __post_init__(self) -> None:
        if self.data not in AE_SETS:
            raise ValueError(f"choose a dataset among {', '.join(AE_SETS)}")
        if isinstance(self.bottleneck, bool) or not isinstance(self.bottleneck, int) or not 1 <= self.bottleneck <= 16:
            raise ValueError(f"the bottleneck must be from 1 to 16 numbers, not {self.bottleneck!r}")
        if len(self.hidden) > 3 or any(not (isinstance(h, int) and 2 <= h <= 512) for h in self.hidden):
            raise ValueError("up to three hidden layers of 2 to 512 units")
        if self.conv and self.data not in ("digits", "objects"):
            raise ValueError("convolutions need images: choose the digits or the objects")
        for name, lo, hi in (("beta", 0.0, 20.0), ("denoise", 0.0, 1.0), ("learning_rate", 1e-5, 1.0)):
            v = getattr(self, name)
            if not isinstance(v, (int, float)) or not lo <= v <= hi:
                raise ValueError(f"{name.replace('_', ' ')} must be from {lo:g} to {hi:g}, not {v!r}")
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"choose an optimizer among {', '.join(OPTIMIZERS)}")

    def with_(self, **changes: object) -> AESpec:
        return replace(self, **changes)


def _mlp(sizes: list[int]) -> nn.Sequential:
    layers: list[nn.Module] = []
    for i, (a, b) in enumerate(zip(sizes, sizes[1:])):
        layers.append(nn.Linear(a, b))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


class AutoEncoder(nn.Module):
    def __init__(self, spec: AESpec, shape: tuple[int, ...]):
        super().__init__()
        self.spec, self.shape = spec, tuple(shape)
        dim, z = int(np.prod(shape)), spec.bottleneck
        out = 2 * z if spec.vae else z
        self.image = len(shape) == 3
        if spec.conv:
            c, h, w = shape
            flat = 32 * ((h + 3) // 4) * ((w + 3) // 4)
            self.encoder = nn.Sequential(nn.Conv2d(c, 16, 3, 2, 1), nn.ReLU(), nn.Conv2d(16, 32, 3, 2, 1), nn.ReLU(),
                                         nn.Flatten(), nn.Linear(flat, out))
            small = (32, (h + 3) // 4, (w + 3) // 4)
            self.decoder = nn.Sequential(nn.Linear(z, flat), nn.ReLU(), nn.Unflatten(1, small),
                                         nn.ConvTranspose2d(32, 16, 4, 2, 1), nn.ReLU(),
                                         nn.ConvTranspose2d(16, c, 4, 2, 1))
        else:
            self.encoder = nn.Sequential(nn.Flatten(), _mlp([dim, *spec.hidden, out]))
            self.decoder = nn.Sequential(_mlp([z, *reversed(spec.hidden), dim]), nn.Unflatten(1, self.shape))

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        """(mean, log-variance) for a VAE; (code, None) otherwise."""
        h = self.encoder(x)
        if self.spec.vae:
            return h.chunk(2, dim=1)
        return h, None

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        out = self.decoder(z)
        out = out[..., : self.shape[-2], : self.shape[-1]] if self.spec.conv else out
        return torch.sigmoid(out) if self.image else out

    def forward(self, x: torch.Tensor, generator: torch.Generator | None = None):
        mu, logvar = self.encode(x)
        z = mu
        if logvar is not None and self.training:
            eps = torch.randn(mu.shape, generator=generator, device=mu.device) if generator is not None \
                else torch.randn_like(mu)
            z = mu + torch.exp(0.5 * logvar) * eps  # the reparameterization trick
        return self.decode(z), mu, logvar


def kl_divergence(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """KL(N(mu, exp(logvar)) || N(0, 1)) per sample, summed over the code: (N,)."""
    return 0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar).sum(1)


def ae_loss(model: AutoEncoder, x: torch.Tensor, target: torch.Tensor, beta: float,
            generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(loss, reconstruction MSE, KL per sample) for one batch."""
    recon, mu, logvar = model(x, generator)
    mse = F.mse_loss(recon, target)
    kl = kl_divergence(mu, logvar).mean() if logvar is not None else torch.zeros((), device=x.device)
    return mse + beta * kl / float(np.prod(model.shape)), mse, kl


@torch.no_grad()
def codes(model: AutoEncoder, x: torch.Tensor) -> np.ndarray:
    """The bottleneck's codes (means for a VAE) for inputs x: (N, bottleneck)."""
    model.eval()
    return model.encode(x)[0].cpu().numpy()


@torch.no_grad()
def errors(model: AutoEncoder, x: torch.Tensor) -> np.ndarray:
    """Each input's reconstruction error (mean squared error over its features): (N,)."""
    model.eval()
    recon = model.decode(model.encode(x)[0])
    return (recon - x).pow(2).flatten(1).mean(1).cpu().numpy()


@torch.no_grad()
def interpolate(model: AutoEncoder, a: torch.Tensor, b: torch.Tensor, steps: int = 9) -> np.ndarray:
    """The decoder's outputs along the straight line between the codes of inputs a and b: (steps, *shape)."""
    model.eval()
    za, zb = model.encode(a[None])[0], model.encode(b[None])[0]
    t = torch.linspace(0, 1, steps, device=za.device)[:, None]
    return model.decode((1 - t) * za + t * zb).cpu().numpy()


@dataclass(frozen=True)
class Plane:
    """How the codes are drawn in 2D: the first two dimensions, or their two principal directions."""

    mean: np.ndarray  # (bottleneck,)
    axes: np.ndarray  # (2, bottleneck) or (1, bottleneck)

    def to_plane(self, z: np.ndarray) -> np.ndarray:
        p = (z - self.mean) @ self.axes.T
        return np.concatenate([p, np.zeros((len(p), 1))], 1) if p.shape[1] == 1 else p

    def from_plane(self, p: np.ndarray) -> np.ndarray:
        return self.mean + np.asarray(p, float)[..., : len(self.axes)] @ self.axes


def code_plane(z: np.ndarray) -> Plane:
    """The plane the codes are drawn in: themselves when there are one or two, else their PCA."""
    k = z.shape[1]
    if k <= 2:
        return Plane(np.zeros(k), np.eye(k))
    mean = z.mean(0)
    _, _, vt = np.linalg.svd(z - mean, full_matrices=False)
    return Plane(mean, vt[:2])


def pca_error(x_train: np.ndarray, x_test: np.ndarray, k: int) -> float:
    """Reconstruction MSE of the test inputs from their first k principal components of the training set."""
    a, b = x_train.reshape(len(x_train), -1).astype(float), x_test.reshape(len(x_test), -1).astype(float)
    mean = a.mean(0)
    _, _, vt = np.linalg.svd(a - mean, full_matrices=False)
    v = vt[:k]
    return float((((b - mean) @ v.T @ v + mean - b) ** 2).mean())


def build(spec: AESpec, data: AEData) -> AutoEncoder:
    with torch.random.fork_rng(devices=[]):  # torch's own initializers, from the seed, nobody else's RNG touched
        torch.manual_seed(spec.seed)
        return AutoEncoder(spec, tuple(data.x_train.shape[1:]))
