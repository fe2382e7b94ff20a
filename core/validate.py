"""Shape walking, size limits and strict parsing of network specs.

`validate(spec)` returns the per-layer `ShapeTable` or raises `SpecError` naming the first layer that
cannot work. `spec_from_dict(data)` turns untrusted JSON data into a `NetworkSpec`, checking every
field's type and range (no eval, no pickle: only plain JSON values are read).
"""

from __future__ import annotations

import json
import math
from dataclasses import fields
from typing import Any

from core import specs as S
from core.specs import MAX_JSON_CHARS, LayerRow, NetworkSpec, ShapeTable, SpecError

# (min, max) for each numeric layer field
_RANGES: dict[str, tuple[float, float]] = {
    "units": (1, S.MAX_UNITS),
    "out_channels": (1, S.MAX_CHANNELS),
    "kernel_size": (1, S.MAX_KERNEL),
    "stride": (1, S.MAX_KERNEL),
    "padding": (0, S.MAX_KERNEL),
    "p": (0.0, 0.95),
}


def _check_layer_fields(i: int, layer: Any) -> None:
    where = f"layer {i}, {getattr(layer, 'title', type(layer).__name__)}"
    if type(layer) not in S.LAYER_TYPES.values():
        raise SpecError(f"layer {i}: unknown layer type {type(layer).__name__}")
    for f in fields(layer):
        value = getattr(layer, f.name)
        if f.name == "fn":
            if value not in S.ACTIVATIONS:
                raise SpecError(f"{where}: unknown activation '{value}'; choose one of {', '.join(S.ACTIVATIONS)}")
            continue
        if f.name == "bias":
            if not isinstance(value, bool):
                raise SpecError(f"{where}: 'bias' must be true or false")
            continue
        if f.name == "stride" and value is None:
            continue
        lo, hi = _RANGES[f.name]
        is_int = f.name != "p"
        if isinstance(value, bool) or not isinstance(value, int if is_int else (int, float)):
            kind = "a whole number" if is_int else "a number"
            raise SpecError(f"{where}: '{f.name}' must be {kind}, not {value!r}")
        if not (lo <= value <= hi) or (not is_int and not math.isfinite(value)):
            if f.name in ("units", "out_channels") and value < 1:
                raise SpecError(f"{where}: needs at least 1 {'unit' if f.name == 'units' else 'filter'}, not {value}")
            raise SpecError(f"{where}: '{f.name}' must be between {lo:g} and {hi:g}, not {value}")


def validate(spec: NetworkSpec, n_outputs: int | None = None) -> ShapeTable:
    """Walk the shapes through every layer; return the table or raise `SpecError`.

    With `n_outputs`, also check that the network ends in a flat vector of that many values.
    """
    shape = tuple(spec.input_shape)
    if not shape or any(isinstance(s, bool) or not isinstance(s, int) or s < 1 for s in shape):
        raise SpecError(f"the input shape must be positive whole numbers, not {list(spec.input_shape)}")
    if len(shape) not in (1, 3):
        raise SpecError("the input must be a flat vector (features) or an image (channels x height x width)")
    if math.prod(shape) > S.MAX_INPUT_ELEMENTS:
        raise SpecError(f"the input has {math.prod(shape):,} values; at most {S.MAX_INPUT_ELEMENTS:,} are allowed")
    if len(spec.layers) > S.MAX_LAYERS:
        raise SpecError(f"the network has {len(spec.layers)} layers; at most {S.MAX_LAYERS} are allowed "
                        "on this server (activations count as layers)")
    rows = []
    total = 0
    for i, (layer, name) in enumerate(zip(spec.layers, S.layer_names(spec.layers)), start=1):
        _check_layer_fields(i, layer)
        try:
            out = layer.out_shape(shape)
        except ValueError as exc:
            raise SpecError(f"layer {i}, {layer.title}: {exc}") from None
        params = layer.n_params(shape)
        total += params
        if math.prod(out) > S.MAX_ACTIVATION_ELEMENTS:
            raise SpecError(f"layer {i}, {layer.title}: its output ({S._fmt(out)}) has {math.prod(out):,} values; "
                            f"at most {S.MAX_ACTIVATION_ELEMENTS:,} are allowed. Add pooling or use fewer filters")
        if total > S.MAX_PARAMS:
            raise SpecError(f"layer {i}, {layer.title}: the network now has {total:,} parameters; at most "
                            f"{S.MAX_PARAMS:,} are allowed on this server. Use fewer units, or pool before Dense")
        rows.append(LayerRow(i, name, S.describe(layer), out, params))
        shape = out
    if n_outputs is not None:
        if len(shape) != 1:
            raise SpecError(f"the network ends with {S._fmt(shape)} values; add Flatten and a Dense layer "
                            f"with {n_outputs} unit{'s' if n_outputs != 1 else ''} at the end")
        if shape[0] != n_outputs:
            plural = "s" if n_outputs != 1 else ""
            raise SpecError(f"the network ends with {shape[0]} output{'s' if shape[0] != 1 else ''} but this task "
                            f"needs {n_outputs}: make the last Dense layer {n_outputs} unit{plural}")
    return ShapeTable(tuple(spec.input_shape), tuple(rows))


