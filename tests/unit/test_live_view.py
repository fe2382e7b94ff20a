"""The Playground's browser-drawn live view, without a browser: the numbers it is sent read back to the
frame they came from, recent snapshots are bounded, and a weight edit is checked and applied only while
paused."""

import json

import numpy as np
import pytest

from core.data import DataSpec, load_dataset
from core.models import build_model
from core.playground.frame import compute_frame, weight_names
from core.playground.live_payload import CURVE_POINTS, checked_edit, payload, quantize
from core.playground.network import HiddenLayer, playground_spec
from core.playground.plane import plane_probe
from core.training import ProcessJob, TrainConfig, TrainingJob
from core.viz.panels import from_b64
from core.viz.raster import map_rgb


def _setup(name="circle"):
    ds = load_dataset(DataSpec(name, n_samples=200))
    spec = playground_spec(2, [HiddenLayer(4), HiddenLayer(2)], 1)
    return ds, spec, build_model(spec, seed=0)


def _frame(job, ds, spec):
    return compute_frame(job.objective, spec, job.poll().snapshot, ds)


def test_the_payload_reads_back_to_the_frame(slots):
    ds, spec, model = _setup()
    job = TrainingJob(model, ds, TrainConfig(), slots=slots)
    job.step(3)
    job.wait(lambda v: v.epoch >= 3 and not v.active)
    frame = _frame(job, ds, spec)
    history = {"epoch": np.arange(1000), "train_loss": np.linspace(1, 0, 1000), "test_loss": np.linspace(2, 1, 1000)}
    data = payload([(frame, "a", 3)], ds, show_test=True, discretize=False, selected=(1, 2), editable=True,
                   text_px=12, history=history, metrics=[("Loss", "train_loss", "test_loss", False)], every_s=0.5)
    text = json.dumps(data)  # what the component receives
    assert len(text) < 64_000
    back = json.loads(text)
    assert back["v"] == "a" and back["epoch"] == 3 and back["every_s"] == 0.5
    sent = back["frames"][0]
    for i, (col, meta) in enumerate(zip(frame.columns, back["columns"])):
        assert meta["units"] == col.units and meta["title"] == col.title
        res = meta["res"]
        got = from_b64(sent["thumbs"][i], np.int8, (col.units, res, res))
        assert (got == quantize(col.maps)).all()
        assert np.allclose(got[:, ::-1, :] / 127, np.clip(col.maps, -1, 1), atol=1 / 127)  # row 0 on top
        assert sent["ranges"][i][0][0] == pytest.approx(float(col.maps[0].min()), abs=1e-5)
    for w, got in zip(frame.weights, sent["weights"]):
        assert np.allclose(np.asarray(got), w, atol=1e-4)
    m, fm = back["map"], sent["map"]
    assert (from_b64(fm["rgb"], np.uint8, (m["res"], m["res"], 3)) == map_rgb(frame.output_values, "binary")).all()
    assert m["train"]["n"] == len(ds.x_train) and m["test"]["n"] == len(ds.x_test)
    xy = from_b64(m["train"]["xy"], np.float32, (len(ds.x_train), 2))
    assert np.allclose(xy, ds.points_train, atol=1e-6)
    wrong = from_b64(fm["wrong_train"], np.uint8, (len(ds.x_train),))
    assert (wrong.astype(bool) == frame.wrong_train).all()
    curve = back["curves"][0]
    x = from_b64(curve["x"], np.float32, (curve["n"],))
    assert curve["n"] <= CURVE_POINTS + 1 and x[-1] == 999
    train = from_b64(curve["series"][0]["y"], np.float32, (curve["n"],))
    test = from_b64(curve["series"][1]["y"], np.float32, (curve["n"],))
    assert train[-1] == pytest.approx(0.0) and test[0] == pytest.approx(2.0)
    assert back["selected"] == [1, 2] and back["editable"] is True
    hidden = payload([(frame, 1, 3)], ds, show_test=False, discretize=True, selected=None, editable=False, text_px=18)
    assert hidden["map"]["test"]["n"] == 0 and hidden["curves"] == []
    two = payload([(frame, 1, 3), (frame, 2, 4)], ds, show_test=True, discretize=False, selected=None,
                  editable=False, text_px=12)
    assert [f["v"] for f in two["frames"]] == [1, 2] and two["v"] == 2 and two["epoch"] == 4  # oldest first


