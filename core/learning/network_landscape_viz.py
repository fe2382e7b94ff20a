"""A real network's loss landscape drawn: contours (log scale, so valleys show) with the training path,
the same surface in 3D, the loss along the line from the initial to the trained weights, and the
learning-rate range test with its suggestion."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.learning.network_landscape import RangeTest, Surface
from core.viz.colors import BLUE, ORANGE, fast_figure


def _log(z: np.ndarray) -> np.ndarray:
    return np.log10(np.maximum(np.asarray(z, float), 1e-6))


def contour_figure(s: Surface, path: np.ndarray | None = None, epochs: list[int] | None = None,
                   axes: tuple[str, str] = ("direction 1", "direction 2"), height: int = 420) -> go.Figure:
    """Contours of log10(loss); `path`: (k, 2) points drawn as a line with the epochs on hover."""
    traces = [{"type": "contour", "x": s.alphas, "y": s.betas, "z": _log(s.loss), "colorscale": "Viridis",
               "ncontours": 20, "colorbar": {"title": {"text": "log10 loss"}},
               "hovertemplate": "a=%{x:.2f} b=%{y:.2f}<br>log10 loss %{z:.3f}<extra></extra>"},
              {"type": "scatter", "x": [0], "y": [0], "mode": "markers", "name": "trained weights",
               "marker": {"symbol": "star", "size": 14, "color": "white", "line": {"color": "black", "width": 1}}}]
    if path is not None:
        traces.append({"type": "scatter", "x": path[:, 0], "y": path[:, 1], "mode": "lines+markers",
                       "name": "training path", "line": {"color": ORANGE, "width": 2.5},
                       "marker": {"size": 6}, "text": [f"epoch {e}" for e in (epochs or [])],
                       "hovertemplate": "%{text}<extra></extra>"})
    return fast_figure(traces, {
        "height": height, "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "xaxis": {"title": {"text": axes[0]}}, "yaxis": {"title": {"text": axes[1]}},
        "legend": {"orientation": "h", "y": -0.18}, "uirevision": "net_landscape"})


def surface_figure(s: Surface, height: int = 420) -> go.Figure:
    return fast_figure([{"type": "surface", "x": s.alphas, "y": s.betas, "z": _log(s.loss), "colorscale": "Viridis",
                         "showscale": False, "hovertemplate": "a=%{x:.2f} b=%{y:.2f}<br>log10 loss %{z:.3f}"
                                                              "<extra></extra>"}], {
        "height": height, "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "scene": {"xaxis": {"title": {"text": "direction 1"}}, "yaxis": {"title": {"text": "direction 2"}},
                  "zaxis": {"title": {"text": "log10 loss"}}}})


def interpolation_figure(alphas: np.ndarray, losses: np.ndarray, height: int = 280) -> go.Figure:
    return fast_figure([{"type": "scatter", "x": alphas, "y": losses, "mode": "lines", "name": "loss",
                         "line": {"color": BLUE, "width": 2.5}},
                        {"type": "scatter", "x": [0, 1], "y": [float(np.interp(0, alphas, losses)),
                                                              float(np.interp(1, alphas, losses))],
                         "mode": "markers+text", "text": ["initial", "trained"], "textposition": "top center",
                         "marker": {"size": 10, "color": ORANGE}, "showlegend": False}], {
        "height": height, "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "xaxis": {"title": {"text": "a: weights (1 - a) initial + a trained"}},
        "yaxis": {"title": {"text": "training loss"}, "type": "log"}, "showlegend": False})


def range_figure(rt: RangeTest, height: int = 280) -> go.Figure:
    top = float(np.nanmax(rt.losses)) if len(rt.losses) else 1.0
    return fast_figure([{"type": "scatter", "x": rt.lrs, "y": rt.losses, "mode": "lines", "name": "loss",
                         "line": {"color": BLUE, "width": 2.5}},
                        {"type": "scatter", "x": [rt.suggestion, rt.suggestion], "y": [0, top], "mode": "lines",
                         "name": f"suggested {rt.suggestion:.2g}", "line": {"color": ORANGE, "dash": "dash"}}], {
        "height": height, "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "xaxis": {"title": {"text": "learning rate (growing at every step)"}, "type": "log"},
        "yaxis": {"title": {"text": "training loss"}}, "legend": {"orientation": "h", "y": -0.3}})
