"""The Playground's core: its network spec, neuron maps over the plane, diagnostics, CSV import."""

import numpy as np
import pytest
import torch

from core.data import DataSpec, load_dataset
from core.data.csv_data import MAX_CSV_BYTES, csv_dataset, read_csv
from core.data.dataset import n_outputs_for
from core.models import build_model, viewer_model
from core.playground.diagnostics import diagnose, oscillation
from core.playground.network import (
    HiddenLayer,
    neuron_layers,
    neuron_maps,
    playground_spec,
)
from core.specs import Activation, BatchNorm1d, Dense, Dropout
from core.validate import validate


def test_hidden_layers_become_a_spec_with_one_activation_each():
    spec = playground_spec(3, [HiddenLayer(5, "relu", batchnorm=True, dropout=0.2), HiddenLayer(2, "sigmoid")], 1)
    assert spec.layers == (Dense(5), BatchNorm1d(), Activation("relu"), Dropout(0.2), Dense(2),
                           Activation("sigmoid"), Dense(1))
    assert playground_spec(2, [], 1).layers == (Dense(1),)  # no hidden layer: a linear model
    with pytest.raises(ValueError, match="at most 6"):
        playground_spec(2, [HiddenLayer()] * 7, 1)
    with pytest.raises(ValueError, match="neurons"):
        HiddenLayer(0)
    with pytest.raises(ValueError, match="unknown activation"):
        HiddenLayer(3, "swish")


def test_output_count_follows_the_task():
    assert n_outputs_for(load_dataset(DataSpec("circle"))) == 1
    assert n_outputs_for(load_dataset(DataSpec("spiral3"))) == 3
    assert n_outputs_for(load_dataset(DataSpec("reg_plane"))) == 1


def test_neuron_maps_equal_a_hand_computed_forward_pass():
    spec = playground_spec(2, [HiddenLayer(3, "tanh")], 1)
    model = build_model(spec, seed=2)
    maps = neuron_maps(model, ("x1", "x2"), resolution=7)
    assert neuron_layers(model) == ["tanh_1", "dense_2"]
    gx, gy = np.meshgrid(maps.xs, maps.ys)
    pts = torch.tensor(np.stack([gx.ravel(), gy.ravel()], 1), dtype=torch.float32)
    w1, b1 = model.dense_1.weight.detach(), model.dense_1.bias.detach()
    hidden = torch.tanh(pts @ w1.T + b1)
    out = hidden @ model.dense_2.weight.detach().T + model.dense_2.bias.detach()
    np.testing.assert_allclose(maps.layers[0][1], hidden[:, 1].reshape(7, 7).numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(maps.output, out[:, 0].reshape(7, 7).numpy(), rtol=1e-5, atol=1e-6)
    assert maps.layers[0][0, 0, -1] == pytest.approx(float(hidden[6, 0]))  # row 0 = lowest y, last column = max x


def test_viewer_model_loads_snapshot_weights_and_batchnorm_statistics():
    spec = playground_spec(2, [HiddenLayer(4, "relu", batchnorm=True)], 1)
    trained = build_model(spec, seed=1)
    trained.train()
    trained(torch.randn(64, 2) * 3 + 1)  # moves the running statistics
    state = {k: v.numpy() for k, v in trained.state_dict().items()}
    viewer = viewer_model(spec, state)
    x = torch.randn(5, 2)
    torch.testing.assert_close(viewer(x), trained.eval()(x))


def _history(train, test=None):
    train = np.asarray(train, float)
    test = train if test is None else np.asarray(test, float)
    return {"epoch": np.arange(len(train)), "train_loss": train, "test_loss": test}


def test_an_oscillating_loss_raises_the_learning_rate_hint():
    zigzag = 0.5 + 0.2 * (np.arange(60) % 2)
    assert oscillation(zigzag) > 0.9
    titles = [h.title for h in diagnose(_history(zigzag))]
    assert "The loss oscillates" in titles


def test_a_healthy_run_raises_no_hint():
    smooth = np.exp(-np.arange(80) / 20) + 0.05
    assert diagnose(_history(smooth, smooth * 1.05), {"dense_1": 0.5, "dense_2": 0.8}, {"relu_1": 0.1}) == []


def test_vanishing_gradients_overfitting_and_dead_relus_are_named():
    train = np.exp(-np.arange(100) / 15)
    test = np.concatenate([np.exp(-np.arange(40) / 15), np.exp(-39 / 15) + np.arange(60) * 0.01])
    hints = diagnose(_history(train, test), {"dense_1": 1e-7, "dense_2": 1e-3, "dense_3": 0.5},
                     {"relu_2": 0.75}, {"dense_1": "sigmoid"})
    titles = " | ".join(h.title for h in hints)
    assert "Gradients vanish in dense_1" in titles and "Overfitting" in titles and "75%" in titles
    assert any("try ReLU" in h.advice for h in hints)


CSV = b"height,weight,kind\n" + b"\n".join(
    f"{h},{w},{'a' if h > 1.5 else 'b'}".encode() for h, w in zip(np.linspace(1, 2, 30), np.linspace(50, 90, 30)))


def test_a_csv_becomes_a_standardized_classification_dataset():
    ds, notes = csv_dataset(read_csv(CSV, "people.csv"), "kind", ["height", "weight"])
    assert ds.task == "classification" and ds.class_names == ("a", "b") and ds.input_shape == (2,)
    assert ds.feature_names == ("height", "weight") and notes == []
    np.testing.assert_allclose(ds.x_train.mean(0).numpy(), 0, atol=1e-5)


def test_a_numeric_label_with_many_values_is_regression():
    data = b"x,y\n" + b"\n".join(f"{i},{i * 0.37 + 0.1}".encode() for i in range(40))
    ds, _ = csv_dataset(read_csv(data), "y", ["x"])
    assert ds.task == "regression"


def test_rows_with_missing_values_are_left_out_and_said():
    data = CSV + b"\n1.7,,a\n1.2,60,"
    ds, notes = csv_dataset(read_csv(data), "kind", ["height", "weight"])
    assert len(ds) == 30 and "2 row(s) with missing values" in notes[0]


@pytest.mark.parametrize("data, label, features, message", [
    (b"a,b\n1,x\n2,y\n" * 10, "a", ["b"], "column 'b' has text"),
    (b"x,y\n" + b"1,same\n" * 20, "y", ["x"], "only one class"),
    (b"x,y\n1,a\n", "y", ["x"], "at least 10"),
    (b"x,y\n" + b"1,a\n" * 12, "x", ["x"], "at least one feature"),
    (b"x,y\n" + b"\n".join(f"{i},c{i}".encode() for i in range(40)), "y", ["x"], "different values"),
])
def test_bad_csv_columns_are_refused_readably(data, label, features, message):
    with pytest.raises(ValueError, match=message):
        csv_dataset(read_csv(data), label, features)


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "not a text CSV"),
    (b"only_one_column\n1\n2\n", "only 1 column"),
    (b"x" * (MAX_CSV_BYTES + 1), "up to 10 MB"),
])
def test_bad_csv_files_are_refused_readably(data, message):
    with pytest.raises(ValueError, match=message):
        read_csv(data, "upload.csv")


