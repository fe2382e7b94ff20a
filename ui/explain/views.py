"""The Explain lab's side-by-side grid and its "over training time" view."""

from __future__ import annotations

import numpy as np
import streamlit as st
import torch

from core.explain import METHODS, Explanation
from core.explain.agreement import sign_agreement
from core.explain.base import make_baseline
from core.explain.faithfulness import random_map
from core.explain.trust import deletion_insertion
from core.explain.viz import attribution_overlay, deletion_thumb, feature_bars, segments_overlay
from ui.explain import compute as xp_compute
from ui.explain.sources import Source


def _caption(e: Explanation) -> str:
    bits = [f"{e.seconds * 1000:.0f} ms"]
    if e.delta is not None:
        bits.append(f"convergence delta {e.delta:.3g}")
    if e.base_value is not None:
        bits.append(f"adds up from {e.base_value:.3g}")
    if e.baseline:
        bits.append(f"{e.baseline} baseline")
    if not METHODS[e.method].signed:
        bits.append("magnitude only")
    return f"**{e.label}**  \n" + ", ".join(bits)


def grid(src: Source, x: torch.Tensor, display: np.ndarray | None, results: dict[str, Explanation | str]) -> None:
    """One tile per method, in one colour convention."""
    st.caption("Blue speaks for the target class, orange against it; the stronger the colour, the larger the "
               "attribution (each map on its own scale). Saliency, SmoothGrad and Grad-CAM give magnitudes only.")
    per_row = 4 if src.kind == "image" else 2
    items = list(results.items())
    if src.kind == "image" and "lime" in results and not isinstance(results["lime"], str):
        items.insert(items.index(("lime", results["lime"])) + 1, ("lime_segments", results["lime"]))
    for start in range(0, len(items), per_row):
        cols = st.columns(per_row)
        for col, (method, e) in zip(cols, items[start:start + per_row]):
            with col:
                if isinstance(e, str):
                    st.warning(f"{METHODS[method].label}: {e}")
                elif method == "lime_segments":
                    st.image(segments_overlay(display, e.extra["segments"]),
                             caption=f"LIME's {e.settings['segments']} superpixels (what it switches on and off)")
                elif src.kind == "image":
                    st.image(attribution_overlay(e.attributions[0], display))
                    st.markdown(_caption(e))
                    if e.baseline:
                        _deletion(src, x, e, method)
                else:
                    st.plotly_chart(feature_bars(e.attributions[0], src.feature_names, e.label),
                                    key=f"xp_bar_{method}")
                    st.caption(_caption(e).replace("**", "").replace("  \n", ": "))
    if src.kind == "image" and any(isinstance(e, Explanation) and e.baseline for e in results.values()):
        st.caption(BASELINE_NOTE)
    _agreement(results)


BASELINE_NOTE = ("Which \"absent\" a method compares with shapes its map: a black image is itself a strong signal to a "
                 "CNN, a blurred copy keeps the colours and removes the detail, so blurred is the default here "
                 "(Sturmfels, Lundberg and Lee, \"Visualizing the Impact of Feature Attribution Baselines\", Distill "
                 "2020); the deletion curve under each such map shows how it does with the baseline chosen.")


def _deletion(src: Source, x: torch.Tensor, e: Explanation, method: str) -> None:
    """The map's deletion curve against a random map's, pixels removed to the same baseline it was made with."""
    key = ("deletion", src.version, xp_compute.input_key(x), e.target, e.baseline, hash(e.attributions.tobytes()))
    curves = xp_compute.lookup(key)
    if curves is None:
        base = make_baseline(x[:1], e.baseline, src.background.mean(0, keepdim=True))
        mine = deletion_insertion(src.model, x[:1], e.attributions[:1], e.target, src.output, base)[0]
        rand = deletion_insertion(src.model, x[:1], random_map(tuple(x[:1].shape)), e.target, src.output, base)[0]
        curves = (mine, rand)
        xp_compute.remember(key, curves)
    st.plotly_chart(deletion_thumb(*curves, e.baseline), key=f"xp_del_{method}", config={"displayModeBar": False})


SHAP_IDS = ("permutation_shap", "gradient_shap", "partition_shap")


