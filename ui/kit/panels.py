"""Mount the labs' browser-drawn live charts (`core.viz.panels` numbers, drawn by `assets/live_panels.js`).

One component for every lab's live view outside the Playground: the curves while a job trains, the
Sequence lab's gradient and hidden state, the attention maps, the GAN plane and samples, the autoencoder's
codes, the CNN's filters and feature maps, the Generalization lab's boundaries. Text is drawn by the browser
at 13 px (15 px presenting), and nothing is an image URL the browser could fetch after it was replaced.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from ui.kit.header import presenting

ASSETS = Path(__file__).resolve().parent.parent.parent / "assets"
HTML = '<div class="lp"><div class="lp-grid"></div><div class="lp-tip"></div></div>'
TEXT_PX, PRESENTING_PX = 13, 15

_component = st.components.v2.component("nn_live_panels", html=HTML, css=(ASSETS / "live_panels.css").read_text(),
                                        js=(ASSETS / "canvas_kit.js").read_text()
                                        + (ASSETS / "live_panels.js").read_text())


def show(panels: list[dict[str, Any]], key: str, cols: int = 1, stamp: Any = None) -> None:
    """Draw `panels` in `cols` columns; `stamp` (an epoch) is written on the drawing for the browser tests."""
    if not panels:
        return
    _component(data={"panels": panels, "cols": int(cols), "stamp": stamp,
                     "text_px": PRESENTING_PX if presenting() else TEXT_PX}, key=key)
