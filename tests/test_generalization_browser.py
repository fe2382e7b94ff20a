"""In Chromium, at 1440x900 and 1280x720 (presenter mode too): the Generalization lab's play bar, curves and
decision boundaries are on the first screen beside the controls, and pressing Play trains the variants live."""

import os
import re

import pytest

from tests.browser import browser, chromium_path, on_screen, open_page, streamlit_server, wait_idle

pytestmark = pytest.mark.browser

if chromium_path() is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI needs Chromium for the browser tests: .ci/run installs Debian's chromium")
    pytest.skip("no Chromium on this machine (apt-get install chromium)", allow_module_level=True)


@pytest.mark.parametrize("width, height, present", [(1440, 900, False), (1280, 720, False), (1280, 720, True)])
def test_the_live_view_is_on_the_first_screen_and_trains(width, height, present):
    with streamlit_server() as url, browser() as chrome:
        page, errors = open_page(chrome, f"{url}/generalization_lab" + ("?present=1" if present else ""),
                                 width, height)
        page.locator(".st-key-gen_play button").first.click()
        page.locator(".st-key-gen_pause button").first.wait_for(timeout=30_000)
        page.locator(".st-key-gen_maps img").first.wait_for(timeout=30_000)
        page.wait_for_timeout(2500)
        for sel in (".st-key-gen_pause button", ".st-key-gen_curves img", ".st-key-gen_maps img"):
            on_screen(page, sel, height)
        first = int(re.sub(r"[^0-9]", "", page.locator(".st-key-gen_epoch").first.inner_text()))
        page.wait_for_timeout(1500)
        assert int(re.sub(r"[^0-9]", "", page.locator(".st-key-gen_epoch").first.inner_text())) > first  # live
        page.locator(".st-key-gen_pause button").first.click()
        page.locator(".st-key-gen_play button").first.wait_for()
        wait_idle(page)
        assert page.locator('[data-testid="stException"]').count() == 0 and errors == []
