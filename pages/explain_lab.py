"""Explain lab: open the black box of the model you just trained, with Captum, SHAP and LIME side by side."""

import streamlit as st

from core.explain.base import scores
from core.viz.images import probability_bars, upscale
from ui.explain import compute as xp_compute
from ui.explain import controls as xp_controls
from ui.explain import sources as xp_sources
from ui.explain import tables as xp_tables
from ui.explain import trust as xp_trust
from ui.explain import views as xp_views
from ui.explain.links import LINK
from ui.kit import header
from ui.kit import links as share
from ui.kit.registry import BY_ID

LAB = BY_ID["explain_lab"]
header.open_lab(LAB, LINK)
models = xp_sources.choices()
if st.session_state.get("xp_model") not in (*models, None):  # e.g. a link to ResNet-18 on an offline server
    st.session_state.pop("xp_model")
hide = header.hidden(LAB)
# The controls, the input and its prediction down the left; the maps on the right, so they start on the first
# screen (a projector's 1280x720 included) instead of below three columns of settings.
left, right = st.columns([1.25, 2], gap="medium")


def _model_and_input():
    """The model and the input to explain (folded away in presenter mode)."""
    with header.controls():
        key = share.pick(LAB.id, "model", "Model", models, "xp_model",
                         "The pretrained CNNs, the CNN you trained in the CNN lab, your Playground network, or a "
                         "small network on a table of data, trained here when you choose it.")
        try:
            with st.spinner("Preparing the model…"):
                src = xp_sources.load(key)
        except (ValueError, OSError, RuntimeError) as exc:
            st.error(f"This model could not be prepared: {str(exc)[:200]}. Choose another one.")
            st.stop()
        return (src, *xp_controls.choose_input(src, "input" in hide))


with left:
    src, x, display, true_class, row_id = _model_and_input()
    if src.kind == "table" and row_id is not None and "tables" not in hide:
        with st.expander("What-if: edit this row's values"):
            x = xp_tables.edited_row(src, x, row_id)

probs = scores(src.model, x, src.output)[0].numpy()
projected = header.presenting()  # a projector keeps its first screen for the maps: small input, short bars
with left:
    if display is not None:
        st.image(upscale(display, 224), caption="The input", width=120 if projected else 160)
    if src.output != "raw":
        st.plotly_chart(probability_bars(probs, src.output_names, true_class, height=150 if projected else 200),
                        key="xp_probs")
    else:
        st.metric("The model's prediction", f"{float(probs[0]):.3f}")
with left, header.controls():  # the explainer's settings, folded away when presenting
    target = xp_controls.choose_target(src, probs, "target" in hide)
    methods = xp_controls.choose_methods(src, x, "methods" in hide)
    options = xp_controls.settings(src, "settings" in hide)
    auto = st.toggle("Explain on every change", value=True, key="xp_auto",
                     help="Explain as soon as something changes. Turn off to stop a long explanation; what "
                          "finished is kept.")
    if not auto:
        st.button("Explain now", key="xp_go", type="primary", on_click=st.session_state.__setitem__,
                  args=("xp_go_pending", True))

run_now = auto or st.session_state.pop("xp_go_pending", False)
with right:  # its progress shows where the maps will be
    results = xp_compute.many(src, x, methods, target, options) if run_now and methods else {}
if not auto and not results:
    results = {m: e for m in methods
               if (e := xp_compute.lookup(xp_compute.cache_key(src, x, m, target,
                                                               xp_compute.options_for(src, options)))) is not None}

def side_by_side() -> None:
    if results:
        xp_views.grid(src, x, display, results)
    else:
        st.info("Choose one or more methods (or press \"Explain now\").")


views = {"Side by side": side_by_side,
         "Can we trust it?": lambda: xp_trust.trust_tab(src, x, display, target, options, results),
         "Over training": lambda: xp_views.over_training(src, x, display, target, options)}
if src.kind == "table":
    views.update({"What-if": lambda: xp_tables.what_if(src, x, target, options),
                  "SHAP summary": lambda: xp_tables.summary(src, target, options)})
flags = {"Can we trust it?": "trust", "Over training": "training", "What-if": "tables", "SHAP summary": "tables"}
shown = [name for name in views if flags.get(name) not in hide]
if st.session_state.get("xp_tabs") not in shown:  # another model has other tabs: start from the first
    st.session_state.pop("xp_tabs", None)
with right:  # a key keeps the open tab across reruns (a button in the trust tab, another model)
    for tab, name in zip(st.tabs(shown, key="xp_tabs", on_change="rerun"), shown):
        with tab:
            views[name]()
header.share_footer(LAB, LINK)  # last, as in every lab: the maps start higher
