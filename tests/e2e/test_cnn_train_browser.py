"""In Chromium, the CNN lab's "Train your own CNN" view on one screen (issue 19): at 1440x900 and 1280x720,
and in presenter mode, the play bar, the loss curve and the first layer's filters lie on the first screen
while it trains, beside the data and layer controls (folded away when presenting)."""

import pytest

from tests.browser import SCREENS, advances, drawn, on_screen, open_page, press, wait_idle

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width, height, present", SCREENS)
def test_the_cnn_trains_live_on_the_first_screen(server, chrome, width, height, present):
    page, errors = open_page(chrome, f"{server}/cnn_lab?tab=train" + ("&present=1" if present else ""),
                             width, height)
    wait_idle(page, 120_000)  # a loaded server renders a new page slowly
    press(page, ".st-key-cnn_tr_play button", ".st-key-cnn_tr_pause button")
    drawn(page, "cnn_tr_filters", height)  # drawn by the browser, text >= 12 px
    drawn(page, "cnn_tr_curves", height)
    for sel in (".st-key-cnn_tr_pause button", ".st-key-cnn_tr_step button", ".st-key-cnn_tr_reset button"):
        on_screen(page, sel, height)
    advances(page, "cnn_tr_curves")
    live = page.locator(".st-key-cnn_tr_curves .lp canvas").first.bounding_box()
    if present:  # the controls fold away: the live view is what the room sees
        assert page.get_by_text("Start from", exact=True).count() == 0 or not page.get_by_text(
            "Start from", exact=True).first.is_visible()
    else:  # the controls sit beside the live view, not above it
        data = page.get_by_text("Start from", exact=True).first.bounding_box()
        assert data["y"] < height and data["x"] + data["width"] < live["x"], (data, live)
    press(page, ".st-key-cnn_tr_pause button", ".st-key-cnn_tr_play button")
    assert page.locator('[data-testid="stException"]').count() == 0 and errors == []
    page.close()
