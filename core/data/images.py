"""Image sets, all offline: scikit-learn's 8x8 digits, and a generated "objects" set.

The objects set draws one coloured shape (circle, square, triangle, cross, ring, star) of random
colour, size, position and rotation on a textured background (stripes, checks, smooth noise or a
gradient), deterministically from a seed. Colour says nothing about the class, and textures have
edges of their own, so a single conv layer is not enough: a CNN needs to compose edges into parts.
"""

from __future__ import annotations

import numpy as np
from sklearn.datasets import load_digits

from core.data.dataset import Dataset, make_dataset

OBJECT_CLASSES = ("circle", "square", "triangle", "cross", "ring", "star")
MIN_SIZE, MAX_SIZE = 16, 96


def load_digits_set(train_fraction: float, seed: int) -> Dataset:
    bunch = load_digits()
    x = (np.asarray(bunch.images, np.float32) / 16.0)[:, None, :, :]
    return make_dataset("digits", "classification", "image", x, np.asarray(bunch.target, np.int64), train_fraction,
                        seed, class_names=tuple(str(d) for d in range(10)), meta={"title": "Handwritten digits 8x8"})


def _shape_mask(cls: str, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    r = np.hypot(u, v)
    if cls == "circle":
        return r < 1.0
    if cls == "ring":
        return (r < 1.0) & (r > 0.62)
    if cls == "square":
        return np.maximum(np.abs(u), np.abs(v)) < 0.8
    if cls == "triangle":
        inside = np.ones_like(u, bool)
        for k in range(3):
            a = np.pi / 2 + 2 * np.pi * k / 3
            inside &= u * np.cos(a) + v * np.sin(a) > -0.5
        return inside
    if cls == "cross":
        return ((np.abs(u) < 0.3) & (np.abs(v) < 1.0)) | ((np.abs(v) < 0.3) & (np.abs(u) < 1.0))
    if cls == "star":
        phi = np.arctan2(v, u)
        return r < 0.55 + 0.45 * np.cos(5 * phi) ** 2 * (np.cos(5 * phi) > 0) + 0.0 * phi
    raise ValueError(cls)


def _smooth_noise(rng: np.random.Generator, size: int, cells: int) -> np.ndarray:
    coarse = rng.random((cells + 1, cells + 1))
    t = np.linspace(0, cells, size)
    i = np.minimum(t.astype(int), cells - 1)
    f = t - i
    rows = coarse[i] * (1 - f)[:, None] + coarse[i + 1] * f[:, None]
    return rows[:, i] * (1 - f)[None, :] + rows[:, i + 1] * f[None, :]


def _background(rng: np.random.Generator, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    c1 = rng.random(3)
    c2 = c1 + (rng.random(3) - c1) * 0.45  # textures of lower contrast than the shape's outline
    kind = rng.integers(4)
    if kind == 0:  # stripes
        a, freq = rng.uniform(0, np.pi), rng.uniform(4, 12)
        t = 0.5 + 0.5 * np.sin(freq * (x * np.cos(a) + y * np.sin(a)) * np.pi)
    elif kind == 1:  # checks
        f = rng.uniform(2, 6)
        t = ((np.floor((x + 1) * f) + np.floor((y + 1) * f)) % 2) * 0.8 + 0.1
    elif kind == 2:  # smooth noise
        t = _smooth_noise(rng, x.shape[0], int(rng.integers(3, 8)))
    else:  # gradient
        a = rng.uniform(0, 2 * np.pi)
        t = 0.5 + 0.5 * (x * np.cos(a) + y * np.sin(a)) / np.sqrt(2)
    t = t[..., None]
    return c1 * (1 - t) + c2 * t


def make_object_image(rng: np.random.Generator, cls: str, size: int, with_mask: bool = False):
    """One (3, size, size) float32 image in [0, 1] of a shape of class `cls` (and the shape's mask)."""
    lin = np.linspace(-1, 1, size)
    x, y = np.meshgrid(lin, lin)
    img = _background(rng, x, y)
    scale = rng.uniform(0.38, 0.55)
    cx, cy = rng.uniform(-1 + scale, 1 - scale, 2)
    angle = rng.uniform(0, 2 * np.pi)
    dx, dy = (x - cx) / scale, (y - cy) / scale
    u = dx * np.cos(angle) + dy * np.sin(angle)
    v = -dx * np.sin(angle) + dy * np.cos(angle)
    mask = _shape_mask(cls, u, v)
    bg_mean = img[mask].mean(0) if mask.any() else img.mean((0, 1))
    color = rng.random(3)
    for _ in range(8):  # keep the shape visible against what lies under it
        if np.abs(color - bg_mean).sum() > 0.6:
            break
        color = rng.random(3)
    img[mask] = color
    img += rng.normal(0, 0.03, img.shape)
    out = np.clip(img, 0, 1).astype(np.float32).transpose(2, 0, 1)
    return (out, mask) if with_mask else out


def load_objects(n_samples: int, size: int, train_fraction: float, seed: int) -> Dataset:
    if not MIN_SIZE <= size <= MAX_SIZE:
        raise ValueError(f"the objects images must be {MIN_SIZE} to {MAX_SIZE} pixels wide, not {size}")
    rng = np.random.default_rng(seed)
    labels = np.arange(n_samples) % len(OBJECT_CLASSES)
    rng.shuffle(labels)
    x = np.stack([make_object_image(rng, OBJECT_CLASSES[c], size) for c in labels])
    return make_dataset("objects", "classification", "image", x, labels.astype(np.int64), train_fraction, seed,
                        class_names=OBJECT_CLASSES, meta={"title": f"Generated objects {size}x{size}"})
