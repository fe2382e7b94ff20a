"""The Playground's live view as compact numbers for the browser to draw (`assets/pg_live.js`).

One redraw used to be two pictures drawn on the server (about 30 ms of its one interpreter); now it
is this dict, a few kilobytes of JSON: per node its thumbnail as signed bytes (value in [-1, 1] times
127, rows from the top), the weights rounded to 4 digits, the output map's colours as RGB bytes, the
data points, and the curves thinned to a few hundred points. Base64 keeps the byte arrays compact in
JSON. Framework-free: the page passes it to the component, the tests read it back.
"""

from __future__ import annotations

import base64
import math
from typing import Any

import numpy as np

from core.data.dataset import Dataset
from core.data.toy2d import DOMAIN
from core.playground.frame import Frame
from core.viz.colors import BLUE, CLASS_COLORS, ORANGE
from core.viz.curves import downsample
from core.viz.network import MAX_DRAWN
from core.viz.raster import map_rgb, nice_ticks

CURVE_POINTS = 300
MAX_WEIGHT = 100.0  # an edited weight is kept within +-this


def b64(a: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(a).tobytes()).decode()


def from_b64(s: str, dtype, shape: tuple[int, ...]) -> np.ndarray:
    """The inverse of `b64` (the tests use it to read a payload back)."""
    return np.frombuffer(base64.b64decode(s), dtype=dtype).reshape(shape)


def quantize(maps: np.ndarray) -> np.ndarray:
    """(units, T, T) maps with row 0 at the bottom -> int8 with row 0 at the top, [-1, 1] -> [-127, 127]."""
    v = np.nan_to_num(np.asarray(maps, np.float32)[:, ::-1, :], nan=0.0)
    return np.round(np.clip(v, -1.0, 1.0) * 127).astype(np.int8)


def _finite(v: float) -> float | None:
    return round(float(v), 6) if math.isfinite(float(v)) else None


def _points(pts: np.ndarray | None, labels: np.ndarray, wrong: np.ndarray | None) -> list[list[float]]:
    if pts is None or len(pts) == 0:
        return []
    bad = np.zeros(len(pts), bool) if wrong is None else np.asarray(wrong, bool)
    lab = np.asarray(labels, float).ravel()
    return [[round(float(x), 3), round(float(y), 3), round(float(v), 3), int(b)]
            for (x, y), v, b in zip(np.asarray(pts, float), lab, bad)]


def curves(history: dict[str, Any], metrics: list[tuple[str, str, str | None, bool]]) -> list[dict[str, Any]]:
    """(title, train column, test column, percent) per chart: thinned series of the history."""
    out = []
    ep = np.asarray(history.get("epoch", []), float)
    for title, train, test, percent in metrics:
        if train not in history or not len(ep):
            continue
        tr = np.asarray(history[train], float)
        te = np.asarray(history[test], float) if test in history else tr
        x, a, b = downsample(ep, tr, te, n=CURVE_POINTS)
        series = [{"name": f"training {title.lower()}", "color": "#333333", "y": [_finite(v) for v in a]}]
        if test in history:
            series.append({"name": f"test {title.lower()}", "color": BLUE if percent else ORANGE,
                           "y": [_finite(v) for v in b]})
        out.append({"title": title, "percent": percent, "x": [int(v) for v in x], "series": series})
    return out


def payload(frame: Frame, ds: Dataset, *, show_test: bool, discretize: bool, selected: tuple[int, int] | None,
            editable: bool, text_px: int, history: dict[str, Any] | None = None,
            metrics: list[tuple[str, str, str | None, bool]] | None = None, version: int = 0) -> dict[str, Any]:
    """Everything one redraw of the live view shows, as JSON-ready values."""
    columns = []
    for col in frame.columns:
        shown = min(col.units, MAX_DRAWN)
        entry: dict[str, Any] = {"title": col.title, "units": col.units, "labels": list(col.labels[:shown])}
        if col.maps is not None:
            thumbs = np.asarray(col.maps)[:shown]
            entry["thumbs"] = b64(quantize(thumbs))
            entry["res"] = int(thumbs.shape[-1])
            entry["range"] = [[_finite(m.min()), _finite(m.max())] for m in np.asarray(thumbs, np.float32)]
        if col.values is not None:
            entry["values"] = [_finite(v) for v in np.asarray(col.values)[:shown]]
        columns.append(entry)
    weights = [[[round(float(v), 4) for v in row[:MAX_DRAWN]] for row in np.asarray(w)[:MAX_DRAWN]]
               for w in frame.weights]
    wmax = max((float(np.abs(w).max()) for w in frame.weights if np.asarray(w).size), default=1.0) or 1.0
    out: dict[str, Any] = {"v": version, "columns": columns, "weights": weights, "wmax": round(wmax, 6),
                           "selected": list(selected) if selected else None, "editable": editable,
                           "text_px": text_px, "map": None, "curves": []}
    if frame.output_values is not None:
        rgb = map_rgb(frame.output_values, frame.task_kind, discretize)
        labels_train = ds.y_train.numpy().ravel()
        labels_test = ds.y_test.numpy().ravel()
        out["map"] = {"res": int(rgb.shape[0]), "rgb": b64(rgb), "task": frame.task_kind, "domain": list(DOMAIN),
                      "ticks": nice_ticks(*DOMAIN, 4), "axes": ["x1", "x2"], "colors": CLASS_COLORS,
                      "train": _points(ds.points_train, labels_train, frame.wrong_train),
                      "test": _points(ds.points_test, labels_test, frame.wrong_test) if show_test else []}
    if history is not None and metrics:
        out["curves"] = curves(history, metrics)
    return out


def checked_edit(event: Any, frame: Frame) -> tuple[int, int, int, float]:
    """(layer, row, col, value) from the browser's edit message, or a ValueError a student can read."""
    if not isinstance(event, dict):
        raise ValueError("that edit could not be read")
    try:
        layer, row, col = (int(event[k]) for k in ("layer", "row", "col"))
        value = float(event["value"])
    except (KeyError, TypeError, ValueError):
        raise ValueError("a weight must be a number, such as 0.5 or -1.2") from None
    if not 0 <= layer < len(frame.weights):
        raise ValueError("that weight is not in this network")
    w = np.asarray(frame.weights[layer])
    if not (0 <= row < w.shape[0] and 0 <= col < w.shape[1]):
        raise ValueError("that weight is not in this network")
    if not math.isfinite(value) or abs(value) > MAX_WEIGHT:
        raise ValueError(f"a weight must be a number between -{MAX_WEIGHT:g} and {MAX_WEIGHT:g}")
    return layer, row, col, value
