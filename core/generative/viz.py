"""The Generative lab's figures: the autoencoder's anomaly scores and ROC curve, the 2D GAN's plane
(real, generated and the discriminator's view), its loss variants and curves."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.viz.colors import BLUE, ORANGE
from core.viz.curves import LEGEND
from core.viz.embedding import CLICK_GRID, PALETTE, titled
from core.viz.panels import point_set, raster


def anomaly_histogram(err: np.ndarray, anomalous: np.ndarray, threshold: float, height: int = 320) -> go.Figure:
    fig = go.Figure()
    top = float(np.quantile(err, 0.99)) + 1e-9
    bins = dict(start=0, end=top * 1.05, size=top / 40)
    fig.add_trace(go.Histogram(x=err[~anomalous], name="normal (classes it trained on)", marker_color=BLUE,
                               opacity=0.65, xbins=bins))
    fig.add_trace(go.Histogram(x=err[anomalous], name="anomalous (never seen)", marker_color=ORANGE, opacity=0.65,
                               xbins=bins))
    fig.add_vline(x=threshold, line=dict(color="black", dash="dash"), annotation_text="threshold")
    fig.update_layout(barmode="overlay", legend=dict(orientation="h", y=-0.25))
    fig.update_xaxes(title="reconstruction error")
    fig.update_yaxes(title="test samples")
    return titled(fig, "Reconstruction error: normal vs anomalous", height)


def roc_figure(fpr: np.ndarray, tpr: np.ndarray, auc: float, point: tuple[float, float] | None = None,
               height: int = 320) -> go.Figure:
    fig = go.Figure(go.Scatter(x=fpr, y=tpr, mode="lines", line=dict(color=BLUE, width=3), name="autoencoder"))
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", line=dict(color="#999", dash="dash"), name="chance"))
    if point is not None:
        fig.add_trace(go.Scatter(x=[point[0]], y=[point[1]], mode="markers", marker=dict(size=12, color="black"),
                                 name="the threshold"))
    fig.update_xaxes(title="false alarms (share of normal flagged)", range=[0, 1])
    fig.update_yaxes(title="anomalies caught (recall)", range=[0, 1.02])
    fig.update_layout(legend=dict(orientation="h", y=-0.25))
    return titled(fig, f"ROC curve, area {auc:.3f} (chance 0.5)", height)


def _arrows(at: np.ndarray, d: np.ndarray, scale: float) -> tuple[list, list]:
    xs, ys = [], []
    for (a, b), (u, v) in zip(at, d * scale):
        xs += [a, a + u, None]
        ys += [b, b + v, None]
    return xs, ys


def gan_figure(plane: dict, title: str = "Real (grey) and generated (orange) over the discriminator",
               height: int = 460) -> go.Figure:
    """D's output over the plane (blue: judged real), the real and generated points, and the direction the
    generator's loss pushes each generated point."""
    n = plane["d"].shape[0]
    xs = np.linspace(-3, 3, n)
    prob = bool(plane["prob"])
    fig = go.Figure(go.Heatmap(x=xs, y=xs, z=plane["d"], colorscale="RdBu", zmid=0.5 if prob else 0,
                               opacity=0.55, colorbar=dict(title="D: p(real)" if prob else "D: score"),
                               hovertemplate="D = %{z:.2f}<extra></extra>"))
    fig.add_trace(go.Scatter(x=plane["real"][:, 0], y=plane["real"][:, 1], mode="markers", name="real",
                             marker=dict(size=4, color="#555555")))
    fig.add_trace(go.Scatter(x=plane["fake"][:, 0], y=plane["fake"][:, 1], mode="markers", name="generated",
                             marker=dict(size=5, color=ORANGE)))
    d = plane["arrows"]
    scale = 0.4 / max(float(np.abs(d).max()), 1e-12)
    ax, ay = _arrows(plane["arrows_at"], d, scale)
    fig.add_trace(go.Scatter(x=ax, y=ay, mode="lines", name="G's push", line=dict(color="black", width=1)))
    fig.update_xaxes(range=[-3, 3], zeroline=False)
    fig.update_yaxes(range=[-3, 3], zeroline=False, scaleanchor="x")
    fig.update_layout(legend=dict(orientation="h", y=-0.1))
    return titled(fig, title, height)


