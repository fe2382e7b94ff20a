"""Take the README's screenshots from the real app: starts it, opens each page in Chromium.

    python scripts/screenshots.py            # writes assets/screenshots/<page>.png
    python scripts/screenshots.py cnn_lab    # only those pages
    python scripts/screenshots.py projector  # 1280x720, presenting a lesson: assets/screenshots/projector/

The Playground is shown after training the spiral for a few seconds, so the picture is a real run.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import add_features, browser, grow_layers, select, streamlit_server, wait_idle  # noqa: E402
from ui.kit.registry import HOME, LABS  # noqa: E402

OUT = ROOT / "assets" / "screenshots"


def _train_playground(page) -> None:
    select(page, "Dataset", "Spiral")
    add_features(page, ("sin x1", "sin x2"))
    grow_layers(page, (8, 8))
    select(page, "Optimizer", "Adam")
    page.locator(".st-key-pg_play button").first.click()
    page.wait_for_timeout(6000)
    page.locator(".st-key-pg_pause button").first.click()
    page.locator(".st-key-pg_play button").first.wait_for()
    page.mouse.move(5, 5)  # no tooltip in the picture
    page.wait_for_timeout(2500)


# Each lab presenting one of its lessons, as a teacher projects it: (page, lesson, play-bar prefix or None).
PROJECTED = [("playground", "lr_too_high", "pg"), ("learning_lab", "momentum_ravine", "lr"),
             ("generalization_lab", "memorizing_vs_learning", "gen"), ("sequence_lab", "why_rnn_forgets", "seq"),
             ("attention_lab", "attention_copies", "att"), ("generative_lab", "mode_collapse", "gan"),
             ("transfer_lab", "pretraining_less_data", "tlc"), ("cnn_lab", "cnn_layers", None),
             ("explain_lab", "trust_saliency", None)]


def projector(only: list[str]) -> None:
    """1280x720 in presenter mode with a lesson open: trained for 8 s (the lesson folds to a line meanwhile),
    or, where nothing trains, the lesson folded by hand."""
    out = OUT / "projector"
    out.mkdir(parents=True, exist_ok=True)
    with streamlit_server() as url, browser() as chrome:
        for slug, lesson, prefix in PROJECTED:
            if only and slug not in only:
                continue
            page = chrome.new_page(viewport={"width": 1280, "height": 720})
            page.goto(f"{url}/{slug}?lesson={lesson}&present=1")
            wait_idle(page, 120_000)
            page.wait_for_timeout(3000)
            if prefix:
                page.locator(f".st-key-{prefix}_play button").first.click(timeout=60_000)
                if prefix == "tlc":  # the sweep's chart appears with its first point
                    page.locator(".st-key-tl_data_curve").first.wait_for(timeout=120_000)
                page.wait_for_timeout(8000)
            else:
                page.locator(".st-key-lesson_fold button").first.click()
                wait_idle(page)
                page.wait_for_timeout(4000)
            page.mouse.move(5, 5)
            page.screenshot(path=str(out / f"{slug}.png"))
            print(f"wrote {out / f'{slug}.png'}")
            page.close()


def main() -> None:
    if sys.argv[1:2] == ["projector"]:
        projector(sys.argv[2:])
        return
    OUT.mkdir(parents=True, exist_ok=True)
    with streamlit_server() as url, browser() as chrome:
        for lab in (HOME, *LABS):
            slug = "home" if lab is HOME else lab.path.rsplit("/", 1)[-1].removesuffix(".py")
            if sys.argv[1:] and slug not in sys.argv[1:]:
                continue
            height = 900 if lab is HOME else 1750
            page = chrome.new_page(viewport={"width": 1400, "height": height})
            page.goto(f"{url}/{'' if lab is HOME else slug}")
            wait_idle(page)
            page.wait_for_timeout(1500)
            if slug == "playground":
                _train_playground(page)
            if slug == "cnn_lab":
                page.locator(".st-key-cnn_fm_grid").wait_for(timeout=60_000)
                page.get_by_role("tab", name="Edges to objects").click()
                wait_idle(page)
                page.get_by_text("Prediction:").first.wait_for(timeout=60_000)
                page.wait_for_timeout(2000)
            if slug == "learning_lab":
                page.goto(f"{url}/learning_lab?lesson=momentum_ravine")
                wait_idle(page)
                page.locator(".st-key-lr_play button").first.click()
                page.wait_for_timeout(5000)
                page.locator(".st-key-lr_pause button").first.click()
                wait_idle(page)
                page.mouse.move(5, 5)  # no tooltip in the picture
                page.wait_for_timeout(2500)
            if slug == "generalization_lab":  # the four default variants trained to the end (10 s)
                page.locator(".st-key-gen_play button").first.click()
                page.locator(".st-key-gen_pause button").first.wait_for()
                page.locator(".st-key-gen_play button").first.wait_for(timeout=60_000)
                wait_idle(page)
                page.mouse.move(5, 5)
                page.wait_for_timeout(2500)
            if slug == "sequence_lab":  # RNN, LSTM and GRU on the memory task for 8 s, then paused
                page.locator(".st-key-seq_play button").first.click()
                page.wait_for_timeout(8000)
                page.locator(".st-key-seq_pause button").first.click()
                page.locator(".st-key-seq_play button").first.wait_for()
                wait_idle(page)
                page.mouse.move(5, 5)
                page.wait_for_timeout(2500)
            if slug == "attention_lab":  # the reverse task for 8 s (it is learned by then), then paused
                page.locator(".st-key-att_play button").first.click()
                page.wait_for_timeout(8000)
                page.locator(".st-key-att_pause button").first.click()
                page.locator(".st-key-att_play button").first.wait_for()
                wait_idle(page)
                page.mouse.move(5, 5)
                page.wait_for_timeout(2500)
            if slug == "generative_lab":  # the digits autoencoder for 6 s, then paused, its code plane drawn
                page.locator(".st-key-ae_play button").first.click()
                page.wait_for_timeout(6000)
                if page.locator(".st-key-ae_pause button").count():
                    page.locator(".st-key-ae_pause button").first.click()
                page.locator(".st-key-ae_play button").first.wait_for()
                wait_idle(page)
                page.mouse.move(5, 5)
                page.wait_for_timeout(2500)
            if slug == "transfer_lab":  # the three ways on the starter set for 12 s, then paused
                page.locator(".st-key-tl_play button").first.click()
                page.wait_for_timeout(12000)
                if page.locator(".st-key-tl_pause button").count():
                    page.locator(".st-key-tl_pause button").first.click()
                page.locator(".st-key-tl_play button").first.wait_for()
                wait_idle(page)
                page.mouse.move(5, 5)
                page.wait_for_timeout(2500)
            if slug == "explain_lab":
                page.locator('[data-testid="stImage"] img').nth(7).wait_for(timeout=60_000)
                page.wait_for_timeout(2000)
            page.screenshot(path=str(OUT / f"{slug}.png"))
            print(f"wrote {OUT / f'{slug}.png'}")
            if slug == "cnn_lab":  # the training view too: TinyVGG on the generated objects for 15 s, paused
                page.goto(f"{url}/cnn_lab?tab=train")
                wait_idle(page)
                page.locator(".st-key-cnn_tr_play button").first.click(timeout=120_000)
                page.wait_for_timeout(15000)
                page.locator(".st-key-cnn_tr_pause button").first.click()
                page.locator(".st-key-cnn_tr_play button").first.wait_for(timeout=60_000)
                wait_idle(page)
                page.mouse.move(5, 5)
                page.wait_for_timeout(2500)
                page.screenshot(path=str(OUT / "cnn_lab_train.png"), clip={"x": 0, "y": 0, "width": 1400,
                                                                           "height": 900})
                print(f"wrote {OUT / 'cnn_lab_train.png'}")
            if slug == "learning_lab":  # the backprop step-through too, in the middle of the backward pass
                page.goto(f"{url}/learning_lab?lesson=backprop_by_hand")
                wait_idle(page)
                for _ in range(4):
                    page.locator(".st-key-bp_next button").first.click()
                    wait_idle(page)
                page.wait_for_timeout(2000)
                page.screenshot(path=str(OUT / "learning_lab_backprop.png"))
                print(f"wrote {OUT / 'learning_lab_backprop.png'}")
            page.close()


if __name__ == "__main__":
    main()
