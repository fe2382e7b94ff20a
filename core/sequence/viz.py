"""Pictures of the sequence lab: hidden states and gates as heatmaps over time, the gradient through
time per cell (log scale), accuracy against the delay, predictions over a series, attributions per
time step and the next character's probabilities. Plotly for still views; `state_panel` is the
browser-drawn heatmap redrawn while training."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.viz.colors import BLUE, DIVERGING, ORANGE, diverging_rgb
from core.viz.panels import blues, raster

CELL_COLORS = {"rnn": "#e6550d", "lstm": "#3182bd", "gru": "#31a354"}
CELL_NAMES = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}
SEQUENTIAL = [[0.0, "#f7fbff"], [1.0, "#08306b"]]  # gates, from 0 (closed) to 1 (open)


def _layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(title=dict(text=title, x=0, font=dict(size=14)), height=height, plot_bgcolor="white",
                      margin=dict(l=50, r=10, t=40, b=fig.layout.margin.b or 40))
    return fig


def state_heatmap(values: np.ndarray, steps: list[str], title: str, gate: bool = False,
                  height: int = 280) -> go.Figure:
    """(T, H) values: units down, time across; hover shows the step's input and the value."""
    v = np.asarray(values, float).T
    fig = go.Figure(go.Heatmap(z=v, x=list(range(v.shape[1])), colorscale=SEQUENTIAL if gate else DIVERGING,
                               zmin=0 if gate else -1, zmax=1, colorbar=dict(thickness=10),
                               customdata=np.tile(np.array(steps, object), (len(v), 1)),
                               hovertemplate="step %{x} (%{customdata})<br>unit %{y}<br>%{z:.3f}<extra></extra>"))
    fig.update_xaxes(title_text="time step")
    fig.update_yaxes(title_text="unit", autorange="reversed")
    return _layout(fig, title, height)


def gates_figure(inside: dict[str, np.ndarray], gates: tuple[str, ...], steps: list[str],
                 height: int = 520) -> go.Figure:
    """Each gate's values (0 closed, 1 open) over time, and an LSTM's cell state, stacked."""
    rows = [g for g in gates if g in inside] + (["cell"] if "cell" in inside else [])
    fig = make_subplots(rows=len(rows), cols=1, shared_xaxes=True, vertical_spacing=0.04,
                        subplot_titles=[r if r != "cell" else "cell state" for r in rows])
    for i, r in enumerate(rows, start=1):
        gate = r not in ("cell", "cell input", "candidate")
        v = np.asarray(inside[r], float).T
        scale = 1.0 if gate else max(1.0, float(np.abs(v).max()))
        fig.add_trace(go.Heatmap(z=v, colorscale=SEQUENTIAL if gate else DIVERGING, zmin=0 if gate else -scale,
                                 zmax=scale, showscale=False, customdata=np.tile(np.array(steps, object), (len(v), 1)),
                                 hovertemplate=f"{r}<br>step %{{x}} (%{{customdata}})<br>unit %{{y}}<br>%{{z:.3f}}"
                                               "<extra></extra>"), row=i, col=1)
        fig.update_yaxes(showticklabels=False, row=i, col=1)
    fig.update_xaxes(title_text="time step", row=len(rows), col=1)
    return _layout(fig, "Gates over time (white: closed, dark blue: open)", height)


def state_panel(values: np.ndarray, title: str, steps: list[str], gate: bool = False) -> dict:
    """A heatmap of (T, H) values (units down, time across) for the browser to draw live; hover reads a value."""
    v = np.asarray(values, float).T
    rgb = blues(v) if gate else diverging_rgb(v, scale=1.0).astype(np.uint8)
    return raster(rgb, title, aspect=0.42, xlabel=f"time step → ({v.shape[1]} steps × {v.shape[0]} units)",
                  hover=v, hover_rows=[f"unit {k}" for k in range(v.shape[0])],
                  hover_cols=[f"step {t} ({s})" for t, s in enumerate(steps)], hover_text="{col}, {row}: {value}")


def grads_figure(grads: dict[str, np.ndarray], height: int = 300) -> go.Figure:
    """||dL_T/dh_t|| against t for each cell, on a log scale: a line that falls steeply to the left is
    a gradient that vanishes before it reaches the early steps."""
    fig = go.Figure()
    for c, g in grads.items():
        g = np.asarray(g, float)
        fig.add_trace(go.Scatter(x=np.arange(len(g)), y=np.maximum(g, 1e-12), mode="lines+markers",
                                 name=CELL_NAMES.get(c, c), line=dict(color=CELL_COLORS.get(c), width=2),
                                 marker=dict(size=4),
                                 hovertemplate="step %{x}<br>|dL/dh| %{y:.3g}<extra>" + CELL_NAMES.get(c, c)
                                               + "</extra>"))
    fig.update_yaxes(type="log", title_text="gradient size (log)", exponentformat="power")
    fig.update_xaxes(title_text="time step t")
    fig.update_layout(legend=dict(orientation="h", y=-0.42, x=0, yanchor="top", font=dict(size=11)),
                      margin=dict(b=70))
    return _layout(fig, "Gradient reaching step t", height)