def gan_panel(plane: dict, max_w: int = 0) -> dict:
    """The same picture for the browser to draw live: D's output as the background (hover reads it), the real
    (grey) and generated (orange) points over it."""
    d = np.asarray(plane["d"], float)
    v = np.clip(d if bool(plane["prob"]) else 1 / (1 + np.exp(-d)), 0, 1)[::-1]
    bg = ((np.array([239, 138, 98]) * (1 - v[..., None]) + np.array([103, 169, 207]) * v[..., None]) * 0.5
          + 127).astype(np.uint8)
    n = v.shape[0]
    at = [f"{x:.1f}" for x in np.linspace(-3, 3, n)]
    return raster(bg, "", smooth=True, max_w=max_w, domain=(-3.0, 3.0), hover=v, hover_rows=at[::-1], hover_cols=at,
                  hover_text="D at ({col}, {row}): p(real) {value}",
                  legend=[("real", "#464646"), ("generated", ORANGE), ("D: real", "#67a9cf"), ("D: fake", "#ef8a62")],
                  points=[point_set(plane["real"], "#464646", "real", 2),
                          point_set(plane["fake"], ORANGE, "generated", 3)])


def variants_figure(maps: dict, names: dict[str, str], height: int = 300) -> go.Figure:
    """Each loss variant's generated points beside the real ones, same seed, same noise."""
    real = maps["_real"]["fake"]
    keys = [k for k in maps if not k.startswith("_")]
    fig = make_subplots(1, len(keys), subplot_titles=[names[k] for k in keys], horizontal_spacing=0.03)
    for j, k in enumerate(keys):
        fig.add_trace(go.Scatter(x=real[:, 0], y=real[:, 1], mode="markers", marker=dict(size=3, color="#999999"),
                                 showlegend=j == 0, name="real"), 1, j + 1)
        f = maps[k]["fake"]
        fig.add_trace(go.Scatter(x=f[:, 0], y=f[:, 1], mode="markers", marker=dict(size=3, color=ORANGE),
                                 showlegend=j == 0, name="generated"), 1, j + 1)
    fig.update_xaxes(range=[-3, 3], showticklabels=False)
    fig.update_yaxes(range=[-3, 3], showticklabels=False)
    fig.update_layout(legend=dict(orientation="h", y=-0.05))
    return titled(fig, "The loss variants, side by side", height)


def points_figure(points: list, height: int = 320) -> go.Figure:
    """The plane from -3 to 3 as a grid of faint spots to click (each click adds a target point)."""
    g = np.linspace(-3, 3, CLICK_GRID)
    gx, gy = np.meshgrid(g, g)
    fig = go.Figure(go.Scatter(x=gx.ravel(), y=gy.ravel(), mode="markers", marker=dict(size=12,
                               color="rgba(0,0,0,0.04)"), hoverinfo="skip", showlegend=False))
    if points:
        p = np.asarray(points, float)
        fig.add_trace(go.Scatter(x=p[:, 0], y=p[:, 1], mode="markers", marker=dict(size=10, color="#333333"),
                                 name="your points"))
    fig.update_xaxes(range=[-3.2, 3.2], zeroline=False)
    fig.update_yaxes(range=[-3.2, 3.2], zeroline=False, scaleanchor="x")
    fig.update_layout(clickmode="event+select", dragmode=False, showlegend=False)
    return titled(fig, "Your target: click to add points", height)


def gan_curves(history: dict, variants: tuple[str, ...], names: dict[str, str], height: int = 460) -> go.Figure:
    """The first variant's two losses; every variant's distance to the real data and, where the target has
    modes, the modes it covers."""
    has_modes = f"{variants[0]}_modes" in history
    rows = 3 if has_modes else 2
    titles = ("D's and G's loss (" + names[variants[0]] + ")", "distance to the real data (energy distance)",
              "modes covered")[:rows]
    fig = make_subplots(rows, 1, shared_xaxes=True, vertical_spacing=0.09, subplot_titles=titles)
    ep = np.asarray(history["epoch"], float)
    v0 = variants[0]
    fig.add_trace(go.Scatter(x=ep, y=history[f"{v0}_d_loss"], name="D's loss", line=dict(color="#1f77b4")), 1, 1)
    fig.add_trace(go.Scatter(x=ep, y=history[f"{v0}_g_loss"], name="G's loss", line=dict(color="#ff7f0e")), 1, 1)
    for j, v in enumerate(variants):
        col = PALETTE[(j + 2) % 10]
        fig.add_trace(go.Scatter(x=ep, y=history[f"{v}_distance"], name=names[v], line=dict(color=col),
                                 legendgroup=v), 2, 1)
        if has_modes:
            fig.add_trace(go.Scatter(x=ep, y=history[f"{v}_modes"], name=names[v], line=dict(color=col),
                                     legendgroup=v, showlegend=False), 3, 1)
    fig.update_xaxes(title_text="epoch", row=rows, col=1)
    titled(fig, "Training", height)
    fig.update_layout(legend={**LEGEND, "y": 1.06}, margin=dict(t=80), title=dict(y=0.99, yanchor="top"))
    return fig
