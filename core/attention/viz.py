"""The Attention lab's pictures: attention maps per layer and head (drawn by the browser while training,
plotly when still), one query's path, positional encodings, token embeddings, predictions, generation's
probabilities, attributions beside attention, and the race against the LSTM."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.viz.colors import BLUE, ORANGE
from core.viz.panels import blues, raster

MODEL_COLORS = {"transformer": BLUE, "lstm": ORANGE}
MODEL_NAMES = {"transformer": "Transformer", "lstm": "LSTM"}


def _layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(title=dict(text=title, font=dict(size=14)), height=height, margin=dict(l=10, r=10, t=40, b=10),
                      plot_bgcolor="white")
    return fig


def _show(words: list[str]) -> list[str]:
    """Token labels unique per place (plotly merges equal category labels): '3·0', '1·1', ..."""
    return [f"{'␣' if w == ' ' else w}·{i}" for i, w in enumerate(words)]


def attention_grid(maps: np.ndarray, words: list[str], title: str = "Attention",
                   height: int | None = None) -> go.Figure:
    """Every head's weights (layers, heads, T, T): row = the place asking (query), column = where it looks."""
    layers, heads = maps.shape[:2]
    labels = _show(words)
    fig = make_subplots(layers, heads, subplot_titles=[f"layer {a + 1}, head {b + 1}" for a in range(layers)
                                                       for b in range(heads)],
                        horizontal_spacing=0.05, vertical_spacing=0.16 if layers > 1 else 0.1)
    for a in range(layers):
        for b in range(heads):
            fig.add_trace(go.Heatmap(z=maps[a, b], x=labels, y=labels, zmin=0, zmax=1, colorscale="Blues",
                                     showscale=a == 0 and b == heads - 1,
                                     hovertemplate="query %{y} looks at %{x}: %{z:.2f}<extra></extra>"),
                          a + 1, b + 1)
    fig.update_yaxes(autorange="reversed", tickfont=dict(size=9))
    fig.update_xaxes(tickfont=dict(size=9), tickangle=-90)
    fig.update_annotations(font_size=11)
    return _layout(fig, title, height or 120 + 260 * layers)


def attention_panels(maps: np.ndarray, words: list[str], max_w: int = 0) -> list[dict]:
    """The same grid for the browser to draw live, one panel per layer and head (row by row); hover reads
    which place looks at which, and how much."""
    labels = _show(words)
    return [raster(blues(maps[a, b]), f"layer {a + 1}, head {b + 1}", max_w=max_w, hover=maps[a, b],
                   hover_rows=labels, hover_cols=labels, hover_text="query {row} looks at {col}: {value}")
            for a in range(maps.shape[0]) for b in range(maps.shape[1])]


def steps_figure(scaled: np.ndarray, masked: np.ndarray, weights: np.ndarray, words: list[str], place: int,
                 height: int = 300) -> go.Figure:
    """One query's scores (q . k / sqrt(d), masked places grey) and the softmax weights they become."""
    labels = _show(words)
    allowed = np.isfinite(masked)
    fig = make_subplots(2, 1, shared_xaxes=True, vertical_spacing=0.12,
                        subplot_titles=("score q·k / √d (grey: hidden by the causal mask)",
                                        "softmax: attention weight"))
    fig.add_trace(go.Bar(x=labels, y=scaled, marker_color=[BLUE if ok else "#bbbbbb" for ok in allowed],
                         hovertemplate="%{x}: %{y:.3f}<extra></extra>"), 1, 1)
    fig.add_trace(go.Bar(x=labels, y=weights, marker_color=ORANGE, hovertemplate="%{x}: %{y:.3f}<extra></extra>"),
                  2, 1)
    fig.update_layout(showlegend=False)
    fig.update_yaxes(range=[0, 1], row=2, col=1)
    return _layout(fig, f"Query at place {place} ({words[place]!r})", height)


def positions_figure(pos: np.ndarray, height: int = 300) -> go.Figure:
    """The positional encodings (T, width) and how alike every two positions are (cosine similarity)."""
    p = np.asarray(pos, float)
    unit = p / np.maximum(np.linalg.norm(p, axis=1, keepdims=True), 1e-12)
    fig = make_subplots(1, 2, subplot_titles=("encoding: position × dimension", "cosine similarity of positions"),
                        horizontal_spacing=0.1)
    fig.add_trace(go.Heatmap(z=p, colorscale="RdBu", zmid=0, showscale=False,
                             hovertemplate="position %{y}, dim %{x}: %{z:.2f}<extra></extra>"), 1, 1)
    fig.add_trace(go.Heatmap(z=unit @ unit.T, colorscale="RdBu", zmid=0, zmin=-1, zmax=1,
                             hovertemplate="positions %{y} and %{x}: %{z:.2f}<extra></extra>"), 1, 2)
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, "Positions", height)


