"""The CNN lab's core against references: torch's own conv/pool outputs, autograd, hostile images."""

import io
import zlib

import numpy as np
import pytest
import torch
from PIL import Image
from torch import nn

from core.cnn.features import feature_maps, filters, scaled, strongest_channels
from core.cnn.featureviz import maximize, top_images
from core.cnn.ops import conv_step, pool_step, relu_view, softmax_view
from core.data.photos import MAX_PIXELS, decode_image, photo, preprocess
from core.models import build_model
from core.presets import lenet, tiny_vgg
from core.zoo.shipped import load_shipped, load_weights


@pytest.fixture(scope="module")
def small_cnn():
    return build_model(tiny_vgg(3, 32, 4, filters=4), seed=1).eval()


def test_conv_step_equals_the_layer_output_everywhere(small_cnn):
    x = torch.rand(3, 32, 32, generator=torch.Generator().manual_seed(0))
    fm = feature_maps(small_cnn, x)
    conv = small_cnn.conv_1
    for oc, r, c in [(0, 0, 0), (3, 29, 29), (2, 13, 7)]:
        step = conv_step(x.numpy(), conv, oc, r, c)
        assert step.value == pytest.approx(float(fm.layers["conv_1"][oc, r, c]), abs=1e-5)
        assert step.window.shape == (3, 3, 3) and np.allclose(step.products, step.window * step.kernel)
    with pytest.raises(ValueError, match="outside"):
        conv_step(x.numpy(), conv, 0, 30, 0)


def test_conv_step_handles_padding_and_stride():
    conv = nn.Conv2d(2, 3, 3, stride=2, padding=1)
    x = torch.randn(2, 7, 7)
    out = conv(x[None])[0].detach().numpy()
    for r in range(out.shape[1]):
        for c in range(out.shape[2]):
            assert conv_step(x.numpy(), conv, 1, r, c).value == pytest.approx(float(out[1, r, c]), abs=1e-5)


def test_pool_relu_and_softmax_views_match_torch():
    x = torch.randn(2, 6, 6)
    pooled = nn.MaxPool2d(2)(x[None])[0]
    step = pool_step(x.numpy(), nn.MaxPool2d(2), 1, 2, 1)
    assert step.value == pytest.approx(float(pooled[1, 2, 1]))
    after, zeroed = relu_view(np.array([-1.0, 0.5, -2.0, 3.0]))
    assert after.tolist() == [0.0, 0.5, 0.0, 3.0] and zeroed == 0.5
    logits = np.array([2.0, -1.0, 0.5])
    np.testing.assert_allclose(softmax_view(logits)["probabilities"], torch.softmax(torch.tensor(logits), 0).numpy())


def test_colour_scales(small_cnn):
    fm = feature_maps(small_cnn, torch.rand(3, 32, 32))
    per_map, _ = scaled(fm, "relu_1", "per map")
    assert np.allclose(np.abs(per_map).reshape(len(per_map), -1).max(1)[np.abs(per_map).reshape(len(per_map), -1)
                                                                         .max(1) > 0], 1.0)
    per_layer, peak = scaled(fm, "relu_1", "per layer")
    assert np.abs(per_layer).max() == pytest.approx(1.0) and peak == pytest.approx(np.abs(fm.layers["relu_1"]).max())
    glob, gpeak = scaled(fm, "relu_1", "global")
    assert gpeak >= peak and np.abs(glob).max() <= 1.0 + 1e-6
    assert len(strongest_channels(fm)) == len(fm.layers)
    assert fm.probs.sum() == pytest.approx(1.0, abs=1e-5)
    assert filters(small_cnn, "conv_1").shape == (4, 3, 3, 3)


def test_activation_maximization_raises_the_channel(small_cnn):
    calls = []
    img, hist = maximize(small_cnn, "conv_2", 1, (3, 32, 32), steps=64, progress=lambda s, a: calls.append(s))
    assert img.shape == (3, 32, 32) and 0 <= img.min() and img.max() <= 1
    assert max(hist[-10:]) > hist[0] and calls[-1] == 64
    stopped = []
    _, short = maximize(small_cnn, "conv_2", 1, (3, 32, 32), steps=64,
                        progress=lambda s, a: stopped.append(s) or False)
    assert len(short) == 16  # cancelled at the first report


