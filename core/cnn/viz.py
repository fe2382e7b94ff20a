"""The CNN lab's pictures: feature maps as tiles and clickable grids, first-layer filters, one map's values."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from core.viz.colors import DIVERGING, diverging_rgb, fast_figure
from core.viz.images import upscale


def map_tile(values: np.ndarray, size: int = 96) -> np.ndarray:
    """One map already scaled to [-1, 1] as an RGB tile."""
    return upscale(diverging_rgb(values, scale=1.0), size)


def grid_image(maps: np.ndarray, cols: int = 8, size: int = 72, gap: int = 4,
               selected: int | None = None) -> np.ndarray:
    """Maps (N, H, W) already scaled to [-1, 1], tiled in a grid with a red frame on `selected`."""
    n = len(maps)
    cols = max(1, min(cols, n))
    rows = math.ceil(n / cols)
    tiles = [map_tile(m, size) for m in maps]
    th, tw = tiles[0].shape[:2]
    out = np.full((rows * (th + gap) + gap, cols * (tw + gap) + gap, 3), 255, np.uint8)
    for i, t in enumerate(tiles):
        r, c = divmod(i, cols)
        y, x = gap + r * (th + gap), gap + c * (tw + gap)
        if i == selected:
            out[y - gap // 2 - 1:y + th + gap // 2 + 1, x - gap // 2 - 1:x + tw + gap // 2 + 1] = (214, 39, 40)
        out[y:y + th, x:x + tw] = t
    return out


def clickable_grid(maps: np.ndarray, cols: int = 8, size: int = 72, gap: int = 4, selected: int | None = None,
                   first: int = 0) -> go.Figure:
    """`grid_image` as a figure with one invisible marker per tile (customdata: its channel), so a
    click on a map selects it (Streamlit's plotly selection events; heatmap cells fire none)."""
    img = grid_image(maps, cols, size, gap, selected)
    n = len(maps)
    cols = max(1, min(cols, n))
    th = size + gap
    xs = [gap + (i % cols) * th + size / 2 for i in range(n)]
    ys = [gap + (i // cols) * th + size / 2 for i in range(n)]
    fig = go.Figure(go.Image(z=img, hoverinfo="skip"))
    fig.add_scatter(x=xs, y=ys, mode="markers", customdata=[first + i for i in range(n)],
                    marker={"size": size * 0.9, "symbol": "square", "opacity": 0.01, "color": "#000"},
                    hovertemplate="channel %{customdata}: click to open<extra></extra>")
    h, w = img.shape[:2]
    fig.update_layout(width=w, height=h, margin={"l": 0, "r": 0, "t": 0, "b": 0}, showlegend=False,
                      xaxis={"visible": False, "range": [0, w]}, yaxis={"visible": False, "range": [h, 0]},
                      dragmode=False, clickmode="event+select")
    return fig


def filters_image(weights: np.ndarray, size: int = 48) -> np.ndarray:
    """First-layer style view: each filter (out, in, k, k); RGB when in == 3, else the mean over inputs."""
    tiles = []
    for w in weights:
        if w.shape[0] == 3:
            lim = float(np.abs(w).max()) or 1.0
            rgb = ((w / lim * 0.5 + 0.5).clip(0, 1).transpose(1, 2, 0) * 255).astype(np.uint8)
        else:
            m = w.mean(0)
            rgb = diverging_rgb(m, scale=float(np.abs(m).max()) or 1.0)
        tiles.append(upscale(rgb, size))
    th, tw = tiles[0].shape[:2]
    gap = 4
    out = np.full((th + 2 * gap, len(tiles) * (tw + gap) + gap, 3), 255, np.uint8)
    for i, t in enumerate(tiles):
        out[gap:gap + th, gap + i * (tw + gap):gap + i * (tw + gap) + tw] = t
    return out


def values_heatmap(values: np.ndarray, title: str, highlight: tuple[int, int, int] | None = None,
                   show_numbers: bool = True, height: int = 260, zmax: float | None = None) -> go.Figure:
    """A 2D array as a heatmap with its numbers; `highlight` = (row, col, size) draws a box."""
    v = np.asarray(values, float)
    lim = zmax or float(np.nanmax(np.abs(v))) or 1.0
    trace = {"type": "heatmap", "z": v[::-1], "zmin": -lim, "zmax": lim, "colorscale": DIVERGING,
             "showscale": False, "hovertemplate": "row %{customdata[0]}, col %{x}: %{z:.3f}<extra></extra>",
             "customdata": np.repeat(np.arange(v.shape[0])[::-1, None, None], v.shape[1], 1)}
    if show_numbers and v.size <= 100:
        trace.update(text=np.round(v[::-1], 2).astype(str), texttemplate="%{text}", textfont={"size": 10})
    shapes = []
    if highlight is not None:
        r, c, k = highlight
        top = v.shape[0] - r
        shapes.append({"type": "rect", "x0": c - 0.5, "x1": c + k - 0.5, "y0": top - k - 0.5, "y1": top - 0.5,
                       "line": {"color": "#d62728", "width": 3}})
    return fast_figure([trace], {
        "title": {"text": title, "font": {"size": 13}}, "height": height, "margin": {"l": 5, "r": 5, "t": 30, "b": 5},
        "xaxis": {"visible": False, "constrain": "domain"}, "yaxis": {"visible": False, "scaleanchor": "x"},
        "shapes": shapes, "plot_bgcolor": "white",
    })
