"""In Chromium, the Playground on one screen as TF Playground is (issue 19): at 1440x900 and 1280x720, and
in presenter mode, Play/Pause/Step/Reset, the network drawing and the output map are on the first screen on
first open, and once it trains the loss curve is too, with the data and training controls beside them."""

import pytest

from tests.browser import each_screen, on_screen, open_page, press, wait_idle, whole

pytestmark = pytest.mark.browser


CANVAS = ".st-key-pg_live_view canvas"


def test_the_live_playground_is_on_the_first_screen(server, chrome):
    page, errors = open_page(chrome, f"{server}/playground", 1440, 900)
    wait_idle(page, 120_000)
    page.locator(".st-key-pg_play button").first.wait_for(timeout=120_000)
    page.locator(CANVAS).nth(1).wait_for(timeout=120_000)
    network, output = page.locator(CANVAS).nth(0), page.locator(CANVAS).nth(1)
    for _, height, present in each_screen(page):  # on first open, at each screen size and presenting
        for sel in (".st-key-pg_play button", ".st-key-pg_step button", ".st-key-pg_reset button"):
            on_screen(page, sel, height)
        for canvas in (network, output):
            box = canvas.bounding_box()
            assert box is not None and box["y"] + min(box["height"], 120) <= height and box["width"] > 200, box
        if not present:  # the controls sit beside the live view, not above it
            dataset = page.get_by_text("Dataset", exact=True).first.bounding_box()
            assert dataset["y"] < height and dataset["x"] < network.bounding_box()["x"]
    press(page, ".st-key-pg_play button", ".st-key-pg_pause button")
    page.locator(CANVAS).nth(2).wait_for(timeout=120_000)  # the curves are drawn in the browser while it trains
    for _, height, _ in each_screen(page):  # one run, seen at each screen size and presenting
        whole(page, f"{CANVAS} >> nth=2", height)  # the curves its lessons ask about, all of them
    press(page, ".st-key-pg_pause button", ".st-key-pg_play button")
    assert page.locator('[data-testid="stException"]').count() == 0 and errors == []
    page.close()


# Element kinds whose browser code a first screen need not wait for: the plotting library, the code
# block, the file uploader, the table, the download button (measured: benchmarks/first_visit.py).
HEAVY = ("PlotlyChart", "StreamlitSyntaxHighlighter", "FileUploader", "DataFrame", "DownloadButton")


def test_a_first_visit_fetches_no_heavy_element_code_until_a_fold_is_opened(server, chrome):
    page, errors = open_page(chrome, f"{server}/playground", 1280, 720)
    page.locator(".st-key-pg_play button").first.wait_for(timeout=120_000)
    page.locator(CANVAS).nth(1).wait_for(timeout=120_000)
    wait_idle(page, 120_000)
    page.wait_for_timeout(500)  # scripts asked for by the last elements drawn

    def fetched() -> set[str]:
        names = page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name.split('/').pop())")
        return {kind for kind in HEAVY if any(n.startswith(kind + ".") for n in names)}

    assert fetched() == set()
    assert page.locator('[data-testid="stSkeleton"]').count() == 0  # every element of the first screen drawn
    page.get_by_text("Share this setup").click()  # opening the fold makes its contents, the copyable link
    page.locator('[data-testid="stCode"]').first.wait_for(timeout=60_000)
    assert "StreamlitSyntaxHighlighter" in fetched() and errors == []
