"""Entry point: page config, navigation between the labs, nothing else.

Run with `make run` (or `streamlit run app.py`).
"""

import streamlit as st

from ui.labs import HOME, LABS

st.set_page_config(page_title="Neural Network Explainer", page_icon=":material/neurology:", layout="wide")

pages = [st.Page(HOME.path, title=HOME.title, icon=HOME.icon, default=True)]
pages += [st.Page(lab.path, title=lab.title, icon=lab.icon) for lab in LABS]
st.navigation(pages).run()
