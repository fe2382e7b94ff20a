"""Live charts as numbers for the browser to draw (`assets/live_panels.js`, mounted by `ui/kit/panels.py`).

The labs' live views used to be pictures made on the server, with their titles and ticks baked in at 5-6 px
once the browser scaled them down, and replaced before the browser had fetched them ("Image source error").
Each panel here is a small dict of plain JSON and base64 byte arrays; the browser draws its text at the
page's size (13 px, more when presenting), and the hover shows values. Two kinds:

- `lines`: curves against a shared x (epochs, time steps), optionally in percent or on a log scale;
- `raster`: a picture's pixels (RGB bytes: a heatmap, a decision boundary, a grid of filters or samples),
  drawn crisp, with optional points over it (in `domain` coordinates), a legend and hover values.

Framework-free: the pages pass the panels to the component, the tests read them back.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

import numpy as np

from core.viz.curves import downsample

POINTS = 300  # a live curve is thinned to this many points


def b64(a: np.ndarray) -> str:
    """An array's bytes as base64 text: compact in JSON and cheap to make."""
    return base64.b64encode(np.ascontiguousarray(a).tobytes()).decode()


def from_b64(s: str, dtype, shape: tuple[int, ...]) -> np.ndarray:
    """The inverse of `b64` (the tests use it to read a payload back)."""
    return np.frombuffer(base64.b64decode(s), dtype=dtype).reshape(shape)


def lines(x: np.ndarray, series: Sequence[tuple[str, np.ndarray, str]], title: str, *, percent: bool = False,
          log: bool = False, xlabel: str = "epoch", ylabel: str = "", y_range: tuple[float, float] | None = None,
          height: int = 220) -> dict[str, Any]:
    """(name, values, "#rrggbb") series against `x`, thinned to `POINTS`. NaN (a run that stopped) leaves a gap."""
    ys = [np.asarray(y, float) for _, y, _ in series]
    xs = np.asarray(x, float)
    n = min([len(xs), *[len(y) for y in ys]]) if ys else 0
    xs, *ys = downsample(xs[:n], *[y[:n] for y in ys], n=POINTS)
    if log:
        ys = [np.where(y > 0, np.log10(np.maximum(y, 1e-30)), np.nan) for y in ys]
    return {"kind": "lines", "title": title, "x": b64(np.asarray(xs, np.float32)), "n": int(len(xs)),
            "series": [{"name": name, "color": color, "y": b64(np.asarray(y, np.float32))}
                       for (name, _, color), y in zip(series, ys)],
            "percent": percent, "log": log, "xlabel": xlabel, "ylabel": ylabel,
            "y_range": list(map(float, y_range)) if y_range else None, "height": int(height)}


def raster(rgb: np.ndarray, title: str, *, smooth: bool = False, max_w: int = 0, caption: str = "",
           aspect: float = 0.0, xlabel: str = "", ylabel: str = "", legend: Sequence[tuple[str, str]] = (),
           hover: np.ndarray | None = None, hover_rows: Sequence[str] = (), hover_cols: Sequence[str] = (),
           hover_text: str = "{row}, {col}: {value}", domain: tuple[float, float] | None = None,
           points: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    """An (H, W, 3) uint8 picture, drawn scaled to its panel's width (at most `max_w` px; 0: the whole width),
    `aspect` times as tall as wide (0: the picture's own shape).

    `hover` (rows, cols) are the values shown under the mouse, with `hover_text` filled from the row's and
    column's labels; `points` (see `point_set`) are drawn over the picture, in `domain` coordinates on both axes.
    """
    img = np.ascontiguousarray(np.asarray(rgb, np.uint8)[..., :3])
    out: dict[str, Any] = {"kind": "raster", "title": title, "w": int(img.shape[1]), "h": int(img.shape[0]),
                           "rgb": b64(img), "smooth": smooth, "max_w": int(max_w), "aspect": float(aspect),
                           "caption": caption, "xlabel": xlabel, "ylabel": ylabel, "legend": [list(x) for x in legend],
                           "domain": list(map(float, domain)) if domain else None, "points": list(points)}
    if hover is not None:
        h = np.nan_to_num(np.asarray(hover, np.float32), nan=0.0)
        out["hover"] = {"values": b64(h), "rows": int(h.shape[0]), "cols": int(h.shape[1]),
                        "row_labels": list(hover_rows), "col_labels": list(hover_cols), "text": hover_text}
    return out


def point_set(xy: np.ndarray, color: str, name: str = "", radius: float = 3.0,
              ring: np.ndarray | None = None) -> dict[str, Any]:
    """Points drawn over a raster: (N, 2) in its domain, one colour; `ring` marks some with a black ring."""
    p = np.asarray(xy, np.float32).reshape(-1, 2)
    out = {"xy": b64(p), "n": int(len(p)), "color": color, "name": name, "r": float(radius)}
    if ring is not None:
        out["ring"] = b64(np.asarray(ring, np.uint8).ravel()[:len(p)])
    return out


def blues(values: np.ndarray) -> np.ndarray:
    """[0, 1] values as white-to-dark-blue RGB (attention weights, gates)."""
    t = np.clip(np.asarray(values, float), 0, 1)[..., None]
    return (np.array([247, 251, 255]) * (1 - t) + np.array([8, 48, 107]) * t).astype(np.uint8)
