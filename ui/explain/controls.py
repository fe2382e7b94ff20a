"""The Explain lab's controls: the input to explain, the target class, the methods and their settings."""

from __future__ import annotations

import numpy as np
import streamlit as st
import torch

from core.data.photos import tensor_to_rgb
from core.explain import AUTO, BASELINES, METHODS, resolve_baseline, why_not
from core.explain.base import CAPS
from core.explain.fields import PREDICTED
from ui.explain.sources import Source
from ui.kit import links as share
from ui.kit import models as zoo

BASELINE_NAMES = {"image": {"black": "black", "blurred": "blurred", "mean": "mean image"},
                  "table": {"black": "zero (the average)", "blurred": "the row's average", "mean": "training mean"}}
BASELINE_HELP = {"image": "Black is all zeros, blurred a heavy blur of the input, mean the training data's average. "
                          "Blurred is the default: a black image is itself a strong signal to a CNN, so maps "
                          "against it often track the model worse (the deletion curve under each map shows it).",
                 "table": "Features are standardized, so zero is each feature at its training average; the row's "
                          "average puts every feature at this row's mean value; the training mean is the average "
                          "row."}
DEFAULTS = {"image": ["saliency", "integrated_gradients", "gradcam", "occlusion", "gradient_shap", "lime"],
            "table": ["saliency", "integrated_gradients", "deeplift", "gradient_shap", "permutation_shap", "lime"]}


def choose_input(src: Source, fixed: bool = False) -> tuple[torch.Tensor, np.ndarray | None, int | None, object]:
    """(x as a batch of one, the picture shown or None, the true class or None, a row id). `fixed`: a
    link hides the input, so its choice is used without widgets."""
    if src.kind == "image":
        prepared, true = zoo.choose_input(zoo.model(src.key), fixed)
        if prepared is None:
            st.stop()
        return prepared.tensor[None], prepared.display, true, None
    key = f"xp_row_{src.key}"
    if st.session_state.get(key, 0) > len(src.inputs) - 1:  # a link may name a row beyond this table
        st.session_state[key] = len(src.inputs) - 1
    i = share.keep(key, 0) if fixed else st.slider("Row (held out from training)", 0, len(src.inputs) - 1, 0, key=key)
    if fixed:
        st.markdown(f"**Row** {i} of the held-out rows")
    true = int(src.labels[i]) if src.labels is not None else None
    if true is not None:
        st.caption(f"True class: **{src.label_names[true]}**")
    return src.inputs[i:i + 1], None, true, (src.key, i)


def display_of(x: torch.Tensor) -> np.ndarray:
    return tensor_to_rgb(x[0])


def target_key(model: str) -> str:
    return f"xp_target_{model}"


def choose_target(src: Source, probs: np.ndarray, fixed: bool = False) -> int:
    """The class to explain: "the predicted class" (-1, whatever the input) or a fixed class, kept per
    model and carried by the link; a link that hides the choice fixes its value."""
    names = src.output_names
    if len(names) == 1:
        st.caption(f"Explaining the model's one output: **{names[0]}**.")
        return 0
    pred = int(np.argmax(probs))
    key = target_key(src.key)
    options = [PREDICTED, *range(len(names))]
    if st.session_state.get(key, PREDICTED) not in options:  # a link may name a class this model lacks
        st.session_state[key] = PREDICTED
    if fixed:
        choice = share.keep(key, PREDICTED)
        shown = names[pred] if choice == PREDICTED else names[choice]
        st.caption(f"Explaining {'the predicted class' if choice == PREDICTED else 'the class'}: **{shown}**.")
    else:
        choice = st.selectbox("Target class to explain", options, key=key,
                              format_func=lambda k: f"the predicted class ({names[pred]})" if k == PREDICTED
                              else names[k] + (" (predicted)" if k == pred else ""),
                              help="Attributions answer: which parts of the input push the score of THIS class up "
                                   "or down? \"The predicted class\" follows the input; pick a class to see what "
                                   "speaks for or against it on every input.")
    return pred if choice == PREDICTED else int(choice)


