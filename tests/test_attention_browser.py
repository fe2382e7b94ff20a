"""In Chromium, at 1440x900 and 1280x720 in presenter mode: the Attention lab's play bar, curves and live
attention maps are on the first screen beside the controls, pressing Play trains live, and once paused the
maps are charts and one query's path opens in its tab."""

import os
import re

import pytest

from tests.browser import browser, chromium_path, on_screen, open_page, streamlit_server, wait_idle

pytestmark = pytest.mark.browser

if chromium_path() is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI needs Chromium for the browser tests: .ci/run installs Debian's chromium")
    pytest.skip("no Chromium on this machine (apt-get install chromium)", allow_module_level=True)


def _epoch(page) -> int:
    return int(re.sub(r"[^0-9]", "", page.locator(".st-key-att_epoch").first.inner_text()) or 0)


@pytest.mark.parametrize("width, height, present", [(1440, 900, False), (1280, 720, False), (1280, 720, True)])
def test_attention_trains_live_on_the_first_screen_and_opens_up_when_paused(width, height, present):
    with streamlit_server() as url, browser() as chrome:
        page, errors = open_page(chrome, f"{url}/attention_lab" + ("?present=1" if present else ""), width, height)
        wait_idle(page, 120_000)  # a loaded server renders a new page slowly
        page.locator(".st-key-att_play button").first.click(timeout=120_000)
        page.locator(".st-key-att_pause button").first.wait_for(timeout=30_000)
        page.locator(".st-key-att_maps img").first.wait_for(timeout=30_000)
        page.wait_for_timeout(2000)
        for sel in (".st-key-att_pause button", ".st-key-att_curves img", ".st-key-att_maps img"):
            on_screen(page, sel, height)
        first = _epoch(page)
        page.wait_for_timeout(2000)
        assert _epoch(page) > first  # live
        page.locator(".st-key-att_pause button").first.click()
        page.locator(".st-key-att_play button").first.wait_for()
        wait_idle(page, 60_000)
        page.locator(".st-key-att_maps .js-plotly-plot").first.wait_for(timeout=30_000)
        tab = page.get_by_role("tab", name="One query, step by step")
        for _ in range(60):  # a rerun's stale copy of the tabs can linger a moment: wait for the one live copy
            if tab.count() == 1:
                break
            page.wait_for_timeout(500)
        tab.first.click()
        page.get_by_text("softmax: attention weight").first.wait_for(timeout=30_000)
        assert page.locator('[data-testid="stException"]').count() == 0 and errors == []
