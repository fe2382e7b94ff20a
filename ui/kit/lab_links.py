"""Share links for the CNN lab and the Explain lab: `core.share`'s fields to and from widget state.

Values from a link go into the widgets' session keys before the widgets exist; the widgets clamp
what depends on the model (a sample index beyond the set, a method that cannot apply) themselves.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.cnn.fields import CNN_LAB
from core.cnn.fields import TABS as CNN_TABS
from core.explain.fields import EXPLAIN_LAB
from ui.kit import links as share

SOURCES = {"sample": "Sample", "photo": "Photo"}
TAB_TITLES = dict(zip(CNN_TABS, ["Feature maps", "Edges to objects", "Filters", "Operations",
                                 "Feature visualization", "Train your own"]))


def _apply_input(v: dict[str, Any], model: str, given: set[str]) -> None:
    if "source" in given or "sample" in given or "photo" in given:
        st.session_state["cnn_source"] = SOURCES[v["source"]]
    st.session_state[f"cnn_sample_{model}"] = v["sample"]
    st.session_state["cnn_photo"] = v["photo"]


def apply_cnn_link() -> None:
    got = share.read_link("cnn_lab", CNN_LAB)
    if got is None:
        return
    v, given = got
    st.session_state["cnn_model"] = v["model"]
    _apply_input(v, v["model"], given)
    st.session_state["cnn_tab"] = TAB_TITLES[v["tab"]]


def cnn_values() -> dict[str, Any]:
    model = st.session_state.get("cnn_model", "tinyvgg")
    model = model if model in ("tinyvgg", "lenet", "resnet18") else "tinyvgg"
    return {"model": model, **_input_values(model), "tab": "maps", "present": False,
            "hide": tuple(st.session_state.get("hide_cnn_lab", ())),
            "lesson": st.session_state.get("lesson_cnn_lab", "")}


def _input_values(model: str) -> dict[str, Any]:
    source = {v: k for k, v in SOURCES.items()}.get(st.session_state.get("cnn_source"), "sample")
    return {"source": source, "sample": int(st.session_state.get(f"cnn_sample_{model}", 0)),
            "photo": st.session_state.get("cnn_photo", "chelsea")}


def apply_explain_link() -> None:
    got = share.read_link("explain_lab", EXPLAIN_LAB)
    if got is None:
        return
    v, given = got
    st.session_state["xp_model"] = v["model"]
    if v["model"].startswith("table:"):
        st.session_state[f"xp_row_{v['model']}"] = v["sample"]
    else:
        _apply_input(v, v["model"], given)
    st.session_state[f"xp_target_{v['model']}"] = v["target"]
    if v["methods"]:
        st.session_state[f"xp_methods_{'table' if v['model'].startswith('table:') else 'image'}"] = list(v["methods"])
    st.session_state.update(xp_baseline=v["baseline"], xp_steps=v["steps"], xp_lime_n=v["lime_samples"] // 100 * 100,
                            xp_seed=v["seed"])


def explain_values() -> dict[str, Any]:
    model = st.session_state.get("xp_model", "tinyvgg")
    if model not in EXPLAIN_LAB[0].choices:
        model = "tinyvgg"
    kind = "table" if model.startswith("table:") else "image"
    inputs = ({"source": "sample", "sample": int(st.session_state.get(f"xp_row_{model}", 0)), "photo": "chelsea"}
              if kind == "table" else _input_values(model))
    return {"model": model, **inputs, "target": int(st.session_state.get(f"xp_target_{model}", -1)),
            "methods": tuple(st.session_state.get(f"xp_methods_{kind}", ())),
            "baseline": st.session_state.get("xp_baseline", "black"), "steps": st.session_state.get("xp_steps", 50),
            "lime_samples": st.session_state.get("xp_lime_n", 1000), "seed": st.session_state.get("xp_seed", 0),
            "present": False, "hide": tuple(st.session_state.get("hide_explain_lab", ())),
            "lesson": st.session_state.get("lesson_explain_lab", "")}
