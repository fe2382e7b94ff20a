"""The Generative lab through AppTest: the autoencoder trains through the kit and the page says what is
seen, a clicked spot of the code plane is decoded by the trained decoder, the walk and PCA views draw, the
anomaly view measures the held-out class, the 2D GAN trains with variants beside it and step D / step G,
the image GAN draws samples, lessons open their presets and bad input keeps the run."""

import numpy as np
import torch

from core.generative.autoencoder import Plane
from core.viz.panels import from_b64
from tests.conftest import chart_keys, open_page, page_text, train_job


def test_the_autoencoder_trains_and_a_clicked_spot_is_decoded(monkeypatch, drawn_panels):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = open_page("pages/generative_lab.py", {})
    assert at.session_state["gn_view"] == "ae" and "Press Play" in page_text(at)
    side, view = train_job(at, "ae_train_state", 3)
    assert "After 3 epochs" in page_text(at) and {"ae_code_chart", "ae_pca_chart"} <= chart_keys(at)
    loss = drawn_panels["ae_live_loss"]["panels"][0]  # still, the loss is drawn by the browser too
    assert from_b64(loss["x"], np.float32, (loss["n"],))[-1] == 3
    assert [s["name"] for s in loss["series"]] == ["training loss", "test loss"]
    # a click on the plane (what the chart's selection event stores) is decoded by the job's decoder
    at.session_state["ae_decode_at"] = (0.5, -0.25)
    at.run()
    caption = next(c.value for c in at.caption if c.value.startswith("Decoded at"))
    plane = view.snapshot.plane
    code = Plane(plane["mean"], plane["axes"]).from_plane(np.array([0.5, -0.25]))
    assert "code 0.50, -0.25" in caption and np.allclose(code, [0.5, -0.25])
    model = side.slot.job.model_copy()
    with torch.no_grad():
        assert model.decode(torch.tensor(code[None], dtype=torch.float32)).shape == (1, 1, 8, 8)
    job = side.slot.job
    at.select_slider(key="ae_learning_rate").set_value(0.01).run()
    assert side.slot.job is job and job.poll().live["learning_rate"] == 0.01
    at.slider(key="ae_bottleneck").set_value(3).run()
    assert not at.exception and side.slot.job is not job and len(side.slot.runs) == 1
    side.slot.job.stop()


def test_anomaly_detection_measures_the_class_left_out(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = open_page("pages/generative_lab.py", {"lesson": "ae_spots_the_unseen"})
    assert at.session_state["gn_view"] == "anomaly" and at.session_state["ae_left_out"] == 1
    assert any("An autoencoder spots what it never saw" in m.value for m in at.markdown)
    side, view = train_job(at, "ae_train_state", 4)
    assert side.spec.normal == (0, 2, 3, 4, 5, 6, 7, 8, 9) and "auc" in view.history
    assert {"ae_hist", "ae_roc"} <= chart_keys(at) and "ROC area" in page_text(at) and "precision" in page_text(at)
    side.slot.job.stop()


def test_the_gan_trains_with_variants_beside_it_and_trains_one_network_on_demand(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = open_page("pages/generative_lab.py", {"lesson": "mode_collapse"})
    assert at.session_state["gan_loss"] == "minimax" and at.session_state["gan_compare"] == ["nonsaturating", "wgan_gp"]
    side, view = train_job(at, "gan_train_state", 2)
    assert {"gan_plane_chart", "gan_curve_chart", "gan_variants_chart"} <= chart_keys(at)
    assert "Modes covered" in page_text(at) and "wgan_gp_modes" in view.history
    at.button_group(key="gan_train").set_value(1).run()  # D only
    job = side.slot.job
    assert job.poll().live["train"] == 1.0
    g_before = {k: v.copy() for k, v in job.poll().snapshot.weights.items() if ".g." in k}
    job.step(1)
    after = job.wait(lambda v: v.epoch >= 3 and not v.active, timeout=60).snapshot.weights
    assert all(np.array_equal(after[k], v) for k, v in g_before.items())
    job.stop()


def test_own_points_make_a_target_and_no_points_is_a_clear_message(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = open_page("pages/generative_lab.py", {"view": "gan"})
    side = at.session_state["gan_train_state"]
    job = side.slot.job
    at.selectbox(key="gan_target").set_value("custom").run()
    assert any("click from 1 to 60 points" in e.value for e in at.error) and side.slot.job is job  # nothing lost
    at.session_state["gan_points"] = [(1.0, 1.0), (-1.0, -1.0)]
    at.run()
    assert not at.error and side.slot.job is not job and side.spec.points == ((1.0, 1.0), (-1.0, -1.0))
    side.slot.job.stop()


def test_the_image_gan_draws_samples_over_time(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = open_page("pages/generative_lab.py", {"view": "images"})
    side, view = train_job(at, "gan_train_state_img", 3)
    assert view.snapshot.plane["_main"]["samples"].shape == (16, 1, 8, 8)
    assert any("The same noise over training" in c.value for c in at.caption)
    side.slot.job.stop()


def test_a_vae_decodes_codes_drawn_from_its_prior(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = open_page("pages/generative_lab.py", {"vae": "1", "data": "digits"})
    side, _ = train_job(at, "ae_train_state", 2)
    assert side.spec.vae and any("Codes drawn from the standard normal" in c.value for c in at.caption)
    at.button(key="ae_prior_go").click().run()
    assert not at.exception and at.session_state["ae_prior_seed"] == 1
    side.slot.job.stop()
