"""The engine against plain PyTorch: gradients equal autograd's, updates equal torch.optim's."""

import copy
import math

import pytest
import torch
from torch import nn

from core.data import DataSpec, load_dataset
from core.models import build_model
from core.presets import lenet, playground_mlp
from core.specs import Activation, BatchNorm1d, Dense, Dropout, NetworkSpec
from core.training import TrainConfig, Trainer
from core.training.device import pick_device
from core.training.objective import make_objective
from core.training.optim import make_optimizer


def _autograd_grads(model, objective, x, t, l1=0.0, l2=0.0):
    model.zero_grad()
    loss = objective.loss(model(x), t)
    weights = [p for p in model.parameters() if p.dim() >= 2]
    loss = loss + 0.5 * l2 * sum((w**2).sum() for w in weights) + l1 * sum(w.abs().sum() for w in weights)
    return torch.autograd.grad(loss, list(model.parameters()))


@pytest.mark.parametrize("act", ["tanh", "relu", "sigmoid", "leaky_relu", "gelu", "identity"])
@pytest.mark.parametrize("loss, outputs", [("mse", 1), ("cross_entropy", 1), ("cross_entropy", 2), ("mse", 2)])
def test_torch_path_gradients_of_a_plain_mlp_equal_autograd(act, loss, outputs, spiral):
    """The torch path (a GPU, or `engine="torch"`) on the Playground's networks, L1 and L2 included."""
    torch.set_default_dtype(torch.float32)
    model = build_model(playground_mlp(2, (5, 3), act, outputs), seed=3)
    trainer = Trainer(model, spiral, TrainConfig(loss=loss, batch_size=7, l1=0.01, l2=0.02, engine="torch"))
    assert trainer.engine == "autograd"
    idx = torch.tensor([3, 1, 4, 15, 9, 26, 5])
    trainer._grads_autograd(idx)
    grads = [g.clone() for g in trainer.last_grads]
    trainer._regularize(grads)
    ref = _autograd_grads(model, trainer.objective, trainer.x_train[idx], trainer.t_train[idx], 0.01, 0.02)
    for g, r in zip(grads, ref):
        torch.testing.assert_close(g, r, rtol=1e-4, atol=1e-6)


