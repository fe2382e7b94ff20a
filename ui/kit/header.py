"""The frame every lab draws the same way: the top (links read, presenter styling, title, notices,
lesson), the controls area (folded away in presenter mode), and the share box at the end.

A page calls `open_lab(lab, link)` first, puts its controls in `controls()`, and `share_footer`
last; `link` is the lab's field map (a `FieldMap`, or the Playground's own), with `read()` and
`values()`.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any, Protocol

import streamlit as st

from ui.kit import links
from ui.kit.frame import ensure_frame
from ui.kit.registry import Lab


class LinkMap(Protocol):
    def read(self) -> None: ...

    def values(self) -> dict[str, Any]: ...


def presenting() -> bool:
    return bool(st.session_state.get("present"))


def open_lab(lab: Lab, link: LinkMap) -> None:
    ensure_frame()
    link.read()
    links.presenter_style()
    st.title(lab.title)
    if lab.caption:
        st.caption(lab.caption)
    links.notices(lab.id)
    links.lesson_box(lab.id)


def controls() -> AbstractContextManager:
    """Where a lab's controls go: folded into an expander in presenter mode, so the live view fills the
    projector; in place otherwise."""
    if presenting():
        return st.expander("Controls", expanded=False, icon=":material/tune:")
    return st.container()


def hidden(lab: Lab) -> set[str]:
    return links.hidden(lab.id)


def share_footer(lab: Lab, link: LinkMap, note: str = "") -> dict[str, str]:
    """Keep the URL in step with the page (presenter mode included) and draw the share box."""
    params = links.write_link(lab.id, lab.fields, link.values())
    links.share_box(params, lab.id, lab.hideable, note)
    return params
