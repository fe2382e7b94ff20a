"""Datasets: shapes, tasks, seeds, and readable refusals."""

import numpy as np
import pytest
import torch

from core.data import DATASETS, DataSpec, load_dataset
from core.data.toy2d import engineer


@pytest.mark.parametrize("name", list(DATASETS))
def test_every_dataset_loads_with_consistent_tensors(name):
    ds = load_dataset(DataSpec(name, n_samples=120))
    assert ds.x_train.dtype == torch.float32 and len(ds.x_train) == len(ds.y_train) > 0
    assert len(ds.x_test) == len(ds.y_test) > 0
    assert tuple(ds.x_test.shape[1:]) == ds.input_shape
    assert torch.isfinite(ds.x_train).all()
    if ds.task == "classification":
        assert ds.y_train.dtype == torch.int64 and int(ds.y_train.max()) < ds.n_classes
        assert set(ds.y_train.tolist()) == set(range(ds.n_classes))  # stratified: every class trains
    else:
        assert ds.y_train.shape[1] == 1


@pytest.mark.parametrize("name", ["spiral", "circle", "xor", "objects", "iris"])
def test_the_same_seed_gives_the_same_data(name):
    a = load_dataset(DataSpec(name, n_samples=60, seed=5, noise=0.2))
    b = load_dataset(DataSpec(name, n_samples=60, seed=5, noise=0.2))
    c = load_dataset(DataSpec(name, n_samples=60, seed=6, noise=0.2))
    assert torch.equal(a.x_train, b.x_train) and torch.equal(a.y_train, b.y_train)
    assert not torch.equal(a.x_train, c.x_train)


def test_engineered_features_follow_their_formulas():
    pts = np.array([[1.0, 2.0], [-0.5, 3.0]])
    x = engineer(pts, ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"))
    expected = [[1, 2, 1, 4, 2, np.sin(1), np.sin(2)], [-0.5, 3, 0.25, 9, -1.5, np.sin(-0.5), np.sin(3)]]
    np.testing.assert_allclose(x.numpy(), expected, rtol=1e-6)


def test_2d_sets_keep_their_points_beside_the_features():
    ds = load_dataset(DataSpec("circle", features=("x1^2", "x2^2")))
    np.testing.assert_allclose(ds.x_train[:, 0].numpy(), ds.points_train[:, 0] ** 2, rtol=1e-5)
    r = np.hypot(ds.points_train[:, 0], ds.points_train[:, 1])
    assert ((r < 2.5) == (ds.y_train.numpy() == 1)).all()  # noiseless circle: inside iff class "inside"


def test_tabular_features_are_standardized_on_the_training_split():
    ds = load_dataset(DataSpec("wine"))
    np.testing.assert_allclose(ds.x_train.mean(0).numpy(), 0, atol=1e-5)
    np.testing.assert_allclose(ds.x_train.std(0).numpy(), 1, atol=1e-4)
    assert len(ds.feature_names) == 13 and len(ds.class_names) == 3


def test_objects_images_are_rgb_in_unit_range():
    ds = load_dataset(DataSpec("objects", n_samples=30, image_size=32))
    assert ds.input_shape == (3, 32, 32)
    assert 0 <= float(ds.x_train.min()) and float(ds.x_train.max()) <= 1


@pytest.mark.parametrize(
    "spec, message",
    [
        (DataSpec("mnist-from-the-web"), "unknown dataset"),
        (DataSpec("spiral", noise=-0.1), "noise"),
        (DataSpec("spiral", noise=float("nan")), "noise"),
        (DataSpec("spiral", train_fraction=1.0), "training"),
        (DataSpec("spiral", n_samples=0), "number of samples"),
        (DataSpec("spiral", n_samples=10**9), "number of samples"),
        (DataSpec("spiral", seed=-1), "seed"),
        (DataSpec("spiral", features=()), "at least one input feature"),
        (DataSpec("spiral", features=("x3",)), "unknown"),
        (DataSpec("objects", image_size=4000), "pixels"),
    ],
)
def test_bad_data_settings_are_refused_with_a_message(spec, message):
    with pytest.raises(ValueError, match=message):
        load_dataset(spec)
