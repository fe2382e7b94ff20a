"""CNN lab: see a convolutional network's feature maps go from edges to objects (CNN Explainer, and more)."""

import streamlit as st

from core.cnn.features import feature_maps
from core.cnn.fields import CNN_LAB
from core.cnn.fields import HIDEABLE as CNN_HIDEABLE
from core.cnn.fields import TABS as CNN_TABS
from core.viz.cnn import probability_bars, upscale
from ui.cnn import state as cnn_state
from ui.cnn import train as cnn_train
from ui.cnn import views as cnn_views
from ui.kit import lab_links as lab_share
from ui.kit import links as share
from ui.kit.frame import ensure_frame

ensure_frame()
lab_share.apply_cnn_link()
share.presenter_style()
st.title("CNN lab")
st.caption("Pick a pretrained CNN and an image, and look inside: every layer's feature maps, the filters, each "
           "operation with its numbers, and what a channel looks for. All computed now, on this model.")

share.notices("cnn_lab")
share.lesson_box("cnn_lab")
models = cnn_state.available()
if st.session_state.get("cnn_model") not in (*models, None):
    st.session_state.pop("cnn_model")
if not models:
    st.error("No pretrained CNN is installed here. Make one with `python -m core.zoo.pretrain tinyvgg`.")
    st.stop()

hide = share.hidden("cnn_lab")
left, mid, right = st.columns([1.1, 1, 1.2], gap="medium")
with left:
    name = share.pick("cnn_lab", "model", "Model", models, "cnn_model",
                      "Both were trained by this project with `python -m core.zoo.pretrain`; the accuracy is on "
                      "images they never saw.")
    if name == "resnet18":
        ok, why = cnn_state.resnet_status()
        (st.caption if ok else st.warning)(why)
        if not ok:
            st.stop()
    try:
        sm = cnn_state.model(name)
    except (OSError, RuntimeError, ValueError) as exc:  # a failed or corrupt download
        st.error(f"The model could not be loaded: {str(exc)[:200]}. Choose another one.")
        st.stop()
    classes = ", ".join(sm.class_names) if len(sm.class_names) <= 12 else f"{len(sm.class_names):,} classes"
    st.caption(f"{sm.title}: {sum(p.numel() for p in sm.model.parameters()):,} parameters; classes: {classes}.")
    prepared, true_class = cnn_state.choose_input(sm, fixed="input" in hide)
if prepared is None:
    st.stop()

fm = feature_maps(sm.model, prepared.tensor)
with mid:
    st.image(upscale(prepared.display, 224), caption="The model's input")
    st.caption("Preprocessing: " + "; ".join(prepared.steps) + ".")
with right:
    st.plotly_chart(probability_bars(fm.probs, sm.class_names, true_class), key="cnn_probs")

share.share_box(share.write_link("cnn_lab", CNN_LAB, lab_share.cnn_values()), "cnn_lab", CNN_HIDEABLE)
VIEWS = {"maps": lambda: cnn_views.feature_maps_tab(sm, fm, prepared.display),
         "hierarchy": lambda: cnn_views.hierarchy_tab(sm, fm, prepared.display),
         "filters": lambda: cnn_views.filters_tab(sm),
         "operations": lambda: cnn_views.operations_tab(sm, fm, prepared.tensor.numpy()),
         "featureviz": lambda: cnn_views.featureviz_tab(sm, fm),
         "train": cnn_train.train_tab}
shown = [t for t in CNN_TABS if t not in hide] or ["maps"]  # a link that hides every tab keeps the first
titles = [lab_share.TAB_TITLES[t] for t in shown]
default = st.session_state.pop("cnn_tab", None)
for tab, view in zip(st.tabs(titles, default=default if default in titles else None), shown):
    with tab:
        VIEWS[view]()
