"""One step number by number against torch autograd: every displayed gradient equals autograd's and the
finite difference, the update is w - lr g, the chain rule's terms multiply to the gradient."""

import numpy as np
import pytest
import torch

from core.learning.backprop import PRESETS, Net, chain_rule, loss_of, one_step, phases, preset


def _torch_grads(net: Net, x, y):
    ws = [torch.tensor(w, requires_grad=True) for w in net.weights]
    bs = [torch.tensor(b, requires_grad=True) for b in net.biases]
    h = torch.tensor(x)
    for w, b, f in zip(ws, bs, net.activations):
        h = h @ w.T + b
        h = {"tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu, "identity": lambda t: t}[f](h)
    score, t = h[:, 0], torch.tensor(y)
    loss = ((score - t) ** 2).mean() if net.loss == "mse" else \
        torch.nn.functional.binary_cross_entropy_with_logits(score, t)
    return float(loss), torch.autograd.grad(loss, ws + bs)


@pytest.mark.parametrize("name", list(PRESETS))
@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu"])
@pytest.mark.parametrize("loss", ["mse", "bce"])
@pytest.mark.parametrize("batch", [1, 4])
def test_every_gradient_equals_autograd_and_the_finite_difference(name, activation, loss, batch):
    net = preset(name, activation, loss, seed=3)
    rng = np.random.default_rng(1)
    x = rng.normal(size=(batch, 2))
    y = rng.choice([-1.0, 1.0], batch) if loss == "mse" else rng.choice([0.0, 1.0], batch)
    step = one_step(net, x, y, lr=0.1)
    ref_loss, ref = _torch_grads(net, x, y)
    assert step.loss == pytest.approx(ref_loss, rel=1e-10)
    n = len(net.weights)
    for got, want in zip(step.grad_w + step.grad_b, ref):
        np.testing.assert_allclose(got, want.numpy(), rtol=1e-8, atol=1e-12)
    for got, numeric in zip(step.grad_w + step.grad_b, step.numeric_w + step.numeric_b):
        np.testing.assert_allclose(got, numeric, rtol=1e-4, atol=1e-7)
    for w, g, new in zip(net.weights, step.grad_w, step.new_net.weights):
        np.testing.assert_allclose(new, w - 0.1 * g)
    assert step.new_loss == pytest.approx(loss_of(step.new_net, x, y))
    assert len(phases(n)) == 2 * n + 2 and phases(n)[n] == "loss"


def test_a_small_step_downhill_lowers_the_loss():
    net = preset("2-3-2-1", "tanh", "mse", seed=0)
    x, y = np.array([[0.5, -1.0], [1.0, 1.0]]), np.array([1.0, -1.0])
    step = one_step(net, x, y, lr=0.01)
    assert step.new_loss < step.loss


def test_the_chain_rule_terms_multiply_to_the_gradient():
    net = preset("2-2-1", "sigmoid", "mse", seed=2)
    x, y = np.array([[0.3, -0.7]]), np.array([1.0])
    step = one_step(net, x, y, lr=0.5)
    for layer, j, i in ((2, 0, 1), (1, 1, 0)):
        lines = chain_rule(step, layer, j, i)
        product = float(lines[4].rsplit("=", 1)[1])
        assert product == pytest.approx(step.grad_w[layer - 1][j, i], rel=1e-4, abs=1e-7)
        assert lines[-1].endswith(f"{net.weights[layer - 1][j, i] - 0.5 * step.grad_w[layer - 1][j, i]:.4f}")


def test_bad_steps_are_refused():
    net = preset("2-2-1")
    with pytest.raises(ValueError, match="one target per sample"):
        one_step(net, np.zeros((2, 2)), np.zeros(3), 0.1)
    with pytest.raises(ValueError, match="learning rate"):
        one_step(net, np.zeros((1, 2)), np.zeros(1), 0.0)
    with pytest.raises(ValueError, match="one output"):
        Net((np.zeros((2, 2)),), (np.zeros(2),), ("identity",))
