"""Expanders whose contents are made only while they are open.

A closed `st.expander` still sends everything inside it, and the browser fetches and runs the code of
every kind of element it holds (an uploader, a table, a code block, a download button: dozens of
script bundles) before the page settles; on a busy server the first screen's own buttons stayed grey
placeholders meanwhile (measured by `benchmarks/first_visit.py`). With a key and
`on_change="rerun"` Streamlit tells the script whether the expander is open (`.open`), so a closed one
costs one line. Opening it reruns the page, which then makes its contents. Streamlit forgets the value
of a widget that a run did not draw, so a widget inside a fold whose value must outlive it keeps that
value under a key of its own (`ui.kit.links.kept`).
"""

from __future__ import annotations

from typing import Any

import streamlit as st


def folded(label: str, key: str, **kwargs: Any):
    """An expander (`with` it only when `.open`); its open state is `st.session_state[key]`."""
    return st.expander(label, key=key, on_change="rerun", **kwargs)
