"""Training charts: loss and accuracy curves, run comparisons, gradient norms and weight/gradient
distributions over time (as TensorBoard draws them), dead-unit bars and a confusion matrix.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.viz.colors import BLUE, CLASS_COLORS, ORANGE, fast_figure

MAX_POINTS = 400  # what travels to the browser on every update is downsampled to this


def downsample(x: np.ndarray, *ys: np.ndarray, n: int = MAX_POINTS) -> tuple[np.ndarray, ...]:
    """Keep at most `n` points, always including the last."""
    x = np.asarray(x)
    if len(x) <= n:
        return (x, *[np.asarray(y) for y in ys])
    idx = np.unique(np.concatenate([np.linspace(0, len(x) - 1, n).astype(int), [len(x) - 1]]))
    return (x[idx], *[np.asarray(y)[idx] for y in ys])


LEGEND = {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "font": {"size": 12}}  # above the plot, under
# the title: a legend below the plot sat on the x axis's title


def chart_layout(title: str, xtitle: str, ytitle: str, height: int, key: str, log: bool = False) -> dict:
    """A plain chart's layout (title, axis titles, white plot, the shared legend); `key` is its uirevision."""
    return {
        "title": {"text": title, "font": {"size": 14}, "y": 0.98, "yanchor": "top"}, "height": height,
        "margin": {"l": 10, "r": 10, "t": 58, "b": 10}, "uirevision": key,
        "legend": LEGEND, "plot_bgcolor": "white",
        "xaxis": {"gridcolor": "#eee", "title": {"text": xtitle}},
        "yaxis": {"gridcolor": "#eee", "title": {"text": ytitle}, "type": "log" if log else "linear"},
    }


def _layout(fig: go.Figure, title: str, ytitle: str, height: int, key: str, log: bool = False) -> go.Figure:
    fig.update_layout(
        title={"text": title, "font": {"size": 14}, "y": 0.98, "yanchor": "top"}, height=height,
        margin={"l": 10, "r": 10, "t": 58, "b": 10}, xaxis_title="epoch", yaxis_title=ytitle, uirevision=key,
        legend=LEGEND,
        plot_bgcolor="white", yaxis_type="log" if log else "linear",
        xaxis={"gridcolor": "#eee"}, yaxis={"gridcolor": "#eee"},
    )
    return fig


def compare_runs(runs: list[dict], metric: str = "test_loss", height: int = 300) -> go.Figure:
    """Overlay one metric of several runs; each run is {"label": str, "history": {...}}."""
    fig = go.Figure()
    for i, run in enumerate(runs):
        ep, y = downsample(run["history"]["epoch"], run["history"][metric])
        fig.add_trace(go.Scatter(x=ep, y=y, name=run["label"], line={"color": CLASS_COLORS[i % len(CLASS_COLORS)]}))
    return _layout(fig, metric.replace("_", " ").capitalize() + " by run", metric.replace("_", " "), height, "compare")


def grad_norm_chart(epochs: np.ndarray, norms: dict[str, np.ndarray], height: int = 280) -> go.Figure:
    """Per-layer gradient norm over time on a log scale: vanishing or exploding gradients stand out."""
    fig = go.Figure()
    for i, (layer, values) in enumerate(norms.items()):
        ep, v = downsample(epochs, np.maximum(np.asarray(values, float), 1e-12))
        fig.add_trace(go.Scatter(x=ep, y=v, name=layer, line={"color": CLASS_COLORS[i % len(CLASS_COLORS)]}))
    return _layout(fig, "Gradient norm per layer", "gradient norm (log)", height, "gradnorm", log=True)


def distribution_chart(epochs: np.ndarray, quantiles: np.ndarray, title: str, height: int = 240) -> go.Figure:
    """TensorBoard's distribution view: bands between quantile pairs of values over time.

    `quantiles` is (time, 9) for the quantiles 0, 7, 16, 31, 50, 69, 84, 93, 100 %.
    """
    q = np.asarray(quantiles, float)
    ep, qs = downsample(np.asarray(epochs), q)
    traces: list[dict] = []
    shades = ["rgba(8,119,189,0.15)", "rgba(8,119,189,0.25)", "rgba(8,119,189,0.35)", "rgba(8,119,189,0.5)"]
    for k, shade in enumerate(shades):
        traces.append({"type": "scatter", "x": ep, "y": qs[:, 8 - k], "line": {"width": 0}, "hoverinfo": "skip",
                       "showlegend": False})
        traces.append({"type": "scatter", "x": ep, "y": qs[:, k], "fill": "tonexty", "fillcolor": shade,
                       "line": {"width": 0}, "hoverinfo": "skip", "showlegend": False})
    traces.append({"type": "scatter", "x": ep, "y": qs[:, 4], "name": "median", "line": {"color": BLUE, "width": 1.5},
                   "showlegend": False})
    return fast_figure(traces, chart_layout(title, "epoch", "value", height, "dist-" + title))


def histogram_chart(values: np.ndarray, title: str, height: int = 220, bins: int = 30) -> go.Figure:
    counts, edges = np.histogram(np.asarray(values, float).ravel(), bins=bins)
    bar = {"type": "bar", "x": (edges[:-1] + edges[1:]) / 2, "y": counts, "marker": {"color": BLUE},
           "width": np.diff(edges)}
    return fast_figure([bar], chart_layout(title, "value", "count", height, "hist-" + title))


def dead_units_chart(fractions: dict[str, float], height: int = 240) -> go.Figure:
    names = list(fractions)
    vals = [fractions[n] for n in names]
    colors = [ORANGE if v >= 0.5 else BLUE for v in vals]
    fig = go.Figure(go.Bar(x=names, y=vals, marker_color=colors, text=[f"{v:.0%}" for v in vals],
                           textposition="outside"))
    fig = _layout(fig, "Dead ReLUs per layer (zero for every input)", "share of units", height, "dead")
    fig.update_yaxes(range=[0, 1.1], tickformat=".0%")
    fig.update_xaxes(title="layer")
    return fig


def confusion_matrix_chart(cm: np.ndarray, class_names: list[str] | tuple[str, ...], height: int = 320) -> go.Figure:
    cm = np.asarray(cm)
    names = list(class_names)
    fig = go.Figure(go.Heatmap(z=cm, x=names, y=names, colorscale="Blues", showscale=False,
                               text=cm.astype(int).astype(str), texttemplate="%{text}", hoverinfo="skip"))
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 35, "b": 10},
                      title={"text": "Confusion matrix (test data)", "font": {"size": 13}},
                      xaxis_title="predicted", yaxis_title="true", yaxis={"autorange": "reversed"})
    return fig


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int) -> np.ndarray:
    cm = np.zeros((n_classes, n_classes), int)
    np.add.at(cm, (np.asarray(y_true, int), np.asarray(y_pred, int)), 1)
    return cm
