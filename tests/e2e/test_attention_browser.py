"""In Chromium, at 1440x900 and 1280x720 in presenter mode: the Attention lab's play bar, curves and live
attention maps are on the first screen beside the controls, pressing Play trains live, and once paused the
maps are charts and one query's path opens in its tab."""

import pytest

from tests.browser import advances, drawn, each_screen, on_screen, one, open_page, press, wait_idle, whole

pytestmark = pytest.mark.browser


def test_attention_trains_live_on_the_first_screen_and_opens_up_when_paused(server, chrome):
    page, errors = open_page(chrome, f"{server}/attention_lab", 1440, 900)
    wait_idle(page, 120_000)  # a loaded server renders a new page slowly
    press(page, ".st-key-att_play button", ".st-key-att_pause button")
    for _, height, _ in each_screen(page):  # one run, seen at each screen size and presenting
        for key in ("att_curves", "att_maps"):  # drawn by the browser, text >= 12 px
            drawn(page, key, height)
        on_screen(page, ".st-key-att_pause button", height)
        whole(page, ".st-key-att_maps .lp", height)  # the chart its lesson asks about, all of it
    advances(page, "att_maps")  # live: the maps are redrawn at later epochs while the page is open
    press(page, ".st-key-att_pause button", ".st-key-att_play button")
    wait_idle(page, 120_000)
    page.locator(".st-key-att_maps .js-plotly-plot").first.wait_for(timeout=120_000)
    one(page.get_by_role("tab", name="One query, step by step")).click()
    page.get_by_text("softmax: attention weight").first.wait_for(timeout=120_000)
    assert page.locator('[data-testid="stException"]').count() == 0 and errors == []
    page.close()
