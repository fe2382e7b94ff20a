"""In Chromium, the CNN lab's "Train your own CNN" view on one screen (issue 19): at 1440x900 and 1280x720,
and in presenter mode, the play bar, the loss curve and the first layer's filters lie on the first screen
while it trains, beside the data and layer controls (folded away when presenting)."""

import pytest

from tests.browser import advances, drawn, each_screen, on_screen, open_page, press, until, wait_idle

pytestmark = pytest.mark.browser


def test_the_cnn_trains_live_on_the_first_screen(server, chrome):
    page, errors = open_page(chrome, f"{server}/cnn_lab?tab=train", 1440, 900)
    wait_idle(page, 120_000)  # a loaded server renders a new page slowly
    press(page, ".st-key-cnn_tr_play button", ".st-key-cnn_tr_pause button")
    start = page.get_by_text("Start from", exact=True)
    for _, height, present in each_screen(page):  # one run, seen at each screen size and presenting
        drawn(page, "cnn_tr_filters", height)  # drawn by the browser, text >= 12 px
        drawn(page, "cnn_tr_curves", height)
        for sel in (".st-key-cnn_tr_pause button", ".st-key-cnn_tr_step button", ".st-key-cnn_tr_reset button"):
            on_screen(page, sel, height)
        live = page.locator(".st-key-cnn_tr_curves .lp canvas").first.bounding_box()
        if present:  # the controls fold away: the live view is what the room sees
            until(lambda: start.count() == 0 or not start.first.is_visible(), 60, "the controls folded away")
        else:  # the controls sit beside the live view, not above it
            data = start.first.bounding_box()
            assert data["y"] < height and data["x"] + data["width"] < live["x"], (data, live)
    advances(page, "cnn_tr_curves")
    press(page, ".st-key-cnn_tr_pause button", ".st-key-cnn_tr_play button")
    assert page.locator('[data-testid="stException"]').count() == 0 and errors == []
    page.close()