def choose_methods(src: Source, x: torch.Tensor, fixed: bool = False) -> list[str]:
    """The methods to run side by side; a link that hides them fixes its own (or the defaults)."""
    usable = [m for m in METHODS if why_not(m, src.model, x) is None]
    refused = {m: why_not(m, src.model, x) for m in METHODS if m not in usable}
    key = f"xp_methods_{src.kind}"
    if key in st.session_state:  # a link or another model may have chosen methods that do not apply here
        st.session_state[key] = [m for m in st.session_state[key] if m in usable]
    if fixed:
        chosen = share.keep(key, [m for m in DEFAULTS[src.kind] if m in usable])
        st.caption("Methods: " + ", ".join(METHODS[m].label for m in chosen) + ".")
        return chosen
    if key not in st.session_state:  # the defaults once, through the state (never also as `default=`)
        st.session_state[key] = [m for m in DEFAULTS[src.kind] if m in usable]
    chosen = st.pills("Methods", usable, selection_mode="multi", format_func=lambda m: METHODS[m].label, key=key,
                      wrap=True,
                      help="Captum's gradient and perturbation methods, SHAP and LIME, on the same input. Every "
                           "chosen method stays in sight; click one to add or remove it.") or []
    if refused:
        n = len(refused)
        with st.expander(f"{n} method{' does' if n == 1 else 's do'} not apply to this model"):
            for m, why in refused.items():
                st.markdown(f"- **{METHODS[m].label}**: {why}")
    return chosen


def _defaults(src: Source, convs: list[str]) -> dict[str, tuple[str, object]]:
    """Each setting's widget key and default value (the widgets' first values)."""
    d: dict[str, tuple[str, object]] = {
        "baseline": (f"xp_baseline_{src.kind}", resolve_baseline(AUTO, src.inputs[:1])),
        "steps": ("xp_steps", 50), "samples": ("xp_samples", 20),
        "shap_samples": ("xp_shap_n", 50), "lime_samples": ("xp_lime_n", 1000), "max_evals": ("xp_evals", 500),
        "seed": ("xp_seed", 0)}
    if src.kind == "image":
        size = src.inputs.shape[-1]
        d.update(window=(f"xp_win_{size}", min(8, max(1, size // 4))),
                 stride=(f"xp_stride_{size}", min(4, max(1, size // 8))), segments=("xp_segments", 50))
        if convs:
            d["layer"] = (f"xp_layer_{src.key}", convs[-1])
    return d


def settings(src: Source, fixed: bool = False) -> dict:
    """The methods' settings, capped as the facade caps them; a link that hides them fixes its values."""
    convs = [n for n, m in src.model.named_modules() if isinstance(m, torch.nn.Conv2d)] if src.kind == "image" else []
    d = _defaults(src, convs)
    if fixed:
        return {name: share.keep(key, default) for name, (key, default) in d.items()}
    with st.expander("Settings"):
        names = BASELINE_NAMES[src.kind]
        st.session_state.setdefault(*d["baseline"])  # blurred for images, zero for tables, unless a link said
        o = {"baseline": st.radio("Baseline (what 'absent' means)", BASELINES, horizontal=True, key=d["baseline"][0],
                                  format_func=names.get,
                                  help="Integrated Gradients, DeepLift and Occlusion compare the input with this; "
                                       "LIME and SHAP Partition fill hidden parts with it. " + BASELINE_HELP[src.kind])}
        c1, c2 = st.columns(2)
        o["steps"] = c1.slider("Integrated Gradients steps", 10, CAPS["steps"][1], d["steps"][1], key="xp_steps",
                               help="More steps: a smaller convergence delta, more time.")
        o["samples"] = c2.slider("SmoothGrad samples", 5, CAPS["samples"][1], d["samples"][1], key="xp_samples")
        o["shap_samples"] = c1.slider("GradientExplainer samples", 10, CAPS["shap_samples"][1], d["shap_samples"][1],
                                      key="xp_shap_n")
        o["lime_samples"] = c2.slider("LIME samples", 100, CAPS["lime_samples"][1], d["lime_samples"][1], step=100,
                                      key="xp_lime_n")
        o["max_evals"] = c1.slider("SHAP Partition/Permutation evaluations", 100, 2000, d["max_evals"][1], step=100,
                                   key="xp_evals")
        if src.kind == "image":
            size = src.inputs.shape[-1]
            o["window"] = c2.slider("Occlusion window (pixels)", 1, max(2, min(32, size // 2)), d["window"][1],
                                    key=d["window"][0])
            o["stride"] = c1.slider("Occlusion stride", 1, max(2, min(16, size // 2)), d["stride"][1],
                                    key=d["stride"][0])
            o["segments"] = c2.slider("LIME superpixels (about)", 10, 200, d["segments"][1], key="xp_segments")
            if convs:
                o["layer"] = st.selectbox("Grad-CAM layer", convs, index=len(convs) - 1, key=d["layer"][0],
                                          help="Grad-CAM weighs this layer's feature maps by their gradients. The "
                                               "last conv layer sees whole objects but coarsely; earlier ones are "
                                               "sharper and see parts.")
        o["seed"] = int(c1.number_input("Seed", 0, 10_000, d["seed"][1], key="xp_seed",
                                        help="LIME, SHAP and SmoothGrad sample at random; the same seed gives the "
                                             "same explanation."))
    return o
