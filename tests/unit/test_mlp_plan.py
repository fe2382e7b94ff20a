"""One table decides what the compiled engine trains: the plan of a plain MLP, the kernels' own codes, and
optimizer hyper-parameters passed as an explicit rule (checked against torch.optim with non-default ones)."""

import copy

import pytest
import torch
from torch import nn

from core.data import DataSpec, load_dataset
from core.models import build_model
from core.presets import playground_mlp
from core.specs import Activation, Dense, NetworkSpec
from core.training import TrainConfig, Trainer, kernels
from core.training import compiled as C
from core.training.mlp import ACTIVATIONS, mlp_plan
from core.training.optim import SGD, Adam, RMSprop


def test_the_table_s_codes_are_the_kernels_codes():
    codes = {name: code for name, code in ACTIVATIONS.values()}
    assert codes == {"identity": kernels.IDENTITY, "relu": kernels.RELU, "leaky_relu": kernels.LEAKY_RELU,
                     "tanh": kernels.TANH, "sigmoid": kernels.SIGMOID, "gelu": kernels.GELU}
    assert C.RULE_CODES == {"sgd": kernels.SGD, "adam": kernels.ADAM, "rmsprop": kernels.RMSPROP,
                            "adagrad": kernels.ADAGRAD}


def test_a_plan_names_each_linear_and_the_activation_after_it():
    model = nn.Sequential(nn.Linear(2, 4), nn.LeakyReLU(0.2), nn.Linear(4, 3), nn.Linear(3, 1), nn.Tanh())
    plan = mlp_plan(model)
    assert [la.activation for la in plan.layers] == ["leaky_relu", "identity", "tanh"]
    assert [la.slope for la in plan.layers] == [pytest.approx(0.2), 0.0, 0.0]
    assert plan.widths == [4, 3, 1] and plan.inputs == 2


@pytest.mark.parametrize("model", [
    nn.Sequential(nn.Tanh(), nn.Linear(2, 1)),  # an activation before any Linear
    nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Tanh(), nn.Linear(3, 1)),  # two activations in a row
    nn.Sequential(nn.Linear(2, 3), nn.GELU(approximate="tanh"), nn.Linear(3, 1)),  # not the exact GELU
    nn.Sequential(nn.Linear(2, 3), nn.Dropout(0.5), nn.Linear(3, 1)),
    nn.Sequential(),
])
def test_anything_else_has_no_plan(model):
    assert mlp_plan(model) is None


@pytest.fixture(scope="module")
def xor():
    return load_dataset(DataSpec("xor", n_samples=60, noise=0.1, seed=2))


def _reference_run(start, trainer, epochs, make_opt):
    """Plain autograd and a torch.optim optimizer over the trainer's own seeded batches."""
    ref = copy.deepcopy(start)
    params = list(ref.parameters())
    opt = make_opt(params)
    gen = torch.Generator().manual_seed(trainer.config.seed)
    x, t, bs = trainer.x_train, trainer.t_train, trainer.config.batch_size
    for _ in range(epochs):
        perm = torch.randperm(len(x), generator=gen)
        for i in range(0, len(x), bs):
            opt.zero_grad()
            trainer.objective.loss(ref(x[perm[i:i + bs]]), t[perm[i:i + bs]]).backward()
            opt.step()
    return ref


@pytest.mark.parametrize("ours, theirs", [
    (lambda p: Adam(p, 0.02, betas=(0.5, 0.9), eps=1e-3), lambda p: torch.optim.Adam(p, 0.02, (0.5, 0.9), 1e-3)),
    (lambda p: RMSprop(p, 0.01, alpha=0.8, eps=1e-4), lambda p: torch.optim.RMSprop(p, 0.01, alpha=0.8, eps=1e-4)),
    (lambda p: SGD(p, 0.05, momentum=0.5), lambda p: torch.optim.SGD(p, 0.05, momentum=0.5)),
])
def test_the_compiled_engine_applies_the_optimizer_s_own_hyper_parameters(xor, ours, theirs):
    trainer = Trainer(build_model(playground_mlp(2, (5, 3), "tanh", 1), seed=4), xor,
                      TrainConfig(batch_size=8, loss="mse", seed=1))
    trainer.reset()
    start = copy.deepcopy(trainer.model)
    trainer.optimizer = ours(trainer.params)
    trainer.compiled = C.CompiledMLP(mlp_plan(trainer.model), trainer.objective, trainer.optimizer,
                                     (trainer.x_train, trainer.t_train), (trainer.x_test, trainer.t_test), 8)
    trainer.train_epochs(3)
    ref = _reference_run(start, trainer, 3, theirs)
    for p, q in zip(trainer.model.parameters(), ref.parameters()):
        torch.testing.assert_close(p.detach(), q.detach(), rtol=2e-4, atol=2e-5)


def test_nesterov_has_no_compiled_rule_and_is_refused_by_name(xor):
    trainer = Trainer(build_model(playground_mlp(2, (3,), "tanh", 1), seed=0), xor, TrainConfig(loss="mse"))
    with pytest.raises(ValueError, match="no 'nesterov' optimizer"):
        C.CompiledMLP(mlp_plan(trainer.model), trainer.objective, SGD(trainer.params, 0.1, 0.9, nesterov=True),
                      (trainer.x_train, trainer.t_train), (trainer.x_test, trainer.t_test), 10)


@pytest.mark.parametrize("spec", [NetworkSpec((2,), (Dense(4), Activation("relu"), Dense(1), Activation("tanh"))),
                                  NetworkSpec((2,), (Dense(1),))])
def test_a_network_ending_in_an_activation_and_a_linear_model_train_compiled_as_torch_does(xor, spec):
    trainer = Trainer(build_model(spec, seed=1), xor, TrainConfig(loss="mse", batch_size=10, learning_rate=0.1,
                                                                  seed=1))
    assert trainer.engine == "compiled"
    trainer.reset()
    start = copy.deepcopy(trainer.model)
    trainer.train_epochs(2)
    ref = _reference_run(start, trainer, 2, lambda p: torch.optim.SGD(p, 0.1))
    for p, q in zip(trainer.model.parameters(), ref.parameters()):
        torch.testing.assert_close(p.detach(), q.detach(), rtol=2e-4, atol=2e-5)
