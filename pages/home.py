"""Home: what the app is, in a few lines, and a link to each lab."""

import streamlit as st

from core.lessons import LESSONS
from core.training.device import available_devices
from ui.kit.frame import ensure_frame
from ui.kit.registry import LABS

ensure_frame()
st.title("Neural Network Explainer")
st.markdown(
    "Build a neural network layer by layer, **train it live** on your CPU or GPU, watch its loss and "
    "weights change, look at what each layer computes, and ask *why* it made a prediction. "
    "Everything you see is computed for real, on the model you build, right now."
)

if LABS:
    st.subheader("Labs")
    cols = st.columns(min(len(LABS), 3))
    for i, lab in enumerate(LABS):
        with cols[i % len(cols)]:
            with st.container(border=True):
                st.page_link(lab.path, label=lab.title, icon=lab.icon)
                st.caption(lab.blurb)

st.subheader("Lessons")
st.caption("Guided scenarios to open in class or send as links: each sets a lab up, says a few words and asks "
           "a question.")
paths = {lab.path.rsplit("/", 1)[-1].removesuffix(".py"): lab.path for lab in LABS}
cols = st.columns(3)
for i, lesson in enumerate(LESSONS):
    with cols[i % 3]:
        st.page_link(paths[lesson.page], label=lesson.title, icon=":material/school:",
                     query_params={"lesson": lesson.id})

st.subheader("How it works")
st.markdown(
    "- **Networks** are described layer by layer (Dense, Conv2d, pooling, dropout, batch norm and "
    "activations); every shape is checked before anything is built, with a message that names the layer.\n"
    "- **Data** never leaves this machine: TensorFlow Playground's 2D sets, scikit-learn's tabular sets "
    "and digits, and generated images of shapes, all made from a seed so a run can be repeated.\n"
    "- **Training** runs in the background, so the page stays responsive while charts update live."
)
st.caption(f"Devices this server can train on: {', '.join(available_devices())}.")
