"""The Transfer lab's pictures: held-out accuracy per way over the epochs, per-class accuracy, the
confusion matrix, accuracy against images per class, and a prediction's probabilities per way."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.viz.curves import LEGEND

MODE_COLORS = {"scratch": "#7f7f7f", "frozen": "#1f77b4", "finetune": "#ff7f0e"}


def _layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(title=dict(text=title, font=dict(size=14), y=0.98, yanchor="top"), height=height,
                      margin=dict(l=10, r=10, t=62, b=10), plot_bgcolor="white", legend=LEGEND)
    return fig


def accuracy_curves(history: dict, modes: tuple[str, ...], names: dict[str, str], height: int = 300) -> go.Figure:
    fig = go.Figure()
    ep = np.asarray(history["epoch"], float)
    for m in modes:
        fig.add_trace(go.Scatter(x=ep, y=history[f"{m}_test_acc"], name=f"{names[m]}, held out",
                                 line=dict(color=MODE_COLORS[m], width=3)))
        fig.add_trace(go.Scatter(x=ep, y=history[f"{m}_train_acc"], name=f"{names[m]}, training",
                                 line=dict(color=MODE_COLORS[m], dash="dot")))
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%", title="accuracy")
    fig.update_xaxes(title="epoch")
    return _layout(fig, "Accuracy: held out (solid) and training (dotted)", height)


def per_class_figure(probs: dict[str, np.ndarray], labels: np.ndarray, classes: tuple[str, ...],
                     names: dict[str, str], height: int = 300) -> go.Figure:
    fig = go.Figure()
    for m, p in probs.items():
        acc = [float((p[labels == c].argmax(1) == c).mean()) if (labels == c).any() else np.nan
               for c in range(len(classes))]
        fig.add_trace(go.Bar(x=list(classes), y=acc, name=names[m], marker_color=MODE_COLORS[m]))
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%")
    fig.update_layout(barmode="group")
    return _layout(fig, "Held-out accuracy per class", height)


def confusion_figure(counts: np.ndarray, classes: tuple[str, ...], title: str, height: int = 320) -> go.Figure:
    fig = go.Figure(go.Heatmap(z=counts, x=list(classes), y=list(classes), colorscale="Blues", text=counts,
                               texttemplate="%{text}", showscale=False,
                               hovertemplate="true %{y}, predicted %{x}: %{z}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", title="true class")
    fig.update_xaxes(title="predicted class")
    return _layout(fig, title, height)


def curve_figure(rows: dict[str, np.ndarray], modes: tuple[str, ...], names: dict[str, str], chance: float,
                 height: int = 340) -> go.Figure:
    fig = go.Figure()
    for m in modes:
        if f"{m}_acc" in rows:
            fig.add_trace(go.Scatter(x=rows["per_class"], y=rows[f"{m}_acc"], mode="lines+markers", name=names[m],
                                     line=dict(color=MODE_COLORS[m], width=3)))
    fig.add_hline(y=chance, line=dict(color="#999", dash="dash"), annotation_text="chance")
    fig.update_xaxes(type="log", title="images per class to learn from")
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%", title="held-out accuracy")
    return _layout(fig, "How much data each way needs", height)


def probs_figure(probs: dict[str, np.ndarray], classes: tuple[str, ...], names: dict[str, str],
                 height: int = 260) -> go.Figure:
    fig = go.Figure()
    for m, p in probs.items():
        fig.add_trace(go.Bar(x=list(classes), y=p, name=names[m], marker_color=MODE_COLORS[m]))
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%")
    fig.update_layout(barmode="group")
    return _layout(fig, "What each way says about this image", height)
