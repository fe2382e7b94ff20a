"""Hooks that always come off, captured gradients equal to autograd's, per-layer statistics."""

import numpy as np
import pytest
import torch

from core.inspect import activations, capture, dead_fraction, layer_stats
from core.models import build_model
from core.presets import lenet, playground_mlp


def _hook_count(model):
    return sum(len(m._forward_hooks) for m in model.modules())


def test_capture_records_activations_and_gradients_like_autograd():
    model = build_model(playground_mlp(3, (5,), "tanh", 2), seed=0)
    x = torch.randn(4, 3, generator=torch.Generator().manual_seed(0))
    with capture(model, ["tanh_1"], gradients=True) as cap:
        out = model(x)
        out[:, 1].sum().backward()
    h = torch.tanh(x @ model.dense_1.weight.T + model.dense_1.bias)
    torch.testing.assert_close(cap.activations["tanh_1"], h.detach())
    hh = h.detach().requires_grad_(True)
    (model.dense_2(hh)[:, 1].sum()).backward()
    torch.testing.assert_close(cap.gradients["tanh_1"], hh.grad)
    assert _hook_count(model) == 0


def test_hooks_are_removed_even_when_the_forward_pass_fails():
    model = build_model(lenet(), seed=0)
    with pytest.raises(RuntimeError):
        with capture(model, ["conv_1", "relu_2"]):
            model(torch.zeros(1, 3, 8, 8))  # wrong channel count
    assert _hook_count(model) == 0


def test_unknown_layer_names_are_refused_readably():
    model = build_model(playground_mlp(), seed=0)
    with pytest.raises(ValueError, match="no layer named 'conv_9'"):
        with capture(model, ["conv_9"]):
            pass
    assert _hook_count(model) == 0


def test_activations_of_every_layer_match_the_shape_table():
    model = build_model(lenet(), seed=0)
    acts = activations(model, torch.zeros(2, 1, 8, 8))
    assert acts["conv_1"].shape == (2, 8, 8, 8) and acts["maxpool_2"].shape == (2, 16, 2, 2)
    assert list(acts) == model.layer_names()


def test_layer_stats_report_weights_and_gradients():
    model = build_model(playground_mlp(2, (4,), "relu", 1), seed=0)
    rows = {r.layer: r for r in layer_stats(model)}
    assert set(rows) == {"dense_1", "dense_2"} and np.isnan(rows["dense_1"].grad_norm)
    model(torch.ones(3, 2)).sum().backward()
    rows = {r.layer: r for r in layer_stats(model)}
    w = torch.cat([model.dense_1.weight.flatten(), model.dense_1.bias])
    assert rows["dense_1"].weight_norm == pytest.approx(float(w.norm()))
    g = torch.cat([model.dense_1.weight.grad.flatten(), model.dense_1.bias.grad])
    assert rows["dense_1"].grad_norm == pytest.approx(float(g.norm()))
    assert rows["dense_1"].params == 12


def test_dead_fraction_counts_units_that_never_fire():
    acts = np.array([[0.0, 1.0, 0.0], [0.0, 2.0, 0.5]])
    assert dead_fraction(acts) == pytest.approx(1 / 3)
    conv = np.zeros((2, 4, 3, 3))
    conv[:, 0, 1, 1] = 1
    assert dead_fraction(conv) == pytest.approx(3 / 4)
