"""Explain and generate, on demand from the trained weights: Integrated Gradients of one output token over
the input tokens, beside the attention of the same query (and why the two differ), and text or answers
written token by token with a temperature and top-k, each token's probabilities shown."""

from __future__ import annotations

import numpy as np
import streamlit as st

from core.attention.explain import MAX_NEW, generate, token_attributions
from core.attention.model import attention_maps
from core.attention.tasks import encode
from core.attention.viz import attribution_vs_attention, generation_figure
from ui.attention.details import model_now
from ui.attention.train import state, task_data, words

NOT_EXPLANATION = ("Attention is not an explanation (Jain and Wallace, 2019): a weight says where a head *looked*, "
                   "not what changed the answer. Values can be small, later layers and the MLPs mix places again, "
                   "and other heads add their own. Integrated Gradients asks the question directly: how much did each "
                   "input token move this output? Where the two agree, the head really is copying that token.")


def attributions() -> None:
    side = state()
    spec, i = side.spec, side.sample
    data = task_data(spec.task)
    w = words(data, i)
    first = data.prompt if data.prompt else len(w) - 1
    place = st.selectbox("Output at place", range(len(w)), index=first, key="att_ig_place",
                         format_func=lambda p: f"{p}: after {w[p]!r}")

    def run() -> None:  # a callback: a button drawn after the live fragment reports its click this way
        model = model_now()
        a = token_attributions(model, data.test_tokens[i], int(place))
        st.session_state["att_ig"] = ((spec, i, int(place)), a, attention_maps(model, data.test_tokens[i]))

    st.button(f"Explain the output at place {place}", icon=":material/visibility:", key="att_ig_go", on_click=run,
              help="Captum's Integrated Gradients on the token embeddings (all-zero baseline), from the weights "
                   "trained so far.")
    got = st.session_state.get("att_ig")
    if got is None or got[0] != (spec, i, int(place)):
        st.caption("Which input tokens did this output use? Press the button.")
        return
    a, maps = got[1], got[2]
    st.plotly_chart(attribution_vs_attention(a.per_token, maps[-1, :, a.place].mean(0), w), key="att_ig_fig")
    st.caption(f"Explained: log p({data.vocab[a.target]!r}) at place {a.place}. The attributions add up to "
               f"{a.per_token.sum():.3f}, the log-probability {a.score:.3f} minus {a.base_score:.3f} with every "
               f"embedding zero (convergence delta {a.delta:.1e})."
               + (" Places after it get nothing: the causal mask hid them." if spec.task.causal else ""))
    st.info(NOT_EXPLANATION, icon=":material/lightbulb:")


def _prompt_default(data) -> str:
    if data.prompt:
        return "".join(data.words(data.test_tokens[state().sample][:data.prompt + 1]))
    return "the "


def generation() -> None:
    side = state()
    spec = side.spec
    data = task_data(spec.task)
    if not spec.task.causal:
        st.caption("Generation writes one token at a time: turn on GPT style (the causal mask) to try it. A BERT-style "
                   "model fills its blanks at once: its predictions are drawn above.")
        return
    prompt = st.text_input("Prompt", _prompt_default(data), max_chars=200, key=f"att_prompt_{spec.task.task}",
                             help="Digit tasks: the digits, then = (the model writes the answer). Text: any start.")
    c = st.columns(3)
    temp = c[0].slider("Temperature", 0.0, 2.0, 0.0 if data.prompt else 0.7, 0.1, key="att_temp",
                       help="0: always the likeliest token. Higher: flatter probabilities, more surprising choices.")
    top_k = c[1].number_input("Top-k (0: all)", 0, len(data.vocab), 0, key="att_topk",
                              help="Draw only among the k likeliest tokens.")
    n = c[2].number_input("Tokens", 1, MAX_NEW, data.answer if data.prompt else 60, key="att_gen_n")

    def run() -> None:
        try:
            ids = encode(data, prompt)[0]
            st.session_state["att_generated"] = (prompt, generate(model_now(), ids, int(n), float(temp), int(top_k)))
        except ValueError as exc:
            st.session_state["att_generated"] = (prompt, str(exc))

    st.button("Write", icon=":material/auto_awesome:", key="att_gen_go", on_click=run)
    got = st.session_state.get("att_generated")
    if not got:
        return
    if isinstance(got[1], str):
        st.error(got[1], icon="⚠️")
        return
    chosen = [data.vocab[s.token] for s in got[1]]
    st.code(got[0] + "".join(chosen), language=None, wrap_lines=True)
    st.plotly_chart(generation_figure(np.stack([s.probs for s in got[1]]), chosen, data.vocab), key="att_gen_fig")


def draw() -> None:
    side = state()
    if side.slot.job is None or not side.slot.job.poll().epoch:
        return
    st.subheader("Explain and generate")
    a, b = st.columns(2)
    with a:
        attributions()
    with b:
        generation()
