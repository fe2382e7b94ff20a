"""The Playground's share link: its state to and from `core.playground.fields.PLAYGROUND`.

Values from a link are clamped to the table's ranges and snapped to the steps the controls offer (the
learning-rate and regularization steps: `SETTINGS`), then applied through `pg_state.try_update`, so a
link that describes a network the Playground refuses keeps the defaults and says why.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import streamlit as st

from core.data import DataSpec
from core.playground.fields import PLAYGROUND, SETTINGS, setting_values
from ui.kit import links
from ui.kit import links as share
from ui.playground import state as pg_state
from ui.playground.panels import VIEWS
from ui.playground.state import Playground

VIEW_NAMES = dict(zip(("weights", "grad_norms", "dead", "confusion", "neuron", "compare"), VIEWS))


def apply_link(pg: Playground) -> None:
    """On the session's first run, set the Playground from the link (if any)."""
    got = share.read_link("playground", PLAYGROUND)
    if got is None:
        return
    v, _given = got
    v = SETTINGS.from_link(v)
    data = DataSpec(v["dataset"], n_samples=v["points"], noise=v["noise"], train_fraction=round(v["ratio"], 1),
                    seed=v["seed"], features=tuple(v["features"]) or ("x1", "x2"))
    config = replace(pg.config, optimizer=v["optimizer"], batch_size=v["batch_size"],
                     learning_rate=SETTINGS["learning_rate"].snap(v["learning_rate"]))
    if not pg_state.try_update(pg, data=data, hidden=list(v["layers"]), config=config,
                               regularization=v["regularization"], reg_rate=SETTINGS["reg_rate"].snap(v["reg_rate"])):
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