def test_top_images_rank_by_the_channels_mean_activation(small_cnn):
    images = torch.rand(20, 3, 32, 32, generator=torch.Generator().manual_seed(3))
    idx, scores = top_images(small_cnn, images, "relu_1", 0, k=5)
    means = [float(small_cnn.relu_1(small_cnn.conv_1(images[i:i + 1]))[0, 0].mean()) for i in range(20)]
    assert list(idx) == list(np.argsort(-np.array(means))[:5])
    assert np.all(np.diff(scores) <= 1e-6)


def _png(mode: str, size=(20, 12), value=128) -> bytes:
    buf = io.BytesIO()
    Image.new(mode, size, value).save(buf, format="PNG" if mode != "CMYK" else "JPEG")
    return buf.getvalue()


@pytest.mark.parametrize("mode, value", [("L", 100), ("LA", (100, 255)), ("RGBA", (10, 20, 30, 0)), ("P", 3),
                                         ("I;16", 40000), ("1", 1), ("RGB", (1, 2, 3))])
def test_image_modes_are_converted_to_rgb(mode, value):
    rgb = decode_image(_png(mode, value=value), f"{mode}.png")
    assert rgb.dtype == np.uint8 and rgb.shape == (12, 20, 3)
    if mode == "RGBA":
        assert tuple(rgb[0, 0]) == (255, 255, 255)  # fully transparent over white


def _noise_png() -> bytes:
    buf = io.BytesIO()
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (64, 64, 3), dtype=np.uint8)).save(buf, format="PNG")
    return buf.getvalue()


def _bomb_png(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims huge dimensions (a decompression bomb)."""
    import struct

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(
        b"IEND", b"")


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"this is not an image", "not an image"),
    (_noise_png()[:400], "damaged or truncated"),
    (_bomb_png(30000, 30000), "million pixels"),
    (_png("RGB", size=(1, 1)), "at least"),
    (b"x" * (16 * 1024 * 1024), "MB"),
])
def test_hostile_images_are_refused_readably(data, message):
    with pytest.raises(ValueError, match=message):
        decode_image(data, "upload")
    assert MAX_PIXELS < 30000 * 30000


def test_preprocess_resizes_crops_and_converts():
    p = preprocess(photo("coffee"), 64, 3)
    assert p.tensor.shape == (3, 64, 64) and 0 <= float(p.tensor.min()) and float(p.tensor.max()) <= 1
    assert any("crop" in s for s in p.steps)
    g = preprocess(photo("chelsea"), 8, 1)
    assert g.tensor.shape == (1, 8, 8) and any("grayscale" in s for s in g.steps)


def test_shipped_lenet_loads_and_knows_digits():
    sm = load_shipped("lenet")
    assert sm.class_names == tuple(str(d) for d in range(10)) and sm.card["test_accuracy"] > 0.9
    from core.data import DataSpec, load_dataset

    ds = load_dataset(DataSpec("digits", train_fraction=0.8, seed=0))
    acc = float((sm.model(ds.x_test).argmax(1) == ds.y_test).float().mean())
    assert acc == pytest.approx(sm.card["test_accuracy"], abs=0.01)


def test_weights_of_the_wrong_shape_are_refused(tmp_path):
    from safetensors.torch import save_file

    model = build_model(lenet(), seed=0)
    bad = {k: v.clone() for k, v in model.state_dict().items()}
    bad["conv_1.weight"] = torch.zeros(4, 1, 3, 3)
    save_file(bad, str(tmp_path / "w.safetensors"))
    with pytest.raises(ValueError, match="shape"):
        load_weights(model, tmp_path / "w.safetensors")
    (tmp_path / "p.safetensors").write_bytes(b"\x80\x04\x95 a pickle, not safetensors")
    with pytest.raises(ValueError, match="not a valid safetensors"):
        load_weights(model, tmp_path / "p.safetensors")
