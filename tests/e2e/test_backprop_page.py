"""In Chromium, the Learning lab's backprop lesson: Next walks one backward pass phase by phase, the
chain rule shows real numbers, and taking a step starts the next one."""

import re

import pytest

from core.learning.backprop import phases
from tests.browser import open_page as open_browser_page
from tests.browser import wait_idle


@pytest.mark.browser
def test_a_browser_steps_through_one_backward_pass(server, chrome):
    page, errors = open_browser_page(chrome, f"{server}/learning_lab?lesson=backprop_by_hand")
    expected = ["Forward, layer 2", "The loss compares", "Backward, layer 2", "Backward, layer 1", "Update:"]
    assert len(expected) == len(phases(2)) - 1
    for text in expected:  # each Next shows the next phase's sentence
        page.locator(".st-key-bp_next button").first.click()
        page.get_by_text(re.compile("^" + re.escape(text))).first.wait_for(timeout=30_000)
    wait_idle(page)
    chain = page.locator('[data-testid="stCode"]').first.inner_text()
    assert "finite difference" in chain and "update: w ←" in chain
    page.locator(".st-key-bp_take button").first.click()
    wait_idle(page)
    page.get_by_text(re.compile(r"^Forward, layer 1")).first.wait_for(timeout=30_000)  # the next step starts
    assert page.locator('[data-testid="stException"]').count() == 0 and errors == []
