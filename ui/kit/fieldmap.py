"""One field <-> session-key map per lab: it reads a new link into the widgets' session keys (before
the widgets exist), writes the page's state back as the link's values, and names what is hidden.

A `Bind` ties a link field to a session key. The key may depend on values bound before it (a sample
index is kept per model: `cnn_sample_lenet`), so binds are listed in order. Widgets clamp what
depends on the model themselves (a sample beyond the set, a method that cannot apply).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

from core.setting import Table
from ui.kit import links
from ui.kit.registry import Lab

Values = Mapping[str, Any]


def _same(v: Any) -> Any:
    return v


@dataclass(frozen=True)
class Bind:
    field: str
    key: str | Callable[[Values], str]
    to_state: Callable[[Any], Any] = _same  # link value -> widget value
    from_state: Callable[[Any], Any] = _same  # widget value -> link value
    applies: Callable[[Values], bool] | None = None  # only for some models (an image's photo, a table's row)
    read_if: Callable[[Values, set[str]], bool] | None = None  # read only when the link says so
    write: bool = True  # False: read from links, never written back (a tab to open)

    def key_for(self, values: Values) -> str:
        return self.key(values) if callable(self.key) else self.key


class FieldMap:
    """Links for a lab whose state lives in widget keys (the CNN and Explain labs)."""

    def __init__(self, lab: Lab, binds: tuple[Bind, ...]):
        self.lab, self.binds = lab, binds
        self.defaults = {f.name: f.default for f in lab.fields}

    def read(self) -> None:
        """On a new link, put its values into the session keys."""
        got = links.read_link(self.lab.id, self.lab.fields)
        if got is None:
            return
        values, given = got
        for b in self.binds:
            if b.applies is not None and not b.applies(values):
                continue
            if b.read_if is not None and not b.read_if(values, given):
                continue
            st.session_state[b.key_for(values)] = b.to_state(values[b.field])

    def values(self) -> dict[str, Any]:
        """The page's state as the link's fields (hide, present and lesson included)."""
        out: dict[str, Any] = {}
        for b in self.binds:
            default = self.defaults[b.field]
            if not b.write or (b.applies is not None and not b.applies(out)):
                out[b.field] = default
                continue
            raw = st.session_state.get(b.key_for(out))
            out[b.field] = default if raw is None else b.from_state(raw)
        return {**out, **links.frame_values(self.lab.id)}


_CAST: dict[str, Callable[[Any], Any]] = {"int": int, "float": float, "bool": bool, "choices": list}


def binds(table: Table) -> tuple[Bind, ...]:
    """A settings table's binds: each setting a link carries, to its widget key, snapped to its control's
    steps (or cast to its type), in the table's order."""
    return tuple(Bind(s.link_name, table.key(s.name), s.snap if s.steps else _CAST.get(s.kind, _same),
                      tuple if s.kind == "choices" else _same)
                 for s in table.settings if s.link is not None)


def widget_defaults(table: Table, skip: tuple[str, ...] = ("view",), part: str = "",
                    names: tuple[str, ...] | None = None) -> tuple[tuple[str, Any, tuple | None], ...]:
    """(widget key, default, the values its control offers or None) per setting (those whose name starts
    with `part`, or those in `names`, for a lab in parts): what a page puts in the session before its
    widgets exist, and puts back when a value is not one its control offers."""
    def offered(s) -> tuple | None:
        if s.kind == "choices":
            return None  # a multi-select: any subset
        return s.steps or s.choices or ((True, False) if s.kind == "bool" else None)
    return tuple((table.key(s.name), list(s.default) if s.kind == "choices" else s.default, offered(s))
                 for s in table.settings if s.name not in skip and s.name.startswith(part)
                 and (names is None or s.name in names))