def embedding_figure(xy: np.ndarray, vocab: tuple[str, ...], height: int = 320) -> go.Figure:
    """Token embeddings on their two principal directions: tokens used alike end up close."""
    names = ["␣" if v == " " else v for v in vocab]
    fig = go.Figure(go.Scatter(x=xy[:, 0], y=xy[:, 1], mode="markers+text", text=names, textposition="top center",
                               marker=dict(size=9, color=BLUE), hovertemplate="%{text}<extra></extra>"))
    fig.update_xaxes(title="1st principal direction", zeroline=False)
    fig.update_yaxes(title="2nd", zeroline=False)
    return _layout(fig, "Token embeddings, projected to 2D", height)


def predictions_figure(words: list[str], truth: list[str], guess: list[str], p_truth: np.ndarray, mask: np.ndarray,
                       height: int = 230) -> go.Figure:
    """The probability the model gives the right token at each place that counts, labelled with its guess."""
    idx = np.flatnonzero(mask)
    labels = [_show(words)[i] for i in idx]
    ok = [truth[i] == guess[i] for i in idx]
    fig = go.Figure(go.Bar(x=labels, y=p_truth[idx], marker_color=["#2ca02c" if o else "#d62728" for o in ok],
                           text=[f"{guess[i]}" if o else f"{guess[i]} (≠{truth[i]})" for i, o in zip(idx, ok)],
                           textposition="outside",
                           hovertemplate="at %{x}: p(right token) = %{y:.2f}<extra></extra>"))
    fig.update_yaxes(range=[0, 1.15], title="p(right token)")
    fig.update_xaxes(title="input place (its prediction is the next answer token)")
    return _layout(fig, "Predictions: green right, red wrong (the label is the model's guess)", height)


def generation_figure(steps_probs: np.ndarray, chosen: list[str], vocab: tuple[str, ...], top: int = 12,
                      height: int = 320) -> go.Figure:
    """Each written token's probabilities (steps × the likeliest tokens overall), the chosen one outlined."""
    p = np.asarray(steps_probs, float)
    keep = np.argsort(-p.max(0))[:top]
    names = ["␣" if vocab[i] == " " else vocab[i] for i in keep]
    rows = [f"{k + 1}: {'␣' if c == ' ' else c}" for k, c in enumerate(chosen)]
    fig = go.Figure(go.Heatmap(z=p[:, keep], x=names, y=rows, zmin=0, zmax=1, colorscale="Blues",
                               hovertemplate="step %{y}: p(%{x}) = %{z:.2f}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", title="written token")
    fig.update_xaxes(title="candidate next token")
    return _layout(fig, "The probabilities each token was drawn from", max(height, 60 + 22 * len(rows)))


def attribution_vs_attention(per_token: np.ndarray, attention: np.ndarray, words: list[str],
                             height: int = 300) -> go.Figure:
    """Integrated Gradients per input token beside the attention weights of the same query (layer mean)."""
    labels = _show(words)
    fig = make_subplots(2, 1, shared_xaxes=True, vertical_spacing=0.14,
                        subplot_titles=("Integrated Gradients: what the output used", "attention weight, last layer "
                                        "(mean of heads): where it looked"))
    fig.add_trace(go.Bar(x=labels, y=per_token, marker_color=[BLUE if v >= 0 else ORANGE for v in per_token],
                         hovertemplate="%{x}: %{y:.3f}<extra></extra>"), 1, 1)
    fig.add_trace(go.Bar(x=labels, y=attention, marker_color="#7f7f7f", hovertemplate="%{x}: %{y:.3f}<extra></extra>"),
                  2, 1)
    fig.update_layout(showlegend=False)
    return _layout(fig, "Attribution beside attention", height)


def race_figure(curves: dict, lengths: tuple[int, ...], rows: dict[str, np.ndarray], height: int = 330) -> go.Figure:
    """Learning curves (test accuracy per epoch) for each length, Transformer beside LSTM, and the final
    accuracy against the length."""
    n = len(lengths)
    fig = make_subplots(1, n + 1, subplot_titles=[f"length {k}" for k in lengths] + ["after the last epoch"],
                        shared_yaxes=True, horizontal_spacing=0.035)
    for j, _ in enumerate(lengths):
        for m in MODEL_NAMES:
            ys = curves.get((j, m))
            if ys is not None and len(ys):
                fig.add_trace(go.Scatter(x=np.arange(1, len(ys) + 1), y=ys, mode="lines+markers",
                                         line=dict(color=MODEL_COLORS[m]), name=MODEL_NAMES[m], legendgroup=m,
                                         showlegend=j == 0), 1, j + 1)
    for m in MODEL_NAMES:
        if len(rows.get("length", [])) and f"{m}_acc" in rows:
            fig.add_trace(go.Scatter(x=rows["length"], y=rows[f"{m}_acc"], mode="lines+markers", name=MODEL_NAMES[m],
                                     line=dict(color=MODEL_COLORS[m], width=3), legendgroup=m, showlegend=False),
                          1, n + 1)
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%")
    fig.update_xaxes(title_text="epoch", row=1, col=1)
    fig.update_xaxes(title_text="length", row=1, col=n + 1)
    fig.update_layout(legend=dict(orientation="h", y=-0.2))
    return _layout(fig, "Test accuracy per answer token", height)
