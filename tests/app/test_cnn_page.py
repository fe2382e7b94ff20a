"""AppTest: the CNN lab's flows: models, inputs, every tab, operations, feature visualization, bad uploads."""

import io

import numpy as np
import pytest
from PIL import Image

from tests.conftest import open_page


@pytest.fixture
def at():
    return open_page("pages/cnn_lab.py")


def _radio(at, key):
    return next(r for r in at.radio if r.key == key)


def test_sample_input_shows_prediction_and_every_tab(at):
    assert at.button_group(key="cnn_view").value == "inside"  # a first visit looks inside a trained CNN
    assert any(c.value.startswith("True class") for c in at.caption)
    assert len(at.tabs) == 5 and not any(b.key == "cnn_tr_play" for b in at.button)
    charts = at.get("plotly_chart")
    assert len(charts) >= 2  # prediction bars and the selected channel at least
    for scale in ("per layer", "global"):
        _radio(at, "cnn_fm_scale").set_value(scale).run()
        assert not at.exception
    for op in ("ReLU", "Max-pool", "Softmax", "Convolution"):
        _radio(at, "cnn_op").set_value(op).run()
        assert not at.exception, (op, at.exception)


def test_conv_position_slider_steps_the_kernel(at):
    slider = next(s for s in at.slider if s.key.startswith("cnn_op_pos_"))
    slider.set_value(5).run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "At row 0, column 5" in text and "the layer computed" in text


def test_photo_and_upload_inputs(at):
    _radio(at, "cnn_source").set_value("Photo").run()
    assert any("Preprocessing: resize" in c.value for c in at.caption)
    _radio(at, "cnn_source").set_value("Your image").run()
    buf = io.BytesIO()
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (40, 30, 4), dtype=np.uint8), "RGBA").save(buf, "PNG")
    at.file_uploader[0].set_value(("mine.png", buf.getvalue(), "image/png")).run()
    assert not at.exception and not at.error
    assert any("Preprocessing: resize 30x40" in c.value for c in at.caption)


def test_a_bad_upload_is_explained(at):
    _radio(at, "cnn_source").set_value("Your image").run()
    at.file_uploader[0].set_value(("not.png", b"<html>surprise</html>", "image/png")).run()
    assert any("not an image" in e.value for e in at.error) and not at.exception


def test_feature_visualization_runs_with_progress_and_caches(at):
    next(s for s in at.select_slider if s.key == "cnn_fv_steps").set_value(64).run()
    next(b for b in at.button if b.key == "cnn_fv_go").click().run()
    assert not at.exception, at.exception
    cache = at.session_state["cnn_fv_cache"]
    assert len(cache) == 1
    (img, hist, idx, scores), = cache.values()
    assert len(hist) == 64 and len(idx) == 6


def test_stopping_feature_visualization_says_so_keeps_no_half_picture_and_paints_again(at, monkeypatch):
    """Stop's click: its callback runs, then Streamlit ends the painting run at its next progress report and
    reruns the page. The fake ascent below does exactly that after one report."""
    import streamlit as st
    from streamlit.runtime.scriptrunner_utils.exceptions import RerunException
    from streamlit.runtime.scriptrunner_utils.script_requests import RerunData

    from ui.cnn import views

    real, asked = views.maximize, []
    monkeypatch.setattr(views, "_request", lambda key: (asked.append(key), st.session_state.update(
        cnn_fv_pending=key, cnn_fv_stopped=None)))

    def stopped_after_one_report(*args, progress, **kw):
        progress(16, 0.5)
        st.session_state["cnn_fv_stopped"] = asked[-1]  # the Stop button's callback
        raise RerunException(RerunData())

    monkeypatch.setattr(views, "maximize", stopped_after_one_report)
    next(s for s in at.select_slider if s.key == "cnn_fv_steps").set_value(64).run()
    next(b for b in at.button if b.key == "cnn_fv_go").click().run()
    # the rerun that Stop's click asks for (AppTest forgets the interrupted run's widgets: set them again)
    at.run()
    next(s for s in at.select_slider if s.key == "cnn_fv_steps").set_value(64).run()
    assert not at.exception, at.exception
    assert any("Stopped before the picture was finished" in i.value for i in at.info)
    assert at.session_state["cnn_fv_cache"] == {}  # no half-painted picture is kept
    monkeypatch.setattr(views, "maximize", real)
    next(b for b in at.button if b.key == "cnn_fv_go").click().run()
    assert not at.exception and len(at.session_state["cnn_fv_cache"]) == 1
    assert not any("Stopped before" in i.value for i in at.info)


def _zip_of_two_classes(names: tuple[str, str] = ("red", "blue")) -> bytes:
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for cls, color in zip(names, ((220, 20, 20), (20, 20, 220))):
            for i in range(6):
                img = io.BytesIO()
                Image.new("RGB", (24, 24), tuple(min(255, c + 3 * i) for c in color)).save(img, "PNG")
                zf.writestr(f"{cls}/{i}.png", img.getvalue())
    return buf.getvalue()


