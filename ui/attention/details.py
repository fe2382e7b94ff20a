"""Below the live view: predictions on the followed test sequence, the attention maps at the job's
checkpoints (a slider to watch patterns form), one query's path number by number, the positional
encodings and the token embeddings, all from the weights trained so far."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st
import torch

from core.attention.model import TinyTransformer, attention_maps, query_steps
from core.attention.trainer import build
from core.attention.viz import attention_grid, embedding_figure, positions_figure, predictions_figure, steps_figure
from ui.attention.train import state, task_data, words
from ui.kit import models

CACHE = "att_checkpoint_maps"


def model_now() -> TinyTransformer:
    """The job's model at its current weights (one copy per training step, shared by the views below)."""
    return models.current(state().slot.job, "att_model")


def _predictions(plane: dict) -> None:
    spec = state().spec
    data = task_data(spec.task)
    i = int(plane["sample"])
    probs = plane["probs"]
    truth = data.words(data.test_targets[i])
    guess = data.words(np.argmax(probs, 1))
    p_truth = probs[np.arange(len(truth)), data.test_targets[i].numpy()]
    st.plotly_chart(predictions_figure(words(data, i), truth, guess, p_truth, data.test_mask[i].numpy()),
                    key="att_preds")


def checkpoints() -> None:
    """The attention maps at the job's checkpoints (spaced as the job kept them: densest early)."""
    side = state()
    job, spec, i = side.slot.job, side.spec, side.sample
    data = task_data(spec.task)
    cps = [c for c in job.checkpoints() if c.weights]
    if len(cps) < 2:
        st.caption("Checkpoints appear as it trains: pause after a few epochs to step through them.")
        return
    epochs = [c.epoch for c in cps]
    if st.session_state.get("att_checkpoint") in (None, st.session_state.get("att_checkpoint_last")) or \
            st.session_state["att_checkpoint"] not in epochs:  # at the newest: follow it as training goes on
        st.session_state["att_checkpoint"] = epochs[-1]
    st.session_state["att_checkpoint_last"] = epochs[-1]
    epoch = st.select_slider("Checkpoint (epoch)", epochs, key="att_checkpoint",
                             help="The job keeps the weights at these epochs. Slide back to epoch 0 and forward: "
                                  "the stripes and diagonals are patterns forming as the model learns.")
    cache = st.session_state.setdefault(CACHE, {})
    key = (id(job), epoch, i, spec)
    if key not in cache:
        snap = cps[epochs.index(epoch)]
        model = build(spec, data)
        model.load_state_dict({k: torch.as_tensor(v) for k, v in snap.weights.items()})
        if len(cache) > 64:
            cache.clear()
        cache[key] = attention_maps(model, data.test_tokens[i])
    st.plotly_chart(attention_grid(cache[key], words(data, i), f"Attention at epoch {epoch}, test sequence {i}",
                                   height=90 + 220 * spec.layers), key="att_ckpt_grid")


def one_query() -> None:
    """One query's path through one head: the numbers the forward pass computes, step by step."""
    spec, i = state().spec, state().sample
    data = task_data(spec.task)
    w = words(data, i)
    c = st.columns(3)
    layer = c[0].selectbox("Layer", range(spec.layers), format_func=lambda v: f"layer {v + 1}", key="att_q_layer")
    head = c[1].selectbox("Head", range(spec.heads), format_func=lambda v: f"head {v + 1}", key="att_q_head")
    default = min(data.prompt, len(w) - 1)
    place = c[2].selectbox("Query place", range(len(w)), index=default, key="att_q_place",
                           format_func=lambda p: f"{p}: {w[p]!r}")
    s = query_steps(model_now(), data.test_tokens[i], layer, head, place)
    st.plotly_chart(steps_figure(s.scaled, s.masked, s.weights, w, place), key="att_steps_fig")
    dh = len(s.q)
    st.markdown(f"1. **Query** q = W_q · x at place {place} ({dh} numbers): "
                + ", ".join(f"{v:.2f}" for v in s.q[:8]) + (" …" if dh > 8 else "")
                + f"\n2. **Scores**: q · k for every place, then **scaled** by 1/√{dh} = {1 / np.sqrt(dh):.3f} so "
                "they do not grow with the width\n3. **Mask**: " + ("places after the query get −∞ (it may not look "
                "ahead)" if spec.task.causal else "none: every place may look everywhere")
                + "\n4. **Softmax**: e^score / Σ e^score, so the weights are positive and add up to 1"
                + f"\n5. **Output**: Σ weight × v, the head's {dh} numbers for this place: "
                + ", ".join(f"{v:.2f}" for v in s.out[:8]) + (" …" if dh > 8 else ""))
    table = pd.DataFrame({"place": [f"{p}: {t}" for p, t in enumerate(w)], "q·k": s.scores, "÷√d": s.scaled,
                          "masked": s.masked, "softmax": s.weights, "v[0]": s.values[:, 0]})
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={"softmax": st.column_config.ProgressColumn(min_value=0.0, max_value=1.0,
                                                                           format="%.3f")})


def positions_and_embeddings(plane: dict) -> None:
    spec = state().spec
    data = task_data(spec.task)
    a, b = st.columns(2)
    with a:
        pos = model_now().pos[: data.length].detach().numpy()
        st.plotly_chart(positions_figure(pos), key="att_pos_fig")
        st.caption("Attention alone cannot tell first from last: each place's position vector is added to its token. "
                   + ("Sinusoidal: fixed waves, nearby positions alike." if spec.positions == "sinusoidal" else
                      "Learned: trained like any weight; watch neighbours grow alike as it trains."))
    with b:
        st.plotly_chart(embedding_figure(plane["embed"], data.vocab), key="att_embed_fig")
        st.caption("Each token's embedding (width numbers) on the two directions it varies most. Tokens the task "
                   "uses alike drift together: digits in order, say, once the model sorts.")


def draw() -> None:
    side = state()
    job = side.slot.job
    view = job.poll() if job is not None else None
    plane = view.snapshot.plane if view is not None and view.snapshot is not None else None
    if not view or not view.epoch or not plane:
        return
    _predictions(plane)
    tabs = st.tabs(["Watch it form", "One query, step by step", "Positions and embeddings"])
    with tabs[0]:
        checkpoints()
    with tabs[1]:
        one_query()
    with tabs[2]:
        positions_and_embeddings(plane)
