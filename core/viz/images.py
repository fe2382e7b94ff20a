"""Pictures every image lab shares: a small image enlarged so each pixel stays a square, a row of images,
and a classifier's top predictions as bars."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from PIL import Image

from core.viz.colors import BLUE, TRUE_CLASS, fast_figure


def upscale(rgb: np.ndarray, size: int) -> np.ndarray:
    """Nearest-neighbour upscale of a small RGB image so each value stays a visible square."""
    h, w = rgb.shape[:2]
    f = max(1, size // max(h, w))
    return np.asarray(Image.fromarray(rgb).resize((w * f, h * f), Image.NEAREST))


def image_row(images: np.ndarray, scale: int = 6, gap: int = 4, per_row: int | None = None) -> np.ndarray:
    """Images (N, C, H, W) in [0, 1] as one RGB strip (or grid of `per_row`), nearest-neighbour enlarged."""
    imgs = np.clip(np.asarray(images, float), 0, 1)
    n, c, h, w = imgs.shape
    per_row = per_row or n
    rows = -(-n // per_row)
    out = np.full((rows * (h * scale + gap) + gap, per_row * (w * scale + gap) + gap, 3), 255, np.uint8)
    for i, im in enumerate(imgs):
        rgb = np.repeat(im, 3, 0) if c == 1 else im[:3]
        big = np.kron(rgb.transpose(1, 2, 0), np.ones((scale, scale, 1)))
        r, k = divmod(i, per_row)
        y, x = gap + r * (h * scale + gap), gap + k * (w * scale + gap)
        out[y:y + h * scale, x:x + w * scale] = (big * 255).astype(np.uint8)
    return out


def probability_bars(probs: np.ndarray, class_names: list[str] | tuple[str, ...], target: int | None = None,
                     height: int = 260) -> go.Figure:
    order = np.argsort(-np.asarray(probs))[:10]
    names = [class_names[i] for i in order]
    colors = [TRUE_CLASS if target is not None and i == target else BLUE for i in order]
    names = [f"{n} (true)" if target is not None and i == target else n for n, i in zip(names, order)]
    bar = {"type": "bar", "x": [float(probs[i]) for i in order], "y": names, "orientation": "h",
           "marker": {"color": colors}, "text": [f"{float(probs[i]):.1%}" for i in order], "textposition": "auto"}
    return fast_figure([bar], {
        "height": height, "margin": {"l": 5, "r": 5, "t": 30, "b": 5}, "title": {"text": "Prediction",
                                                                                 "font": {"size": 13}},
        "xaxis": {"range": [0, 1], "tickformat": ".0%"}, "yaxis": {"autorange": "reversed", "type": "category"},
        "plot_bgcolor": "white",
    })