def delay_figure(rows: dict[str, np.ndarray], cells: tuple[str, ...], chance: float, height: int = 320) -> go.Figure:
    """Test accuracy against the delay T, one line per cell, chance dashed."""
    fig = go.Figure()
    for c in cells:
        if f"{c}_acc" in rows:
            fig.add_trace(go.Scatter(x=rows["delay"], y=rows[f"{c}_acc"], mode="lines+markers", name=CELL_NAMES[c],
                                     line=dict(color=CELL_COLORS[c], width=2)))
    if len(rows.get("delay", [])):
        fig.add_hline(y=chance, line=dict(dash="dot", color="#888"), annotation_text="chance")
    fig.update_xaxes(type="log", title_text="delay T (steps between the symbol and the question)")
    fig.update_yaxes(range=[0, 1.05], tickformat=".0%", title_text="test accuracy")
    return _layout(fig, "Accuracy against the delay", height)


def series_figure(x: np.ndarray, target: np.ndarray, preds: dict[str, np.ndarray], mask: np.ndarray,
                  height: int = 300) -> go.Figure:
    """A series (regression tasks): the input, the true next values and each cell's predictions."""
    t = np.arange(len(x))
    fig = go.Figure(go.Scatter(x=t, y=x, mode="lines", name="input", line=dict(color="#bbbbbb", width=2)))
    m = np.asarray(mask, bool)
    fig.add_trace(go.Scatter(x=t[m], y=np.asarray(target)[m], mode="markers", name="true next value",
                             marker=dict(color="#333333", size=5)))
    for c, p in preds.items():
        fig.add_trace(go.Scatter(x=t[m], y=np.asarray(p)[m], mode="lines", name=CELL_NAMES.get(c, c),
                                 line=dict(color=CELL_COLORS.get(c), width=2)))
    fig.update_xaxes(title_text="time step")
    return _layout(fig, "Predictions over the series", height)


def class_probs_figure(probs: dict[str, np.ndarray], classes: tuple[str, ...], truth: int,
                       height: int = 260) -> go.Figure:
    """Each cell's probabilities for the classes at the last step; the true class named in the title."""
    fig = go.Figure()
    for c, p in probs.items():
        fig.add_trace(go.Bar(x=list(classes), y=p, name=CELL_NAMES.get(c, c), marker_color=CELL_COLORS.get(c)))
    fig.update_yaxes(range=[0, 1], tickformat=".0%")
    return _layout(fig, f"Answer at the last step (true: {classes[truth]})", height)


def attribution_figure(per_step: np.ndarray, steps: list[str], height: int = 260) -> go.Figure:
    """Integrated Gradients per time step: blue pushed the answer up, orange down."""
    a = np.asarray(per_step, float)
    fig = go.Figure(go.Bar(x=list(range(len(a))), y=a, marker_color=[BLUE if v >= 0 else ORANGE for v in a],
                           customdata=steps, hovertemplate="step %{x} (%{customdata})<br>%{y:.3f}<extra></extra>"))
    fig.update_xaxes(title_text="time step")
    fig.update_yaxes(title_text="attribution")
    return _layout(fig, "Which steps the answer used (Integrated Gradients)", height)


def next_char_figure(probs: np.ndarray, vocab: tuple[str, ...], top: int = 15, height: int = 260) -> go.Figure:
    """The likeliest next characters and their probabilities."""
    p = np.asarray(probs, float)
    idx = np.argsort(-p)[:top]
    names = [repr(vocab[i])[1:-1] if vocab[i] != " " else "␣" for i in idx]
    fig = go.Figure(go.Bar(x=names, y=p[idx], marker_color=BLUE,
                           hovertemplate="%{x}: %{y:.1%}<extra></extra>"))
    fig.update_yaxes(range=[0, 1], tickformat=".0%")
    return _layout(fig, "Next character", height)


def cell_curves(history: dict[str, np.ndarray], cells: tuple[str, ...], metric: str, title: str,
                percent: bool = False, height: int = 260) -> go.Figure:
    """One metric per cell over the epochs: test solid, training dotted."""
    fig = go.Figure()
    ep = np.asarray(history.get("epoch", []), float)
    for c in cells:
        for split, dash in (("test", "solid"), ("train", "dot")):
            key = f"{c}_{split}_{metric}"
            if key in history:
                fig.add_trace(go.Scatter(x=ep, y=history[key], mode="lines", name=f"{CELL_NAMES[c]} {split}",
                                         line=dict(color=CELL_COLORS[c], dash=dash, width=2),
                                         showlegend=split == "test"))
    fig.update_xaxes(title_text="epoch")
    if percent:
        fig.update_yaxes(range=[0, 1.02], tickformat=".0%")
    fig.update_layout(legend=dict(orientation="h", y=-0.42, x=0, yanchor="top", font=dict(size=11)),
                      margin=dict(b=70))
    return _layout(fig, title, height)
