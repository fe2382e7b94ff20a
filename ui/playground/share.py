"""The Playground's share link: its state to and from `core.playground.fields.PLAYGROUND`.

Values from a link are snapped to what the controls offer (the learning-rate and regularization
steps, batch sizes up to 64), then applied through `pg_state.try_update`, so a link that describes a
network the Playground refuses keeps the defaults and says why.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import streamlit as st

from core.data import DataSpec
from core.playground.fields import PLAYGROUND, setting_values
from ui.kit import links
from ui.kit import links as share
from ui.playground import state as pg_state
from ui.playground.controls import LEARNING_RATES, REG_RATES
from ui.playground.panels import VIEWS
from ui.playground.state import Playground

VIEW_NAMES = dict(zip(("weights", "grad_norms", "dead", "confusion", "neuron", "compare"), VIEWS))


def _nearest(options: list[float], value: float) -> float:
    return min(options, key=lambda o: abs(o - value))


def apply_link(pg: Playground) -> None:
    """On the session's first run, set the Playground from the link (if any)."""
    got = share.read_link("playground", PLAYGROUND)
    if got is None:
        return
    v, _given = got
    data = DataSpec(v["dataset"], n_samples=v["points"], noise=v["noise"], train_fraction=round(v["ratio"], 1),
                    seed=v["seed"], features=tuple(v["features"]) or ("x1", "x2"))
    config = replace(pg.config, optimizer=v["optimizer"], learning_rate=_nearest(LEARNING_RATES, v["lr"]),
                     batch_size=min(v["batch"], 64))
    if not pg_state.try_update(pg, data=data, hidden=list(v["layers"]), config=config, regularization=v["reg"],
                               reg_rate=_nearest(REG_RATES, v["reg_rate"])):
        st.session_state.setdefault("link_notices_playground", []).append(f"the link's network: {pg.error}")
    pg.show_test, pg.discretize = v["show_test"], v["discretize"]
    st.session_state.pop("pg_features", None)  # the multiselect starts again from the new features
    if v["view"]:
        st.session_state["pg_view"] = VIEW_NAMES[v["view"]]


def values(pg: Playground) -> dict[str, Any]:
    """The Playground's state as the link's fields."""
    view = {name: key for key, name in VIEW_NAMES.items()}.get(st.session_state.get("pg_view"), "")
    return {
        **setting_values(pg.data, pg.config, pg.regularization, pg.reg_rate),
        "dataset": pg.data.name if pg.data.name != "csv" else "circle",  # a CSV is not in the link
        "layers": tuple(pg.hidden), "show_test": pg.show_test, "discretize": pg.discretize, "view": view,
        **links.frame_values("playground"),
    }


class PlaygroundLink:
    """The Playground's link map for the kit's header: its state is a dataclass, not widget keys."""

    def read(self) -> None:
        apply_link(pg_state.get())

    def values(self) -> dict[str, Any]:
        return values(pg_state.get())


LINK = PlaygroundLink()
