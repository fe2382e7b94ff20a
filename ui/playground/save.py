"""The Playground's save, load and export: an experiment file (spec JSON, safetensors weights,
history) to download and load again later, and the network as PyTorch code."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import streamlit as st

from core import experiment
from core.data import load_dataset
from core.data.dataset import n_outputs_for
from core.experiment import MAX_FILE
from core.export import pytorch_code
from core.playground.fields import check_loaded
from core.playground.network import hidden_from_spec, playground_spec
from ui.kit.fold import folded
from ui.kit.text import plain
from ui.playground import state as pg_state
from ui.playground.state import Playground


def _prepare(pg: Playground) -> None:
    job = pg.job
    view = job.poll()
    st.session_state["pg_save_bytes"] = experiment.save(
        pg_state.spec(pg), job.model_copy().state_dict(), pg.data, replace(pg.config, l1=view.l1, l2=view.l2),
        view.history, {"regularization": pg.regularization, "reg_rate": pg.reg_rate, "epoch": view.epoch})


def _load(pg: Playground) -> None:
    up = st.session_state.get("pg_load_file")
    if up is None:
        return
    try:
        exp = experiment.load(up.getvalue())
        if exp.data.name == "csv":
            raise ValueError("this experiment trained on your own CSV data, which is not in the file: load the "
                             "CSV in the Playground first, then the network will need to be rebuilt by hand")
        reg, rate = check_loaded(exp.data, exp.config, exp.settings)  # link's limits, before any data
        hidden = hidden_from_spec(exp.spec)
        ds = load_dataset(exp.data)
        if playground_spec(ds.input_shape[0], hidden, n_outputs_for(ds)).layers != exp.spec.layers or \
                tuple(exp.spec.input_shape) != tuple(ds.input_shape):
            raise ValueError("the network does not fit its dataset (inputs or outputs differ)")
        pg.pending_weights, pg.loads = exp.weights, pg.loads + 1
        if not pg_state.try_update(pg, data=exp.data, hidden=hidden, config=exp.config, regularization=reg,
                                   reg_rate=rate):  # try_update puts the settings back itself
            pg.pending_weights, pg.loads = None, pg.loads - 1
            raise ValueError(pg.error)
        if exp.history.get("epoch"):
            pg.runs.append({"label": f"loaded: {up.name[:40]}",
                            "history": {k: np.asarray(v) for k, v in exp.history.items()},
                            "epochs": int(exp.history["epoch"][-1]), "wall_s": 0.0, "params": 0,
                            "dataset": exp.data.name, "settings": {}, "finished_at": 0.0})
        st.session_state.pop("pg_features", None)
        name = plain(up.name[:60])  # a file's name is the student's text: shown as typed, never as markdown
        st.session_state["pg_load_msg"] = ("success", f"Loaded {name}: training carries on from its weights.")
    except ValueError as exc:
        st.session_state["pg_load_msg"] = ("error", f"Could not load {plain(up.name[:60])}: {plain(_sentence(exc))} "
                                                    "Your network and its training are as they were.")


def _sentence(exc: Exception) -> str:
    """The error as a sentence: one full stop, none after a question mark."""
    text = str(exc).rstrip()
    return text if text.endswith((".", "?", "!")) else text + "."


def save_box(pg: Playground) -> None:
    box = folded("Save, load, export", key="pg_save_open", icon=":material/save:")
    if not box.open:
        return
    with box:
        a, b, c = st.columns(3)
        with a:
            st.button("Prepare the experiment file", key="pg_save_go", on_click=_prepare, args=(pg,),
                      help="The network (JSON), its weights (safetensors) and the training history, in one zip.")
            if st.session_state.get("pg_save_bytes"):
                st.download_button("Download experiment.zip", st.session_state["pg_save_bytes"], "experiment.zip",
                                   mime="application/zip", key="pg_save_dl", icon=":material/download:")
        with b:
            st.file_uploader("Load an experiment", type=["zip"], key="pg_load_file", max_upload_size=MAX_FILE // 2**20,
                             help="A file saved here before. Only this format loads: never a pickle.")
            st.button("Load it", key="pg_load_go", on_click=_load, args=(pg,))
            kind, msg = st.session_state.pop("pg_load_msg", (None, ""))
            if kind:
                getattr(st, kind)(msg)
        with c:
            ds = pg_state.dataset(pg)
            st.download_button("Export as PyTorch code", pytorch_code(pg_state.spec(pg), n_outputs_for(ds)),
                               "network.py", mime="text/x-python", key="pg_export", icon=":material/code:",
                               help="A runnable nn.Sequential with the same layer names: the saved weights load "
                                    "into it.")
