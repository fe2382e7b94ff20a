"""A real network's landscape against its definitions: the centre equals the trained model's loss,
filter normalization gives each direction filter the weights' norm, the path's last point is the
origin, the interpolation's ends are the initial and final losses, the range test's suggestion lies
where the loss falls."""

import numpy as np
import pytest
import torch

from core.data import DataSpec, load_dataset
from core.learning.network_landscape import (
    filter_normalized,
    interpolation,
    loss_at,
    lr_range_test,
    params_of,
    surface,
    trajectory,
    with_params,
)
from core.models import build_model
from core.playground.network import HiddenLayer, playground_spec
from core.training import TrainConfig, Trainer


@pytest.fixture(scope="module")
def trained():
    ds = load_dataset(DataSpec("circle", n_samples=200, seed=0))
    model = build_model(playground_spec(2, [HiddenLayer(4), HiddenLayer(3)], 1), seed=0)
    trainer = Trainer(model, ds, TrainConfig(learning_rate=0.1))
    trainer.reset()
    states, epochs = [params_of(model)], [0]
    for e in range(1, 31):
        trainer.train_epochs(1)
        if e % 3 == 0:
            states.append(params_of(model))
            epochs.append(e)
    return trainer, states, epochs


def test_the_centre_is_the_trained_loss_and_directions_are_filter_normalized(trained):
    trainer, *_ = trained
    model, obj = trainer.model, trainer.objective
    with torch.no_grad():
        want = float(obj.loss(model.eval()(trainer.x_train), trainer.t_train))
    w = params_of(model)
    d1, d2 = filter_normalized(w, 1), filter_normalized(w, 2)
    for name, p in w.items():
        if p.dim() == 2:
            np.testing.assert_allclose(d1[name].norm(dim=1).numpy(), p.norm(dim=1).numpy(), rtol=1e-5)
        else:
            assert float(d1[name].abs().sum()) == 0.0  # biases stay put
    assert not torch.allclose(d1["dense_1.weight"], d2["dense_1.weight"])
    s = surface(model, trainer.x_train, trainer.t_train, obj, d1, d2, span=1.0, n=11)
    assert s.loss.shape == (11, 11)
    assert s.centre_loss == pytest.approx(want, rel=1e-6)
    assert s.loss[5, 5] == pytest.approx(want, rel=1e-6)  # the grid's middle is the trained weights
    assert s.loss.max() > want  # moving away in weight space costs loss


def test_the_path_on_its_principal_directions_ends_at_the_origin(trained):
    trainer, states, epochs = trained
    tr = trajectory(states, epochs)
    assert tr.coords.shape == (len(states), 2)
    np.testing.assert_allclose(tr.coords[-1], [0.0, 0.0], atol=1e-6)
    assert 0 < tr.explained[1] <= tr.explained[0] <= 1
    flat1 = torch.cat([v.reshape(-1) for v in tr.d1.values()]).double()
    flat2 = torch.cat([v.reshape(-1) for v in tr.d2.values()]).double()
    assert float(flat1 @ flat2) == pytest.approx(0.0, abs=1e-5) and float(flat1.norm()) == pytest.approx(1, rel=1e-5)
    with pytest.raises(ValueError, match="three checkpoints"):
        trajectory(states[:2], epochs[:2])


def test_interpolation_ends_are_the_initial_and_final_losses(trained):
    trainer, states, _ = trained
    m, obj = trainer.model, trainer.objective
    alphas, losses = interpolation(m, states[0], states[-1], trainer.x_train, trainer.t_train, obj, n=21, lo=0, hi=1)
    assert losses[0] == pytest.approx(loss_at(m, states[0], trainer.x_train, trainer.t_train, obj))
    assert losses[-1] == pytest.approx(loss_at(m, states[-1], trainer.x_train, trainer.t_train, obj))
    assert losses[-1] < losses[0]
    start = with_params(m, states[0])  # the model at the initial weights, the trained one untouched
    assert all(torch.equal(p, states[0][n]) for n, p in start.named_parameters())
    assert all(torch.equal(p, states[-1][n]) for n, p in m.named_parameters())


def test_the_range_test_suggests_a_rate_where_the_loss_falls(trained):
    trainer, states, _ = trained
    model = build_model(playground_spec(2, [HiddenLayer(4), HiddenLayer(3)], 1), seed=0)
    rt = lr_range_test(model, trainer.x_train, trainer.t_train, trainer.objective, steps=120, seed=0)
    assert 1e-4 <= rt.suggestion <= 10 and len(rt.lrs) == len(rt.losses)
    assert np.all(np.diff(rt.lrs) > 0)
    i = int(np.searchsorted(rt.lrs, rt.suggestion))
    assert rt.losses[min(i + 5, len(rt.losses) - 1)] < rt.losses[max(0, i - 5)]  # falling around it
    assert rt.losses[-1] > rt.losses.min()  # too high a rate overshoots at the end
    with pytest.raises(ValueError):
        lr_range_test(model, trainer.x_train, trainer.t_train, trainer.objective, lr_min=1.0, lr_max=0.1)
