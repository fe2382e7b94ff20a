"""Below the live view: hints (exploding gradients), the gates and cell state of the cell looked inside,
every cell's predictions on the followed test sequence, and the final table."""

from __future__ import annotations

import numpy as np
import streamlit as st

from core.sequence.models import GATES
from core.sequence.tasks import describe
from core.sequence.viz import CELL_NAMES, class_probs_figure, gates_figure, series_figure
from ui.sequence.train import state, task_data

EXPLODING = 50.0


def hints(h: dict, cells: tuple[str, ...], clip: float) -> None:
    """Exploding gradients, read off each cell's largest gradient norm of the last epoch."""
    for c in cells:
        col = h.get(f"{c}_grad_norm")
        if col is None or not len(col):
            continue
        g = float(col[-1])
        if g > EXPLODING:
            st.warning(f"**Exploding gradients in the {CELL_NAMES[c]}:** the gradient's size reached {g:,.0f} in the "
                       "last epoch. Multiplied through many steps, gradients can grow as well as shrink; "
                       + (f"clipping at {clip:g} keeps every step bounded." if clip else
                          "turn on clipping (Training) so one huge step cannot throw the weights away."),
                       icon=":material/bolt:")


def _predictions(planes: dict, spec, sample: int) -> None:
    data = task_data(spec.task)
    x, y, m = data.x_test[sample], data.y_test[sample].numpy(), data.m_test[sample].numpy()
    if data.kind == "regression" and data.readout == "every":
        preds = {c: p["out"][:, 0] for c, p in planes.items()}
        st.plotly_chart(series_figure(x[:, 0].numpy(), y, preds, m), key="seq_series")
    elif data.readout == "last":
        if data.kind == "classification":
            st.plotly_chart(class_probs_figure({c: p["out"][-1] for c, p in planes.items()}, data.classes,
                                               int(y[-1])), key="seq_probs")
        else:
            st.markdown(f"True sum **{y[-1]:.3f}**: " + ", ".join(
                f"{CELL_NAMES[c]} says {float(p['out'][-1, 0]):.3f}" for c, p in planes.items()))
        st.caption("The sequence: " + " ".join(describe(data, x)))
    else:  # text: each step's likeliest next character, per cell
        chars = describe(data, x)
        rows = {"input": chars, "true next": [data.classes[int(i)] for i in y]}
        for c, p in planes.items():
            rows[CELL_NAMES[c]] = [data.classes[int(i)] for i in np.argmax(p["out"], 1)]
        st.dataframe({k: ["␣" if ch == " " else ch for ch in v] for k, v in rows.items()}, hide_index=True)


def draw() -> None:
    side = state()
    view = side.slot.job.poll()
    spec, h = side.spec, view.history
    snap = view.snapshot
    planes = snap.plane if snap is not None and isinstance(snap.plane, dict) else {}
    if not view.epoch or not planes:
        return
    hints(h, spec.cells, spec.clip)
    data = task_data(spec.task)
    left, right = st.columns([1.2, 1])
    with left:
        inside = planes.get(side.inside)
        if inside is not None and GATES[side.inside]:
            steps = describe(data, data.x_test[side.sample])
            st.plotly_chart(gates_figure(inside, GATES[side.inside], steps), key="seq_gates")
            st.caption("Sigmoid gates run from 0 (closed) to 1 (open). An LSTM's forget gate near 1 keeps the cell "
                       "state: that is the memory that lets gradients reach far back. A GRU's update gate near 1 "
                       "keeps the old hidden state.")
        elif inside is not None:
            st.info("A plain RNN has no gates: all it keeps is h = tanh(W x + U h + b), rewritten at every step. "
                    "Look inside the LSTM or GRU to see gates.")
    with right:
        _predictions(planes, spec, side.sample)
        metric = "acc" if data.kind == "classification" else "loss"
        rows = [{"cell": CELL_NAMES[c], "training loss": float(h[f"{c}_train_loss"][-1]),
                 "test loss": float(h[f"{c}_test_loss"][-1]),
                 **({"test accuracy": float(h[f"{c}_test_acc"][-1])} if metric == "acc" else {}),
                 "largest gradient": float(h[f"{c}_grad_norm"][-1])} for c in spec.cells]
        st.dataframe(rows, hide_index=True, width="stretch",
                     column_config={"test accuracy": st.column_config.NumberColumn(format="percent")})
