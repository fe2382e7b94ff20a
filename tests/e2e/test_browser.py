"""End to end: the real server in headless Chromium; every page renders without an exception."""

import pytest

from tests.browser import until, wait_idle
from ui.kit.registry import HOME, LABS

pytestmark = pytest.mark.browser


def _url_path(lab) -> str:
    return "" if lab is HOME else lab.path.rsplit("/", 1)[-1].removesuffix(".py")


@pytest.mark.parametrize("lab", [HOME, *LABS], ids=lambda lab: lab.title)
def test_each_page_renders_in_a_real_browser(server, chrome, lab):
    page = chrome.new_page(viewport={"width": 1400, "height": 1000})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{server}/{_url_path(lab)}")
    wait_idle(page)
    heading = "Neural Network Explainer" if lab is HOME else lab.title
    page.get_by_role("heading", name=heading).first.wait_for(timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert errors == []
    page.close()


def test_home_links_navigate_to_each_lab(server, chrome):
    page = chrome.new_page()
    page.goto(server)
    wait_idle(page)
    for lab in LABS:
        page.get_by_role("link", name=lab.title).first.wait_for(timeout=30_000)
        assert page.get_by_role("link", name=lab.title).count() >= 1
    page.close()


def test_a_fresh_server_never_shows_an_auto_made_sidebar(chrome):
    """The first request runs in Streamlit's legacy pages/ mode: its lower-case page list must not flash."""
    import time

    from tests.browser import streamlit_server

    with streamlit_server() as url:
        page = chrome.new_page(viewport={"width": 1400, "height": 900})
        page.goto(url)
        seen = set()
        end = time.monotonic() + 8
        while time.monotonic() < end:
            seen |= {t.strip().split("\n")[-1] for t in page.locator('[data-testid="stSidebar"] a').all_inner_texts()}
            time.sleep(0.1)
        wait_idle(page)
        seen |= {t.strip().split("\n")[-1] for t in page.locator('[data-testid="stSidebar"] a').all_inner_texts()}
        assert not ({"app", "cnn lab", "explain lab", "cnn_lab"} & seen), seen
        assert {"Home", "Playground", "CNN lab", "Explain lab"} <= seen


def test_clicking_a_feature_map_opens_it(server, chrome):
    page = chrome.new_page(viewport={"width": 1400, "height": 1200})
    page.goto(f"{server}/cnn_lab")
    wait_idle(page)
    grid = page.locator(".st-key-cnn_fm_grid")
    grid.wait_for(timeout=60_000)
    grid.locator(".scatterlayer .point").first.wait_for(timeout=30_000)  # plotly has drawn the markers
    opened = page.get_by_text("channel 2").first

    def opens() -> bool:  # a click that lands while the page redraws is lost: click again
        grid.scroll_into_view_if_needed()
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 4 + 2 * 76 + 36, box["y"] + 4 + 36)  # the third map of the first row
        wait_idle(page, 60_000)
        opened.wait_for(timeout=5_000)
        return True
    until(opens, 120, "the clicked feature map to open")
    opened.wait_for(timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.close()


def test_an_unknown_page_says_so_on_home(server, chrome):
    page = chrome.new_page(viewport={"width": 1280, "height": 720})
    page.goto(f"{server}/nonexistent_page")
    wait_idle(page)
    page.get_by_text('There is no page "nonexistent_page"').first.wait_for(timeout=30_000)
    page.get_by_role("heading", name="Neural Network Explainer").first.wait_for(timeout=30_000)
    page.goto(server)  # Home itself: no such note
    wait_idle(page)
    page.get_by_role("heading", name="Neural Network Explainer").first.wait_for(timeout=30_000)
    assert page.get_by_text("There is no page").count() == 0
    page.close()
