"""AppTest: the Playground's flows (layers, activations, step, reset, CSV upload, bad input)."""

import numpy as np
import pytest
import torch

from core.training import JobState
from tests.conftest import open_page, unfold


@pytest.fixture
def at(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "thread")  # the same job API in-process; the browser tests use processes
    app = open_page("pages/playground.py")
    yield app
    pg = app.session_state["pg"]
    if pg.job is not None:
        pg.job.stop()


def _pg(at):
    return at.session_state["pg"]


def _button(at, key):
    return next(b for b in at.button if b.key == key)


def test_first_open_has_sensible_defaults(at):
    pg = _pg(at)
    assert pg.data.name == "circle" and [h.units for h in pg.hidden] == [4, 2]
    assert pg.job is not None and pg.job.poll().state == JobState.IDLE
    assert any("Epoch" in m.value for m in at.markdown)


def test_add_and_remove_a_layer(at):
    _button(at, "pg_add_layer").click().run()
    assert [h.units for h in _pg(at).hidden] == [4, 2, 2]
    assert not at.exception
    _button(at, "pg_remove_layer").click().run()
    _button(at, "pg_remove_layer").click().run()
    assert [h.units for h in _pg(at).hidden] == [4]
    _button(at, "pg_del_0").click().run()
    assert _pg(at).hidden == [] and not at.exception  # no hidden layer: a linear model
    assert "a linear model" in " ".join(c.value for c in at.caption)


def test_neurons_plus_and_minus_and_reorder(at):
    _button(at, "pg_plus_1").click().run()
    assert [h.units for h in _pg(at).hidden] == [4, 3]
    _button(at, "pg_minus_0").click().run()
    _button(at, "pg_down_0").click().run()
    assert [h.units for h in _pg(at).hidden] == [3, 3]
    assert _pg(at).job.model.dense_1.out_features == 3


def test_change_an_activation_rebuilds_the_network(at):
    old_job = _pg(at).job
    box = next(s for s in at.selectbox if s.key == "pg_act_0_tanh")
    box.set_value("relu").run()
    pg = _pg(at)
    assert pg.hidden[0].activation == "relu" and pg.hidden[1].activation == "tanh"
    assert pg.job is not old_job and type(pg.job.model.relu_1).__name__ == "ReLU"


def test_step_trains_one_epoch_and_reset_returns_to_zero(at):
    _button(at, "pg_step").click().run()
    job = _pg(at).job
    view = job.wait(lambda v: v.epoch == 1 and not v.active, timeout=20)
    assert view.epoch == 1
    at.run()
    assert any(m.value == "**Epoch** 1" for m in at.markdown)
    _button(at, "pg_reset").click().run()
    assert job.poll().epoch == 0
    assert any(m.value == "**Epoch** 0" for m in at.markdown)


def test_learning_rate_changes_reach_the_running_job(at):
    slider = next(s for s in at.select_slider if s.label == "Learning rate")
    job = _pg(at).job
    slider.set_value(0.3).run()
    assert _pg(at).job is job and job.poll().learning_rate == 0.3


def test_upload_a_csv_and_train_on_it(at):
    rows = "\n".join(f"{x:.3f},{y:.3f},{'yes' if x + y > 0 else 'no'}"
                     for x, y in np.random.default_rng(0).normal(size=(60, 2)))
    unfold(at, "pg_csv_open").file_uploader[0].set_value(("mine.csv", f"a,b,label\n{rows}".encode(), "text/csv")).run()
    assert not at.exception
    label = next(s for s in at.selectbox if s.label.startswith("Label column"))
    assert label.value == "label"
    next(b for b in at.button if b.label == "Train on this data").click().run()
    pg = _pg(at)
    assert pg.data.name == "csv" and pg.job.dataset.feature_names == ("a", "b")
    assert pg.job.dataset.class_names == ("no", "yes") and not at.exception
    assert any("no plane to draw" in i.value for i in at.info)
    # the training share and the seed stay, and split your rows anew
    share = next(s for s in at.slider if s.label == "Training data")
    share.set_value(80).run()
    assert not at.exception and len(_pg(at).job.dataset.x_train) == 48 and _pg(at).data.name == "csv"
    first = _pg(at).job.dataset.x_train.clone()
    next(n for n in at.number_input if n.label == "Seed").set_value(7).run()
    assert not torch.equal(_pg(at).job.dataset.x_train, first) and len(_pg(at).job.dataset.x_train) == 48
    assert _pg(at).job.dataset.feature_names == ("a", "b")
    uploader = unfold(at, "pg_csv_open").file_uploader[0]
    assert uploader.proto.max_upload_size_mb == 10  # what the app accepts, as the README says


def test_a_bad_csv_is_explained_beside_its_button_and_nothing_is_lost(at):
    before = _pg(at).job
    csv = b"a,b,label\n1,2,x\n2,3,y\n3,1,x\n0,2,y\n"
    unfold(at, "pg_csv_open").file_uploader[0].set_value(("four.csv", csv, "text/csv")).run()
    next(b for b in at.button if b.label == "Train on this data").click().run()
    box = next(e for e in at.expander if e.label == "Use your own CSV")
    assert box.proto.expanded  # open: the message and the choices stay where the student is looking
    assert any("rows" in e.value for e in box.error)  # beside the button, not at the top of the page
    pg = _pg(at)
    assert pg.job is before and pg.data.name == "circle" and not pg.error


