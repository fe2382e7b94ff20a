"""Pictures of explanations, one colour convention for every method: blue pixels or features speak for
the target class, orange against it (methods that give magnitudes only, such as Saliency, are all blue).

Images: the map blended over a faded grayscale copy of the input, LIME's superpixels outlined.
Figures: feature bars, a SHAP waterfall and beeswarm, deletion/insertion curves, the sanity check.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from PIL import Image

from core.viz.colors import BLUE, LINE_COLORS, ORANGE, diverging_rgb

PLOT = {"plot_bgcolor": "white", "margin": {"l": 10, "r": 10, "t": 36, "b": 10}}


def map_scale(attributions: np.ndarray) -> float:
    """A robust scale for a map: the 99.5th percentile of |value| (one hot pixel does not wash it out)."""
    a = np.abs(np.asarray(attributions, float))
    s = float(np.percentile(a, 99.5)) if a.size else 0.0
    return s or float(a.max()) or 1.0


def attribution_overlay(attributions: np.ndarray, display: np.ndarray, size: int = 192,
                        alpha: float = 0.75) -> np.ndarray:
    """A (C, H, W) map summed over channels, coloured, blended over the input; RGB uint8 (size, size)."""
    a = np.asarray(attributions, float)
    m = a.sum(0) if a.ndim == 3 else a
    colour = diverging_rgb(m, map_scale(m)).astype(float)
    gray = np.asarray(Image.fromarray(display).convert("L").resize(m.shape[::-1]), float)[..., None]
    faded = 255 - (255 - gray) * 0.45
    strength = np.clip(np.abs(m) / map_scale(m), 0, 1)[..., None] * alpha
    out = (faded * (1 - strength) + colour * strength).astype(np.uint8)
    return np.asarray(Image.fromarray(out).resize((size, size), Image.NEAREST if m.shape[0] < 32 else Image.BILINEAR))


def segments_overlay(display: np.ndarray, segments: np.ndarray, size: int = 192) -> np.ndarray:
    """The input with LIME's superpixels outlined in red."""
    from skimage.segmentation import find_boundaries

    img = np.asarray(Image.fromarray(display).resize(segments.shape[::-1]))
    f = max(1, size // max(segments.shape))
    big = np.kron(segments, np.ones((f, f), int))
    img = np.kron(img, np.ones((f, f, 1), np.uint8)) if f > 1 else img.copy()
    img[find_boundaries(big, mode="inner")] = (214, 39, 40)
    return img


def short_name(name: str, limit: int = 16) -> str:
    return name if len(name) <= limit else name[:limit - 1] + "…"


def feature_bars(values: np.ndarray, names: tuple[str, ...] | list[str], title: str, height: int = 260,
                 top: int = 15, label_chars: int = 28) -> go.Figure:
    """One horizontal bar per feature, largest magnitude first; blue for, orange against. Small charts
    pass fewer bars and shorter labels (the full name stays in the hover), so nothing is cut off."""
    v = np.asarray(values, float).ravel()
    order = np.argsort(-np.abs(v))[:top]
    return go.Figure(go.Bar(x=v[order], y=[short_name(names[i], label_chars) for i in order], orientation="h",
                            marker_color=[BLUE if v[i] >= 0 else ORANGE for i in order],
                            customdata=[names[i] for i in order],
                            hovertemplate="%{customdata}: %{x:.4f}<extra></extra>"),
                     layout={**PLOT, "title": {"text": title, "font": {"size": 12}}, "height": height,
                             "yaxis": {"autorange": "reversed", "automargin": True, "tickfont": {"size": 10}},
                             "xaxis": {"automargin": True, "tickfont": {"size": 9}, "nticks": 4}})


def waterfall(values: np.ndarray, base: float, names: tuple[str, ...] | list[str], row: np.ndarray,
              title: str = "SHAP waterfall", height: int = 340) -> go.Figure:
    """From the expected output (base) to this prediction, one step per feature, biggest last."""
    v = np.asarray(values, float).ravel()
    order = np.argsort(np.abs(v))[-12:]
    rest = float(v.sum() - v[order].sum())
    labels = ([f"{len(v) - len(order)} other features"] if len(v) > len(order) else []) + \
        [f"{names[i]} = {row[i]:.3g}" for i in order]
    steps = ([rest] if len(v) > len(order) else []) + [float(v[i]) for i in order]
    fig = go.Figure(go.Waterfall(
        orientation="h", base=base, y=labels, x=steps, measure=["relative"] * len(steps),
        increasing={"marker": {"color": BLUE}}, decreasing={"marker": {"color": ORANGE}},
        connector={"line": {"color": "#bbb"}}, hovertemplate="%{y}: %{x:+.4f}<extra></extra>"))
    fig.add_vline(x=base, line_dash="dot", line_color="#888", annotation_text=f"expected {base:.3f}")
    fig.add_vline(x=base + float(v.sum()), line_color="#333", annotation_text=f"this row {base + v.sum():.3f}",
                  annotation_position="bottom right")
    fig.update_layout(**PLOT, title={"text": title, "font": {"size": 13}}, height=height)
    return fig


def beeswarm(values: np.ndarray, features: np.ndarray, names: tuple[str, ...] | list[str],
             title: str = "SHAP summary", height: int = 380) -> go.Figure:
    """SHAP's summary plot: per feature (most important on top) one dot per row at its SHAP value,
    coloured by the feature's value (orange low, blue high)."""
    v, f = np.asarray(values, float), np.asarray(features, float)
    order = np.argsort(np.abs(v).mean(0))[::-1][:12]
    rng = np.random.default_rng(0)
    traces = []
    for rank, j in enumerate(order):
        col = f[:, j]
        lo, hi = float(col.min()), float(col.max())
        t = (col - lo) / (hi - lo) if hi > lo else np.full_like(col, 0.5)
        traces.append(go.Scatter(
            x=v[:, j], y=rank + rng.uniform(-0.28, 0.28, len(v)), mode="markers", name=names[j], showlegend=False,
            marker={"size": 6, "color": t, "colorscale": [[0, ORANGE], [1, BLUE]], "cmin": 0, "cmax": 1,
                    "showscale": rank == 0, "colorbar": {"title": "feature value", "tickvals": [0, 1],
                                                         "ticktext": ["low", "high"]}},
            customdata=col, hovertemplate=f"{names[j]} = %{{customdata:.3g}}<br>SHAP %{{x:.4f}}<extra></extra>"))
    fig = go.Figure(traces)
    fig.add_vline(x=0, line_color="#999")
    fig.update_layout(**PLOT, title={"text": title, "font": {"size": 13}}, height=height,
                      yaxis={"tickvals": list(range(len(order))), "ticktext": [names[j] for j in order],
                             "autorange": "reversed"}, xaxis={"title": "SHAP value (effect on the output)"})
    return fig


def faithfulness_curves(curves: dict[str, tuple], title: str, height: int = 320) -> go.Figure:
    """Deletion or insertion curves, one line per method (the random-order line dashed, for reference)."""
    fig = go.Figure()
    for i, (label, curve) in enumerate(curves.items()):
        random = label.startswith("random")
        fig.add_scatter(x=curve.fractions, y=curve.scores, mode="lines", name=f"{label} (area {curve.auc:.3f})",
                        line={"color": "#888" if random else LINE_COLORS[i % len(LINE_COLORS)],
                              "dash": "dash" if random else "solid"})
    rows = (len(curves) + 1) // 2  # the legend goes under the plot, two names a row: a half column keeps its width
    fig.update_layout(**PLOT, title={"text": title, "font": {"size": 14}}, height=height + 22 * rows,
                      font={"size": 12}, xaxis={"title": "share of features", "tickformat": ".0%"},
                      yaxis={"title": "score of the target"},
                      legend={"font": {"size": 12}, "orientation": "h", "yanchor": "top", "y": -0.18,
                              "entrywidth": 0.5, "entrywidthmode": "fraction"})
    return fig


def deletion_thumb(curve, random, baseline: str, height: int = 170) -> go.Figure:
    """One map's deletion curve beside a random map's (dashed), under the baseline it was made with: the
    lower and sooner the solid line falls, the better the map tracks what the model uses."""
    fig = go.Figure()
    fig.add_scatter(x=curve.fractions, y=curve.scores, mode="lines", name=f"this map ({curve.auc:.2f})",
                    line={"color": LINE_COLORS[0]})
    fig.add_scatter(x=random.fractions, y=random.scores, mode="lines", name=f"random ({random.auc:.2f})",
                    line={"color": "#888", "dash": "dash"})
    fig.update_layout(**{**PLOT, "margin": {"l": 6, "r": 6, "t": 26, "b": 6}}, height=height,
                      title={"text": f"Deletion, {baseline} baseline", "font": {"size": 12}},
                      xaxis={"tickformat": ".0%", "tickfont": {"size": 12}}, yaxis={"tickfont": {"size": 12}},
                      legend={"font": {"size": 12}, "orientation": "h", "y": -0.25})
    return fig


def sanity_figure(results: dict[str, tuple[tuple[str, ...], np.ndarray]], flag: float, height: int = 320) -> go.Figure:
    """Rank correlation with the original map as layers are randomized from the top, one line per method."""
    fig = go.Figure()
    for i, (label, (layers, corr)) in enumerate(results.items()):
        fig.add_scatter(x=["original", *layers], y=[1.0, *corr], mode="lines+markers", name=label,
                        line={"color": LINE_COLORS[i % len(LINE_COLORS)]})
    fig.add_hline(y=flag, line_dash="dot", line_color="#d62728", annotation_text="flag: barely changed")
    fig.update_layout(**PLOT, height=height, title={"text": "Randomizing the weights, from the output layer down",
                                                    "font": {"size": 13}},
                      yaxis={"title": "rank correlation with the original", "range": [-0.2, 1.05]},
                      xaxis={"title": "randomized up to layer"}, legend={"font": {"size": 10}})
    return fig
