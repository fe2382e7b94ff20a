"""The Playground's live view in Chromium: it draws, redraws while training, shows a neuron large on
hover, selects it on click, edits a weight while paused, and its + and - buttons change the network."""

import json
import time

import pytest

from tests.browser import open_page, until, wait_idle


@pytest.mark.browser
def test_the_browser_draws_the_live_view_hovers_selects_and_edits(server, chrome):
    page, errors = open_page(chrome, f"{server}/playground")
    live, net = page.locator(".pgl"), page.locator(".pgl-net canvas")
    live.wait_for()
    page.locator(".st-key-pg_play button").first.click()
    page.locator(".st-key-pg_pause button").first.wait_for()
    page.wait_for_function("() => true")
    first = int(live.get_attribute("data-redraws"))
    until(lambda: int(live.get_attribute("data-redraws")) >= first + 3, 60, "three redraws")  # while it trains
    live.scroll_into_view_if_needed()
    box, g = net.bounding_box(), json.loads(net.get_attribute("data-geom"))
    page.mouse.move(box["x"] + g["xs"][1], box["y"] + g["ys"][1][0])  # layer 1, neuron 1
    tip = page.locator(".pgl-tip")
    tip.wait_for(state="visible")
    assert "layer 1, neuron 1" in tip.inner_text() and "over the plane" in tip.inner_text()
    neuron_view = page.get_by_text("What layer 1, neuron 1 outputs").first
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:  # a click sent while the view reruns can be dropped (streamlit#14710):
        # click again, but only after a slow server's rerun had time to finish (a click during it is lost again)
        box, g = net.bounding_box(), json.loads(net.get_attribute("data-geom"))
        page.mouse.click(box["x"] + g["xs"][1], box["y"] + g["ys"][1][0])  # selects it: the Neuron view opens
        try:
            neuron_view.wait_for(timeout=15_000)
            break
        except Exception:
            wait_idle(page, 60_000)
    neuron_view.wait_for(timeout=30_000)
    page.locator(".st-key-pg_pause button").first.click()
    page.locator(".st-key-pg_play button").first.wait_for()
    wait_idle(page)
    box, g = net.bounding_box(), json.loads(net.get_attribute("data-geom"))
    x0, y0 = g["xs"][2] + g["node"] / 2, g["ys"][2][1]  # the weight from layer 2, neuron 2 to the output
    x1, y1 = g["xs"][3] - g["node"] / 2, g["ys"][3][0]
    page.mouse.click(box["x"] + (x0 + x1) / 2, box["y"] + (y0 + y1) / 2)
    pop = page.locator(".pgl-pop")
    pop.wait_for(state="visible")
    assert "weight from layer 2, neuron 2 to output, neuron 1" in pop.inner_text()
    page.locator(".pgl-input").fill("-3.25")
    page.locator(".pgl-input").press("Enter")
    page.wait_for_function("() => true")
    page.mouse.click(box["x"] + (x0 + x1) / 2, box["y"] + (y0 + y1) / 2)
    page.wait_for_timeout(300)
    for _ in range(40):  # the edited value comes back from the job
        page.mouse.click(box["x"] + (x0 + x1) / 2, box["y"] + (y0 + y1) / 2)
        if page.locator(".pgl-weight").inner_text() == "-3.2500":
            break
        page.wait_for_timeout(250)
    assert page.locator(".pgl-weight").inner_text() == "-3.2500"
    assert page.locator('[data-testid="stException"]').count() == 0 and errors == []


@pytest.mark.browser
def test_the_drawings_plus_and_minus_buttons_change_the_network(server, chrome):
    """TF Playground's layer controls on the drawing: a neuron more in layer 1, a layer more, a layer fewer;
    the drawing and the layer builder both follow."""
    page, errors = open_page(chrome, f"{server}/playground")
    net = page.locator(".pgl-net canvas")  # in the component's shadow root: locators reach it, queries not

    def shape() -> list[int]:
        geom = net.get_attribute("data-geom") if net.count() else None
        return [len(ys) for ys in json.loads(geom)["ys"]] if geom else []

    def press(selector: str, want: list[int]) -> None:
        for _ in range(10):  # a click sent while the view reruns can be dropped (streamlit#14710): again
            page.locator(selector).first.click()
            for _ in range(20):
                if shape() == want:
                    return
                page.wait_for_timeout(250)
        assert shape() == want

    for _ in range(240):  # a cold server's first Playground run
        if shape():
            break
        page.wait_for_timeout(500)
    assert shape() == [2, 4, 2, 1]  # the default network: two inputs, 4 and 2 tanh neurons, one output
    assert page.locator(".pgl-lcount").inner_text() == "2 hidden"
    press('.pgl-ngroup[data-layer="0"] .pgl-lb >> nth=1', [2, 5, 2, 1])
    page.get_by_text("5 neurons").first.wait_for(timeout=30_000)  # the layer builder says so too
    press(".pgl-lgroup .pgl-lb >> nth=1", [2, 5, 2, 2, 1])  # a new layer as wide as the last
    press(".pgl-lgroup .pgl-lb >> nth=0", [2, 5, 2, 1])
    assert page.locator('.pgl-ngroup[data-layer="1"] .pgl-lb').nth(0).is_enabled()
    assert page.locator('[data-testid="stException"]').count() == 0 and errors == []
