"""One step of backpropagation drawn on the network: what each node and edge holds at this phase.

Forward phases show each node's weighted sum z and activation a, layer by layer; the loss phase the
loss at the output; backward phases the gradient δ = ∂L/∂z on each node and ∂L/∂w on each edge of
the layers done so far (written on the current layer's edges); the update phase each new weight.
Edges are coloured by the sign of what they show (blue positive, orange negative) and thicker when
larger; the selected edge (the chain rule's weight) is red. Hover any node or edge for all of its numbers.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.learning.backprop import Step
from core.viz.colors import BLUE, ORANGE, fast_figure


def _positions(sizes: tuple[int, ...]) -> list[list[tuple[float, float]]]:
    out = []
    for li, n in enumerate(sizes):
        ys = [0.5] if n == 1 else list(np.linspace(0.9, 0.1, n))
        out.append([(li / (len(sizes) - 1), y) for y in ys])
    return out


def phase_state(phase: str, n_layers: int) -> tuple[int, bool, int, bool]:
    """(forward layers shown, loss shown, lowest layer whose gradients are shown, update shown)."""
    if phase.startswith("forward"):
        return int(phase.split()[1]), False, n_layers + 1, False
    if phase == "loss":
        return n_layers, True, n_layers + 1, False
    if phase.startswith("backward"):
        return n_layers, True, int(phase.split()[1]), False
    return n_layers, True, 1, True


def step_figure(step: Step, phase: str, selected: tuple[int, int, int] | None = None, sample: int = 0,
                height: int = 420) -> go.Figure:
    """`selected` = (layer, j, i): the weight from node i of layer-1 to node j of layer, drawn red."""
    net = step.net
    sizes, n_layers = net.sizes, len(net.weights)
    pos = _positions(sizes)
    shown, loss_on, grads_from, update = phase_state(phase, n_layers)
    traces: list[dict] = []
    edge_x, edge_y, edge_text, edge_short = [], [], [], []
    current = int(phase.split()[1]) if phase.split()[0] in ("forward", "backward") else None
    for layer in range(1, n_layers + 1):
        w = net.weights[layer - 1]
        scale = float(np.abs(w).max()) or 1.0
        g = step.grad_w[layer - 1]
        gscale = float(np.abs(g).max()) or 1.0
        for j in range(w.shape[0]):
            for i in range(w.shape[1]):
                (x0, y0), (x1, y1) = pos[layer - 1][i], pos[layer][j]
                has_grad = layer >= grads_from
                value = g[j, i] if has_grad and not update else (step.new_net.weights[layer - 1][j, i] if update
                                                                   else w[j, i])
                size = abs(value) / (gscale if has_grad and not update else scale)
                is_sel = selected == (layer, j, i)
                color = "#d62728" if is_sel else (BLUE if value >= 0 else ORANGE)
                traces.append({"type": "scatter", "x": [x0, x1], "y": [y0, y1], "mode": "lines",
                               "line": {"color": color, "width": 1.5 + 5 * min(1.0, size) + (2 if is_sel else 0)},
                               "opacity": 1.0 if layer <= shown or has_grad else 0.35, "hoverinfo": "skip",
                               "showlegend": False})
                label = f"w={w[j, i]:.3f}"
                if has_grad:
                    label += f"<br>∂L/∂w={g[j, i]:.4f}<br>check {step.numeric_w[layer - 1][j, i]:.4f}"
                if update:
                    label += f"<br>new w={step.new_net.weights[layer - 1][j, i]:.3f}"
                edge_x.append(x0 + 0.35 * (x1 - x0))
                edge_y.append(y0 + 0.35 * (y1 - y0))
                edge_text.append(label)
                if update:  # the numbers of the phase's own layer written on its edges
                    edge_short.append(f"{step.new_net.weights[layer - 1][j, i]:.3f}")
                elif current == layer:
                    edge_short.append(f"∂L/∂w={g[j, i]:.4f}" if phase.startswith("backward") else f"w={w[j, i]:.3f}")
                else:
                    edge_short.append("")
    traces.append({"type": "scatter", "x": edge_x, "y": edge_y, "mode": "markers+text",
                   "marker": {"size": 9, "color": "rgba(0,0,0,0.12)"}, "text": edge_short, "customdata": edge_text,
                   "textposition": "top center", "textfont": {"size": 11, "color": "#222"},
                   "hovertemplate": "%{customdata}<extra>weight</extra>", "showlegend": False})
    node_x, node_y, node_text, node_hover, node_color = [], [], [], [], []
    for layer, column in enumerate(pos):
        for k, (x, y) in enumerate(column):
            node_x.append(x)
            node_y.append(y)
            a = step.a[layer][sample, k]
            lines = [f"x{k + 1} = {a:.3f}"] if layer == 0 else []
            hover = [f"layer {layer}, node {k + 1}" if layer else f"input {k + 1}"]
            if layer and layer <= shown:
                z = step.z[layer][sample, k]
                lines = [f"z={z:.3f}", f"a={a:.3f}"] if layer < n_layers else [f"score={a:.3f}"]
                hover += [f"z = Σ w·a + b = {z:.4f}", f"a = {net.activations[layer - 1]}(z) = {a:.4f}"]
            if layer and layer >= grads_from:
                d = step.delta[layer][sample, k]
                lines.append(f"δ={d:.4f}")
                hover.append(f"δ = ∂L/∂z = {d:.5f}")
            if layer == n_layers and loss_on:
                lines.append(f"L={step.loss:.4f}")
                hover.append(f"loss (batch mean) = {step.loss:.5f}")
            node_text.append("<br>".join(lines))
            node_hover.append("<br>".join(hover))
            node_color.append("#ffffff" if layer > shown else "#f4f4f4")
    traces.append({"type": "scatter", "x": node_x, "y": node_y, "mode": "markers+text", "text": node_text,
                   "textposition": "bottom center", "hovertext": node_hover, "hoverinfo": "text",
                   "marker": {"size": 30, "color": node_color, "line": {"color": "#444", "width": 1.5}},
                   "textfont": {"size": 12}, "showlegend": False})
    titles = ["inputs"] + [f"layer {i}" for i in range(1, n_layers)] + ["output"]
    annotations = [{"x": i / (len(sizes) - 1), "y": 1.04, "text": t, "showarrow": False, "font": {"size": 13}}
                   for i, t in enumerate(titles)]
    return fast_figure(traces, {
        "height": height, "margin": {"l": 30, "r": 30, "t": 30, "b": 10}, "plot_bgcolor": "white",
        "xaxis": {"visible": False, "range": [-0.08, 1.08]}, "yaxis": {"visible": False, "range": [-0.12, 1.1]},
        "annotations": annotations, "hovermode": "closest", "uirevision": "backprop"})
