"""Points in a plane coloured by class (an autoencoder's codes, a backbone's features): as a clickable
plotly chart and as a panel the browser draws live."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.viz.curves import LEGEND
from core.viz.panels import point_set, raster

PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
           "#17becf"]
CLICK_GRID = 25  # clickable spots per side of the code plane


def titled(fig: go.Figure, title: str, height: int) -> go.Figure:
    """A plain white figure with a small title, `height` px tall."""
    fig.update_layout(title=dict(text=title, font=dict(size=14)), height=height, margin=dict(l=10, r=10, t=40, b=10),
                      plot_bgcolor="white")
    return fig


def bounds(points: np.ndarray, pad: float = 0.1) -> tuple[float, float, float, float]:
    lo, hi = points.min(0), points.max(0)
    span = np.maximum(hi - lo, 1e-6)
    return lo[0] - pad * span[0], hi[0] + pad * span[0], lo[1] - pad * span[1], hi[1] + pad * span[1]


def code_figure(points: np.ndarray, labels: np.ndarray, classes: tuple[str, ...], title: str,
                clickable: bool = True, marked: tuple[float, float] | None = None, height: int = 420) -> go.Figure:
    """The test set's codes in the plane, coloured by class; with `clickable`, a faint grid of spots so a
    click anywhere selects the nearest one (the page decodes it)."""
    fig = go.Figure()
    x0, x1, y0, y1 = bounds(points)
    if clickable:
        gx, gy = np.meshgrid(np.linspace(x0, x1, CLICK_GRID), np.linspace(y0, y1, CLICK_GRID))
        fig.add_trace(go.Scatter(x=gx.ravel(), y=gy.ravel(), mode="markers", name="click to decode",
                                 marker=dict(size=14, color="rgba(0,0,0,0.02)"), hoverinfo="skip", showlegend=False))
    for c, name in enumerate(classes):
        keep = labels == c
        if keep.any():
            fig.add_trace(go.Scatter(x=points[keep, 0], y=points[keep, 1], mode="markers", name=name,
                                     marker=dict(size=6, color=PALETTE[c % 10], opacity=0.8),
                                     unselected=dict(marker=dict(opacity=0.8)), selected=dict(marker=dict(opacity=0.8)),
                                     hovertemplate=f"{name}<extra></extra>"))
    if marked is not None:
        fig.add_trace(go.Scatter(x=[marked[0]], y=[marked[1]], mode="markers", name="decoded",
                                 marker=dict(size=16, symbol="x", color="black")))
    fig.update_xaxes(range=[x0, x1], zeroline=False)
    fig.update_yaxes(range=[y0, y1], zeroline=False)
    titled(fig, title, height)
    fig.update_layout(clickmode="event+select", dragmode=False, legend=LEGEND, margin=dict(t=62),
                      title=dict(y=0.98, yanchor="top"))
    return fig


def code_panel(points: np.ndarray, labels: np.ndarray, classes: tuple[str, ...] | list[str], title: str = "",
               max_w: int = 0) -> dict:
    """The same plane for the browser to draw live: the codes scaled into a unit square, one colour per class,
    with a legend of the classes."""
    x0, x1, y0, y1 = bounds(points)
    unit = np.stack([(points[:, 0] - x0) / (x1 - x0), (points[:, 1] - y0) / (y1 - y0)], 1)
    labels = np.asarray(labels).astype(int)
    shown = [c for c in range(len(classes)) if (labels == c).any()]
    return raster(np.full((1, 1, 3), 255, np.uint8), title, aspect=0.75, domain=(0.0, 1.0), max_w=max_w,
                  legend=[(str(classes[c]), PALETTE[c % 10]) for c in shown],
                  points=[point_set(unit[labels == c], PALETTE[c % 10], str(classes[c])) for c in shown])