def _train_view(at):
    at.button_group(key="cnn_view").set_value("train").run()
    assert not at.exception and not at.tabs  # the training view alone: its live part on the first screen
    return at


def test_a_link_opens_the_training_view():
    at = open_page("pages/cnn_lab.py", {"tab": "train"})
    assert at.button_group(key="cnn_view").value == "train" and any(b.key == "cnn_tr_play" for b in at.button)
    assert "Press Train" in " ".join(c.value for c in at.caption)


def test_train_your_own_cnn_and_explore_it(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = _train_view(open_page("pages/cnn_lab.py"))
    _radio(at, "cnn_tr_data").set_value("Digits 8x8").run()
    assert not at.exception, at.exception
    ts = at.session_state["cnn_train"]
    assert ts.dataset.name == "digits" and ts.spec.input_shape == (1, 8, 8) and ts.job is None
    next(b for b in at.button if b.key == "cnn_tr_play").click().run()
    assert ts.job is not None
    ts.job.pause()
    ts.job.reset()
    ts.job.step(2)
    ts.job.wait(lambda v: v.epoch == 2 and not v.active, timeout=60)
    at.run()
    next(b for b in at.button if b.key == "cnn_tr_use").click().run()
    assert not at.exception, at.exception
    assert at.session_state["cnn_model"] == "yours" and at.button_group(key="cnn_view").value == "inside"
    box = next(s for s in at.selectbox if s.key == "cnn_model")
    assert box.value == "yours" and any("Your CNN" in o for o in box.options)
    assert not at.exception and at.get("plotly_chart")  # the other tabs now show the trained model
    at.switch_page("pages/explain_lab.py").run()  # and the Explain lab explains it, epoch by epoch
    at.selectbox(key="xp_model").set_value("yours").run()
    assert not at.exception and not at.warning
    assert sum(1 for m in at.markdown if m.value.startswith("**Grad-CAM**")) == 1
    slider = next(s for s in at.select_slider if s.key.startswith("xp_tr_i_"))
    assert len(slider.options) >= 2 and slider.options[0] == "epoch 0"
    ts.job.stop()


def test_a_zip_of_folders_trains_and_a_bad_zip_is_explained(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = _train_view(open_page("pages/cnn_lab.py"))
    _radio(at, "cnn_tr_data").set_value("Your zip of images").run()
    uploader = next(u for u in at.file_uploader if u.key == "cnn_tr_zip")
    uploader.set_value(("single.zip", b"not a zip at all", "application/zip")).run()
    assert any("not a zip" in e.value for e in at.error) and not at.exception
    uploader = next(u for u in at.file_uploader if u.key == "cnn_tr_zip")
    uploader.set_value(("mine.zip", _zip_of_two_classes(), "application/zip")).run()
    assert not at.exception, at.exception
    ts = at.session_state["cnn_train"]
    assert ts.dataset.class_names == ("blue", "red") and ts.spec.input_shape == (3, 32, 32)
    uploader = next(u for u in at.file_uploader if u.key == "cnn_tr_zip")
    hostile = _zip_of_two_classes(("[x](https://example.com)", "blue"))
    uploader.set_value(("links.zip", hostile, "application/zip")).run()
    shown = [e.value for e in at.error if "markdown or HTML" in e.value]
    assert shown and "](https://example.com)" not in shown[0]  # escaped: no link is drawn
    assert at.session_state["cnn_train"].dataset.class_names == ("blue", "red")  # the loaded set stays


def test_resnet_offline_says_why_and_keeps_the_page(monkeypatch, tmp_path):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    at = open_page("pages/cnn_lab.py")
    at.selectbox(key="cnn_model").set_value("resnet18").run()
    assert not at.exception
    assert any("offline" in w.value for w in at.warning)
    at.selectbox(key="cnn_model").set_value("tinyvgg").run()
    assert not at.exception and not at.warning


def test_resnet_with_cached_weights_opens_every_view(monkeypatch, tmp_path):
    import torch

    from core.zoo import resnet

    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    torch.manual_seed(0)
    resnet.cached_path().parent.mkdir(parents=True)
    torch.save(resnet.resnet18().state_dict(), resnet.cached_path())  # the hub helper reuses a cached file
    at = open_page("pages/cnn_lab.py")
    at.selectbox(key="cnn_model").set_value("resnet18").run()
    assert not at.exception and not at.warning
    assert any("11,689,512 parameters" in c.value for c in at.caption)
    assert _radio(at, "cnn_source").options == ["Photo", "Your image"]
    assert any("ImageNet's mean" in c.value for c in at.caption)
    for op in ("Max-pool", "Softmax", "ReLU"):
        _radio(at, "cnn_op").set_value(op).run()
        assert not at.exception, (op, at.exception)
    assert any("1,000 classes" in c.value for c in at.caption)


def test_the_feature_map_choices_survive_an_input_that_is_not_there_yet():
    import io

    from PIL import Image

    at = open_page("pages/cnn_lab.py")
    layers = at.selectbox(key="cnn_fm_layer").options
    scales = at.radio(key="cnn_fm_scale").options
    at.selectbox(key="cnn_fm_layer").set_value(layers[1]).run()
    at.radio(key="cnn_fm_scale").set_value(scales[1]).run()
    _radio(at, "cnn_source").set_value("Your image").run()  # no file yet: the tab says what is missing
    assert not at.exception and not any(s.key == "cnn_fm_layer" for s in at.selectbox)
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buf, "PNG")
    at.file_uploader(key="cnn_upload").set_value(("red.png", buf.getvalue(), "image/png")).run()
    assert not at.exception
    assert at.selectbox(key="cnn_fm_layer").value == layers[1] and at.radio(key="cnn_fm_scale").value == scales[1]
    big = next(c for c in at.get("plotly_chart") if c.key == "cnn_fm_large")
    assert layers[1] in big.proto.spec  # what is drawn is what the boxes say


def test_max_pool_opens_on_its_strongest_window_and_the_convolution_shows_window_times_kernel():
    import base64
    import json

    def z(key):
        spec = json.loads(next(c for c in at.get("plotly_chart") if c.key == key).proto.spec)
        v = spec["data"][0]["z"]
        if isinstance(v, dict):  # plotly's typed-array encoding
            arr = np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"])
            shape = v.get("shape")
            return arr.reshape([int(n) for n in str(shape).split(",")]) if shape else arr
        return np.array(v, float)

    at = open_page("pages/cnn_lab.py")
    _radio(at, "cnn_op").set_value("Convolution").run()
    keys = {c.key for c in at.get("plotly_chart")}
    assert {"cnn_op_win", "cnn_op_ker", "cnn_op_prod"} <= keys
    win, ker, prod = (z(k).astype(float) for k in ("cnn_op_win", "cnn_op_ker", "cnn_op_prod"))
    np.testing.assert_allclose(prod, win * ker, rtol=1e-4, atol=1e-6)  # the products are the window x the kernel
    _radio(at, "cnn_op").set_value("Max-pool").run()
    assert not at.exception
    window = z("cnn_p2").astype(float)
    assert np.nanmax(window) > 0  # not an all-zero corner


def test_the_convolution_plays_itself_position_by_position():
    at = open_page("pages/cnn_lab.py")
    _radio(at, "cnn_op").set_value("Convolution").run()
    slider = next(s for s in at.slider if s.key.startswith("cnn_op_pos_"))
    assert slider.value == 0
    at.toggle(key="cnn_op_play").set_value(True).run()
    first = next(s for s in at.slider if s.key.startswith("cnn_op_pos_")).value
    at.run()  # each timer tick moves the kernel on (AppTest runs the tick as a rerun)
    second = next(s for s in at.slider if s.key.startswith("cnn_op_pos_")).value
    assert 0 < first < second and not at.exception
    at.toggle(key="cnn_op_play").set_value(False).run()
    assert next(s for s in at.slider if s.key.startswith("cnn_op_pos_")).value == second  # paused where it was


def test_a_sure_prediction_on_your_own_image_gets_a_word_on_overconfidence():
    import torch
    from PIL import Image

    from core.data.photos import decode_image, preprocess

    at = open_page("pages/cnn_lab.py")
    _radio(at, "cnn_source").set_value("Your image").run()
    from core.data.photos import photo

    tops = []
    images = (("red.png", Image.new("RGB", (64, 64), (220, 30, 30))), ("cat.png", Image.fromarray(photo("chelsea"))))
    for name, img in images:
        buf = io.BytesIO()
        img.save(buf, "PNG")
        at.file_uploader(key="cnn_upload").set_value((name, buf.getvalue(), "image/png")).run()
        sm = at.session_state["cnn_model_tinyvgg"]
        x = preprocess(decode_image(buf.getvalue(), "x.png"), sm.input_shape[1], sm.input_shape[0]).tensor
        with torch.no_grad():
            top = float(sm.model(x[None]).softmax(-1).max())  # the reference: the model itself
        said = any("sure, but of what" in c.value for c in at.caption)
        assert said == (top >= 0.9), (name, top)
        tops.append(top)
    assert min(tops) < 0.9 <= max(tops)  # both branches seen (a cat is a very sure "star" for TinyVGG)
    at.session_state["present"] = True  # on the projector the warning stays, in one line
    at.run()
    assert any("sure, but it knows only" in c.value for c in at.caption) == (tops[-1] >= 0.9)