def test_csv_spec_limits_still_apply():
    ds, _ = csv_dataset(read_csv(CSV), "kind", ["height", "weight"])
    assert validate(playground_spec(2, [HiddenLayer(4)], n_outputs_for(ds)), n_outputs_for(ds)).total_params > 0


def test_a_csv_error_names_the_line_of_the_file_even_after_incomplete_rows_were_dropped():
    rows = ["a,b,label"] + [f"{i},{i * 2},{i % 2}" for i in range(12)]
    rows[3] = "5,,1"  # line 4: incomplete, dropped
    rows[7] = "7,oops,0"  # line 8: text in a numeric column
    table = read_csv("\n".join(rows).encode())
    with pytest.raises(ValueError, match="'oops' on line 8 of the file"):
        csv_dataset(table, "label", ["a", "b"])


def _real_run(name, lr, epochs=120, act="tanh"):
    from core.training import TrainConfig, Trainer

    ds = load_dataset(DataSpec(name, n_samples=500, train_fraction=0.5))
    spec = playground_spec(2, [HiddenLayer(4, act), HiddenLayer(2, act)], n_outputs_for(ds))
    trainer = Trainer(build_model(spec, seed=0), ds, TrainConfig(learning_rate=lr, batch_size=10))
    trainer.reset(0)
    rows, norms = [], []
    for _ in range(epochs):
        trainer.train_epochs(1)
        rows.append(trainer.evaluate())
        norms.append(trainer.snapshot().grad_norms)
    history = {k: np.array([r[k] for r in rows]) for k in rows[0]}
    return history, norms


def test_the_default_playground_run_raises_no_hint_and_a_learning_rate_of_ten_oscillates():
    history, norms = _real_run("circle", 0.03)
    assert diagnose(history, norms[-5:]) == []
    history, norms = _real_run("xor", 10.0)
    titles = [h.title for h in diagnose(history, norms[-5:], activations={"dense_1": "tanh"})]
    assert titles[0] == "The loss oscillates" and not any("vanish" in t for t in titles)


def test_the_learning_rate_too_high_lessons_run_is_named_as_the_learning_rate_not_the_activation():
    """The lesson's run (circle, tanh 4-2, learning rate 3, batch 10): large steps saturate its tanh units, so
    its first layer's gradient does vanish at times, but every hint the run raises is about the step size."""
    history, norms = _real_run("circle", 3.0, epochs=400)
    saturated = 0
    for e in range(40, 401, 20):
        recent = norms[e - 5:e]
        if np.mean([n["dense_1"] for n in recent]) < 1e-3 * np.mean([n["dense_3"] for n in recent]):
            saturated += 1
        titles = [h.title for h in diagnose({k: v[:e] for k, v in history.items()}, recent,
                                            activations={"dense_1": "tanh", "dense_2": "tanh"})]
        assert titles and titles[0] in ("The loss oscillates", "The loss is rising", "The loss was lower before"), \
            (e, titles)
        assert not any("vanish" in t for t in titles), (e, titles)
    assert saturated >= 3  # the case the hint used to get wrong: vanishing gradients from oversized steps


