"""The compiled (numba) path against plain PyTorch: gradients equal autograd's, whole training runs equal
a textbook loop with `torch.optim`, evaluation equals the objective's own loss, for every activation,
loss, optimizer and regularizer the Playground offers; the same seed gives the same weights."""

import copy

import numpy as np
import pytest
import torch

from core.data import DataSpec, load_dataset
from core.models import build_model
from core.presets import playground_mlp
from core.specs import Activation, Dense, Dropout, NetworkSpec
from core.training import TrainConfig, Trainer
from core.training.mlp import mlp_plan

ACTS = ["tanh", "relu", "sigmoid", "leaky_relu", "gelu", "identity"]
# (dataset, loss, outputs): +-1 MSE (TF Playground), BCE, softmax CE, one-hot MSE, regression
LOSSES = [("xor", "mse", 1), ("xor", "cross_entropy", 1), ("spiral3", "cross_entropy", 3), ("spiral3", "mse", 3),
          ("reg_plane", "mse", 1)]
OPTIMIZERS = [("sgd", 0.0), ("sgd", 0.9), ("adam", 0.0), ("rmsprop", 0.0), ("adagrad", 0.0)]


@pytest.fixture(scope="module")
def sets():
    return {name: load_dataset(DataSpec(name, n_samples=60, noise=0.1, seed=2)) for name in ("xor", "spiral3",
                                                                                            "reg_plane")}


def _reference(model, trainer, epochs, l1, l2, opt_name, lr, momentum):
    """Plain autograd and torch.optim over the same batches the trainer draws (its seeded permutations)."""
    ref = copy.deepcopy(model)
    for p in ref.parameters():
        p.data = p.data.clone()
    params = list(ref.parameters())
    opt = {"sgd": lambda: torch.optim.SGD(params, lr=lr, momentum=momentum),
           "adam": lambda: torch.optim.Adam(params, lr=lr),
           "rmsprop": lambda: torch.optim.RMSprop(params, lr=lr),
           "adagrad": lambda: torch.optim.Adagrad(params, lr=lr)}[opt_name]()
    gen = torch.Generator().manual_seed(trainer.config.seed)
    x, t, bs = trainer.x_train, trainer.t_train, trainer.config.batch_size
    weights = [p for p in params if p.dim() >= 2]
    for _ in range(epochs):
        perm = torch.randperm(len(x), generator=gen)
        for i in range(0, len(x), bs):
            idx = perm[i:i + bs]
            opt.zero_grad()
            loss = trainer.objective.loss(ref(x[idx]), t[idx])
            loss = loss + 0.5 * l2 * sum((w ** 2).sum() for w in weights) + l1 * sum(w.abs().sum() for w in weights)
            loss.backward()
            opt.step()
    return ref


def _train(ds, act, loss, outputs, opt="sgd", momentum=0.0, l1=0.0, l2=0.0, epochs=3, lr=0.05, engine="auto"):
    model = build_model(playground_mlp(2, (5, 3), act, outputs), seed=4)
    cfg = TrainConfig(optimizer=opt, learning_rate=lr, momentum=momentum, batch_size=8, loss=loss, l1=l1, l2=l2,
                      seed=1, engine=engine)
    trainer = Trainer(model, ds, cfg)
    trainer.reset()
    start = copy.deepcopy(model)
    trainer.train_epochs(epochs)
    return trainer, start


def _assert_same(a, b, rtol=2e-4, atol=2e-5):
    for (name, p), q in zip(a.named_parameters(), b.parameters()):
        torch.testing.assert_close(p.detach(), q.detach(), rtol=rtol, atol=atol, msg=name)


@pytest.mark.parametrize("act", ACTS)
@pytest.mark.parametrize("data, loss, outputs", LOSSES)
def test_compiled_training_equals_autograd_and_torch_optim_for_every_activation_and_loss(sets, act, data, loss,
                                                                                          outputs):
    trainer, start = _train(sets[data], act, loss, outputs)
    assert trainer.engine == "compiled"
    ref = _reference(start, trainer, 3, 0.0, 0.0, "sgd", 0.05, 0.0)
    _assert_same(trainer.model, ref)


@pytest.mark.parametrize("opt, momentum", OPTIMIZERS)
@pytest.mark.parametrize("l1, l2", [(0.0, 0.0), (0.01, 0.0), (0.0, 0.03), (0.01, 0.03)])
def test_compiled_training_equals_torch_optim_for_every_optimizer_and_regularizer(sets, opt, momentum, l1, l2):
    trainer, start = _train(sets["spiral3"], "tanh", "cross_entropy", 3, opt, momentum, l1, l2, lr=0.01)
    ref = _reference(start, trainer, 3, l1, l2, opt, 0.01, momentum)
    _assert_same(trainer.model, ref)


