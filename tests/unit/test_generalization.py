"""The Generalization lab's core against trusted references: a variant trained beside others is the same
run as that variant trained alone (and the baseline the same as a plain `Trainer`); L2 and dropout change
the weights as their formulas say (checked with autograd); early stopping stops `patience` epochs after
the minimum of the validation curve and goes back to that epoch's weights; augmentations keep shapes
and labels and are seeded; a sweep's points are real training runs."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from core.data.augment import FUNCS, OPS, augment, few_per_class
from core.generalization.augment import AugSpec, compare_trainer
from core.generalization.sweeps import SweepSpec, SweepTrainer, train_point
from core.generalization.trainer import AugmentedTrainer, VariantsTrainer
from core.generalization.variants import GenSpec, build, make_data, setup
from core.training import TrainConfig, TrainingJob
from core.training.engine import Trainer


def _epochs(t, n: int) -> list[dict]:
    rows = []
    for _ in range(n):
        t.run()
        rows.append(t.evaluate())
    return rows


def _state(model) -> dict[str, torch.Tensor]:
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def test_a_variant_trained_beside_others_is_the_same_run_as_trained_alone():
    spec = GenSpec(variants=("baseline", "dropout", "l2", "batchnorm", "augment", "smaller"))
    together = VariantsTrainer(spec)
    _epochs(together, 15)
    for v in ("dropout", "batchnorm", "augment"):
        alone = VariantsTrainer(spec.with_(variants=(v,)))
        _epochs(alone, 15)
        a, b = _state(together.trainers[v].model), _state(alone.trainers[v].model)
        assert all(torch.equal(a[k], b[k]) for k in a), v
    for v in ("baseline", "l2", "smaller"):  # and the same as a plain Trainer of that setup
        s = setup(spec, v)
        plain = Trainer(build(s), s.dataset, s.config)
        plain.reset()
        plain.train_epochs(15)
        a, b = _state(together.trainers[v].model), _state(plain.model)
        assert all(torch.equal(a[k], b[k]) for k in a), v


def test_the_variants_share_the_data_and_the_start():
    spec = GenSpec(label_noise=0.2, variants=("baseline", "dropout", "more_data"))
    data = make_data(spec)
    t = VariantsTrainer(spec)
    base, more = t.trainers["baseline"].dataset, t.trainers["more_data"].dataset
    assert len(base.x_train) == spec.n_train and len(more.x_train) == spec.n_train * spec.more_data
    assert torch.equal(more.x_train[:spec.n_train], base.x_train) and torch.equal(base.x_test, more.x_test)
    # label noise flips training labels only, exactly those marked
    clean = make_data(spec.with_(label_noise=0.0))
    assert np.array_equal(clean.test_labels, data.test_labels) and np.array_equal(clean.val_labels, data.val_labels)
    assert np.array_equal(clean.train_labels != data.train_labels, data.flipped) and 0 < data.flipped.mean() < 0.4
    # same initial weights where the layers are the same
    b, d = t.trainers["baseline"].model, t.trainers["dropout"].model
    assert torch.equal(b.dense_1.weight, d.dense_1.weight)


def test_l2_shrinks_the_weights_as_its_formula_says():
    spec = GenSpec(optimizer="sgd", learning_rate=0.1, l2=0.05, batch_size=40, variants=("l2",))
    t = VariantsTrainer(spec)
    tr = t.trainers["l2"]
    w0 = {n: p.detach().clone() for n, p in tr.model.named_parameters()}
    ref = build(setup(spec, "l2"))
    ref.load_state_dict(_state(tr.model))
    loss = tr.objective.loss(ref(tr.x_train), tr.t_train)  # the full batch: one step, order does not matter
    grads = dict(zip([n for n, _ in ref.named_parameters()], torch.autograd.grad(loss, list(ref.parameters()))))
    t.run()
    for n, p in tr.model.named_parameters():
        decay = spec.l2 * w0[n] if p.dim() >= 2 else 0.0  # weights decay, biases do not
        expected = w0[n] - spec.learning_rate * (grads[n] + decay)
        assert torch.allclose(p.detach(), expected, atol=1e-6), n


def test_dropout_trains_the_thinned_network_and_tests_the_whole_one():
    spec = GenSpec(optimizer="sgd", learning_rate=0.1, batch_size=40, depth=1, dropout=0.5, variants=("dropout",))
    t = VariantsTrainer(spec)
    tr = t.trainers["dropout"]
    model = tr.model
    w0 = {n: p.detach().clone() for n, p in model.named_parameters()}
    perm = torch.randperm(tr.n, generator=torch.Generator().manual_seed(spec.seed))  # as the trainer draws them
    masks = torch.Generator().manual_seed(spec.seed + 1)
    x, target = tr.x_train[perm], tr.t_train[perm]
    W1, b1 = w0["dense_1.weight"].requires_grad_(), w0["dense_1.bias"].requires_grad_()
    W2, b2 = w0["dense_2.weight"].requires_grad_(), w0["dense_2.bias"].requires_grad_()
    h = torch.relu(x @ W1.T + b1)
    keep = torch.empty_like(h).bernoulli_(1 - spec.dropout, generator=masks)
    out = (h * keep / (1 - spec.dropout)) @ W2.T + b2  # kept units scaled by 1/(1-p), dropped ones give 0
    grads = torch.autograd.grad(tr.objective.loss(out, target), [W1, b1, W2, b2])
    t.run()
    pairs = (("dense_1.weight", W1), ("dense_1.bias", b1), ("dense_2.weight", W2), ("dense_2.bias", b2))
    for (name, w), g in zip(pairs, grads):
        assert torch.allclose(dict(model.named_parameters())[name].detach(), w.detach() - spec.learning_rate * g,
                              atol=1e-6), name
    model.eval()  # at test time dropout is the identity: the whole network
    with torch.no_grad():
        hidden = torch.relu(tr.x_test @ model.dense_1.weight.T + model.dense_1.bias)
        whole = hidden @ model.dense_2.weight.T + model.dense_2.bias
        assert torch.allclose(model(tr.x_test), whole, atol=1e-6)


def test_early_stopping_stops_patience_epochs_after_the_validation_minimum_and_keeps_its_weights():
    spec = GenSpec(patience=15, variants=("early_stop",))
    t = VariantsTrainer(spec)
    vals, states = [], []
    while not t.stopped and t.epoch < 600:
        t.run()
        row = t.evaluate()
        vals.append(row["early_stop_val_loss"])
        states.append(_state(t.trainers["early_stop"].model))
    assert t.stopped, "it never stopped"
    seen = vals[:t.stopped - 1]  # the rows before the stop: what it saw while training
    best = int(np.argmin(seen)) + 1
    assert t.best_epoch == best and t.stopped == best + spec.patience
    assert row["early_stop_best"] == best and row["early_stop_stopped"] == t.stopped
    assert math.isclose(vals[-1], min(seen), rel_tol=1e-6)  # back at the best epoch's weights
    assert all(torch.equal(states[best - 1][k], states[-1][k]) for k in states[-1])
    frozen = states[-1]
    _epochs(t, 3)  # and it trains no more
    assert all(torch.equal(frozen[k], v) for k, v in _state(t.trainers["early_stop"].model).items())


@pytest.mark.parametrize("op", list(OPS))
def test_each_augmentation_keeps_the_shape_and_range_and_is_seeded(op):
    x = torch.rand(6, 3, 16, 16)
    a, drawn = augment(x, (op,), torch.Generator().manual_seed(3))
    b, _ = augment(x, (op,), torch.Generator().manual_seed(3))
    c, _ = augment(x, (op,), torch.Generator().manual_seed(4))
    assert a.shape == x.shape and a.dtype == x.dtype and float(a.min()) >= 0 and float(a.max()) <= 1
    assert torch.equal(a, b) and not torch.equal(a, c) and len(drawn) == 6 and all(len(d) == 1 for d in drawn)
    assert not torch.equal(a, x)


def test_flip_mirrors_and_cutout_blanks_one_square():
    x = torch.rand(8, 1, 8, 8) + 0.01
    out, drawn = FUNCS["flip"](x, torch.Generator().manual_seed(0))
    for i, d in enumerate(drawn):
        assert torch.equal(out[i], x[i].flip(-1) if d == "flipped" else x[i])
    out, _ = FUNCS["cutout"](x.clamp(max=1), torch.Generator().manual_seed(0))
    assert ((out == 0).sum(dim=(1, 2, 3)) == 4).all()  # a 2x2 square in each 8x8 image


def test_augmented_training_keeps_each_batch_s_labels():
    from core.data import DataSpec, load_dataset

    ds = few_per_class(load_dataset(DataSpec("digits", train_fraction=0.7)), 5, 0)
    seen = []

    def record(xb, gen):
        seen.append(xb.shape)
        return xb.flip(-1)

    spec = AugSpec(per_class=5)
    t = AugmentedTrainer(build_model_for(ds), ds, TrainConfig(batch_size=16, seed=0), record)
    t.reset()
    labels = torch.bincount(t.t_train, minlength=10)
    t.train_epochs(1)
    assert sum(s[0] for s in seen) == len(ds.x_train) and all(s[1:] == ds.x_train.shape[1:] for s in seen)
    assert torch.equal(torch.bincount(t.t_train, minlength=10), labels) and (labels == spec.per_class).all()
    both = compare_trainer(AugSpec(per_class=5, epochs=3), load_dataset(DataSpec("digits", train_fraction=0.7)))
    _epochs(both, 2)
    m = both.evaluate()
    assert {"plain_test_acc", "augmented_test_acc"} <= set(m) and both.trainers["plain"].n == 50


def build_model_for(ds):
    from core.generalization.augment import small_cnn
    from core.models import build_model

    return build_model(small_cnn(ds), 0)


def test_a_sweep_point_is_a_real_training_run():
    spec = SweepSpec("capacity", GenSpec(), epochs=20, repeats=1)
    t = SweepTrainer(spec)
    progress = [t.progress()]
    rows = []
    while not t.done:
        if t.run(0.05):
            rows.append(t.evaluate())
        progress.append(t.progress())
    assert [r["value"] for r in rows] == list(spec.values) and progress[-1] == 1.0
    assert all(b >= a for a, b in zip(progress, progress[1:]))
    for r in rows[:3]:
        m = train_point(spec.point(r["value"], 0), 20).metrics()
        assert math.isclose(r["test_error"], 1 - m.test_acc) and math.isclose(r["train_loss"], m.train_loss)


def test_variants_run_as_a_job_with_their_columns_and_maps():
    spec = GenSpec(variants=("baseline", "early_stop"))
    job = TrainingJob(VariantsTrainer(spec), config=TrainConfig(max_epochs=5))
    try:
        job.start()
        view = job.wait(lambda v: not v.active and v.epoch >= 5, timeout=30)
        assert view.epoch == 5
        assert {"baseline_test_loss", "early_stop_val_loss", "early_stop_stopped"} <= set(view.history)
        maps = view.snapshot.plane
        assert set(maps) == {"baseline", "early_stop"} and maps["baseline"].shape == (40, 40)
        assert 0 <= maps["baseline"].min() and maps["baseline"].max() <= 1
    finally:
        job.stop()


@pytest.mark.parametrize("bad, message", [
    ({"dataset": "mnist"}, "choose a dataset"), ({"variants": ("magic",)}, "choose variants"),
    ({"n_train": 3}, "training points"), ({"dropout": 1.5}, "dropout"), ({"learning_rate": -1.0}, "learning rate"),
])
def test_bad_settings_are_refused_readably(bad, message):
    with pytest.raises(ValueError, match=message):
        GenSpec(**bad)


def test_variants_train_in_a_child_process_with_their_maps():
    from functools import partial

    from core.training import make_job
    from core.training.record import snapshot_bytes

    job = make_job(partial(VariantsTrainer, GenSpec(variants=("baseline", "early_stop"))),
                   config=TrainConfig(max_epochs=3), process=True)
    try:
        job.start()
        view = job.wait(lambda v: v.epoch >= 3 and not v.active, timeout=60)
        assert view.epoch == 3 and set(view.snapshot.plane) == {"baseline", "early_stop"}
        weights = sum(w.nbytes for w in view.snapshot.weights.values())
        assert snapshot_bytes(view.snapshot) == weights + 2 * 40 * 40 * 4  # the maps count towards the cap
    finally:
        job.stop()


def _broken():
    raise ValueError("a trainer that cannot be built")


def test_a_job_whose_trainer_cannot_be_built_fails_at_once_instead_of_hanging():
    from core.training import make_job

    with pytest.raises(RuntimeError, match="could not build"):
        make_job(_broken, config=TrainConfig(), process=True)


def test_a_snapshot_restarts_a_job_where_it_was():
    """A job closed while its tab was away starts again from its last snapshot: the snapshot's weights
    (batch norm's running statistics too) load into a new trainer's joint model, name for name."""
    spec = GenSpec(variants=("baseline", "batchnorm", "dropout"))
    vt = VariantsTrainer(spec)
    for _ in range(3):
        vt.run()
    state = vt.snapshot().state
    fresh = VariantsTrainer(spec)
    fresh.model.load_state_dict({k: torch.as_tensor(v) for k, v in state.items()})  # strict: every key
    for a, b in zip(vt.model.state_dict().values(), fresh.model.state_dict().values()):
        assert torch.equal(a, b)
