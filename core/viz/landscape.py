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
