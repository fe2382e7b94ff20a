"""In Chromium, what a teacher projects (issue 31): presenter mode at 1280x720 with a lesson open. The top
(a one-line title, the lesson box) stays short, the lesson folds to one line while the lab trains, and the
chart each lesson asks about has its whole plot area on the first screen, not only its title. Where nothing
trains (CNN, Explain) the teacher folds the lesson by hand and the lesson's pictures start on screen."""

import json

import pytest

from tests.browser import each_screen, on_screen, open_page, press, until, wait_idle, whole

pytestmark = pytest.mark.browser


WIDTH, HEIGHT = 1280, 720
# (page, lesson, play-bar prefix, the chart the lesson's question is about)
LIVE = [
    ("playground", "lr_too_high", "pg", ".st-key-pg_live_view canvas >> nth=2"),  # the loss and accuracy curves
    ("learning_lab", "momentum_ravine", "lr", ".st-key-lr_paths"),  # the optimizers' paths over the ravine
    ("generalization_lab", "memorizing_vs_learning", "gen", ".st-key-gen_curves .lp canvas"),  # test loss per variant
    ("sequence_lab", "why_rnn_forgets", "seq", ".st-key-seq_grads .lp canvas"),  # the gradient through time
    ("attention_lab", "attention_copies", "att", ".st-key-att_maps .lp"),  # the attention map
    ("generative_lab", "mode_collapse", "gan", ".st-key-gan_plane .lp canvas"),  # the generated points over the ring
    ("transfer_lab", "pretraining_less_data", "tlc", ".st-key-tl_data_curve"),  # accuracy per images per class
]


def wholly_on_screen(page, selector: str) -> dict | None:
    box = page.locator(selector).first.bounding_box()
    return box if box and box["height"] > 100 and 0 <= box["y"] and box["y"] + box["height"] <= HEIGHT else None


@pytest.mark.parametrize("slug, lesson, prefix, chart", LIVE, ids=[c[0] for c in LIVE])
def test_a_lesson_shows_its_chart_while_it_trains(server, chrome, slug, lesson, prefix, chart):
    """Not presenting, then presenting (the teacher's toggle, mid-run): one run seen both ways."""
    page, errors = open_page(chrome, f"{server}/{slug}?lesson={lesson}", WIDTH, HEIGHT)
    wait_idle(page, 120_000)
    full = page.locator(".st-key-lesson_full")
    until(lambda: full.first.is_visible() and not page.locator(".st-key-lesson_line").first.is_visible(), 60,
          "the whole lesson, not its one-line form (once the page's styles have arrived)")
    press(page, f".st-key-{prefix}_play button", f".st-key-{prefix}_pause button")

    def folded_or_done() -> str:  # a short run (the 500-step race) can end before a look: then it unfolds
        if not full.first.is_visible() and page.locator(".st-key-lesson_line").first.is_visible():
            return "folded"
        return "done" if page.locator(f".st-key-{prefix}_play button").count() else ""
    if until(folded_or_done, 60, "the lesson folds to one line while it trains") == "folded":
        line = page.locator(".st-key-lesson_line").first.bounding_box()
        assert line["height"] < 80, line
    page.locator(chart).first.wait_for(timeout=120_000)
    for _, _, present in each_screen(page, ((WIDTH, HEIGHT, False), (WIDTH, HEIGHT, True))):
        if present:  # projecting: no sidebar, the title in one row (once the page's styles have arrived)
            until(lambda: short_title(page), 60, "a one-row title")
        try:
            until(lambda: wholly_on_screen(page, chart), 60, chart)
        except AssertionError:
            raise AssertionError((chart, page.locator(chart).first.bounding_box())) from None
    if slug == "playground":  # neurons big enough to read from a desk (TF Playground's: ~30 px)
        geom = json.loads(page.locator(".st-key-pg_live_view canvas").first.get_attribute("data-geom"))
        assert geom["node"] >= 20, geom["node"]  # 12 px before the drawing sized its nodes by the fullest column
    if page.locator(f".st-key-{prefix}_pause button").count():
        press(page, f".st-key-{prefix}_pause button", f".st-key-{prefix}_play button")
    else:  # the run finished: the lesson stays folded over its result until the student opens it
        assert page.locator(".st-key-lesson_line").first.is_visible()
        page.locator(".st-key-lesson_unfold button").first.click()
    until(lambda: full.first.is_visible(), 60, "the lesson unfolds when paused")
    assert page.locator('[data-testid="stException"]').count() == 0 and errors == []
    page.close()


def short_title(page) -> bool:
    """The title takes one short row."""
    box = page.locator(".st-key-lab_header").first.bounding_box()
    return bool(box) and box["y"] + box["height"] < 90 and box["x"] < 60


# Where nothing trains, the teacher folds the lesson by hand; then the lesson's pictures start on screen.
BY_HAND = [("cnn_lab", "cnn_layers", "Which layer first looks different"),  # each layer's strongest channel
           ("explain_lab", "trust_saliency", "Which maps hardly change")]  # the attribution maps


@pytest.mark.parametrize("slug, lesson, question", BY_HAND, ids=[c[0] for c in BY_HAND])
def test_a_teacher_folds_a_lesson_by_hand_where_nothing_trains(server, chrome, slug, lesson, question):
    page, errors = open_page(chrome, f"{server}/{slug}?lesson={lesson}&present=1", WIDTH, HEIGHT)
    wait_idle(page, 120_000)
    before = until(lambda: page.locator(".st-key-lesson").first.bounding_box(), 60, "the lesson")
    page.locator(".st-key-lesson_fold button").first.click()
    until(lambda: page.locator(".st-key-lesson_line").first.is_visible(), 60, "the folded lesson")
    until(lambda: page.locator(".st-key-lesson_full").count() == 0, 60, "the whole lesson gone (a rerun's stale copy)")
    assert question in page.locator(".st-key-lesson_line").first.inner_text()
    after = page.locator(".st-key-lesson").first.bounding_box()
    assert after["height"] < before["height"] / 2, (before, after)
    pictures = "[role=tabpanel] [data-testid=stImage] img >> visible=true"
    page.locator(pictures).first.wait_for(timeout=120_000)
    on_screen(page, pictures, HEIGHT, 60)  # the first picture's top 120 px, once the layout settles
    page.locator(".st-key-lesson_unfold button").first.click()
    until(lambda: page.locator(".st-key-lesson_full").count() == 1, 60, "the lesson unfolded again")
    assert page.locator('[data-testid="stException"]').count() == 0 and errors == []
    page.close()


@pytest.mark.parametrize("present", [True, False], ids=["presenting", "not presenting"])
def test_the_explain_maps_start_on_the_first_screen_without_a_lesson(server, chrome, present):
    """The maps sit beside the controls: at 1280x720 a whole attribution map is on the first screen (they used to
    start below three columns of pickers and settings)."""
    page, errors = open_page(chrome, f"{server}/explain_lab" + ("?present=1" if present else ""), WIDTH, HEIGHT)
    wait_idle(page, 120_000)
    maps = "[role=tabpanel] [data-testid=stImage] img >> visible=true"
    page.locator(maps).first.wait_for(timeout=180_000)
    box = whole(page, maps, HEIGHT)
    model = page.get_by_text("Model", exact=True)
    if not present:  # the pickers are beside the maps, not above them
        assert model.first.bounding_box()["x"] + 100 < box["x"]
    assert page.locator('[data-testid="stException"]').count() == 0 and errors == []
    page.close()
