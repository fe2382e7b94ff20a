"""The explain facade against references: IG's completeness, saliency of a linear model, Grad-CAM's shape."""

import numpy as np
import pytest
import torch
from torch import nn

from core.explain import CAPTUM_METHODS, explain, make_baseline
from core.models import build_model
from core.presets import lenet, playground_mlp


@pytest.fixture(scope="module")
def cnn():
    return build_model(lenet(1, 8, 10), seed=0).eval()


def test_integrated_gradients_is_complete(cnn):
    x = torch.rand(1, 1, 8, 8, generator=torch.Generator().manual_seed(0))
    e = explain(cnn, x, "integrated_gradients", target=3, baseline="black", steps=100)
    with torch.no_grad():
        gap = float(cnn(x)[0, 3] - cnn(torch.zeros_like(x))[0, 3])
    assert e.attributions.shape == x.shape
    assert abs(e.attributions.sum() - gap) <= max(e.delta * 1.5, 1e-3)  # sums to f(x) - f(baseline) within delta


def test_saliency_of_a_linear_model_is_the_absolute_weights():
    model = nn.Sequential(nn.Linear(4, 2))
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor([[1.0, -2.0, 0.5, 0.0], [3.0, 1.0, -1.0, 2.0]]))
    e = explain(model, torch.randn(1, 4), "saliency", target=1)
    np.testing.assert_allclose(e.attributions[0], [3.0, 1.0, 1.0, 2.0])


@pytest.mark.parametrize("method", list(CAPTUM_METHODS))
def test_every_method_returns_the_input_shape(cnn, method):
    x = torch.rand(1, 1, 8, 8)
    e = explain(cnn, x, method, target=1, window=2, stride=2, samples=5, steps=10)
    assert e.attributions.shape == x.shape and np.isfinite(e.attributions).all() and e.seconds >= 0
    assert not cnn.training


def test_methods_that_cannot_apply_say_why():
    mlp = build_model(playground_mlp(2, (4,), "relu", 2)).eval()
    with pytest.raises(ValueError, match="needs a convolution layer"):
        explain(mlp, torch.randn(1, 2), "gradcam", target=0)
    with pytest.raises(ValueError, match="steps"):
        explain(mlp, torch.randn(1, 2), "integrated_gradients", target=0, steps=10_000)
    with pytest.raises(ValueError, match="unknown method"):
        explain(mlp, torch.randn(1, 2), "astrology", target=0)


def test_tabular_models_work_with_gradient_methods_and_occlusion():
    mlp = build_model(playground_mlp(3, (6,), "tanh", 2), seed=1).eval()
    x = torch.randn(1, 3)
    for method in ("saliency", "integrated_gradients", "deeplift", "occlusion", "smoothgrad"):
        assert explain(mlp, x, method, target=1, samples=5).attributions.shape == (1, 3)


def test_baselines():
    x = torch.rand(1, 3, 16, 16)
    assert float(make_baseline(x, "black").abs().sum()) == 0
    blurred = make_baseline(x, "blurred")
    assert blurred.shape == x.shape and float(blurred.std()) < float(x.std())
    mean = torch.full((1, 3, 16, 16), 0.25)
    assert torch.equal(make_baseline(x, "mean", mean), mean)
    with pytest.raises(ValueError, match="mean input"):
        make_baseline(x, "mean")
