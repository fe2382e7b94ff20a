"""The Playground's live view as compact numbers for the browser to draw (`assets/pg_live.js`).

One redraw used to be two pictures drawn on the server (about 30 ms of its one interpreter); now it
is this dict, a few kilobytes of JSON per snapshot: per node its thumbnail as signed bytes (value in [-1, 1] times
127, rows from the top), the weights rounded to 4 digits, the output map's colours as RGB bytes, the
data points and the curves (thinned to a few hundred points) as float32 bytes. Base64 keeps the byte
arrays compact in JSON and cheap to make. Framework-free: the page passes it to the component, the tests read it back.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from core.data.dataset import Dataset
from core.data.toy2d import DOMAIN
from core.playground.drawing import MAX_DRAWN
from core.playground.frame import Frame
from core.playground.network import MAX_HIDDEN_LAYERS, MAX_UNITS
from core.viz.colors import BLUE, CLASS_COLORS, ORANGE
from core.viz.curves import downsample
from core.viz.panels import b64
from core.viz.raster import map_rgb, nice_ticks

CURVE_POINTS = 300
MAX_WEIGHT = 100.0  # an edited weight is kept within +-this


def quantize(maps: np.ndarray) -> np.ndarray:
    """(units, T, T) maps with row 0 at the bottom -> int8 with row 0 at the top, [-1, 1] -> [-127, 127]."""
    v = np.nan_to_num(np.asarray(maps, np.float32)[:, ::-1, :], nan=0.0)
    return np.round(np.clip(v, -1.0, 1.0) * 127).astype(np.int8)


def _json_numbers(a: np.ndarray, digits: int) -> list:
    """Nested lists of rounded numbers; NaN and infinities (a diverged network) become 0: JSON has none."""
    return np.round(np.nan_to_num(a, nan=0.0, posinf=0.0, neginf=0.0), digits).tolist()


def _points(pts: np.ndarray | None, labels: np.ndarray) -> dict[str, Any]:
    """x, y and label per point as float32 bytes (which ones are wrong comes with each frame)."""
    if pts is None or len(pts) == 0:
        return {"n": 0, "xy": "", "label": ""}
    return {"n": int(len(pts)), "xy": b64(np.asarray(pts, np.float32)),
            "label": b64(np.asarray(labels, np.float32).ravel())}


def curves(history: dict[str, Any], metrics: list[tuple[str, str, str | None, bool]]) -> list[dict[str, Any]]:
    """(title, train column, test column, percent) per chart: thinned series of the history, as float32
    bytes (NaN where a value is missing or not finite)."""
    out = []
    ep = np.asarray(history.get("epoch", []), float)
    for title, train, test, percent in metrics:
        if train not in history or not len(ep):
            continue
        tr = np.asarray(history[train], float)
        te = np.asarray(history[test], float) if test in history else tr
        x, a, b = downsample(ep, tr, te, n=CURVE_POINTS)
        series = [("training", "#333333", a)] + ([("test", BLUE if percent else ORANGE, b)] if test in history else [])
        out.append({"title": title, "percent": percent, "n": int(len(x)), "x": b64(np.asarray(x, np.float32)),
                    "series": [{"name": f"{who} {title.lower()}", "color": color,
                                "y": b64(np.where(np.isfinite(y), y, np.nan).astype(np.float32))}
                               for who, color, y in series]})
    return out


def frame_numbers(frame: Frame, version: int, epoch: int, discretize: bool, show_test: bool) -> dict[str, Any]:
    """What changes from one snapshot to the next: thumbnails, weights, the output map, the mistakes."""
    thumbs, ranges, values = [], [], []
    for col in frame.columns:
        shown = min(col.units, MAX_DRAWN)
        t = np.asarray(col.maps, np.float32)[:shown] if col.maps is not None else None
        thumbs.append(b64(quantize(t)) if t is not None else None)
        ranges.append(_json_numbers(np.stack([t.min(axis=(1, 2)), t.max(axis=(1, 2))], 1), 6) if t is not None
                      else None)
        values.append(_json_numbers(np.asarray(col.values, float)[:shown], 6) if col.values is not None else None)
    weights = [_json_numbers(np.asarray(w, float)[:MAX_DRAWN, :MAX_DRAWN], 4) for w in frame.weights]
    finite = [np.abs(np.nan_to_num(np.asarray(w, float), posinf=0, neginf=0)) for w in frame.weights]
    wmax = max((float(w.max()) for w in finite if w.size), default=1.0) or 1.0
    out: dict[str, Any] = {"v": version, "epoch": epoch, "thumbs": thumbs, "ranges": ranges, "values": values,
                           "weights": weights, "wmax": round(wmax, 6), "map": None}
    if frame.output_values is not None:
        bad = [np.zeros(0, np.uint8) if w is None else np.asarray(w, np.uint8)
               for w in (frame.wrong_train, frame.wrong_test if show_test else None)]
        out["map"] = {"rgb": b64(map_rgb(frame.output_values, frame.task_kind, discretize)),
                      "wrong_train": b64(bad[0]), "wrong_test": b64(bad[1])}
    return out


def payload(frames: list[tuple[Frame, int, int]], ds: Dataset, *, show_test: bool, discretize: bool,
            selected: tuple[int, int] | None, editable: bool, text_px: int, history: dict[str, Any] | None = None,
            metrics: list[tuple[str, str, str | None, bool]] | None = None, every_s: float = 0.0,
            layer_buttons: bool = False) -> dict[str, Any]:
    """One redraw's numbers: what stays (the layout, the data points, the curves) and `frames`, the
    snapshots since the last redraw as (frame, version, epoch), oldest first. The browser plays them
    evenly over `every_s` (the time to the next redraw), so a student sees every snapshot however
    seldom a crowded server redraws; the last is drawn at once when `every_s` is 0. `layer_buttons`: the
    drawing carries TF Playground's +/- buttons (layers, and neurons per hidden layer) with their limits."""
    latest = frames[-1][0]
    columns = [{"title": c.title, "units": c.units, "labels": list(c.labels[:min(c.units, MAX_DRAWN)]),
                "res": int(np.asarray(c.maps).shape[-1]) if c.maps is not None else 0} for c in latest.columns]
    out: dict[str, Any] = {"columns": columns, "selected": list(selected) if selected else None,
                           "editable": editable, "text_px": text_px, "every_s": round(float(every_s), 3),
                           "map": None, "curves": [],
                           "layers": {"max_layers": MAX_HIDDEN_LAYERS, "max_units": MAX_UNITS} if layer_buttons
                           else None,
                           "frames": [frame_numbers(f, v, e, discretize, show_test) for f, v, e in frames]}
    out["v"], out["epoch"] = out["frames"][-1]["v"], out["frames"][-1]["epoch"]
    if latest.output_values is not None:
        res = int(np.asarray(latest.output_values).shape[0])
        out["map"] = {"res": res, "task": latest.task_kind, "domain": list(DOMAIN), "ticks": nice_ticks(*DOMAIN, 4),
                      "axes": ["x1", "x2"], "colors": CLASS_COLORS,
                      "train": _points(ds.points_train, ds.y_train.numpy().ravel()),
                      "test": _points(ds.points_test if show_test else None, ds.y_test.numpy().ravel())}
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