def test_a_job_keeps_its_recent_full_snapshots_for_the_live_view(slots):
    ds, spec, model = _setup()
    for job in (TrainingJob(model, ds, TrainConfig(), slots=slots, snapshot_every_s=0.01, probe=plane_probe),
                ProcessJob(build_model(spec, seed=0), ds, TrainConfig(), slots=slots, snapshot_every_s=0.01,
                           probe=plane_probe)):  # the probe crosses to the child
        try:
            job.start()
            view = job.wait(lambda v: len(v.recent) >= 4 and v.epoch > 20, timeout=60)
            assert len(view.recent) >= 4
            keys = [(s.step, s.wall_s) for s in view.recent]
            assert keys == sorted(set(keys))  # distinct, oldest first
            assert all(s.plane is not None and s.weights for s in view.recent)
            job.pause()
            job.reset()
            view = job.wait(lambda v: v.epoch == 0 and not v.active)
            assert all(s.step == 0 for s in view.recent)  # the earlier run's snapshots are gone
        finally:
            job.stop()


@pytest.mark.parametrize("event, message", [
    ("nonsense", "could not be read"), ({"layer": 0, "row": 0, "col": 0, "value": "abc"}, "must be a number"),
    ({"layer": 9, "row": 0, "col": 0, "value": 1}, "not in this network"),
    ({"layer": 0, "row": 0, "col": 7, "value": 1}, "not in this network"),
    ({"layer": 0, "row": 0, "col": 0, "value": "nan"}, "between"),
    ({"layer": 0, "row": 0, "col": 0, "value": 1e9}, "between")])
def test_bad_weight_edits_are_refused_with_a_reason(slots, event, message):
    ds, spec, model = _setup()
    job = TrainingJob(model, ds, TrainConfig(), slots=slots)
    with pytest.raises(ValueError, match=message):
        checked_edit(event, _frame(job, ds, spec))
    assert checked_edit({"layer": 1, "row": 1, "col": 0, "value": "-2.5"}, _frame(job, ds, spec)) == (1, 1, 0, -2.5)


@pytest.mark.parametrize("kind", ["thread", "process"])
def test_a_weight_edit_applies_while_paused_and_is_refused_while_training(slots, kind):
    ds, spec, model = _setup()
    job = TrainingJob(model, ds, TrainConfig(), slots=slots) if kind == "thread" else \
        ProcessJob(model, ds, TrainConfig(), slots=slots)
    try:
        name = weight_names(job.poll().snapshot)[1]
        job.edit_weight(name, (1, 0), -2.5)
        snap = job.wait(lambda v: v.snapshot is not None and v.snapshot.weights[name][1, 0] == -2.5).snapshot
        assert snap.weights[name][1, 0] == -2.5
        frame = compute_frame(job.objective, spec, snap, ds)  # the maps follow the edited weight
        assert frame.weights[1][1, 0] == -2.5
        with pytest.raises(ValueError, match="no weight"):
            job.edit_weight("dense_9.weight", (0, 0), 1.0)
        with pytest.raises(ValueError, match="not in this network"):
            job.edit_weight(name, (5, 5), 1.0)
        job.start()
        job.wait(lambda v: v.epoch > 0)
        with pytest.raises(ValueError, match="pause the training first"):
            job.edit_weight(name, (1, 0), 1.0)
    finally:
        job.stop()


def test_recent_snapshots_are_bounded_by_count_and_bytes():
    from collections import deque

    from core.training.record import RECENT, RECENT_BYTES, keep_recent
    from core.training.snapshot import Snapshot

    def snap(step, n):
        return Snapshot(0, step, 0.0, {"w": np.zeros(n, np.float32)}, {}, {}, {})

    recent = deque()
    for i in range(30):
        keep_recent(recent, snap(i, 10))
    assert [s.step for s in recent] == list(range(30 - RECENT, 30))  # the newest, oldest first
    big = RECENT_BYTES // 4 // 3 + 1  # three of these are more than the byte budget
    for i in range(5):
        keep_recent(recent, snap(100 + i, big))
    assert [s.step for s in recent] == [103, 104]
