"""TensorFlow Playground's 2D sets (circle, XOR, Gaussians, spiral, regression plane), plus moons and
multiclass sets (three spirals, four Gaussian blobs), with its engineered input features.

Points live in the square [-6, 6]^2 as in the Playground; generation follows its `dataset.ts`
(radius 5, noise 0..0.5 scaled to the set) with a seeded numpy generator.
"""

from __future__ import annotations

import numpy as np
import torch

DOMAIN = (-6.0, 6.0)

FEATURES: dict[str, str] = {
    "x1": "x1", "x2": "x2", "x1^2": "x1²", "x2^2": "x2²", "x1*x2": "x1·x2", "sin(x1)": "sin x1", "sin(x2)": "sin x2",
}

# name -> (title, task, class names)
SETS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "circle": ("Circle", "classification", ("outside", "inside")),
    "xor": ("Exclusive or", "classification", ("different signs", "same signs")),
    "gauss": ("Two Gaussians", "classification", ("blob A", "blob B")),
    "spiral": ("Spiral", "classification", ("arm A", "arm B")),
    "moons": ("Moons", "classification", ("upper moon", "lower moon")),
    "spiral3": ("Three spirals", "classification", ("arm A", "arm B", "arm C")),
    "blobs4": ("Four blobs", "classification", ("blob A", "blob B", "blob C", "blob D")),
    "reg_plane": ("Regression plane", "regression", ()),
}


def engineer(points: np.ndarray | torch.Tensor, features: tuple[str, ...]) -> torch.Tensor:
    """Map raw (x1, x2) points to the chosen input features, as float32 (N, len(features))."""
    p = torch.as_tensor(points, dtype=torch.float32)
    x1, x2 = p[:, 0], p[:, 1]
    table = {
        "x1": lambda: x1, "x2": lambda: x2, "x1^2": lambda: x1 * x1, "x2^2": lambda: x2 * x2,
        "x1*x2": lambda: x1 * x2, "sin(x1)": lambda: torch.sin(x1), "sin(x2)": lambda: torch.sin(x2),
    }
    unknown = [f for f in features if f not in table]
    if unknown or not features:
        raise ValueError(f"choose at least one input feature from {', '.join(FEATURES)}"
                         + (f" (unknown: {', '.join(map(str, unknown))[:80]})" if unknown else ""))
    return torch.stack([table[f]() for f in features], dim=1).contiguous()


def _spiral(rng: np.random.Generator, n: int, noise: float, arms: int) -> tuple[np.ndarray, np.ndarray]:
    per = n // arms
    pts, labels = [], []
    for arm in range(arms):
        i = np.arange(per)
        r = i / per * 5
        t = 1.75 * i / per * 2 * np.pi + arm * 2 * np.pi / arms
        x = r * np.sin(t) + rng.uniform(-1, 1, per) * noise
        y = r * np.cos(t) + rng.uniform(-1, 1, per) * noise
        pts.append(np.stack([x, y], 1))
        labels.append(np.full(per, arm))
    return np.concatenate(pts), np.concatenate(labels)


def generate(name: str, n: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Raw points (n, 2) and labels: class indices, or float targets for the regression plane."""
    if name not in SETS:
        raise ValueError(f"unknown 2D dataset '{str(name)[:40]}'; choose one of {', '.join(SETS)}")
    rng = np.random.default_rng(seed)
    if name == "circle":
        radius = 5.0
        half = n // 2
        r_in, r_out = rng.uniform(0, radius * 0.5, half), rng.uniform(radius * 0.7, radius, n - half)
        r = np.concatenate([r_in, r_out])
        a = rng.uniform(0, 2 * np.pi, n)
        pts = np.stack([r * np.sin(a), r * np.cos(a)], 1) + rng.uniform(-radius, radius, (n, 2)) * noise
        # as in the Playground, the label is read off the noisy point
        return pts, (np.hypot(pts[:, 0], pts[:, 1]) < radius * 0.5).astype(np.int64)
    if name == "xor":
        pts = rng.uniform(-5, 5, (n, 2))
        pts += np.where(pts > 0, 0.3, -0.3)  # keep points off the axes, as the Playground pads them
        pts = pts + rng.uniform(-5, 5, (n, 2)) * noise
        return pts, (pts[:, 0] * pts[:, 1] >= 0).astype(np.int64)
    if name == "gauss":
        var = 0.5 + (4 - 0.5) * (noise / 0.5)
        half = n // 2
        a = rng.normal((2, 2), np.sqrt(var), (half, 2))
        b = rng.normal((-2, -2), np.sqrt(var), (n - half, 2))
        return np.concatenate([a, b]), np.concatenate([np.ones(half, np.int64), np.zeros(n - half, np.int64)])
    if name == "spiral":
        return _spiral(rng, n, noise * 2, 2)
    if name == "spiral3":
        return _spiral(rng, n, noise * 2, 3)
    if name == "moons":
        half = n // 2
        t1, t2 = rng.uniform(0, np.pi, half), rng.uniform(0, np.pi, n - half)
        upper = np.stack([np.cos(t1), np.sin(t1)], 1)
        lower = np.stack([1 - np.cos(t2), 0.5 - np.sin(t2)], 1)
        pts = (np.concatenate([upper, lower]) - (0.5, 0.25)) * 3.2
        pts += rng.normal(0, 1, (n, 2)) * noise * 2
        return pts, np.concatenate([np.zeros(half, np.int64), np.ones(n - half, np.int64)])
    if name == "blobs4":
        centers = np.array([(3, 3), (-3, 3), (-3, -3), (3, -3)], float)
        labels = np.arange(n) % 4
        std = 0.6 + 3 * noise
        return centers[labels] + rng.normal(0, std, (n, 2)), labels.astype(np.int64)
    # reg_plane: the label is (x1 + x2) / 10, in [-1.2, 1.2], plus noise on the label
    pts = rng.uniform(-6, 6, (n, 2))
    target = (pts[:, 0] + pts[:, 1]) / 10 + rng.uniform(-1, 1, n) * noise
    return pts, target.astype(np.float32)


def grid(resolution: int = 100) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A resolution x resolution grid over the domain: (xs, ys, points (resolution**2, 2))."""
    xs = np.linspace(*DOMAIN, resolution)
    ys = np.linspace(*DOMAIN, resolution)
    gx, gy = np.meshgrid(xs, ys)
    return xs, ys, np.stack([gx.ravel(), gy.ravel()], 1)