def test_generic_path_gradients_equal_autograd():
    ds = load_dataset(DataSpec("digits"))
    model = build_model(lenet(), seed=0)
    trainer = Trainer(model, ds, TrainConfig(batch_size=16, l2=0.1))
    assert trainer.engine == "autograd"
    idx = torch.arange(16)
    trainer._grads_autograd(idx)
    grads = [g.clone() for g in trainer.last_grads]
    trainer._regularize(grads)
    ref = _autograd_grads(model, trainer.objective, trainer.x_train[idx], trainer.t_train[idx], 0.0, 0.1)
    for g, r in zip(grads, ref):
        torch.testing.assert_close(g, r, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("name, ref_cls, kwargs", [
    ("sgd", torch.optim.SGD, {"momentum": 0.9}),
    ("adam", torch.optim.Adam, {}),
    ("rmsprop", torch.optim.RMSprop, {}),
    ("adagrad", torch.optim.Adagrad, {}),
])
def test_optimizers_match_torch_optim(name, ref_cls, kwargs):
    gen = torch.Generator().manual_seed(0)
    params = [torch.randn(4, 3, generator=gen), torch.randn(3, generator=gen)]
    ref_params = [p.clone().requires_grad_(True) for p in params]
    ours = make_optimizer(name, params, lr=0.05, momentum=kwargs.get("momentum", 0.0))
    ref = ref_cls(ref_params, lr=0.05, foreach=False, **kwargs)
    for _ in range(5):
        grads = [torch.randn(p.shape, generator=gen) for p in params]
        ours.step(grads)
        for rp, g in zip(ref_params, grads):
            rp.grad = g.clone()
        ref.step()
    for p, rp in zip(params, ref_params):
        torch.testing.assert_close(p, rp.detach(), rtol=1e-5, atol=1e-6)


def test_an_epoch_equals_a_textbook_loop_over_the_same_batches(spiral):
    model = build_model(playground_mlp(2, (8, 8), "tanh", 1), seed=0)
    reference = copy.deepcopy(model)
    trainer = Trainer(model, spiral, TrainConfig(loss="mse", learning_rate=0.03, batch_size=10, l2=0.001, seed=4))
    trainer.reset(4)
    reference.load_state_dict(model.state_dict())
    trainer.train_epochs(1)
    perm = torch.randperm(trainer.n, generator=torch.Generator().manual_seed(4))
    opt = torch.optim.SGD(reference.parameters(), lr=0.03)
    obj = trainer.objective
    for s in range(0, trainer.n, 10):
        idx = perm[s:s + 10]
        grads = _autograd_grads(reference, obj, trainer.x_train[idx], trainer.t_train[idx], l2=0.001)
        for p, g in zip(reference.parameters(), grads):
            p.grad = g
        opt.step()
    for p, r in zip(model.parameters(), reference.parameters()):
        torch.testing.assert_close(p, r, rtol=1e-4, atol=1e-5)
    assert trainer.epoch == 1 and trainer.step_count == math.ceil(trainer.n / 10)


def test_same_seed_same_weights_after_training_with_dropout():
    ds = load_dataset(DataSpec("moons", n_samples=100))
    spec = NetworkSpec((2,), (Dense(16), Activation("relu"), Dropout(0.3), BatchNorm1d(), Dense(2)))
    runs = []
    for _ in range(2):
        trainer = Trainer(build_model(spec), ds, TrainConfig(optimizer="adam", learning_rate=0.01, seed=9))
        trainer.reset(9)
        torch.manual_seed(123 + len(runs))  # the global RNG must not matter
        trainer.train_epochs(3)
        runs.append([p.detach().clone() for p in trainer.model.parameters()])
    for a, b in zip(*runs):
        assert torch.equal(a, b)


def test_training_learns_the_spiral():
    spiral = load_dataset(DataSpec("spiral", n_samples=500))
    trainer = Trainer(build_model(playground_mlp(2, (16, 16), "tanh", 2), seed=0), spiral,
                      TrainConfig(optimizer="adam", learning_rate=0.01, batch_size=10))
    before = trainer.metrics()
    trainer.train_epochs(150)
    after = trainer.metrics()
    assert after.train_loss < before.train_loss / 3 and after.test_acc > 0.85


def test_learning_rate_and_regularization_change_between_steps(spiral):
    trainer = Trainer(build_model(playground_mlp(), seed=0), spiral, TrainConfig(loss="mse"))
    trainer.set(learning_rate=0.5, l1=0.0, l2=0.3)
    assert trainer.optimizer.lr == 0.5 and trainer.l2 == 0.3
    with pytest.raises(ValueError, match="learning rate"):
        trainer.set(learning_rate=0, l2=0.1)
    assert trainer.optimizer.lr == 0.5 and trainer.l2 == 0.3  # all or nothing


def test_regression_uses_mse_and_reports_no_accuracy():
    ds = load_dataset(DataSpec("reg_plane", n_samples=100))
    trainer = Trainer(build_model(playground_mlp(2, (4,), "tanh", 1)), ds, TrainConfig(learning_rate=0.05))
    assert trainer.objective.kind == "mse"
    trainer.train_epochs(20)
    m = trainer.metrics()
    assert math.isnan(m.test_acc) and m.test_loss < 0.05


@pytest.mark.parametrize("changes, message", [
    ({"learning_rate": 0}, "learning rate"), ({"learning_rate": -1}, "learning rate"),
    ({"learning_rate": 1e6}, "learning rate"), ({"learning_rate": float("nan")}, "learning rate"),
    ({"batch_size": 0}, "batch size"), ({"batch_size": 2.5}, "batch size"), ({"optimizer": "lbfgs"}, "optimizer"),
    ({"l2": -1}, "L2"), ({"momentum": 1.0}, "momentum"), ({"loss": "hinge"}, "loss"), ({"seed": -5}, "seed"),
])
def test_bad_training_settings_are_refused(changes, message):
    with pytest.raises(ValueError, match=message):
        TrainConfig(**changes)


def test_outputs_must_match_the_classes(spiral):
    iris = load_dataset(DataSpec("iris"))
    with pytest.raises(ValueError, match="3 classes"):
        Trainer(build_model(playground_mlp(4, (4,), "relu", 2)), iris, TrainConfig())
    with pytest.raises(ValueError, match="cross-entropy needs classes"):
        Trainer(build_model(playground_mlp(2, (4,), "relu", 1)), load_dataset(DataSpec("reg_plane")),
                TrainConfig(loss="cross_entropy"))


def test_device_choice():
    assert pick_device("auto").type in ("cuda", "mps", "cpu")
    assert pick_device("cpu").type == "cpu"
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="no NVIDIA GPU"):
            pick_device("cuda")
    with pytest.raises(ValueError, match="unknown device"):
        pick_device("tpu")


def test_objective_targets_and_predictions():
    y = torch.tensor([0, 1, 1])
    assert make_objective("classification", 1, "mse").targets(y).flatten().tolist() == [-1, 1, 1]
    assert make_objective("classification", 1, "cross_entropy").kind == "bce"
    ce = make_objective("classification", 3, "auto")
    assert ce.kind == "ce" and ce.predict(torch.tensor([[0.0, 2.0, 1.0]])).tolist() == [1]
    assert isinstance(nn.Module(), nn.Module)
