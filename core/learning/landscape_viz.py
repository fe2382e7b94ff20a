"""The optimizers race drawn: the loss surface as contours (log scale, so valleys show) and each
racer's path over it, its current point marked (a cross where it diverged)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.viz.colors import LINE_COLORS, fast_figure
from core.viz.curves import downsample


def race_figure(surface: tuple[np.ndarray, np.ndarray, np.ndarray], history: dict[str, np.ndarray],
                racers: dict[str, str], height: int = 460) -> go.Figure:
    """`surface` = (xs, ys, z on the grid); `racers` = id -> label; paths from `<id>_x`, `<id>_y`."""
    xs, ys, z = surface
    zl = np.log10(np.asarray(z, float) - float(np.min(z)) + 1e-3)
    traces = [{"type": "heatmap", "x": xs, "y": ys, "z": zl, "colorscale": "Greys", "showscale": False,
               "hoverinfo": "skip", "opacity": 0.45, "showlegend": False},
              {"type": "contour", "x": xs, "y": ys, "z": zl, "showscale": False, "ncontours": 16,
               "contours": {"coloring": "none"}, "line": {"color": "#666", "width": 0.8}, "hoverinfo": "skip",
               "showlegend": False}]
    for i, (rid, label) in enumerate(racers.items()):
        if f"{rid}_x" not in history:
            continue
        color = LINE_COLORS[i % len(LINE_COLORS)]
        _, px, py = downsample(history["epoch"], history[f"{rid}_x"], history[f"{rid}_y"])
        gone = bool(history.get(f"{rid}_diverged", [0])[-1])
        traces.append({"type": "scatter", "x": px, "y": py, "mode": "lines", "name": label + (" (diverged)" if gone
                                                                                              else ""),
                       "line": {"color": color, "width": 2.5}})
        traces.append({"type": "scatter", "x": [px[-1]], "y": [py[-1]], "mode": "markers", "showlegend": False,
                       "marker": {"color": color, "size": 12, "symbol": "x" if gone else "circle",
                                  "line": {"color": "white", "width": 1.5}}, "hoverinfo": "skip"})
    lo, hi = float(xs[0]), float(xs[-1])
    return fast_figure(traces, {
        "height": height, "margin": {"l": 10, "r": 10, "t": 10, "b": 10}, "plot_bgcolor": "white",
        "xaxis": {"title": {"text": "weight x"}, "range": [lo, hi]},
        "yaxis": {"title": {"text": "weight y"}, "range": [float(ys[0]), float(ys[-1])], "scaleanchor": "x"},
        "legend": {"orientation": "h", "y": -0.12}, "uirevision": "race"})


def step_detail_figure(surface: tuple[np.ndarray, np.ndarray, np.ndarray], path: list[tuple[float, float]],
                       point: tuple[float, float], arrows: list[tuple[str, tuple[float, float], str]],
                       height: int = 380) -> go.Figure:
    """One optimizer's step drawn over the contours: its path so far, the point, and arrows from the
    point (label, (dx, dy), colour): the plain gradient step, its velocity, the step it took."""
    xs, ys, z = surface
    zl = np.log10(np.asarray(z, float) - float(np.min(z)) + 1e-3)
    px, py = zip(*path) if path else ((), ())
    traces = [{"type": "contour", "x": xs, "y": ys, "z": zl, "showscale": False, "ncontours": 16,
               "colorscale": "Greys", "opacity": 0.5, "hoverinfo": "skip"},
              {"type": "scatter", "x": list(px), "y": list(py), "mode": "lines", "name": "path so far",
               "line": {"color": "#555", "width": 1.5}},
              {"type": "scatter", "x": [point[0]], "y": [point[1]], "mode": "markers", "name": "this step's start",
               "marker": {"size": 11, "color": "black"}}]
    reach = max([abs(v) for _, d, _ in arrows for v in d] + [1e-3])
    annotations = []
    for label, (dx, dy), color in arrows:
        traces.append({"type": "scatter", "x": [None], "y": [None], "mode": "lines", "name": label,
                       "line": {"color": color, "width": 3}})
        annotations.append({"x": point[0] + dx, "y": point[1] + dy, "ax": point[0], "ay": point[1], "xref": "x",
                            "yref": "y", "axref": "x", "ayref": "y", "showarrow": True, "arrowhead": 3,
                            "arrowwidth": 2.5, "arrowcolor": color, "text": ""})
    span = 3 * reach
    return fast_figure(traces, {
        "height": height, "margin": {"l": 10, "r": 10, "t": 10, "b": 10}, "plot_bgcolor": "white",
        "annotations": annotations, "legend": {"orientation": "h", "y": -0.15},
        "xaxis": {"range": [point[0] - span, point[0] + span], "title": {"text": "weight x"}},
        "yaxis": {"range": [point[1] - span, point[1] + span], "scaleanchor": "x", "title": {"text": "weight y"}}})
