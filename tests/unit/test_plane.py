"""The plane view computed where the job trains: each neuron's map and every point's prediction equal the
model's own forward pass, on the compiled path and the torch path, and the page's frame drawn from it
equals the frame the page computed itself before."""

from dataclasses import replace

import numpy as np
import pytest
import torch

from core.data import DataSpec, load_dataset
from core.data.toy2d import engineer, grid
from core.inspect import activations
from core.models import build_model
from core.playground.frame import compute_frame
from core.playground.network import HiddenLayer, neuron_layers, playground_spec
from core.playground.plane import OUTPUT_RES, THUMB_RES, plane_probe
from core.training import TrainConfig, Trainer

CASES = [("spiral", ("x1", "x2"), [HiddenLayer(4, "relu"), HiddenLayer(3, "tanh")]),
         ("spiral3", ("x1", "x2", "x1*x2"), [HiddenLayer(5, "sigmoid")]),
         ("reg_plane", ("x1", "x2"), [HiddenLayer(4, "relu", batchnorm=True)])]


def _trained(name, feats, hidden):
    ds = load_dataset(DataSpec(name, n_samples=120, features=feats))
    n_out = ds.n_classes if ds.task == "classification" and ds.n_classes > 2 else 1
    spec = playground_spec(len(feats), hidden, n_out)
    trainer = Trainer(build_model(spec, seed=0), ds, TrainConfig(learning_rate=0.1), probe=plane_probe)
    trainer.train_epochs(3)
    return ds, spec, trainer


@pytest.mark.parametrize("name, feats, hidden", CASES)
def test_the_plane_equals_the_models_forward_pass(name, feats, hidden):
    ds, spec, trainer = _trained(name, feats, hidden)
    assert trainer.engine == ("autograd" if hidden[0].batchnorm else "compiled")
    plane = trainer.snapshot().plane
    model = trainer.model.eval()
    names = neuron_layers(model)
    ref = activations(model, engineer(grid(THUMB_RES)[2], feats), names)
    assert len(plane.layers) == len(names)
    for got, n in zip(plane.layers, names):
        want = ref[n].T.reshape(-1, THUMB_RES, THUMB_RES)
        np.testing.assert_allclose(got.astype(np.float32), want, atol=3e-3, rtol=2e-3)  # float16 thumbnails
    out = activations(model, engineer(grid(OUTPUT_RES)[2], feats))[names[-1]]
    with torch.no_grad():
        test_out = model(ds.x_test)
    if ds.task == "regression":
        np.testing.assert_allclose(plane.output.ravel(), out[:, 0], atol=1e-5)
        np.testing.assert_allclose(plane.pred_test, test_out[:, 0].numpy(), atol=1e-5)
    else:
        assert (trainer.objective.predict(test_out).numpy() == plane.pred_test).all()


@pytest.mark.parametrize("name, feats, hidden", CASES)
def test_the_frame_from_the_plane_equals_the_frame_the_page_computed(name, feats, hidden):
    ds, spec, trainer = _trained(name, feats, hidden)
    snap = trainer.snapshot()
    assert snap.plane is not None and snap.compact().plane is None  # the history keeps no maps
    a = compute_frame(trainer.objective, spec, snap, ds)
    b = compute_frame(trainer.objective, spec, replace(snap, plane=None), ds)
    np.testing.assert_allclose(a.output_values, b.output_values, atol=1e-4)
    assert [(c.title, c.units) for c in a.columns] == [(c.title, c.units) for c in b.columns]
    assert a.dead == b.dead and a.task_kind == b.task_kind
    for wa, wb in zip(a.weights, b.weights):
        np.testing.assert_array_equal(wa, wb)
    if a.wrong_train is not None:
        assert (a.wrong_train == b.wrong_train).all() and (a.wrong_test == b.wrong_test).all()


def test_no_plane_without_a_plane_or_without_the_playground_s_probe():
    ds = load_dataset(DataSpec("iris"))
    trainer = Trainer(build_model(playground_spec(4, [HiddenLayer(4)], 3), seed=0), ds, TrainConfig(),
                      probe=plane_probe)
    assert trainer.snapshot().plane is None
    spiral = load_dataset(DataSpec("spiral", n_samples=40))
    other_lab = Trainer(build_model(playground_spec(2, [HiddenLayer(4)], 1), seed=0), spiral, TrainConfig())
    assert other_lab.snapshot().plane is None  # the engine computes no lab's picture by itself
