"""In Chromium, at 1440x900 and 1280x720 (presenter mode too): the Generalization lab's play bar, curves and
decision boundaries are on the first screen beside the controls, and pressing Play trains the variants live."""

import pytest

from tests.browser import advances, drawn, each_screen, on_screen, open_page, press, wait_idle, whole

pytestmark = pytest.mark.browser


def test_the_live_view_is_on_the_first_screen_and_trains(server, chrome):
    page, errors = open_page(chrome, f"{server}/generalization_lab", 1440, 900)
    press(page, ".st-key-gen_play button", ".st-key-gen_pause button")
    for _, height, _ in each_screen(page):  # one run, seen at each screen size and presenting
        for key in ("gen_curves", "gen_maps"):  # drawn by the browser, text >= 12 px
            drawn(page, key, height)
        on_screen(page, ".st-key-gen_pause button", height)
        whole(page, ".st-key-gen_curves .lp canvas", height)  # the test loss its lesson asks about, all of it
    advances(page, "gen_maps")  # live: the boundaries are redrawn at later epochs
    press(page, ".st-key-gen_pause button", ".st-key-gen_play button")
    wait_idle(page, 120_000)
    assert page.locator('[data-testid="stException"]').count() == 0 and errors == []
    page.close()
