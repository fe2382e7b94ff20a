"""Save, load and export: a round trip restores the weights bit for bit; a corpus of hostile files
(made here) is refused readably without running anything; the exported code builds the same network."""

import io
import json
import pickle
import zipfile
from pathlib import Path

import pytest
import torch

from core import experiment
from core.data import DataSpec, load_dataset
from core.export import pytorch_code
from core.models import build_model
from core.playground.network import HiddenLayer, playground_spec
from core.presets import lenet
from core.training import TrainConfig, Trainer

MARK = Path("/tmp/nn_explainer_pickle_ran")


class Payload:
    def __reduce__(self):
        return (MARK.write_text, ("pickle code ran",))


@pytest.fixture(scope="module")
def trained():
    ds = load_dataset(DataSpec("spiral", n_samples=200, seed=3))
    spec = playground_spec(2, [HiddenLayer(8, "relu", batchnorm=True), HiddenLayer(4, "tanh", dropout=0.2)], 1)
    cfg = TrainConfig(optimizer="adam", learning_rate=0.01, seed=4)
    trainer = Trainer(build_model(spec, seed=4), ds, cfg)
    trainer.train_epochs(3)
    history = {"epoch": [1.0, 2.0, 3.0], "train_loss": [0.7, 0.6, 0.5]}
    blob = experiment.save(spec, trainer.model.state_dict(), DataSpec("spiral", n_samples=200, seed=3), cfg, history)
    return spec, trainer.model.eval(), ds, blob


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def _members(blob: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_a_round_trip_restores_weights_bit_for_bit_and_the_same_predictions(trained):
    spec, model, ds, blob = trained
    exp = experiment.load(blob)
    assert exp.spec == spec and exp.data.seed == 3 and exp.config.optimizer == "adam"
    assert exp.history["train_loss"] == [0.7, 0.6, 0.5]
    for name, value in model.state_dict().items():
        assert torch.equal(exp.weights[name], value), name
    again = exp.model().eval()
    assert torch.equal(again(ds.x_test), model(ds.x_test))


def _hostile(blob: bytes) -> dict[str, bytes]:
    good = _members(blob)
    meta = json.loads(good["experiment.json"])
    wrong_shape = dict(meta, spec=playground_spec(2, [HiddenLayer(9, "relu")], 1).to_dict())
    too_big = dict(meta, spec={**meta["spec"], "layers": [{"type": "dense", "units": 10**6}] * 3})
    evil = pickle.dumps({"dense_1.weight": Payload()})
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("experiment.json", good["experiment.json"])
        z.writestr("weights.safetensors", b"\0" * (60 * 2**20))  # 60 MB of zeros, a few KB packed
    return {
        "not a zip": b"\x89PNG\r\n\x1a\n" + b"\0" * 100,
        "truncated": blob[: len(blob) // 2],
        "empty": b"",
        "zip bomb": bomb.getvalue(),
        "no weights": _zip({"experiment.json": good["experiment.json"]}),
        "pickle as weights": _zip({**good, "weights.safetensors": evil}),
        "torch.save as weights": _zip({**good, "weights.safetensors": _torch_save({"x": Payload()})}),
        "weights of the wrong shapes": _zip({**good, "experiment.json": json.dumps(wrong_shape).encode()}),
        "a spec over the limits": _zip({**good, "experiment.json": json.dumps(too_big).encode()}),
        "json that is not json": _zip({**good, "experiment.json": b"{'spec': eval('1')}"}),
        "unknown data field": _zip({**good, "experiment.json": json.dumps(
            dict(meta, data={**meta["data"], "__class__": "os.system"})).encode()}),
        "history of text": _zip({**good, "experiment.json": json.dumps(
            dict(meta, history={"epoch": ["rm -rf /"]})).encode()}),
        "another format": _zip({**good, "experiment.json": json.dumps(dict(meta, format="pickle")).encode()}),
        "nested too deeply": _zip({**good, "experiment.json": b"[" * 100_000 + b"]" * 100_000}),
    }


def _torch_save(obj) -> bytes:
    buf = io.BytesIO()
    torch.save(obj, buf)
    return buf.getvalue()


def test_hostile_files_are_refused_readably_and_nothing_runs(trained):
    MARK.unlink(missing_ok=True)
    for name, data in _hostile(trained[3]).items():
        with pytest.raises(ValueError) as info:
            experiment.load(data)
        message = str(info.value)
        assert 10 < len(message) < 300 and "Traceback" not in message, (name, message)
    assert not MARK.exists()


def test_exported_code_builds_the_same_network(trained, tmp_path):
    spec, model, ds, _ = trained
    for net, ref in ((spec, model), (lenet(1, 8, 10), build_model(lenet(1, 8, 10), seed=2).eval())):
        code = pytorch_code(net)
        path = tmp_path / "network.py"
        path.write_text(code)
        namespace: dict = {}
        exec(compile(code, str(path), "exec"), namespace)  # our own generated code, checked here
        built = namespace["build"]()
        built.load_state_dict(ref.state_dict())
        built.eval()
        x = ds.x_test if net is spec else torch.rand(4, 1, 8, 8)
        assert torch.allclose(built(x), ref(x), atol=1e-6)


def test_a_deeply_nested_json_is_called_what_it_is(trained):
    blob = _zip({**_members(trained[3]), "experiment.json": b"[" * 100_000 + b"]" * 100_000})
    with pytest.raises(ValueError, match="nested too deeply") as info:
        experiment.load(blob)
    assert "damaged" not in str(info.value)
