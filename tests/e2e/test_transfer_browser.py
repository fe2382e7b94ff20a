"""In Chromium at 1280x720 (and 1440x900, presenter mode): the Transfer lab's three ways train live on the first
screen, and once paused an uploaded image (through the page's real file input) is classified by each way."""

import re

import numpy as np
import pytest
from PIL import Image

from tests.browser import drawn, each_screen, on_screen, one, open_page, press, wait_idle, whole

pytestmark = pytest.mark.browser


def test_the_three_ways_train_live_and_an_uploaded_image_is_classified(server, chrome, tmp_path):
    img = tmp_path / "shape.png"
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (80, 80, 3), dtype=np.uint8)).save(img)
    page, errors = open_page(chrome, f"{server}/transfer_lab?per_class=2", 1280, 720)
    wait_idle(page, 120_000)
    press(page, ".st-key-tl_play button", ".st-key-tl_pause button")
    drawn(page, "tl_curves", 720)  # drawn by the browser, text >= 12 px
    whole(page, ".st-key-tl_curves .lp canvas", 720)
    on_screen(page, ".st-key-tl_pause button", 720)
    press(page, ".st-key-tl_pause button", ".st-key-tl_play button")
    wait_idle(page, 120_000)
    one(page.get_by_role("tab", name="Try an image")).click()
    page.locator('.st-key-tl_try_up input[type="file"]').set_input_files(str(img))
    page.get_by_text("What each way says about this image").first.wait_for(timeout=60_000)
    assert re.search("held-out images", page.inner_text("body"))
    assert page.locator('[data-testid="stException"]').count() == 0 and errors == []


def test_the_three_ways_train_on_the_first_screen_at_other_sizes(server, chrome):
    page, errors = open_page(chrome, f"{server}/transfer_lab?per_class=2", 1440, 900)
    wait_idle(page, 120_000)
    press(page, ".st-key-tl_play button", ".st-key-tl_pause button")
    for _, height, _ in each_screen(page, ((1440, 900, False), (1280, 720, True))):  # one run at both
        drawn(page, "tl_curves", height)
        whole(page, ".st-key-tl_curves .lp canvas", height)
        for sel in (".st-key-tl_pause button", ".st-key-tl_step button"):
            on_screen(page, sel, height)
    press(page, ".st-key-tl_pause button", ".st-key-tl_play button")
    assert page.locator('[data-testid="stException"]').count() == 0 and errors == []
