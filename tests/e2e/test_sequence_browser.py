"""In Chromium, at 1440x900 and 1280x720 (presenter mode too): the Sequence lab's play bar, curves, gradient
through time and hidden states are on the first screen beside the controls, and pressing Play trains live."""

import pytest

from tests.browser import advances, drawn, each_screen, on_screen, open_page, press, wait_idle, whole

pytestmark = pytest.mark.browser


def test_the_live_view_is_on_the_first_screen_and_trains(server, chrome):
    page, errors = open_page(chrome, f"{server}/sequence_lab", 1440, 900)
    press(page, ".st-key-seq_play button", ".st-key-seq_pause button")
    for _, height, _ in each_screen(page):  # one run, seen at each screen size and presenting
        for key in ("seq_curves", "seq_grads", "seq_state_view"):  # drawn by the browser, text >= 12 px
            drawn(page, key, height)
        on_screen(page, ".st-key-seq_pause button", height)
        whole(page, ".st-key-seq_grads .lp canvas", height)  # the chart its lesson asks about, all of it
    advances(page, "seq_curves")  # live: the chart is redrawn at later epochs
    press(page, ".st-key-seq_pause button", ".st-key-seq_play button")
    wait_idle(page, 120_000)
    assert page.locator('[data-testid="stException"]').count() == 0 and errors == []
    page.close()
