"""The network drawn as a graph: a node per neuron with a thumbnail of what it computes over the
input plane, edges coloured by the sign of their weight and as wide as its size (TensorFlow Playground's).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go  # noqa: F401  (the return type)

from core.viz.colors import BLUE, ORANGE, diverging_rgb, fast_figure, png_data_uri

MAX_DRAWN = 8
_WIDTH_BINS = (0.5, 1.2, 2.2, 3.5, 5.0)


@dataclass(frozen=True)
class Column:
    """One column of nodes: a layer's title, its units and optional per-unit thumbnails (units, res, res)."""

    title: str
    units: int
    maps: np.ndarray | None = None


def _positions(units: int, height: float) -> np.ndarray:
    n = min(units, MAX_DRAWN)
    if n == 1:
        return np.array([height / 2])
    return np.linspace(height * 0.92, height * 0.08, n)


def network_figure(columns: list[Column], weights: list[np.ndarray | None], selected: tuple[int, int] | None = None,
                   height: int = 380) -> go.Figure:
    """`weights[i]` is the (out, in) matrix between column i and i+1 (None: draw no edges there).

    Layers wider than 8 units are drawn summarized: the first 8 nodes and a "+N more" note.
    """
    h = 10.0
    xs = np.linspace(0.5, 9.5, len(columns)) if len(columns) > 1 else np.array([5.0])
    node_y = [_positions(c.units, h) for c in columns]
    node = 0.55 if max(c.units for c in columns) <= MAX_DRAWN else 0.45
    traces: list = []
    # edges: grouped by sign and width bin, a handful of traces whatever the network size
    groups: dict[tuple[str, int], tuple[list, list]] = {}
    wmax = max((float(np.abs(w).max()) for w in weights if w is not None and w.size), default=1.0) or 1.0
    for i, w in enumerate(weights):
        if w is None or i + 1 >= len(columns):
            continue
        w = np.asarray(w)[:MAX_DRAWN, :MAX_DRAWN]
        for o in range(w.shape[0]):
            for j in range(w.shape[1]):
                v = float(w[o, j])
                b = min(int(abs(v) / wmax * len(_WIDTH_BINS)), len(_WIDTH_BINS) - 1)
                gx, gy = groups.setdefault((BLUE if v >= 0 else ORANGE, b), ([], []))
                gx += [xs[i] + node / 2, xs[i + 1] - node / 2, None]
                gy += [node_y[i][j], node_y[i + 1][o], None]
    for (color, b), (gx, gy) in groups.items():
        traces.append({"type": "scatter", "x": gx, "y": gy, "mode": "lines", "opacity": 0.7, "hoverinfo": "skip",
                       "line": {"color": color, "width": _WIDTH_BINS[b]}, "showlegend": False})
    images, annotations = [], []
    nx, ny, ntext = [], [], []
    for ci, col in enumerate(columns):
        annotations.append({"x": xs[ci], "y": h + 0.6, "text": col.title, "showarrow": False, "font": {"size": 11}})
        if col.units > MAX_DRAWN:
            annotations.append({"x": xs[ci], "y": -0.5, "text": f"+{col.units - MAX_DRAWN} more (summarized)",
                                "showarrow": False, "font": {"size": 10, "color": "#666"}})
        for k, y in enumerate(node_y[ci]):
            nx.append(xs[ci])
            ny.append(y)
            ntext.append(f"{col.title}, neuron {k + 1}")
            if col.maps is not None and k < len(col.maps):
                images.append({"source": png_data_uri(diverging_rgb(col.maps[k][::-1], scale=1.0)), "xref": "x",
                               "yref": "y", "x": xs[ci] - node / 2, "y": y + node / 2, "sizex": node, "sizey": node,
                               "sizing": "stretch", "layer": "above"})
    is_sel = [selected is not None and (ci, k) == tuple(selected)
              for ci, col in enumerate(columns) for k in range(len(node_y[ci]))]
    traces.append({
        "type": "scatter", "x": nx, "y": ny, "mode": "markers", "text": ntext, "hoverinfo": "text",
        "showlegend": False,
        "marker": {"symbol": "square", "size": 30 if node > 0.5 else 24, "color": "rgba(0,0,0,0)",
                   "line": {"width": [3 if s else 1 for s in is_sel],
                            "color": ["#d62728" if s else "#555" for s in is_sel]}},
    })
    return fast_figure(traces, {
        "height": height, "margin": {"l": 5, "r": 5, "t": 10, "b": 10}, "images": images, "annotations": annotations,
        "xaxis": {"visible": False, "range": [-0.2, 10.2], "fixedrange": True},
        "yaxis": {"visible": False, "range": [-1.2, h + 1.2], "fixedrange": True},
        "plot_bgcolor": "white", "uirevision": "network",
    })
