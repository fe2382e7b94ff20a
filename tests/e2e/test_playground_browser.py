"""End to end in Chromium: set up the spiral through the Playground page and train it to 90%."""

import re

import pytest

from tests.browser import add_features, grow_layers, grows, number, press, select, stays, until, wait_idle

pytestmark = pytest.mark.browser


def _test_accuracy(page) -> float:
    metric = page.locator('[data-testid="stMetric"]').filter(has_text="Test accuracy")
    text = metric.locator('[data-testid="stMetricValue"]').inner_text()
    return float(re.sub(r"[^0-9.]", "", text)) / 100


def test_train_the_spiral_to_90_percent_through_the_ui(server, chrome):
    page = chrome.new_page(viewport={"width": 1400, "height": 1000})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{server}/playground")
    wait_idle(page)
    select(page, "Dataset", "Spiral")
    add_features(page, ("sin x1", "sin x2"))  # TF Playground's own way to make the spiral learnable
    grow_layers(page, (8, 8))
    select(page, "Optimizer", "Adam")
    page.wait_for_function("() => location.search.includes('optimizer=adam')")  # the URL follows the page
    assert "dataset=spiral" in page.url and "layers=8tanh%2C8tanh" in page.url
    press(page, ".st-key-pg_play button", ".st-key-pg_pause button")
    best = until(lambda: (a := _test_accuracy(page)) >= 0.9 and a, 180, "test accuracy 90%")
    press(page, ".st-key-pg_pause button", ".st-key-pg_play button")
    assert best >= 0.9, f"test accuracy reached only {best:.1%}"
    assert page.locator('[data-testid="stException"]').count() == 0 and errors == []
    epoch = stays(page, ".st-key-pg_epoch")  # paused: the epoch in flight when pausing is shown, then no more
    assert epoch > 0 and number(page, ".st-key-pg_epoch") == epoch
    # a live extra view is drawn once while training (its caption was reported drawn twice)
    page.get_by_text("Gradient norms", exact=True).first.click()
    wait_idle(page, 120_000)
    press(page, ".st-key-pg_play button", ".st-key-pg_pause button")
    counts = []
    for _ in range(3):  # while it trains: three redraws of the live view, one caption each time
        grows(page, ".st-key-pg_epoch")
        counts.append(page.get_by_text("Each line is one layer's gradient size").count())
    press(page, ".st-key-pg_pause button", ".st-key-pg_play button")
    assert counts == [1, 1, 1], counts


def test_a_lesson_link_opens_its_setup_in_a_fresh_browser(server, chrome):
    page = chrome.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/playground?lesson=vanishing_sigmoid&hide=optimizer")
    wait_idle(page)
    page.locator(".st-key-lesson_full").get_by_text("Lesson: Vanishing gradients with sigmoid").wait_for()
    page.locator(".st-key-pg_layer_5").first.wait_for(timeout=30_000)  # the link's layers, once applied
    assert page.locator(".st-key-pg_layer_5").count() == 1  # six hidden layers
    boxes = page.locator('[data-testid="stSelectbox"]')
    assert boxes.filter(has=page.get_by_text("Optimizer", exact=True)).count() == 0
    assert "lesson=vanishing_sigmoid" in page.url