def test_a_deep_sigmoid_network_with_a_small_learning_rate_gets_the_vanishing_gradient_hint():
    from core.training import TrainConfig, Trainer

    ds = load_dataset(DataSpec("circle", n_samples=500, train_fraction=0.5))
    spec = playground_spec(2, [HiddenLayer(4, "sigmoid")] * 6, n_outputs_for(ds))
    trainer = Trainer(build_model(spec, seed=0), ds, TrainConfig(learning_rate=0.01, batch_size=10))
    trainer.reset(0)
    rows, norms = [], []
    for _ in range(60):
        trainer.train_epochs(1)
        rows.append(trainer.evaluate())
        norms.append(trainer.snapshot().grad_norms)
    history = {k: np.array([r[k] for r in rows]) for k in rows[0]}
    hints = diagnose(history, norms[-5:], activations={f"dense_{i + 1}": "sigmoid" for i in range(6)})
    assert [h.title for h in hints] == ["Gradients vanish in dense_1"]
    assert "try ReLU" in hints[0].advice


def test_minibatch_ripples_and_a_single_spike_are_not_oscillation():
    rng = np.random.default_rng(0)
    falling = np.exp(-np.arange(80) / 30) + 0.05 + rng.normal(0, 0.004, 80)  # noise on a falling loss
    assert diagnose(_history(falling)) == []
    spike = np.exp(-np.arange(80) / 30) + 0.05
    spike[60] *= 3
    assert diagnose(_history(spike)) == []


def test_a_test_accuracy_above_the_training_accuracy_is_never_overfitting():
    train = np.exp(-np.arange(100) / 15) + 0.05
    test = np.concatenate([train[:40], train[39] + np.arange(60) * 0.01])
    history = {**_history(train, test), "train_acc": np.full(100, 0.960), "test_acc": np.full(100, 0.973)}
    assert not any("Overfitting" in h.title for h in diagnose(history))
    history["train_acc"] = np.full(100, 0.99)
    history["test_acc"] = np.full(100, 0.80)
    assert any("Overfitting" in h.title for h in diagnose(history))


def test_with_many_inputs_the_drawing_shows_names_and_one_rows_values_from_a_plain_forward_pass():
    from core.playground.frame import compute_frame
    from core.training import TrainConfig, Trainer

    ds = load_dataset(DataSpec("iris"))
    spec = playground_spec(4, [HiddenLayer(3, "tanh")], n_outputs_for(ds))
    trainer = Trainer(build_model(spec, seed=1), ds, TrainConfig())
    frame = compute_frame(trainer.objective, spec, trainer.snapshot(), ds, sample=5)
    assert frame.maps is None and frame.columns[0].labels == ds.feature_names
    model = viewer_model(spec, trainer.snapshot().state)
    with torch.no_grad():
        hidden = torch.tanh(model.dense_1(ds.x_test[5:6]))[0].numpy()
        out = model(ds.x_test[5:6])[0].numpy()
    np.testing.assert_allclose(frame.columns[1].values, hidden, rtol=1e-5)
    np.testing.assert_allclose(frame.columns[-1].values, out, rtol=1e-5)
    np.testing.assert_allclose(frame.columns[0].values, ds.x_test[5].numpy())


def test_the_drawings_plus_and_minus_edit_the_hidden_layers_within_the_limits():
    from core.playground.network import MAX_HIDDEN_LAYERS, MAX_UNITS, HiddenLayer, edit_layers

    net = (HiddenLayer(4, "relu", batchnorm=True, dropout=0.1), HiddenLayer(2, "tanh"))
    wider = edit_layers(net, {"op": "add_neuron", "layer": 0})
    assert wider[0] == HiddenLayer(5, "relu", batchnorm=True, dropout=0.1) and wider[1] == net[1]  # the rest kept
    assert edit_layers(net, {"op": "remove_neuron", "layer": 1})[1].units == 1
    assert edit_layers(net, {"op": "add_layer"}) == [*net, HiddenLayer(2, "tanh")]  # as wide as the last
    assert edit_layers(net, {"op": "remove_layer"}) == [net[0]]
    assert edit_layers((), {"op": "add_layer"}) == [HiddenLayer(4, "tanh")]
    assert list(net) == [HiddenLayer(4, "relu", batchnorm=True, dropout=0.1), HiddenLayer(2, "tanh")]  # unchanged
    for bad, message in [((HiddenLayer(1),), {"op": "remove_neuron", "layer": 0}),
                         ((HiddenLayer(MAX_UNITS),), {"op": "add_neuron", "layer": 0}),
                         ((HiddenLayer(),) * MAX_HIDDEN_LAYERS, {"op": "add_layer"}),
                         ((), {"op": "remove_layer"}),
                         (net, {"op": "add_neuron", "layer": 2}), (net, {"op": "add_neuron", "layer": True}),
                         (net, {"op": "add_neuron"}), (net, {"op": "explode"}), (net, "add_layer"), (net, None)]:
        with pytest.raises(ValueError):
            edit_layers(bad, message)