def _agreement(results: dict[str, Explanation | str]) -> None:
    """A sentence when SHAP and LIME point opposite ways on the features that matter most."""
    lime = results.get("lime")
    shap = next((results[m] for m in SHAP_IDS if isinstance(results.get(m), Explanation)), None)
    if not isinstance(lime, Explanation) or shap is None:
        return
    share = sign_agreement(shap.attributions, lime.attributions)
    if share == share and share < 0.7:
        st.info(f"**{shap.label} and LIME disagree** on the sign of {1 - share:.0%} of the {shap.label}'s ten "
                "strongest features. They answer different questions: SHAP shares the prediction out fairly over "
                "all combinations of features against a background, LIME fits a straight line to the model around "
                "this input on random perturbations (its superpixels, for images). Neither is \"the\" truth: the "
                "trust tab measures which one tracks the model better here.", icon=":material/compare_arrows:")


def over_training(src: Source, x: torch.Tensor, display: np.ndarray | None, target: int, options: dict) -> None:
    """A method's map at each checkpoint kept while the model trained in this session."""
    if src.checkpoints is None or src.spec is None:
        st.info("This model was not trained in this session, so there are no checkpoints to step through. Train "
                "a CNN in the CNN lab (\"Train your own\") or a network in the Playground, or pick one of the "
                "tables' MLPs, which are trained here.")
        return
    ckpts = list(src.checkpoints())
    if len(ckpts) < 2:
        st.info("Train the model a little first: checkpoints are kept as it learns.")
        return
    methods = [m for m in ("saliency", "integrated_gradients", "gradcam", "input_x_gradient", "gradient_shap")
               if not _refused(src, x, m)]
    c1, c2 = st.columns([1, 2])
    method = c1.selectbox("Method", methods, format_func=lambda m: METHODS[m].label, key="xp_tr_method")
    i = c2.select_slider("Checkpoint (epoch)", list(range(len(ckpts))), len(ckpts) - 1, key=f"xp_tr_i_{len(ckpts)}",
                         format_func=lambda k: f"epoch {ckpts[k].epoch}")
    strip = st.columns(min(len(ckpts), 8 if src.kind == "image" else 4))  # bar charts need room for their labels
    shown = np.unique(np.linspace(0, len(ckpts) - 1, len(strip)).round().astype(int))
    for col, k in zip(strip, shown):
        e = _at(src, x, ckpts[k], method, target, options)
        with col:
            _tile(src, e, display, f"epoch {ckpts[k].epoch}" + (" (selected)" if k == i else ""), f"xp_tr_s{k}")
    st.divider()
    left, right = st.columns(2)
    e = _at(src, x, ckpts[i], method, target, options)
    with left:
        _tile(src, e, display, f"{METHODS[method].label} at epoch {ckpts[i].epoch}", "xp_tr_big", big=True)
    with torch.no_grad():
        out = src.model_at(ckpts[i].state)(x)
    p = out.softmax(-1) if src.output == "softmax" else out.sigmoid() if src.output == "sigmoid" else out
    right.metric(f"{src.output_names[target]} at this epoch", f"{float(p[0, target]):.3f}")
    right.caption("Early on the map is noise from the random weights; as the network learns, it settles on the "
                  "parts of the input the model uses for this class.")


def _refused(src: Source, x: torch.Tensor, method: str) -> bool:
    from core.explain import why_not

    return why_not(method, src.model, x) is not None


def _at(src: Source, x: torch.Tensor, ckpt, method: str, target: int, options: dict) -> Explanation | str:
    return xp_compute.one(src, x, method, target, options, make_model=lambda: src.model_at(ckpt.state),
                          version=("epoch", ckpt.epoch))


def _tile(src: Source, e: Explanation | str, display: np.ndarray | None, caption: str, key: str,
          big: bool = False) -> None:
    if isinstance(e, str):
        st.warning(e)
    elif src.kind == "image":
        st.image(attribution_overlay(e.attributions[0], display, size=320 if big else 128), caption=caption)
    else:
        small = {} if big else {"top": 6, "label_chars": 14}
        st.plotly_chart(feature_bars(e.attributions[0], src.feature_names, caption, height=320 if big else 220,
                                     **small), key=key)
