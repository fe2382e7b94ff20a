"""The Playground's live view as a Streamlit custom component (v2: inline HTML/JS/CSS, no iframe).

The page sends `core.playground.live_payload.payload(...)` and the browser draws it
(`assets/pg_live.js`); a redraw costs the server a few milliseconds of packing numbers instead of
two pictures. The component sends back three events: `select` (a neuron clicked: it is highlighted and
shown in the Neuron view), `edit` (a weight typed in while paused) and `layers` (the drawing's +/-
buttons: a layer or a neuron more or fewer, as in TF Playground), applied in their callbacks before
the live area redraws.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from core.playground.frame import weight_names
from core.playground.live_payload import checked_edit

ASSETS = Path(__file__).resolve().parent.parent.parent / "assets"
HTML = ('<div class="pgl"><div class="pgl-row"><div class="pgl-net"><canvas></canvas></div>'
        '<div class="pgl-map"><canvas></canvas></div></div><div class="pgl-curves"></div>'
        '<div class="pgl-tip"></div><div class="pgl-pop"></div></div>')
KEY = "pg_live_view"

_component = st.components.v2.component("nn_playground_live", html=HTML, css=(ASSETS / "pg_live.css").read_text(),
                                        js=(ASSETS / "canvas_kit.js").read_text() + (ASSETS / "pg_live.js").read_text())


def _event(name: str) -> Any:
    value = st.session_state.get(KEY)
    try:
        return value[name] if value is not None else None
    except (KeyError, TypeError):
        return getattr(value, name, None)


def _on_select() -> None:
    hit = _event("select")
    if isinstance(hit, list) and len(hit) == 2 and all(isinstance(v, int) for v in hit):
        st.session_state["pg_neuron"] = (int(hit[0]), int(hit[1]))
        if "views" not in st.session_state.get("hide_playground", ()):
            st.session_state["pg_view"] = "Neuron"
        st.session_state["pg_selected_now"] = True  # the Neuron view lives in another fragment: run the page


def _on_edit() -> None:
    from ui.playground import state as pg_state

    pg = pg_state.get()
    frame = st.session_state.get("pg_frame")
    view = pg.job.poll()
    if frame is None or view.snapshot is None:
        return
    try:
        layer, row, col, value = checked_edit(_event("edit"), frame)
        pg.job.edit_weight(weight_names(view.snapshot)[layer], (row, col), value)
        st.session_state.pop("pg_edit_error", None)
    except ValueError as exc:
        st.session_state["pg_edit_error"] = str(exc)


def _on_layers() -> None:
    """A +/- on the drawing: the same change as the layer builder's buttons (a new network, trained afresh)."""
    from ui.playground import controls, state

    controls.edit(state.get(), _event("layers"))
    st.session_state["pg_selected_now"] = True  # the layer builder and the link are outside this fragment


def live_view(data: dict[str, Any]) -> None:
    """Mount (or update) the live view with this redraw's numbers."""
    _component(data=data, key=KEY, on_select_change=_on_select, on_edit_change=_on_edit,
               on_layers_change=_on_layers)
    if st.session_state.pop("pg_selected_now", False):
        st.rerun()
    error = st.session_state.pop("pg_edit_error", None)
    if error:
        st.warning(f"That weight was not changed: {error}.", icon="✋")
