"""The Generative lab's data, offline and seeded: what an autoencoder compresses and what a GAN imitates.

Autoencoder sets (`ae_data`): 2D and 3D toy shapes (two moons, three blobs, a swiss roll), the tabular
sets (standardized), the 8x8 digits and small generated objects (pixels in [0, 1]). `normal` keeps only
those classes for training (anomaly detection: the others appear in the test set only, as the anomalies).

GAN targets (`gan_target`): a ring of 8 Gaussians, a grid of 9, two Gaussians, a line, two moons, or the
student's own points (each becomes a small Gaussian).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from sklearn.datasets import make_swiss_roll

from core.data.images import load_digits_set, load_objects
from core.data.tabular import load_tabular
from core.data.toy2d import generate

AE_SETS: dict[str, str] = {"moons2d": "Two moons (2D)",
                           "blobs3d": "Three blobs in 3D", "swissroll": "Swiss roll (3D)", "iris": "Iris flowers",
                           "wine": "Wine cultivars", "breast_cancer": "Breast cancer",
                           "digits": "Handwritten digits 8x8", "objects": "Generated objects 16x16"}
GAN_TARGETS: dict[str, str] = {"ring": "Ring of 8 Gaussians", "grid": "Grid of 9 Gaussians", "two": "Two Gaussians",
                               "line": "A line", "moons": "Two moons", "custom": "Your points"}
MAX_POINTS = 60


@dataclass(frozen=True, eq=False)
class AEData:
    name: str
    x_train: torch.Tensor  # (N, *shape) float32
    x_test: torch.Tensor
    y_train: torch.Tensor  # (N,) int64 classes
    y_test: torch.Tensor
    classes: tuple[str, ...]
    image: tuple[int, int, int] | None  # (C, H, W) for images, else None
    normal: tuple[int, ...]  # the classes trained on (all, unless anomaly detection)

    @property
    def dim(self) -> int:
        return int(np.prod(self.x_train.shape[1:]))

    @property
    def anomalous(self) -> np.ndarray:
        """(N_test,) True for test samples of a class never trained on."""
        return ~np.isin(self.y_test.numpy(), self.normal)


def _toy3d(name: str, n: int, seed: int) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    rng = np.random.default_rng(seed)
    if name == "moons2d":
        pts, y = generate("moons", n, 0.1, seed)
        pts = (pts - pts.mean(0)) / pts.std(0)
        return pts.astype(np.float32), y.astype(np.int64), ("upper moon", "lower moon")
    if name == "blobs3d":
        centers = np.array([[2.0, 0, 0], [-1, 1.8, 0], [-1, -1.8, 0.5]])
        y = rng.integers(0, 3, n)
        x = centers[y] + rng.normal(0, 0.5, (n, 3))
        return x.astype(np.float32), y, ("blob A", "blob B", "blob C")
    x, t = make_swiss_roll(n, noise=0.2, random_state=seed)
    y = np.digitize(t, np.quantile(t, [0.25, 0.5, 0.75]))
    return (x / 5).astype(np.float32), y, ("inner", "second", "third", "outer")


def ae_data(name: str, normal: tuple[int, ...] = (), seed: int = 0, n: int = 1200) -> AEData:
    """The set `name`, split in train and test; with `normal`, training keeps only those classes."""
    if name not in AE_SETS:
        raise ValueError(f"choose a dataset among {', '.join(AE_SETS)}")
    if name in ("moons2d", "blobs3d", "swissroll"):
        x, y, classes = _toy3d(name, n, seed)
        cut = int(0.7 * n)
        xa, xb, ya, yb = x[:cut], x[cut:], y[:cut], y[cut:]
        xa, xb = torch.from_numpy(xa), torch.from_numpy(xb)
        ya, yb = torch.from_numpy(ya.astype(np.int64)), torch.from_numpy(yb.astype(np.int64))
        image = None
    else:
        if name == "digits":
            ds = load_digits_set(0.7, seed)
        elif name == "objects":
            ds = load_objects(600, 16, 0.7, seed)
        else:
            ds = load_tabular(name, 0.7, seed)
        xa, xb, ya, yb, classes = ds.x_train, ds.x_test, ds.y_train, ds.y_test, ds.class_names
        image = tuple(ds.input_shape) if ds.kind == "image" else None
    if normal:
        if any(not 0 <= c < len(classes) for c in normal) or len(set(normal)) == len(classes):
            raise ValueError("leave at least one class out of training: those are the anomalies to find")
        keep = torch.from_numpy(np.isin(ya.numpy(), normal))
        xa, ya = xa[keep], ya[keep]
    return AEData(name, xa.float(), xb.float(), ya, yb, tuple(classes), image,
                  tuple(sorted(normal)) if normal else tuple(range(len(classes))))


def _mixture(centers: np.ndarray, sd: float, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    k = rng.integers(0, len(centers), n)
    return (centers[k] + rng.normal(0, sd, (n, 2))).astype(np.float32), centers.astype(np.float32)


def check_points(points: tuple[tuple[float, float], ...]) -> None:
    """The student's own target: 1 to MAX_POINTS points on the plane."""
    if not 1 <= len(points) <= MAX_POINTS:
        raise ValueError(f"click from 1 to {MAX_POINTS} points on the plane first: they make your target")
    c = np.asarray(points, float)
    if c.shape != (len(points), 2) or not np.isfinite(c).all() or np.abs(c).max() > 3.2:
        raise ValueError("points must lie on the plane, from -3 to 3")


def gan_target(name: str, n: int = 2000, seed: int = 0, points: tuple[tuple[float, float], ...] = ()
               ) -> tuple[np.ndarray, np.ndarray | None, float]:
    """Samples (n, 2) of the target, its modes' centres (or None for the line and moons), and their spread."""
    rng = np.random.default_rng(seed)
    if name == "ring":
        a = np.arange(8) * 2 * np.pi / 8
        return (*_mixture(2 * np.stack([np.cos(a), np.sin(a)], 1), 0.1, n, rng), 0.1)
    if name == "grid":
        g = np.array([(i, j) for i in (-2, 0, 2) for j in (-2, 0, 2)], float)
        return (*_mixture(g, 0.1, n, rng), 0.1)
    if name == "two":
        return (*_mixture(np.array([[-1.5, 0.0], [1.5, 0.0]]), 0.2, n, rng), 0.2)
    if name == "line":
        t = rng.uniform(-2, 2, n)
        return np.stack([t, 0.5 * t + rng.normal(0, 0.05, n)], 1).astype(np.float32), None, 0.05
    if name == "moons":
        pts, _ = generate("moons", n, 0.05, seed)
        pts = pts - pts.mean(0)
        return (pts / np.abs(pts).max() * 2).astype(np.float32), None, 0.1
    if name == "custom":
        check_points(points)
        return (*_mixture(np.asarray(points, float), 0.08, n, rng), 0.08)
    raise ValueError(f"choose a target among {', '.join(GAN_TARGETS)}")
