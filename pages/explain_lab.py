"""Explain lab: open the black box of the model you just trained, with Captum, SHAP and LIME side by side."""

import streamlit as st

from core.explain.base import scores
from core.explain.fields import EXPLAIN_LAB
from core.explain.fields import HIDEABLE as EXPLAIN_HIDEABLE
from core.viz.cnn import probability_bars, upscale
from ui.explain import compute as xp_compute
from ui.explain import controls as xp_controls
from ui.explain import sources as xp_sources
from ui.explain import tables as xp_tables
from ui.explain import trust as xp_trust
from ui.explain import views as xp_views
from ui.kit import lab_links as lab_share
from ui.kit import links as share
from ui.kit.frame import ensure_frame

ensure_frame()
lab_share.apply_explain_link()
share.presenter_style()
st.title("Explain lab")
st.caption("Why did the model say that? Attribution methods from Captum, SHAP and LIME answer on the same input, "
           "side by side; then check whether to trust them. Everything is computed now, on this model.")

share.notices("explain_lab")
share.lesson_box("explain_lab")
models = xp_sources.choices()
if st.session_state.get("xp_model") not in (*models, None):  # e.g. a link to ResNet-18 on an offline server
    st.session_state.pop("xp_model")
hide = share.hidden("explain_lab")
left, mid, right = st.columns([1.1, 1, 1.2], gap="medium")
with left:
    key = share.pick("explain_lab", "model", "Model", models, "xp_model",
                     "The pretrained CNNs, the CNN you trained in the CNN lab, your Playground network, or a small "
                     "network on a table of data, trained here when you choose it.")
    try:
        with st.spinner("Preparing the model…"):
            src = xp_sources.load(key)
    except (ValueError, OSError, RuntimeError) as exc:
        st.error(f"This model could not be prepared: {str(exc)[:200]}. Choose another one.")
        st.stop()
    x, display, true_class, row_id = xp_controls.choose_input(src, "input" in hide)
    if src.kind == "table" and row_id is not None and "tables" not in hide:
        with st.expander("What-if: edit this row's values"):
            x = xp_tables.edited_row(src, x, row_id)

probs = scores(src.model, x, src.output)[0].numpy()
with mid:
    if display is not None:
        st.image(upscale(display, 224), caption="The input")
    if src.output != "raw":
        st.plotly_chart(probability_bars(probs, src.output_names, true_class), key="xp_probs")
    else:
        st.metric("The model's prediction", f"{float(probs[0]):.3f}")
with right:
    target = xp_controls.choose_target(src, probs, "target" in hide)
    methods = xp_controls.choose_methods(src, x, "methods" in hide)
    options = xp_controls.settings(src, "settings" in hide)
    auto = st.toggle("Explain as soon as something changes", value=True, key="xp_auto",
                     help="Turn off to stop a long explanation; what finished is kept.")
    if not auto:
        st.button("Explain now", key="xp_go", type="primary", on_click=st.session_state.__setitem__,
                  args=("xp_go_pending", True))

run_now = auto or st.session_state.pop("xp_go_pending", False)
results = xp_compute.many(src, x, methods, target, options) if run_now and methods else {}
if not auto and not results:
    results = {m: e for m in methods
               if (e := xp_compute.lookup(xp_compute.cache_key(src, x, m, target,
                                                               xp_compute.options_for(src, options)))) is not None}

share.share_box(share.write_link("explain_lab", EXPLAIN_LAB, lab_share.explain_values()), "explain_lab",
                EXPLAIN_HIDEABLE)


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
for tab, name in zip(st.tabs(shown), shown):
    with tab:
        views[name]()
