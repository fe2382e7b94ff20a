"""CNN lab: look inside a trained CNN, its feature maps going from edges to objects (CNN Explainer, and
more), or train your own live: its own view, the live part on the first screen beside its controls."""

import streamlit as st

from core.cnn.features import feature_maps
from core.cnn.fields import TABS
from core.viz.images import probability_bars, upscale
from ui.cnn import train as cnn_train
from ui.cnn import views as cnn_views
from ui.cnn.links import LINK, TAB_TITLES, VIEW_TITLES
from ui.kit import header
from ui.kit import links as share
from ui.kit import models as zoo
from ui.kit.registry import BY_ID

LAB = BY_ID["cnn_lab"]
header.open_lab(LAB, LINK)
models = zoo.available()
if st.session_state.get("cnn_model") not in (*models, None):
    st.session_state.pop("cnn_model")
hide = header.hidden(LAB)
inside_tabs = [t for t in TABS if t != "train" and t not in hide]
views = [v for v in VIEW_TITLES if v != "train" or "train" not in hide]
if not inside_tabs and len(views) > 1:  # every look-inside tab hidden: the training view alone
    views = ["train"]
if st.session_state.get("cnn_view") not in views:
    st.session_state["cnn_view"] = views[0]
view = st.segmented_control("View", views, key="cnn_view", required=True, format_func=VIEW_TITLES.get,
                            help="Look inside a network this project trained, or build and train your own; "
                                 "\"Explore this CNN\" then brings yours back here.") if len(views) > 1 else views[0]


def _model_and_input():
    """The model and the prepared input, or a reason in words why there is none (the tabs still draw)."""
    if not models:
        return None, None, None, ("No pretrained CNN is installed here. Make one with "
                                  "`python -m core.zoo.pretrain tinyvgg`.")
    name = share.pick(LAB.id, "model", "Model", models, "cnn_model",
                      "Both were trained by this project with `python -m core.zoo.pretrain`; the accuracy is on "
                      "images they never saw.")
    if name == "resnet18":
        ok, why = zoo.resnet_status()
        if not ok:
            st.warning(why)
            return None, None, None, "ResNet-18's weights are not on this server (see above): choose another model."
        st.caption(why)
    try:
        sm = zoo.model(name)
    except (OSError, RuntimeError, ValueError) as exc:  # a failed or corrupt download
        return None, None, None, f"The model could not be loaded: {str(exc)[:200]}. Choose another one."
    classes = ", ".join(sm.class_names) if len(sm.class_names) <= 12 else f"{len(sm.class_names):,} classes"
    st.caption(f"{sm.title}: {sum(p.numel() for p in sm.model.parameters()):,} parameters; classes: {classes}.")
    prepared, true_class = zoo.choose_input(sm, fixed="input" in hide)
    if prepared is None:
        return sm, None, None, "Choose an input above (or upload an image) to look inside the network."
    return sm, prepared, true_class, ""


def overconfident(top: float, classes: int, short: bool = False) -> str:
    """The warning beside a very sure prediction of a picture with no true class (one line on a projector)."""
    if short:
        return f"{top:.0%} sure, but it knows only {classes} classes: softmax always adds up to 100%."
    return (f"{top:.0%} sure, but of what? This network knows only its {classes} classes, and softmax shares "
            "100% among them even for a picture unlike anything it trained on: a high probability is not proof "
            "(networks are often overconfident off their training data).")


def _inside() -> None:
    """The model and input chooser, the prediction, and the look-inside tabs."""
    left, mid, right = st.columns([1.1, 1, 1.2], gap="medium")
    with left, header.controls():  # folded away in presenter mode; the picture and the prediction stay
        sm, prepared, true_class, missing = _model_and_input()
    fm = feature_maps(sm.model, prepared.tensor) if prepared is not None else None
    if fm is not None:
        projected = header.presenting()  # a projector keeps the first screen for the tabs: small input, short bars
        with mid:
            st.image(upscale(prepared.display, 224), caption="The model's input", width=120 if projected else "content")
            if not projected:
                st.caption("Preprocessing: " + "; ".join(prepared.steps) + ".")
        with right:
            st.plotly_chart(probability_bars(fm.probs, sm.class_names, true_class, height=170 if projected else 260),
                            key="cnn_probs")
            top = float(fm.probs.max())
            if true_class is None and top >= 0.9 and len(sm.class_names) <= 100:
                st.caption(overconfident(top, len(sm.class_names), short=projected))
    elif missing:
        with mid:
            st.info(missing)

    def needs_input(draw):
        return (lambda: st.info(missing)) if fm is None else draw

    tab_views = {"maps": needs_input(lambda: cnn_views.feature_maps_tab(sm, fm, prepared.display)),
                 "hierarchy": needs_input(lambda: cnn_views.hierarchy_tab(sm, fm, prepared.display)),
                 "filters": (lambda: cnn_views.filters_tab(sm)) if sm is not None else (lambda: st.info(missing)),
                 "operations": needs_input(lambda: cnn_views.operations_tab(sm, fm, prepared.tensor.numpy())),
                 "featureviz": needs_input(lambda: cnn_views.featureviz_tab(sm, fm))}
    shown = inside_tabs or ["maps"]  # a link that hides every tab keeps the first
    titles = [TAB_TITLES[t] for t in shown]
    if st.session_state.get("cnn_tabs") not in titles:  # a link's tab may be hidden
        st.session_state.pop("cnn_tabs", None)
    for tab, name in zip(st.tabs(titles, key="cnn_tabs", on_change="rerun"), shown):  # the open tab survives reruns
        with tab:
            tab_views[name]()


if view == "train":
    cnn_train.train_tab()
else:
    _inside()
header.share_footer(LAB, LINK)
