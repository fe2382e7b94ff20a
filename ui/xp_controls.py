"""The Explain lab's controls: the input to explain, the target class, the methods and their settings."""

from __future__ import annotations

import numpy as np
import streamlit as st
import torch

from core.cnn.images import tensor_to_rgb
from core.explain import BASELINES, METHODS, why_not
from core.explain.base import CAPS
from ui import cnn_state
from ui.xp_sources import Source

DEFAULTS = {"image": ["saliency", "integrated_gradients", "gradcam", "occlusion", "gradient_shap", "lime"],
            "table": ["saliency", "integrated_gradients", "deeplift", "gradient_shap", "permutation_shap", "lime"]}


def choose_input(src: Source) -> tuple[torch.Tensor, np.ndarray | None, int | None, object]:
    """(x as a batch of one, the picture shown or None, the true class or None, a row id)."""
    if src.kind == "image":
        prepared, true = cnn_state.choose_input(cnn_state.model(src.key))
        if prepared is None:
            st.stop()
        return prepared.tensor[None], prepared.display, true, None
    key = f"xp_row_{src.key}"
    if st.session_state.get(key, 0) > len(src.inputs) - 1:  # a link may name a row beyond this table
        st.session_state[key] = len(src.inputs) - 1
    i = st.slider("Row (held out from training)", 0, len(src.inputs) - 1, 0, key=key)
    true = int(src.labels[i]) if src.labels is not None else None
    if true is not None:
        st.caption(f"True class: **{src.label_names[true]}**")
    return src.inputs[i:i + 1], None, true, (src.key, i)


def display_of(x: torch.Tensor) -> np.ndarray:
    return tensor_to_rgb(x[0])


def choose_target(src: Source, probs: np.ndarray, key: object) -> int:
    names = src.output_names
    if len(names) == 1:
        st.caption(f"Explaining the model's one output: **{names[0]}**.")
        return 0
    pred = int(np.argmax(probs))
    return st.selectbox("Target class to explain", list(range(len(names))), index=pred,
                        format_func=lambda k: f"{names[k]}" + (" (predicted)" if k == pred else ""),
                        key=f"xp_target_{src.key}_{hash(key) % 10**8}",
                        help="Attributions answer: which parts of the input push the score of THIS class up or "
                             "down? The predicted class is chosen first; try another to see what speaks against it.")


def choose_methods(src: Source, x: torch.Tensor) -> list[str]:
    usable = [m for m in METHODS if why_not(m, src.model, x) is None]
    refused = {m: why_not(m, src.model, x) for m in METHODS if m not in usable}
    key = f"xp_methods_{src.kind}"
    if key in st.session_state:  # a link or another model may have chosen methods that do not apply here
        st.session_state[key] = [m for m in st.session_state[key] if m in usable]
    chosen = st.multiselect("Methods", usable, default=[m for m in DEFAULTS[src.kind] if m in usable],
                            format_func=lambda m: METHODS[m][0], key=key,
                            help="Captum's gradient and perturbation methods, SHAP and LIME, on the same input.")
    if refused:
        n = len(refused)
        with st.expander(f"{n} method{' does' if n == 1 else 's do'} not apply to this model"):
            for m, why in refused.items():
                st.markdown(f"- **{METHODS[m][0]}**: {why}")
    return chosen


def settings(src: Source) -> dict:
    """The methods' settings, capped as the facade caps them."""
    with st.expander("Settings"):
        o = {"baseline": st.radio("Baseline (what 'absent' means)", BASELINES, horizontal=True, key="xp_baseline",
                                  help="Integrated Gradients, DeepLift and Occlusion compare the input with this; "
                                       "LIME and SHAP Partition fill hidden parts with it. Black is all zeros, "
                                       "blurred a heavy blur of the input, mean the training data's average.")}
        c1, c2 = st.columns(2)
        o["steps"] = c1.slider("Integrated Gradients steps", 10, CAPS["steps"][1], 50, key="xp_steps",
                               help="More steps: a smaller convergence delta, more time.")
        o["samples"] = c2.slider("SmoothGrad samples", 5, CAPS["samples"][1], 20, key="xp_samples")
        o["shap_samples"] = c1.slider("GradientExplainer samples", 10, CAPS["shap_samples"][1], 50, key="xp_shap_n")
        o["lime_samples"] = c2.slider("LIME samples", 100, CAPS["lime_samples"][1], 1000, step=100, key="xp_lime_n")
        o["max_evals"] = c1.slider("SHAP Partition/Permutation evaluations", 100, 2000, 500, step=100,
                                   key="xp_evals")
        if src.kind == "image":
            size = src.inputs.shape[-1]
            o["window"] = c2.slider("Occlusion window (pixels)", 1, max(2, min(32, size // 2)),
                                    min(8, max(1, size // 4)), key=f"xp_win_{size}")
            o["stride"] = c1.slider("Occlusion stride", 1, max(2, min(16, size // 2)), min(4, max(1, size // 8)),
                                    key=f"xp_stride_{size}")
            o["segments"] = c2.slider("LIME superpixels (about)", 10, 200, 50, key="xp_segments")
            convs = [n for n, m in src.model.named_modules() if isinstance(m, torch.nn.Conv2d)]
            if convs:
                o["layer"] = st.selectbox("Grad-CAM layer", convs, index=len(convs) - 1, key=f"xp_layer_{src.key}",
                                          help="Grad-CAM weighs this layer's feature maps by their gradients. The "
                                               "last conv layer sees whole objects but coarsely; earlier ones are "
                                               "sharper and see parts.")
        o["seed"] = int(c1.number_input("Seed", 0, 10_000, 0, key="xp_seed",
                                        help="LIME, SHAP and SmoothGrad sample at random; the same seed gives the "
                                             "same explanation."))
    return o
