"""Image augmentations in plain torch, seeded, each drawing its own random parameters per image:
flips, crops, rotations, colour jitter, noise and cutout. `augment(x, ops, gen)` applies the chosen ones
in order to a batch (N, C, H, W) of values in [0, 1] and returns the batch (same shape and dtype,
labels untouched: the caller keeps them) and what was drawn for every image, for the preview. Shared by
the Generalization lab (augmentation measured) and the Transfer lab (augmentation toggles)."""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F

from core.data.dataset import Dataset

# id -> label, what it does
OPS: dict[str, tuple[str, str]] = {
    "flip": ("Flip", "mirrors the image left to right, half the time"),
    "crop": ("Crop", "shifts the image by up to an eighth of its width (a random crop of a padded copy)"),
    "rotate": ("Rotate", "turns the image by up to 20 degrees either way"),
    "jitter": ("Colour jitter", "changes brightness and contrast by up to 30%"),
    "noise": ("Noise", "adds Gaussian noise of standard deviation 0.08"),
    "cutout": ("Cutout", "blanks a random square a quarter of the image wide"),
}
MAX_DEGREES, MAX_JITTER, NOISE_SD = 20.0, 0.3, 0.08


def _u(n: int, lo: float, hi: float, gen: torch.Generator) -> torch.Tensor:
    return lo + (hi - lo) * torch.rand(n, generator=gen)


def flip(x: torch.Tensor, gen: torch.Generator) -> tuple[torch.Tensor, list[str]]:
    do = torch.rand(len(x), generator=gen) < 0.5
    out = torch.where(do[:, None, None, None], x.flip(-1), x)
    return out, ["flipped" if d else "not flipped" for d in do.tolist()]


def crop(x: torch.Tensor, gen: torch.Generator) -> tuple[torch.Tensor, list[str]]:
    n, _, h, w = x.shape
    pad = max(1, w // 8)
    padded = F.pad(x, (pad, pad, pad, pad), mode="replicate")
    dx = torch.randint(0, 2 * pad + 1, (n,), generator=gen)
    dy = torch.randint(0, 2 * pad + 1, (n,), generator=gen)
    out = torch.stack([padded[i, :, dy[i]:dy[i] + h, dx[i]:dx[i] + w] for i in range(n)])
    return out, [f"shift ({int(a) - pad:+d}, {int(b) - pad:+d}) px" for a, b in zip(dx, dy)]


def rotate(x: torch.Tensor, gen: torch.Generator) -> tuple[torch.Tensor, list[str]]:
    deg = _u(len(x), -MAX_DEGREES, MAX_DEGREES, gen)
    a = deg * math.pi / 180
    theta = torch.zeros(len(x), 2, 3)
    theta[:, 0, 0], theta[:, 0, 1], theta[:, 1, 0], theta[:, 1, 1] = a.cos(), -a.sin(), a.sin(), a.cos()
    g = F.affine_grid(theta, list(x.shape), align_corners=False)
    out = F.grid_sample(x, g, mode="bilinear", padding_mode="border", align_corners=False)
    return out, [f"{float(d):+.0f}°" for d in deg]


def colour(x: torch.Tensor, gen: torch.Generator) -> tuple[torch.Tensor, list[str]]:
    b = _u(len(x), 1 - MAX_JITTER, 1 + MAX_JITTER, gen)
    c = _u(len(x), 1 - MAX_JITTER, 1 + MAX_JITTER, gen)
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    out = ((x - mean) * c[:, None, None, None] + mean) * b[:, None, None, None]
    return out.clamp(0, 1), [f"brightness ×{float(p):.2f}, contrast ×{float(q):.2f}" for p, q in zip(b, c)]


def noise(x: torch.Tensor, gen: torch.Generator) -> tuple[torch.Tensor, list[str]]:
    out = (x + NOISE_SD * torch.randn(x.shape, generator=gen)).clamp(0, 1)
    return out, [f"noise σ {NOISE_SD}"] * len(x)


def cutout(x: torch.Tensor, gen: torch.Generator) -> tuple[torch.Tensor, list[str]]:
    n, _, h, w = x.shape
    k = max(1, w // 4)
    cx = torch.randint(0, w - k + 1, (n,), generator=gen)
    cy = torch.randint(0, h - k + 1, (n,), generator=gen)
    out = x.clone()
    for i in range(n):
        out[i, :, cy[i]:cy[i] + k, cx[i]:cx[i] + k] = 0.0
    return out, [f"square at ({int(a)}, {int(b)})" for a, b in zip(cx, cy)]


FUNCS = {"flip": flip, "crop": crop, "rotate": rotate, "jitter": colour, "noise": noise, "cutout": cutout}


def augment(x: torch.Tensor, ops: tuple[str, ...], gen: torch.Generator) -> tuple[torch.Tensor, list[list[str]]]:
    """Apply `ops` in order; (the batch, per image the parameters drawn by each op)."""
    unknown = [o for o in ops if o not in FUNCS]
    if unknown:
        raise ValueError(f"unknown augmentation {', '.join(map(str, unknown))[:40]}; choose among {', '.join(OPS)}")
    drawn: list[list[str]] = [[] for _ in range(len(x))]
    out = x.float()
    for op in ops:
        out, params = FUNCS[op](out, gen)
        for d, p in zip(drawn, params):
            d.append(f"{OPS[op][0].lower()}: {p}")
    return out.contiguous(), drawn


def batch_augment(ops: tuple[str, ...]):
    """The augmentation as an `AugmentedTrainer` wants it: (batch, generator) -> batch."""
    def apply(x: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
        return augment(x, ops, gen)[0]
    return apply


def few_per_class(ds: Dataset, per_class: int, seed: int) -> Dataset:
    """The same test set, and only `per_class` training images of each class (seeded choice)."""
    rng = np.random.default_rng(seed)
    y = ds.y_train.numpy()
    keep = np.concatenate([rng.permutation(np.flatnonzero(y == c))[:per_class] for c in np.unique(y)])
    keep = np.sort(keep)
    return Dataset(ds.name, ds.task, ds.kind, ds.x_train[keep].contiguous(), ds.y_train[keep].contiguous(),
                   ds.x_test, ds.y_test, ds.class_names, ds.feature_names, meta=dict(ds.meta))
