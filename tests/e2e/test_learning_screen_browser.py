"""In Chromium, the Learning lab's optimizers race on one screen (issue 19): at 1440x900 and 1280x720, and in
presenter mode, the play bar and the paths over the landscape lie on the first screen while it trains, with
the race's settings beside them (folded away when presenting)."""

import pytest

from tests.browser import SCREENS, on_screen, open_page, press, until, wait_idle, whole

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width, height, present", SCREENS)
def test_the_race_trains_live_on_the_first_screen(server, chrome, width, height, present):
    page, errors = open_page(chrome, f"{server}/learning_lab" + ("?present=1" if present else ""), width, height)
    wait_idle(page, 120_000)  # a loaded server renders a new page slowly
    press(page, ".st-key-lr_play button", ".st-key-lr_pause button")
    page.locator(".st-key-lr_paths .js-plotly-plot").first.wait_for(timeout=120_000)
    for sel in (".st-key-lr_pause button", ".st-key-lr_step button", ".st-key-lr_paths"):
        on_screen(page, sel, height)
    paths = whole(page, ".st-key-lr_paths", height)  # the race its lesson asks about, all of it
    if not present:  # the settings sit beside the paths, not above them
        rate = until(lambda: page.get_by_text("Learning rate", exact=True).first.bounding_box(), 60, "the settings")
        assert rate["y"] < height and rate["x"] + rate["width"] < paths["x"], (rate, paths)
    press(page, ".st-key-lr_pause button", ".st-key-lr_play button")
    assert page.locator('[data-testid="stException"]').count() == 0 and errors == []
    page.close()
