"""Shared fixtures: small datasets and models, and a private job-slot cap per test. Tests live in three
folders, each with its marker: tests/unit (no page, no server: `make test-fast`), tests/app (pages through
Streamlit's AppTest) and tests/e2e (a real server, and Chromium for the `browser` ones)."""

from __future__ import annotations

import os

import pytest
import torch

from core.data import DataSpec, load_dataset
from core.training.slots import JobSlots

os.environ.setdefault("NN_OFFLINE", "1")  # tests never reach the network, not even to ask whether it is there


KINDS = ("unit", "app", "e2e")


def pytest_collection_modifyitems(items) -> None:
    """Mark each test with its folder's kind (`pytest -m unit`, `-m "not e2e"`). Without Chromium the `browser`
    tests are skipped, except in CI, which must run them (`.ci/run` installs Debian's chromium)."""
    from tests.browser import chromium_path

    no_chromium = chromium_path() is None
    for item in items:
        if item.path.parent.name in KINDS:
            item.add_marker(getattr(pytest.mark, item.path.parent.name))
        if no_chromium and "browser" in item.keywords:
            if os.environ.get("CI"):
                raise pytest.UsageError("CI needs Chromium for the browser tests: .ci/run installs Debian's chromium")
            item.add_marker(pytest.mark.skip(reason="no Chromium on this machine (apt-get install chromium)"))


@pytest.fixture(scope="session", autouse=True)
def _compiled_kernels():
    """Compile (or load from numba's cache) the training kernels once, here, before any test's server or
    training process needs them: on a fresh clone the first compile takes seconds."""
    import core.training.kernels  # noqa: F401
    yield


@pytest.fixture(autouse=True)
def _one_thread():
    torch.set_num_threads(1)
    yield


@pytest.fixture
def spiral():
    return load_dataset(DataSpec("spiral", n_samples=200, seed=1))


@pytest.fixture
def slots():
    return JobSlots(4)


APP = str(__import__("pathlib").Path(__file__).resolve().parent.parent / "app.py")


def open_page(page: str, params: dict[str, str] | None = None, timeout: float = 60):
    """A fresh AppTest of app.py switched to `page` (opened with the link `params`), with caches
    cleared; fails on an exception."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    st.cache_resource.clear()
    app = AppTest.from_file(APP, default_timeout=timeout)
    for k, v in (params or {}).items():
        app.query_params[k] = v
    app.run()
    app.switch_page(page).run()
    assert not app.exception, app.exception
    return app


@pytest.fixture(scope="session", autouse=True)
def _stop_jobs_at_the_end():
    """No training thread or child process may outlive the test session."""
    yield
    from core.training.slots import stop_all_jobs

    stop_all_jobs()


def unfold(at, key: str):
    """Open the fold (`ui.kit.fold`) with this key, as a click on its title does, and rerun."""
    at.session_state[key] = True
    return at.run()


def page_text(at) -> str:
    """Every markdown block of an AppTest page, joined."""
    return " ".join(m.value for m in at.markdown)


def chart_keys(at) -> set[str]:
    """The keys of the plotly charts an AppTest page drew."""
    return {c.key for c in at.get("plotly_chart")}


def train_job(at, key: str, epochs: int, timeout: float = 300):
    """Step the job of the lab state `at.session_state[key]` `epochs` epochs, wait for it, rerun the page
    (which must not raise); returns (the lab state, the job's view)."""
    side = at.session_state[key]
    side.slot.job.step(epochs)
    view = side.slot.job.wait(lambda v: v.epoch >= epochs and not v.active, timeout=timeout)
    at.run()
    assert not at.exception, at.exception
    return side, view


@pytest.fixture
def drawn_panels(monkeypatch) -> dict:
    """What the page sent to the browser-drawn live charts (ui/kit/panels.py), by key: {key: data}."""
    from ui.kit import panels

    sent: dict = {}
    monkeypatch.setattr(panels, "_component", lambda data, key: sent.__setitem__(key, data))
    return sent


@pytest.fixture(scope="session")
def server():
    """The real app on loopback, one for the whole run (`tests.browser.streamlit_server`): each test opens its
    own pages (its own sessions), and starting one server instead of one per module saves a start and the
    first render of every lab's models each time. A test that needs its own settings starts its own."""
    from tests.browser import streamlit_server

    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="session")
def _chromium():
    """One headless Chromium for the whole run."""
    from tests.browser import browser

    with browser() as b:
        yield b


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so a fixture's teardown can tell whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def chrome(_chromium, request):
    """The run's Chromium; every `new_page` is a fresh context (no shared cache or storage), and every page a test
    opened is closed after it, so its session ends and its training stops instead of slowing the next test. When
    the test failed, what each open page showed is printed first (its text: the status line says why a view
    did not draw), for the failure's report."""
    yield _chromium
    report = getattr(request.node, "report_call", None)
    for context in list(_chromium.contexts):
        if report is not None and report.failed:
            for page in context.pages:
                try:
                    print(f"--- {page.url} showed:\n{page.inner_text('body', timeout=5_000)[:3000]}")
                except Exception as e:  # noqa: BLE001 - a page that cannot be read says so, and the rest go on
                    print(f"--- {page.url} could not be read: {e}")
        context.close()
