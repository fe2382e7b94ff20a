"""Beside the LSTM: the chosen task at growing lengths, the Transformer and the Sequence lab's LSTM trained
the same epochs on the same sequences, every run real training in the background; each length's learning
curves fill in as its runs finish, with the final accuracies against the length."""

from __future__ import annotations

from functools import partial

import plotly.graph_objects as go
import streamlit as st

from core.attention.versus import RACE_LENGTHS, LengthRace, LengthRaceTrainer
from core.attention.viz import race_figure
from core.training import Job
from ui.kit import sweep as kit_sweep
from ui.kit.sweep import Sweep, SweepView

KEY = "att_race_state"


def state() -> Sweep:
    return kit_sweep.state(KEY, LengthRace())


def controls() -> tuple[int, int]:
    c = st.columns(2)
    epochs = c[0].select_slider("Epochs per run", [2, 4, 8, 12, 20], value=8, key="att_race_epochs",
                                help="Each length trains both models this many epochs from the same seed.")
    hidden = c[1].select_slider("LSTM units", [16, 32, 64, 128], value=64, key="att_race_hidden")
    return int(epochs), int(hidden)


def ensure(race: Sweep, spec: LengthRace) -> Job:
    return kit_sweep.ensure(race, spec, partial(LengthRaceTrainer, spec), len(spec.lengths))


def make(base, epochs: int, hidden: int) -> LengthRace:
    return LengthRace(base, RACE_LENGTHS[base.task.task], epochs, hidden)


def explain(rows: dict, spec: LengthRace) -> str:
    if not len(rows.get("length", [])):
        return ("Each length trains the Transformer (the settings on the left) and an LSTM the same number of "
                "epochs on the same sequences, GPT style: both read left to right. Press Run sweep.")
    n = rows["length"]
    t, lstm = rows["transformer_acc"], rows["lstm_acc"]
    text = (f"So far {len(n)} of {len(spec.lengths)} lengths. At length {n[-1]:g}: Transformer {t[-1]:.0%}, "
            f"LSTM {lstm[-1]:.0%}.")
    if len(n) >= 2 and lstm[0] - lstm[-1] > t[0] - t[-1] + 0.05:
        text += (" The LSTM falls further as the sequence grows: it must carry every digit through its one memory "
                 "vector, step after step, while attention looks straight back at the place it needs.")
    return text


def _chart(rows: dict, race: Sweep, view) -> go.Figure | None:
    curves = view.snapshot.plane if view.snapshot is not None and view.snapshot.plane else {}
    return race_figure(curves, race.spec.lengths, rows) if curves else None


LIVE = kit_sweep.live_sweep(SweepView(
    "atr", state, lambda s: (len(s.lengths), "lengths", f"{len(s.lengths)} lengths × 2 models × {s.epochs} epochs"),
    lambda rows, race: explain(rows, race.spec), _chart, "att_race_chart"))