def test_the_last_gradient_is_the_last_batch_autograd_gradient(sets):
    ds = sets["xor"]
    trainer, _ = _train(ds, "relu", "mse", 1, l2=0.02, epochs=0)
    before = copy.deepcopy(trainer.model)
    trainer.config = trainer.config  # one step: a batch of 8 from the epoch's permutation
    trainer._start_epoch()
    idx = trainer._perm[:8].clone()
    trainer.compiled.run(trainer._perm.numpy(), 0, 0.0, 0.0, 0.02)  # deadline passed: exactly one step
    x, t = trainer.x_train[idx], trainer.t_train[idx]
    loss = trainer.objective.loss(before(x), t) + 0.01 * sum((w ** 2).sum() for w in before.parameters()
                                                                if w.dim() >= 2)
    ref = torch.autograd.grad(loss, list(before.parameters()))
    for g, r in zip(trainer.compiled.param_grads, ref):
        torch.testing.assert_close(g, r, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("data, loss, outputs", LOSSES)
def test_compiled_evaluation_equals_the_objective(sets, data, loss, outputs):
    trainer, _ = _train(sets[data], "tanh", loss, outputs, epochs=2)
    got = trainer.evaluate()
    with torch.no_grad():
        for split, x, t in (("train", trainer.x_train, trainer.t_train), ("test", trainer.x_test, trainer.t_test)):
            out = trainer.model(x)
            assert got[f"{split}_loss"] == pytest.approx(float(trainer.objective.loss(out, t)), rel=1e-5, abs=1e-6)
            if trainer.dataset.task == "classification":
                y = trainer.dataset.y_train if split == "train" else trainer.dataset.y_test
                acc = float((trainer.objective.predict(out) == y).float().mean())
                assert got[f"{split}_acc"] == pytest.approx(acc)
            else:
                assert np.isnan(got[f"{split}_acc"])


def test_compiled_activations_equal_the_model(sets):
    trainer, _ = _train(sets["xor"], "gelu", "mse", 1, epochs=1)
    x = torch.randn(50, 2)
    acts = trainer.compiled.activations(x.numpy())
    with torch.no_grad():
        h = x
        outs = []
        for m in trainer.model.children():
            h = m(h)
            if not isinstance(m, torch.nn.Linear):
                outs.append(h)
        outs.append(h)
    for a, r in zip(acts, outs):
        np.testing.assert_allclose(a, r.numpy(), rtol=1e-5, atol=1e-6)


def test_same_seed_same_weights_and_the_torch_path_agrees(sets):
    a, _ = _train(sets["spiral3"], "relu", "cross_entropy", 3, "adam", lr=0.01)
    b, _ = _train(sets["spiral3"], "relu", "cross_entropy", 3, "adam", lr=0.01)
    for p, q in zip(a.model.parameters(), b.model.parameters()):
        assert torch.equal(p, q)
    c, _ = _train(sets["spiral3"], "relu", "cross_entropy", 3, "adam", lr=0.01, engine="torch")
    assert c.engine == "autograd"
    _assert_same(a.model, c.model)
    assert a.step_count == c.step_count and a.epoch == c.epoch == 3


def test_reset_starts_the_optimizer_afresh(sets):
    a, _ = _train(sets["xor"], "tanh", "mse", 1, "sgd", momentum=0.9, epochs=2)
    first = [p.detach().clone() for p in a.model.parameters()]
    a.reset()
    a.train_epochs(2)
    for p, q in zip(first, a.model.parameters()):
        assert torch.equal(p, q)


def test_only_plain_stacks_compile_and_the_rest_trains_on_torch(sets):
    assert mlp_plan(build_model(playground_mlp(2, (4,), "tanh", 1), seed=0)) is not None
    with_dropout = build_model(NetworkSpec((2,), (Dense(4), Activation("relu"), Dropout(0.5), Dense(1))), seed=0)
    assert mlp_plan(with_dropout) is None
    trainer = Trainer(with_dropout, sets["xor"], TrainConfig(loss="mse"))
    assert trainer.engine == "autograd"
    trainer.train_epochs(1)
    assert trainer.epoch == 1


def test_sending_the_data_to_a_training_process_leaves_a_compiled_thread_job_intact():
    """Multiprocessing moves a tensor's storage to shared memory when it is sent to a child: the
    compiled path must not keep views of the dataset's old memory (it read freed memory, and diverged)."""
    from core.training import JobSlots, ProcessJob, TrainingJob

    ds = load_dataset(DataSpec("circle", n_samples=200, seed=0))
    spec = playground_mlp(2, (4, 2), "tanh", 1)
    cfg = TrainConfig(seed=3)
    solo = Trainer(build_model(spec, seed=0), ds, cfg)
    solo.reset()
    solo.train_epochs(5)
    slots = JobSlots(4)
    job = TrainingJob(build_model(spec, seed=0), ds, cfg, slots=slots)
    other = ProcessJob(build_model(spec, seed=0), ds, cfg, slots=slots)  # pickles `ds` to its child
    try:
        job.step(5)
        view = job.wait(lambda v: v.epoch >= 5 and not v.active, timeout=60)
        assert view.state.value != "diverged", view.message
        _assert_same(job.trainer.model, solo.model, rtol=1e-6, atol=1e-7)
    finally:
        job.stop()
        other.stop()