def test_a_text_column_is_left_unselected_with_a_note(at):
    rows = "".join(f"p{i},{i % 3},{i % 5},{'yes' if i % 2 else 'no'}\n" for i in range(30))
    data = f"name,a,b,label\n{rows}".encode()
    unfold(at, "pg_csv_open").file_uploader[0].set_value(("named.csv", data, "text/csv")).run()
    features = next(m for m in at.multiselect if m.label == "Feature columns")
    assert features.value == ["a", "b"]  # not 'name': it holds text
    assert any("'name' holds text" in c.value for c in at.caption)
    next(b for b in at.button if b.label == "Train on this data").click().run()
    assert _pg(at).data.name == "csv" and _pg(at).job.dataset.feature_names == ("a", "b") and not at.exception


def test_a_diverging_run_is_explained(at):
    pg = _pg(at)
    slider = next(s for s in at.select_slider if s.label == "Learning rate")
    slider.set_value(10.0).run()
    next(s for s in at.slider if s.label == "Batch size").set_value(1).run()
    next(s for s in at.selectbox if s.label == "Loss").set_value("mse").run()
    for i in (0, 1):
        next(s for s in at.selectbox if s.key == f"pg_act_{i}_tanh").set_value("relu").run()
    job = _pg(at).job
    job.start()
    view = job.wait(lambda v: v.state == JobState.DIVERGED, timeout=30)
    assert view.state == JobState.DIVERGED
    at.run()
    assert any("too high" in e.value for e in at.error) and pg is _pg(at)


@pytest.mark.parametrize("name", ["spiral3", "blobs4", "reg_plane", "iris", "diabetes", "xor"])
def test_every_kind_of_dataset_trains_and_draws(at, name):
    box = next(s for s in at.selectbox if s.label == "Dataset")
    box.set_value(name).run()
    assert not at.exception, at.exception
    pg = _pg(at)
    assert pg.data.name == name
    _button(at, "pg_step").click().run()
    pg.job.wait(lambda v: v.epoch == 1 and not v.active, timeout=20)
    at.run()
    assert not at.exception, at.exception
    view = pg.job.poll()
    assert view.epoch == 1 and np.isfinite(view.history["train_loss"]).all()
    for choice in ("Weights & gradients", "Gradient norms", "Dead ReLUs", "Confusion matrix", "Neuron",
                   "Compare runs"):
        panel = next(s for s in at.segmented_control if s.label == "More views")
        panel.set_value(choice).run()
        assert not at.exception, (choice, at.exception)
        assert len(at.get("plotly_chart")) + len(at.info) >= 1


def test_reset_keeps_the_run_for_comparison(at):
    _button(at, "pg_step").click().run()
    _pg(at).job.wait(lambda v: v.epoch == 1 and not v.active, timeout=20)
    at.run()
    _button(at, "pg_reset").click().run()
    runs = _pg(at).runs
    assert len(runs) == 1 and runs[0]["epochs"] == 1 and "circle" in runs[0]["label"]


def test_chosen_input_features_stay_in_sight_and_captions_fit_the_task(at):
    at.button_group(key="pg_features").set_value(["x1", "x2", "sin(x1)", "sin(x2)"]).run()
    assert not at.exception and len(at.button_group(key="pg_features").value) == 4
    assert len(_pg(at).data.features) == 4
    captions = " ".join(c.value for c in at.caption)
    assert "orange is outside, blue inside" in captions and "x1 across, x2 up" in captions


def test_tabular_data_draws_each_neurons_value_on_a_chosen_row(at):
    next(s for s in at.selectbox if s.label == "Dataset").set_value("iris").run()
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "value on test row 0" in captions and "standardized" in captions
    at.slider(key="pg_sample").set_value(3).run()
    assert not at.exception and "value on test row 3" in " ".join(c.value for c in at.caption)


def test_the_learning_rate_slider_keeps_its_identity_across_reruns(at):
    slider = next(s for s in at.select_slider if s.label == "Learning rate")
    before = slider.id
    slider.set_value(0.3).run()
    after = next(s for s in at.select_slider if s.label == "Learning rate")
    assert after.value == 0.3 and _pg(at).config.learning_rate == 0.3
    assert after.id == before  # the same element: the browser keeps focus, arrow keys keep working


def test_the_training_controls_come_from_the_settings_table_and_a_change_reaches_the_job(at):
    from core.playground.fields import SETTINGS

    lr = at.select_slider(key=SETTINGS.key("learning_rate"))
    assert [float(o) for o in lr.options] == list(SETTINGS["learning_rate"].steps)
    assert lr.value == SETTINGS.default("learning_rate")
    batch = at.slider(key=SETTINGS.key("batch_size"))
    assert (batch.min, batch.max, batch.value) == (SETTINGS["batch_size"].lo, SETTINGS["batch_size"].hi,
                                                   SETTINGS.default("batch_size"))
    _button(at, "pg_play").click().run()
    job = _pg(at).job
    lr.set_value(0.3).run()
    assert not at.exception and job is _pg(at).job  # a live setting: the same run goes on
    assert job.config.learning_rate == 0.3 and job.wait(lambda v: v.learning_rate == 0.3)
