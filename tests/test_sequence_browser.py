"""In Chromium, at 1440x900 and 1280x720 (presenter mode too): the Sequence lab's play bar, curves, gradient
through time and hidden states are on the first screen beside the controls, and pressing Play trains live."""

import os

import pytest

from tests.browser import browser, chromium_path, grows, on_screen, open_page, press, streamlit_server, wait_idle

pytestmark = pytest.mark.browser

if chromium_path() is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI needs Chromium for the browser tests: .ci/run installs Debian's chromium")
    pytest.skip("no Chromium on this machine (apt-get install chromium)", allow_module_level=True)


@pytest.mark.parametrize("width, height, present", [(1440, 900, False), (1280, 720, False), (1280, 720, True)])
def test_the_live_view_is_on_the_first_screen_and_trains(width, height, present):
    with streamlit_server() as url, browser() as chrome:
        page, errors = open_page(chrome, f"{url}/sequence_lab" + ("?present=1" if present else ""),
                                 width, height)
        press(page, ".st-key-seq_play button", ".st-key-seq_pause button")
        page.locator(".st-key-seq_state_view img").first.wait_for(timeout=120_000)
        for sel in (".st-key-seq_pause button", ".st-key-seq_curves img", ".st-key-seq_grads img",
                    ".st-key-seq_state_view img"):
            on_screen(page, sel, height)
        grows(page, ".st-key-seq_epoch")  # live
        press(page, ".st-key-seq_pause button", ".st-key-seq_play button")
        wait_idle(page, 120_000)
        assert page.locator('[data-testid="stException"]').count() == 0 and errors == []
