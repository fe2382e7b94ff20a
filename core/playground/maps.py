"""The output map over the input plane with the data points drawn on it (TensorFlow Playground's)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go  # noqa: F401  (the return type)

from core.viz.colors import CLASS_COLORS, DIVERGING, class_rgb, diverging_rgb, fast_figure, png_data_uri


def decision_map(
    xs: np.ndarray,
    ys: np.ndarray,
    values: np.ndarray,
    points: np.ndarray,
    labels: np.ndarray,
    test_points: np.ndarray | None = None,
    test_labels: np.ndarray | None = None,
    wrong: np.ndarray | None = None,
    test_wrong: np.ndarray | None = None,
    task: str = "binary",
    n_classes: int = 2,
    discretize: bool = False,
    height: int = 380,
) -> go.Figure:
    """Heatmap of the network's output with training (and test) points.

    `task` is "binary" (values: a score in [-1, 1], orange negative, blue positive), "multiclass"
    (values: the predicted class index) or "regression" (values: the prediction). Misclassified
    points (`wrong`, `test_wrong`) are drawn as crosses; test points have a dark outline.
    """
    z = np.asarray(values, float)
    lo, hi = float(np.min(xs)), float(np.max(xs))
    colorbar = None
    if task == "binary":
        z = np.clip(z, -1, 1)
        if discretize:
            z = np.where(z >= 0, 1.0, -1.0)
        rgb = diverging_rgb(z, scale=1.0)
    elif task == "multiclass":
        rgb = class_rgb(z.astype(int), light=0.55)
    else:
        lim = float(np.nanmax(np.abs(z))) if z.size and np.isfinite(z).any() else 1.0
        if discretize:
            z = np.round(z * 4) / 4
        rgb = diverging_rgb(z, scale=lim or 1.0)
        colorbar = lim
    # the map is sent as one small PNG under the axes: far cheaper for a browser to redraw than a heatmap
    image = {"source": png_data_uri(rgb[::-1]), "xref": "x", "yref": "y", "x": lo, "y": hi,
             "sizex": hi - lo, "sizey": hi - lo, "sizing": "stretch", "layer": "below", "opacity": 0.85}
    traces: list = []
    if colorbar is not None:  # an invisible trace carries the colour bar of a regression map
        traces.append({"type": "scatter", "x": [lo], "y": [lo], "mode": "markers", "hoverinfo": "skip",
                       "marker": {"size": 0.1, "color": [0.0], "colorscale": DIVERGING, "cmin": -colorbar,
                                  "cmax": colorbar, "showscale": True, "colorbar": {"thickness": 10, "len": 0.8}}})

    def point_colors(lab: np.ndarray) -> list | np.ndarray:
        if task == "regression":
            return lab
        return [CLASS_COLORS[int(v) % len(CLASS_COLORS)] for v in lab]

    def add(pts, lab, bad, name, outline):
        if pts is None or len(pts) == 0:
            return
        bad = np.zeros(len(pts), bool) if bad is None else np.asarray(bad, bool)
        for mask, symbol, suffix in ((~bad, "circle", ""), (bad, "x", " (wrong)")):
            if not mask.any():
                continue
            marker = {"size": 6 if symbol == "circle" else 8, "symbol": symbol,
                      "color": point_colors(np.asarray(lab)[mask]),
                      "line": {"width": 1.2 if outline else 0.6, "color": "#222" if outline else "white"}}
            if task == "regression":
                marker.update(colorscale=DIVERGING, cmin=-1.2, cmax=1.2)
            traces.append({"type": "scatter", "x": pts[mask, 0], "y": pts[mask, 1], "mode": "markers",
                           "name": name + suffix, "marker": marker, "hoverinfo": "skip"})

    add(points, labels, wrong, "training", False)
    if test_points is not None:
        add(test_points, test_labels, test_wrong, "test", True)
    return fast_figure(traces, {
        "images": [image], "height": height, "margin": {"l": 10, "r": 10, "t": 10, "b": 10}, "uirevision": "map",
        "showlegend": False,
        "xaxis": {"range": [lo, hi], "showgrid": False, "zeroline": False, "constrain": "domain"},
        "yaxis": {"range": [lo, hi], "showgrid": False, "zeroline": False, "scaleanchor": "x"},
        "plot_bgcolor": "white",
    })
