"""Pictures of the Generalization lab: every variant's train and test curves on one chart, the
generalization gap over time, each variant's decision boundary, a sweep's train and test error, and
augmented images beside their originals."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from PIL import Image

from core.viz.colors import BLUE, CLASS_COLORS, ORANGE, fast_figure
from core.viz.curves import chart_layout, downsample
from core.viz.panels import point_set, raster
from core.viz.raster import map_rgb


def clipped(history: dict[str, np.ndarray], key: str, upto: int) -> tuple[np.ndarray, np.ndarray]:
    """A column against epochs, only up to epoch `upto` (0: all): an early-stopped run stops there."""
    ep, v = np.asarray(history["epoch"], float), np.asarray(history[key], float)
    if upto:
        keep = ep < upto
        ep, v = ep[keep], v[keep]
    return ep, v


def variant_curves(history: dict[str, np.ndarray], variants: list[str], labels: dict[str, str],
                   colors: dict[str, str], metric: str = "loss", stops: dict[str, tuple[int, int]] | None = None,
                   height: int = 330) -> go.Figure:
    """Training (dotted) and test (solid) curves of `metric` for every variant; an early stop marked."""
    traces = []
    for v in variants:
        upto = (stops or {}).get(v, (0, 0))[1]
        for part, dash in (("train", "dot"), ("test", "solid")):
            key = f"{v}_{part}_{metric}"
            if key not in history:
                continue
            ep, y = downsample(*clipped(history, key, upto))
            traces.append({"type": "scatter", "x": ep, "y": y, "name": f"{labels[v]} ({part})",
                           "legendgroup": v, "line": {"color": colors[v], "width": 2, "dash": dash}})
    for v, (best, stopped) in (stops or {}).items():
        if stopped and f"{v}_test_{metric}" in history:
            ep = np.asarray(history["epoch"])
            i = int(np.searchsorted(ep, best))
            if i < len(ep):
                traces.append({"type": "scatter", "x": [best], "y": [float(history[f"{v}_test_{metric}"][i])],
                               "mode": "markers", "name": f"{labels[v]}: stopped, weights of epoch {best}",
                               "marker": {"color": colors[v], "size": 12, "symbol": "star"}})
    title = "Loss: training (dotted) and test (solid)" if metric == "loss" else "Accuracy: training and test"
    layout = chart_layout(title, "epoch", metric, height, f"gen_{metric}")
    if metric == "acc":
        layout["yaxis"].update({"tickformat": ".0%"})
    return fast_figure(traces, layout)


def gap_series(history: dict[str, np.ndarray], v: str, upto: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The generalization gap over time: test loss minus training loss."""
    ep, te = clipped(history, f"{v}_test_loss", upto)
    _, tr = clipped(history, f"{v}_train_loss", upto)
    return ep, te - tr


def gap_figure(history: dict[str, np.ndarray], variants: list[str], labels: dict[str, str],
               colors: dict[str, str], stops: dict[str, tuple[int, int]] | None = None, height: int = 300) -> go.Figure:
    traces = []
    for v in variants:
        ep, gap = downsample(*gap_series(history, v, (stops or {}).get(v, (0, 0))[1]))
        traces.append({"type": "scatter", "x": ep, "y": gap, "name": labels[v],
                       "line": {"color": colors[v], "width": 2}})
    layout = chart_layout("Generalization gap: test loss − training loss", "epoch", "gap", height, "gen_gap")
    return fast_figure(traces, layout)


def boundary_panel(values: np.ndarray, points: np.ndarray, labels: np.ndarray, n_classes: int,
                   domain: tuple[float, float], title: str, flipped: np.ndarray | None = None) -> dict:
    """A variant's output over the plane (P(class 1) for two classes, else the class) with its training
    points, for the browser to draw; points whose label was flipped have a black ring."""
    v = np.asarray(values, float)
    rgb = map_rgb(2 * v - 1, "binary") if n_classes == 2 else map_rgb(v, "multiclass")
    labels = np.asarray(labels).astype(int)
    ring = np.zeros(len(labels), bool) if flipped is None else np.asarray(flipped, bool)[:len(labels)]
    sets = []
    for c in range(n_classes):
        color = (ORANGE, BLUE)[c] if n_classes == 2 else CLASS_COLORS[c % len(CLASS_COLORS)]
        sets.append(point_set(np.asarray(points)[labels == c], color, radius=3.5, ring=ring[labels == c]))
    return raster(rgb, title, domain=domain, points=sets)


def sweep_figure(rows: dict[str, np.ndarray], axis: str, log_x: bool = False, height: int = 340) -> go.Figure:
    """A sweep's train and test error (mean over seeds, with their spread) against the swept value."""
    x = np.asarray(rows["value"], float)
    traces = []
    for part, color in (("train", "#333333"), ("test", ORANGE)):
        y, sd = np.asarray(rows[f"{part}_error"], float), np.asarray(rows[f"{part}_error_sd"], float)
        traces.append({"type": "scatter", "x": x, "y": y, "mode": "lines+markers", "name": f"{part} error",
                       "line": {"color": color, "width": 2},
                       "error_y": {"type": "data", "array": sd, "visible": True, "color": color}})
    layout = chart_layout("Error after training, for each setting", axis, "error (share wrong)", height, "gen_sweep")
    layout["yaxis"].update({"tickformat": ".0%", "rangemode": "tozero"})
    if log_x:
        layout["xaxis"].update({"type": "log"})
    return fast_figure(traces, layout)


def to_rgb(x: np.ndarray) -> np.ndarray:
    """(C, H, W) in [0, 1] -> (H, W, 3) uint8."""
    a = np.clip(np.asarray(x, float), 0, 1)
    a = np.repeat(a, 3, 0) if a.shape[0] == 1 else a[:3]
    return (a.transpose(1, 2, 0) * 255).astype(np.uint8)


def enlarge(rgb: np.ndarray, size: int = 96) -> np.ndarray:
    return np.asarray(Image.fromarray(rgb).resize((size, size), Image.NEAREST))
