"""The CNN lab's layer table: a network spec as editable rows (layer, filters/units, kernel, padding)
and back. Empty or half-typed cells take the layer's usual value, so an edit in progress still builds."""

from __future__ import annotations

from typing import Any

import pandas as pd

from core.specs import NetworkSpec
from core.validate import spec_from_dict

KINDS = ("conv2d", "relu", "maxpool2d", "avgpool2d", "batchnorm2d", "dropout", "flatten", "dense", "tanh", "gelu")


def rows_from_spec(spec: NetworkSpec) -> list[dict[str, Any]]:
    """One row per layer; activations are named by their function (relu, tanh, gelu)."""
    rows = []
    for layer in spec.layers:
        kind = layer.fn if layer.kind == "activation" else layer.kind
        rows.append({"type": kind, "size": getattr(layer, "out_channels", getattr(layer, "units", None)),
                     "kernel": getattr(layer, "kernel_size", None), "padding": getattr(layer, "padding", None)})
    return rows


NOT_USED = "–"  # what a cell shows where its layer has no such setting (a ReLU's kernel)


def cell(value: Any) -> str:
    """A number as the table shows it: its digits, or `NOT_USED` where the layer has none."""
    return NOT_USED if value is None else str(int(value))


def _whole(value: Any, default: int) -> int:
    """A table cell as a whole number: empty (None, NaN, blank, `NOT_USED`) takes the default."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return default
    text = str(value).strip()
    if text in ("", NOT_USED, "-"):
        return default
    try:
        return int(float(text))
    except ValueError:
        raise ValueError(f"'{text}' is not a whole number: type digits, like 8") from None


def spec_from_rows(rows: list[dict[str, Any]], input_shape: tuple[int, ...], n_classes: int,
                   name: str = "Your CNN") -> NetworkSpec:
    """The table's rows as a spec (a readable `ValueError` for an unknown layer or a bad value)."""
    layers = []
    for r in rows:
        kind = r.get("type")
        if kind is None or (not isinstance(kind, str) and pd.isna(kind)):
            continue  # a row added but not filled in yet
        item: dict[str, Any] = {"type": kind}
        if kind == "conv2d":
            item.update(out_channels=_whole(r.get("size"), 8), kernel_size=_whole(r.get("kernel"), 3),
                        padding=_whole(r.get("padding"), 0))
        elif kind in ("maxpool2d", "avgpool2d"):
            item.update(kernel_size=_whole(r.get("kernel"), 2))
        elif kind == "dense":
            item.update(units=_whole(r.get("size"), n_classes))
        elif kind in ("relu", "tanh", "gelu"):
            item = {"type": "activation", "fn": kind}
        layers.append(item)
    return spec_from_dict({"input_shape": list(input_shape), "layers": layers, "name": name})