def _layer_from_dict(i: int, item: Any) -> S.LayerSpec:
    if not isinstance(item, dict):
        raise SpecError(f"layer {i}: expected an object with a 'type', not {type(item).__name__}")
    kind = item.get("type")
    if not isinstance(kind, str):
        raise SpecError(f"layer {i}: missing its 'type'")
    kind = S._ALIASES.get(kind.lower(), kind.lower())
    if kind in S.ACTIVATIONS:  # {"type": "relu"} is accepted for {"type": "activation", "fn": "relu"}
        item = {"type": "activation", "fn": kind, **{k: v for k, v in item.items() if k != "type"}}
        kind = "activation"
    cls = S.LAYER_TYPES.get(kind)
    if cls is None:
        raise SpecError(f"layer {i}: unknown layer type '{kind[:40]}'; known types: {', '.join(S.LAYER_TYPES)}")
    names = {f.name for f in fields(cls)}
    extra = set(item) - names - {"type"}
    if extra:
        raise SpecError(f"layer {i}, {cls.kind}: unknown field(s) {', '.join(sorted(str(e)[:40] for e in extra))}")
    try:
        layer = cls(**{k: v for k, v in item.items() if k != "type"})
    except TypeError:
        raise SpecError(f"layer {i}, {cls.kind}: missing a required field ({', '.join(sorted(names))})") from None
    _check_layer_fields(i, layer)
    return layer


def spec_from_dict(data: Any) -> NetworkSpec:
    """Parse untrusted JSON data into a `NetworkSpec` (does not walk the shapes: call `validate`)."""
    if not isinstance(data, dict):
        raise SpecError("a network description must be a JSON object")
    shape = data.get("input_shape")
    if not isinstance(shape, list) or not shape or len(shape) > 3:
        raise SpecError("'input_shape' must be a list of 1 to 3 whole numbers")
    if any(isinstance(s, bool) or not isinstance(s, int) or not 1 <= s <= S.MAX_INPUT_ELEMENTS for s in shape):
        raise SpecError(f"'input_shape' must be positive whole numbers, not {shape[:3]}")
    layers = data.get("layers", [])
    if not isinstance(layers, list):
        raise SpecError("'layers' must be a list")
    if len(layers) > S.MAX_LAYERS:
        raise SpecError(f"the network has {len(layers)} layers; at most {S.MAX_LAYERS} are allowed on this server")
    name = data.get("name", "network")
    if not isinstance(name, str):
        raise SpecError("'name' must be text")
    parsed = tuple(_layer_from_dict(i, item) for i, item in enumerate(layers, start=1))
    return NetworkSpec(tuple(shape), parsed, name[:80])


def spec_from_json(text: str) -> NetworkSpec:
    """Parse untrusted JSON text (at most `MAX_JSON_CHARS`) into a checked spec, or raise a `SpecError` in words."""
    if not isinstance(text, str) or len(text) > MAX_JSON_CHARS:
        raise SpecError(f"a network description must be JSON text of at most {MAX_JSON_CHARS} characters")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SpecError(f"the network description is not valid JSON ({exc.msg} at line {exc.lineno})") from exc
    return spec_from_dict(data)
