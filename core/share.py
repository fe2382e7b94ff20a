"""Share links: each lab's state as one explicit table of typed URL fields (TensorFlow Playground's
`state.ts`, made strict).

Every field is parsed, validated and clamped on the way in. A bad field (wrong type, unknown choice,
too long, injected characters) falls back to its default alone and produces a notice; the other
fields are kept. Nothing is ever evaluated or unpickled: values are plain numbers and short words.
Only fields that differ from their defaults are written, so links stay short.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from core.lessons import LESSONS

MAX_VALUE_CHARS = 200


@dataclass(frozen=True)
class Codec:
    """A lab's own kind of value (the Playground's hidden layers): `parse` turns the link's text into the value or
    raises a `ValueError` saying what is wrong; `text` writes the value back in the link's form."""

    parse: Callable[[str], Any]
    text: Callable[[Any], str]


@dataclass(frozen=True)
class Field:
    """One URL parameter: its type, default and limits. `kind` is int, float, bool, choice, choices or custom
    (parsed and written by its `codec`, which a lab supplies: this module knows no lab)."""

    name: str
    kind: str
    default: Any
    lo: float | None = None
    hi: float | None = None
    choices: tuple[str, ...] = ()
    max_items: int = 12
    codec: Codec | None = None


def _number(f: Field, raw: str) -> int | float:
    try:
        value = float(raw) if f.kind == "float" else int(raw)
    except ValueError:
        raise ValueError("not a number" if f.kind == "float" else "not a whole number") from None
    if not math.isfinite(value):
        raise ValueError("not a finite number")
    return type(f.default)(min(max(value, f.lo), f.hi))  # clamped into the field's range


def parse_value(f: Field, raw: str) -> Any:
    """One field from its URL text, or a `ValueError` saying what is wrong with it."""
    if len(raw) > MAX_VALUE_CHARS:
        raise ValueError("too long")
    if f.kind in ("int", "float"):
        return _number(f, raw)
    if f.kind == "bool":
        if raw not in ("0", "1", "true", "false"):
            raise ValueError("not 0 or 1")
        return raw in ("1", "true")
    if f.kind == "choice":
        if raw not in f.choices:
            raise ValueError("not one of the choices")
        return raw
    if f.kind == "choices":
        items = [s for s in raw.split(",") if s] if raw else []
        if len(items) > f.max_items or any(s not in f.choices for s in items):
            raise ValueError("not a list of known choices")
        return tuple(dict.fromkeys(items))
    if f.kind == "custom" and f.codec is not None:
        return f.codec.parse(raw)
    raise ValueError(f"unknown field kind {f.kind}")


def to_text(f: Field, value: Any) -> str:
    if f.kind == "bool":
        return "1" if value else "0"
    if f.kind == "choices":
        return ",".join(value)
    if f.kind == "custom" and f.codec is not None:
        return f.codec.text(value)
    if f.kind == "float":
        return f"{value:g}"
    return str(value)


def parse(fields: tuple[Field, ...], params: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Every field's value (its default where absent or bad) and a notice per bad or unknown field."""
    by_name = {f.name: f for f in fields}
    values = {f.name: f.default for f in fields}
    notices = []
    for key, raw in params.items():
        name = str(key)[:30]
        if name not in by_name:
            if name not in IGNORED:
                notices.append(f"'{_printable(name)}' is not a setting of this page; ignored")
            continue
        text = raw[-1] if isinstance(raw, (list, tuple)) else raw
        f = by_name[name]
        try:
            values[name] = parse_value(f, str(text))
        except (ValueError, TypeError, OverflowError) as exc:
            why = _printable(str(exc))
            notices.append(f"'{name}' = '{_printable(str(text))[:40]}' is not valid ({why}); the default is used")
            continue
        if f.kind in ("int", "float") and float(values[name]) != float(text):
            notices.append(f"'{name}' = {_printable(str(text))[:20]} is outside {f.lo:g} to {f.hi:g}; "
                           f"{values[name]:g} is used")
    return values, notices


def encode(fields: tuple[Field, ...], values: Mapping[str, Any]) -> dict[str, str]:
    """The link's parameters: only fields that differ from their defaults."""
    return {f.name: to_text(f, values[f.name]) for f in fields
            if f.name in values and to_text(f, values[f.name]) != to_text(f, f.default)}


def check_value(f: Field, value: Any) -> Any:
    """A value read from a file (not a link's text) inside `f`'s type, range and choices, or a `ValueError`.

    The one rule that differs from a link's: a number out of range is refused, not clamped, so what a
    file says is applied as a whole or not at all. Everything else goes through `parse_value`."""
    if f.kind in ("int", "float"):
        kinds = (int,) if f.kind == "int" else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds):
            raise ValueError("not a number" if f.kind == "float" else "not a whole number")
        if not math.isfinite(value) or not f.lo <= value <= f.hi:
            raise ValueError(f"outside {f.lo:g} to {f.hi:g}, the limits of the page's own control")
        return type(f.default)(value)
    if (f.kind == "bool" and not isinstance(value, bool)) or (f.kind == "choice" and not isinstance(value, str)) \
            or (f.kind == "choices" and not isinstance(value, (list, tuple))):
        raise ValueError("not a value of the right kind")
    return parse_value(f, to_text(f, value))


def check_file(fields: tuple[Field, ...], values: Mapping[str, Any], labels: Mapping[str, str]) -> dict[str, Any]:
    """Every value checked by `check_value` against its field; the first bad one raises, named by its label."""
    by_name = {f.name: f for f in fields}
    out = {}
    for name, value in values.items():
        try:
            out[name] = check_value(by_name[name], value)
        except (ValueError, TypeError, OverflowError) as exc:
            shown = _printable(repr(value) if not isinstance(value, float) else f"{value:g}")[:40]
            raise ValueError(f"its {labels.get(name, name)} ({name}) is {shown}: {exc}") from None
    return out


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() and c not in "<>\"'`" else "?" for c in text)


IGNORED = ("embed", "embed_options")  # Streamlit's own parameters
LESSON_IDS = ("", *(lesson.id for lesson in LESSONS))


def common(hideable: tuple[str, ...]) -> tuple[Field, ...]:
    """The fields every lab's link ends with: what it hides, presenter mode and its lesson."""
    return (Field("hide", "choices", (), choices=hideable), Field("present", "bool", False),
            Field("lesson", "choice", "", choices=LESSON_IDS))
