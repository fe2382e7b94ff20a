"""The Generalization lab through AppTest: each view trains live through the kit and says what is seen,
the lessons open their presets, a link's hide flag hides its controls, a new setting keeps the last run
to compare, and the preview shows real augmented images with what was drawn."""

import numpy as np

from tests.conftest import open_page


def _text(at) -> str:
    return " ".join(m.value for m in at.markdown)


def _captions(at) -> str:
    return " ".join(c for i in at.get("image") for c in i.captions)


def test_the_variants_train_side_by_side_and_the_page_says_what_is_seen(monkeypatch, drawn_panels):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = open_page("pages/generalization_lab.py")
    assert at.session_state["gen_view"] == "variants" and "Press Play" in _text(at)
    assert any("drawn here as they train" in i.value for i in at.info)  # not a blank area before Play
    side = at.session_state["gen_variants_state"]
    side.slot.job.step(120)
    view = side.slot.job.wait(lambda v: v.epoch >= 120 and not v.active, timeout=90)
    at.run()
    assert not at.exception
    text = _text(at)
    assert "After 120 epochs the baseline's training loss" in text and "Lowest test loss now" in text
    h = view.history
    assert h["baseline_train_loss"][-1] < h["baseline_test_loss"][-1]  # the gap the page talks about
    assert {c.key for c in at.get("plotly_chart")} >= {"gen_loss", "gen_gap_chart"}
    table = at.dataframe[0].value
    assert list(table["variant"]) == ["Baseline", "+ Dropout", "+ L2", "+ Early stopping"]
    assert np.isclose(table["test loss"][0], h["baseline_test_loss"][-1])
    maps = drawn_panels["gen_maps_live"]  # each variant's decision boundary, drawn by the browser
    assert [p["title"] for p in maps["panels"]] == ["Baseline", "+ Dropout", "+ L2", "+ Early stopping"]
    assert maps["stamp"] == 120 and not at.get("image")  # no server-made picture to be replaced unfetched
    at.slider(key="gen_noise").set_value(0.2).run()  # a new setting: a new job, the last run kept to compare
    assert not at.exception and len(side.slot.runs) == 1 and side.spec.noise == 0.2
    side.slot.job.stop()


def test_a_sweep_runs_point_by_point_in_the_background(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = open_page("pages/generalization_lab.py", {"view": "sweeps", "sweep": "size"})
    assert at.session_state["gen_sweep"] == "size" and "learning curves" in _text(at)
    sweep = at.session_state["gen_sweep_state"]
    sweep.slot.job.step(2)
    sweep.slot.job.wait(lambda v: v.epoch >= 2 and not v.active, timeout=90)
    at.run()
    assert not at.exception and any(c.key == "gen_sweep_chart" for c in at.get("plotly_chart"))
    assert "So far 2 of 7 points" in _text(at)
    sweep.slot.job.stop()


def test_augmentations_are_previewed_and_compared_on_few_images(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = open_page("pages/generalization_lab.py", {"view": "augment", "aug": "flip,cutout", "per_class": "5"})
    assert at.button_group(key="gen_aug").value == ["flip", "cutout"]
    captions = _captions(at)
    assert "flip:" in captions and "cutout: square at" in captions and "original:" in captions
    aug = at.session_state["gen_aug_state"]
    aug.slot.job.step(3)
    aug.slot.job.wait(lambda v: v.epoch >= 3 and not v.active, timeout=90)
    at.run()
    assert not at.exception and "After 3 epochs: without augmentation" in _text(at)
    assert aug.slot.job.poll().history["plain_train_acc"].shape[0] >= 2
    at.button(key="gen_aug_redraw").click().run()
    assert _captions(at) != captions  # new random draws
    aug.slot.job.stop()


def test_the_lessons_open_their_presets(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = open_page("pages/generalization_lab.py", {"lesson": "more_data_or_regularization"})
    assert at.session_state["gen_data"] == "circle" and at.session_state["gen_label_noise"] == 0.1
    assert at.button_group(key="gen_variants").value == ["baseline", "l2", "augment", "more_data"]
    assert any("More data or more regularization?" in m.value for m in at.markdown)
    at.session_state["gen_variants_state"].slot.job.stop()


def test_a_link_can_hide_the_variants_and_bad_values_get_a_notice(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = open_page("pages/generalization_lab.py", {"hide": "variants", "variants": "baseline,dropout",
                                                   "noise": "lots"})
    assert not [b for b in at.button_group if b.key == "gen_variants"]
    assert at.session_state["gen_variants_state"].spec.variants == ("baseline", "dropout")
    assert at.session_state["gen_noise"] == 0.4  # the bad value was dropped for the default
    assert any("noise" in str(w.value).lower() for w in [*at.warning, *at.info, *at.caption, *at.markdown])
    at.session_state["gen_variants_state"].slot.job.stop()


def test_a_finished_run_offers_again_not_a_resume_that_does_nothing(monkeypatch):
    from ui.generalization import variants

    monkeypatch.setenv("NN_JOBS", "thread")
    monkeypatch.setattr(variants, "EPOCHS", 3)
    at = open_page("pages/generalization_lab.py")
    side = at.session_state["gen_variants_state"]
    next(b for b in at.button if b.key == "gen_play").click().run()
    side.slot.job.wait(lambda v: v.epoch >= 3 and not v.active, timeout=90)
    at.run()
    play = next(b for b in at.button if b.key == "gen_play")
    assert play.label == "Again" and next(b for b in at.button if b.key == "gen_step").disabled
    status = " ".join(c.value for c in at.caption)
    assert "Finished: trained 3 epochs ·" in status and ". ·" not in status
    play.click().run()  # archived, back to epoch 0, and training again
    assert len(side.slot.runs) == 1
    view = side.slot.job.wait(lambda v: v.epoch >= 3 and not v.active, timeout=90)
    assert view.epoch == 3 and not at.exception
    side.slot.job.stop()


def test_a_finished_runs_lesson_stays_folded_over_its_result_until_opened_by_hand(monkeypatch):
    from ui.generalization import variants
    from ui.kit.header import FOLD_STYLE

    def folded(at) -> bool:
        return any(FOLD_STYLE in (e.proto.body or "") for e in at.get("html"))

    monkeypatch.setenv("NN_JOBS", "thread")
    monkeypatch.setattr(variants, "EPOCHS", 3)
    at = open_page("pages/generalization_lab.py", {"lesson": "memorizing_vs_learning"})
    assert not folded(at)  # before Play the lesson is open
    side = at.session_state["gen_variants_state"]
    next(b for b in at.button if b.key == "gen_play").click().run()
    side.slot.job.wait(lambda v: v.epoch >= 3 and not v.active, timeout=90)
    at.run()
    assert folded(at)  # finished: the curves keep the screen (the Learning race's were pushed below the fold)
    next(b for b in at.button if b.key == "lesson_unfold").click().run()
    assert not folded(at) and not at.exception
    side.slot.job.stop()
