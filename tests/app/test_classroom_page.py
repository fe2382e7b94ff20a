"""AppTest: save -> load through the Playground (weights bit for bit), a bad file keeps the session's
model and history, and two sessions side by side never see each other's models."""

import io
import pickle
import zipfile
from dataclasses import replace

import torch

from core import experiment
from core.data.dataset import n_outputs_for
from core.playground.network import playground_spec
from tests.conftest import open_page, unfold
from ui.kit.text import plain


def pg_state_spec(pg):
    ds = pg.job.dataset
    return playground_spec(ds.input_shape[0], pg.hidden, n_outputs_for(ds))


def _button(at, key):
    return next(b for b in at.button if b.key == key)


def _trained(monkeypatch, epochs=3):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = open_page("pages/playground.py")
    pg = at.session_state["pg"]
    pg.job.step(epochs)
    pg.job.wait(lambda v: v.epoch == epochs and not v.active, timeout=30)
    at.run()
    return at, pg


def test_save_then_load_in_a_new_session_restores_the_network(monkeypatch):
    at, pg = _trained(monkeypatch)
    _button(unfold(at, "pg_save_open"), "pg_save_go").click().run()
    blob = at.session_state["pg_save_bytes"]
    saved = pg.job.model_copy().state_dict()
    pg.job.stop()

    other = open_page("pages/playground.py")
    unfold(other, "pg_save_open").file_uploader(key="pg_load_file").set_value(
        ("experiment.zip", blob, "application/zip")).run()
    _button(other, "pg_load_go").click().run()
    assert not other.exception and any(f"Loaded {plain('experiment.zip')}" in s.value for s in other.success)
    mine = other.session_state["pg"]
    restored = mine.job.model_copy().state_dict()
    for name, value in saved.items():
        assert torch.equal(restored[name], value), name
    assert any(r["label"].startswith("loaded:") and r["epochs"] == 3 for r in mine.runs)
    mine.job.step(1)  # and training carries on from there
    assert mine.job.wait(lambda v: v.epoch == 1 and not v.active, timeout=30).epoch == 1
    mine.job.stop()


def test_a_bad_file_is_refused_and_the_session_keeps_its_model(monkeypatch):
    at, pg = _trained(monkeypatch)
    job, before = pg.job, pg.job.model_copy().state_dict()
    blob = experiment.save(pg_state_spec(pg), before, replace(pg.data, features=("x1", "x2", "x1^2")), pg.config,
                           {"epoch": [1.0]})  # weights for 2 inputs, data with 3: must not reach the job
    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as z:
        z.writestr("notes.txt", "not an experiment")
    huge = experiment.save(pg_state_spec(pg), before, pg.data, pg.config, {"epoch": [1.0]},
                           {"regularization": "l2", "reg_rate": 1e308})  # loaded silently before issue 31
    unfold(at, "pg_save_open")
    for name, data in (("weights.zip", pickle.dumps({"a": 1})), ("fake.zip", b"PK\x03\x04 truncated"),
                       ("misfit.zip", blob), ("other.zip", other.getvalue()), ("[x](https://example.com).zip", huge)):
        at.file_uploader(key="pg_load_file").set_value((name, data, "application/zip")).run()
        _button(at, "pg_load_go").click().run()
        assert any("Could not load" in e.value and "as they were" in e.value for e in at.error)
        assert not any("?." in e.value or ".." in e.value for e in at.error)  # one sentence, one full stop
        assert at.session_state["pg"].job is job and job.poll().epoch == 3
    assert "regularization rate" in at.error[0].value and "0 to 10" in at.error[0].value
    assert "](https://example.com)" not in at.error[0].value  # the file's name is shown escaped, not as a link
    after = job.model_copy().state_dict()
    assert all(torch.equal(after[k], v) for k, v in before.items())
    job.stop()


def test_two_sessions_never_see_each_others_models(monkeypatch):
    a, pg_a = _trained(monkeypatch, epochs=4)
    b = open_page("pages/playground.py")
    pg_b = b.session_state["pg"]
    assert pg_a is not pg_b and pg_a.job is not pg_b.job and pg_b.job.poll().epoch == 0
    assert pg_a.job.model is not pg_b.job.model
    b.switch_page("pages/explain_lab.py").run()
    assert not any(o.startswith("Your Playground") for o in b.selectbox(key="xp_model").options)  # b trained nothing
    a.switch_page("pages/explain_lab.py").run()
    assert any(o.startswith("Your Playground") for o in a.selectbox(key="xp_model").options)
    pg_a.job.stop()
    pg_b.job.stop()


def test_a_job_stopped_while_the_tab_was_away_is_rebuilt_from_its_weights(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "process")
    at = open_page("pages/playground.py")
    pg = at.session_state["pg"]
    old = pg.job
    old.step(3)
    old.wait(lambda v: v.epoch == 3 and not v.active, timeout=30)
    weights = old.model_copy().state_dict()
    old.stop()  # what the janitor does once the session has been gone for a while
    assert old.closed
    at.run()
    assert not at.exception and pg.job is not old and not pg.job.closed
    restored = pg.job.model_copy().state_dict()
    assert all(torch.equal(restored[k], v) for k, v in weights.items())
    assert any(r["epochs"] == 3 for r in pg.runs)  # the run so far is kept for comparison
    pg.job.stop()
