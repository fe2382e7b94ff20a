"""AppTest: the app and every registered page render without an exception."""

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from ui.kit.registry import HOME, LABS

TIMEOUT = 60
APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture(autouse=True)
def _clear_caches(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "thread")  # jobs stay in this process (the process path has its own tests)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield


def test_home_introduces_the_app_and_links_each_lab():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.title[0].value == "Neural Network Explainer"
    text = " ".join(m.value for m in at.markdown)
    assert "train it live" in text
    for lab in LABS:
        assert lab.blurb


@pytest.mark.parametrize("lab", [HOME, *LABS], ids=lambda lab: lab.title)
def test_every_registered_page_renders(lab):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.switch_page(lab.path).run()
    assert not at.exception, at.exception
    pg = at.session_state["pg"] if "pg" in at.session_state else None
    if pg is not None and pg.job is not None:
        pg.job.stop()
