"""In Chromium: the Generative lab's autoencoder trains live on the first screen (1280x720, presenter mode
too), and once paused a click on the code plane (a plotly selection event) is decoded below; the 2D GAN
trains live and its plane becomes a chart when paused."""

import pytest

from tests.browser import advances, drawn, on_screen, one, open_page, press, until, wait_idle, whole

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("present", [False, True])
def test_the_autoencoder_trains_live_and_a_click_on_its_plane_is_decoded(server, chrome, present):
    page, errors = open_page(chrome, f"{server}/generative_lab" + ("?present=1" if present else ""), 1280, 720)
    wait_idle(page, 120_000)  # a loaded server renders a new page slowly
    press(page, ".st-key-ae_play button", ".st-key-ae_pause button")
    for key in ("ae_curves", "ae_codes"):  # drawn by the browser, text >= 12 px
        drawn(page, key, 720)
    on_screen(page, ".st-key-ae_pause button", 720)
    whole(page, ".st-key-ae_codes .lp canvas", 720)
    advances(page, "ae_codes")
    press(page, ".st-key-ae_pause button", ".st-key-ae_play button")
    wait_idle(page, 120_000)
    page.locator(".st-key-ae_codes .js-plotly-plot .nsewdrag").first.wait_for(timeout=120_000)
    clicks = [0]

    def decoded() -> bool:  # a click that lands while the page redraws can be lost (streamlit#14710)
        plot = page.locator(".st-key-ae_codes .js-plotly-plot .nsewdrag").first
        plot.scroll_into_view_if_needed()  # in presenter mode the chart's lower part starts below the fold
        box = plot.bounding_box()
        page.mouse.click(box["x"] + box["width"] * (0.3 + 0.1 * (clicks[0] % 4)), box["y"] + box["height"] * 0.4)
        clicks[0] += 1
        wait_idle(page, 60_000)
        one(page.get_by_role("tab", name="Decode a spot")).click()
        page.get_by_text("Decoded at").first.wait_for(timeout=10_000)
        return True
    until(decoded, 120, "the clicked spot to be decoded")
    assert page.locator('[data-testid="stException"]').count() == 0 and errors == []


def test_the_gan_trains_live_and_its_plane_is_a_chart_when_paused(server, chrome):
    page, errors = open_page(chrome, f"{server}/generative_lab?view=gan&compare=lsgan", 1440, 900)
    wait_idle(page, 120_000)  # a loaded server renders a new page slowly
    press(page, ".st-key-gan_play button", ".st-key-gan_pause button")
    drawn(page, "gan_plane", 900)
    drawn(page, "gan_curves", 900)
    whole(page, ".st-key-gan_plane .lp canvas", 900)  # the plane its lesson asks about, all of it
    advances(page, "gan_plane")  # live
    press(page, ".st-key-gan_pause button", ".st-key-gan_play button")
    wait_idle(page, 120_000)
    page.locator(".st-key-gan_plane .js-plotly-plot").first.wait_for(timeout=120_000)
    page.get_by_text("The loss variants, side by side").first.wait_for(timeout=120_000)
    assert page.locator('[data-testid="stException"]').count() == 0 and errors == []
