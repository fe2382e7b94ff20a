"""Explain and generate, on demand from the trained weights: Integrated Gradients over the time steps of
the followed test sequence (which steps the answer used), and for the text task, text generated with a
temperature beside the next character's probabilities."""

from __future__ import annotations

import streamlit as st

from core.sequence.explain import next_probs, sample, time_attributions
from core.sequence.tasks import describe
from core.sequence.viz import CELL_NAMES, attribution_figure, next_char_figure
from ui.kit import models
from ui.sequence.train import state, task_data


def _net(cell: str):
    return models.current(state().slot.job, "seq_model").variants[cell]


def attributions() -> None:
    side = state()
    spec, cell, i = side.spec, side.inside, side.sample
    data = task_data(spec.task)
    def run() -> None:  # a callback: a button drawn after the live fragment reports its click this way
        st.session_state["seq_ig"] = (spec, cell, i, time_attributions(_net(cell), data.x_test[i]))

    st.button(f"Explain the {CELL_NAMES[cell]}'s answer on test sequence {i}", icon=":material/visibility:",
              key="seq_ig_go", on_click=run,
              help="Integrated Gradients (Captum, as in the Explain lab) of the last step's output with respect to "
                   "every input step, from the weights trained so far.")
    got = st.session_state.get("seq_ig")
    if got is None or got[:3] != (spec, cell, i):
        st.caption("Which steps did the answer use? Press the button to attribute the last step's output to each "
                   "input step.")
        return
    a = got[3]
    steps = describe(data, data.x_test[i])
    st.plotly_chart(attribution_figure(a.per_step, steps), key="seq_ig_chart")
    what = f"class {data.classes[a.target]}" if data.kind == "classification" else "the output"
    st.caption(f"The attributions of {what} add up to {a.per_step.sum():.3f}, the output {a.score:.3f} minus "
               f"{a.base_score:.3f} at an all-zero sequence (convergence delta {a.delta:.1e}). On the memory task a "
               "network that learned it puts almost everything on the first step.")


def generate() -> None:
    side = state()
    data = task_data(side.spec.task)
    cell = side.inside
    c = st.columns([2, 1, 1])
    prompt = c[0].text_input("Prompt", "the ", max_chars=200, key="seq_prompt")
    temp = c[1].slider("Temperature", 0.1, 2.0, 0.7, 0.1, key="seq_temp",
                       help="Low: the likeliest next character (repetitive). High: more surprising, more errors.")
    n = c[2].number_input("Characters", 10, 500, 120, 10, key="seq_gen_n")
    try:
        probs = next_probs(_net(cell), data.tokens, prompt, temp)
    except ValueError as exc:
        st.error(str(exc), icon="⚠️")
        return
    st.plotly_chart(next_char_figure(probs, data.tokens), key="seq_next_chart")
    def run() -> None:
        st.session_state["seq_generated"] = prompt + sample(_net(cell), data.tokens, prompt, int(n), temp)

    st.button(f"Generate with the {CELL_NAMES[cell]}", icon=":material/auto_awesome:", key="seq_gen_go", on_click=run)
    if st.session_state.get("seq_generated"):
        st.code(st.session_state["seq_generated"], language=None, wrap_lines=True)


def draw() -> None:
    side = state()
    if side.slot.job is None or not side.slot.job.poll().epoch:
        return
    st.subheader("Explain" + (" and generate" if side.spec.task.task == "text" else ""))
    attributions()
    if side.spec.task.task == "text":
        generate()
