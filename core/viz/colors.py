"""One colour convention for the whole app (TensorFlow Playground's): orange negative, blue positive."""

from __future__ import annotations

import base64
import io

import numpy as np
import plotly.graph_objects as go
from PIL import Image

ORANGE = "#f59322"
BLUE = "#0877bd"
NEG_RGB = np.array([245, 147, 34], float)
POS_RGB = np.array([8, 119, 189], float)
WHITE = np.array([232, 234, 235], float)
DIVERGING = [[0.0, ORANGE], [0.5, "#e8eaeb"], [1.0, BLUE]]
TRUE_CLASS = "#2d2d2d"  # the true class in a prediction chart: neutral, since orange means "against"
# one distinct colour per line in charts that compare methods (orange and blue keep their sign meaning)
LINE_COLORS = ["#1b9e77", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#1f78b4", "#b15928",
               "#6a3d9a", "#e31a1c", "#33a02c", "#525252"]
CLASS_COLORS = [ORANGE, BLUE, "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
                "#17becf"]


def diverging_rgb(values: np.ndarray, scale: float | None = None) -> np.ndarray:
    """Map values to RGB uint8: -scale orange, 0 white, +scale blue (scale: max |value| by default)."""
    v = np.asarray(values, float)
    s = scale if scale else float(np.nanmax(np.abs(v))) if v.size else 1.0
    t = np.clip(np.nan_to_num(v / (s or 1.0)), -1, 1)[..., None]
    rgb = np.where(t >= 0, WHITE + (POS_RGB - WHITE) * t, WHITE + (NEG_RGB - WHITE) * (-t))
    return rgb.astype(np.uint8)


def class_rgb(classes: np.ndarray, light: float = 0.5) -> np.ndarray:
    """Class indices to RGB uint8 in the class colours, blended towards white by `light`."""
    table = np.array([[int(c[i:i + 2], 16) for i in (1, 3, 5)] for c in CLASS_COLORS], float)
    rgb = table[np.asarray(classes) % len(CLASS_COLORS)]
    return (rgb * (1 - light) + 255 * light).astype(np.uint8)


def png_data_uri(rgb: np.ndarray) -> str:
    """An (H, W, 3) uint8 array as a base64 PNG data URI (for plotly layout images)."""
    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgb)).save(buf, format="PNG", optimize=False, compress_level=1)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def fast_figure(traces: list[dict], layout: dict) -> go.Figure:
    """A Figure from plain dicts without plotly's per-property validation (about 5x faster to build).

    For figures redrawn several times a second while a network trains; the builders' tests check
    that their output still passes plotly's validation.
    """
    return go.Figure({"data": traces, "layout": layout}, _validate=False)
