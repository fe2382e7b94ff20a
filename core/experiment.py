"""Save and load an experiment: one zip with `experiment.json` (format, network spec, data spec,
training settings, history) and `weights.safetensors`. Never a pickle.

Loading treats the file as hostile: the zip's size and member sizes are capped before anything is
read (zip bombs), only the two known members are read, the JSON is parsed strictly (the spec with the
same checks as the builder; only known fields of known types elsewhere), the weights are read by
safetensors (which holds tensors and nothing else), and every tensor's name and shape must match the
network the spec builds. Each refusal says what is wrong.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np
import torch
from safetensors.torch import load as load_safetensors
from safetensors.torch import save as save_safetensors

from core.data import DataSpec
from core.models import Network, build_model
from core.specs import NetworkSpec
from core.training import TrainConfig
from core.validate import spec_from_dict
from core.zoo.shipped import load_checked

FORMAT = "nn-explainer-experiment/1"
MAX_FILE = 60 * 2**20
MAX_JSON = 2 * 2**20
MAX_WEIGHTS = 40 * 2**20  # 5 million float32 parameters plus buffers
MAX_HISTORY_ROWS = 4000


@dataclass(frozen=True)
class Experiment:
    spec: NetworkSpec
    data: DataSpec
    config: TrainConfig
    weights: dict[str, torch.Tensor]
    history: dict[str, list[float]]
    settings: dict[str, Any]  # page extras: regularization, hidden-layer form, epoch reached

    def model(self, n_outputs: int | None = None) -> Network:
        """The network the spec builds, with these weights (names and shapes checked)."""
        model = build_model(self.spec, seed=0, n_outputs=n_outputs)
        load_checked(model, self.weights)
        return model


def save(spec: NetworkSpec, state: dict[str, torch.Tensor], data: DataSpec, config: TrainConfig,
         history: dict[str, Any], settings: dict[str, Any] | None = None) -> bytes:
    """The experiment as zip bytes."""
    hist = {k: [float(v) for v in np.asarray(col, float)[-MAX_HISTORY_ROWS:]] for k, col in history.items()}
    meta = {"format": FORMAT, "spec": spec.to_dict(), "data": asdict(data), "config": asdict(config),
            "history": hist, "settings": settings or {}}
    tensors = {k: v.detach().cpu().contiguous().clone() for k, v in state.items()}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("experiment.json", json.dumps(meta, indent=1))
        z.writestr("weights.safetensors", save_safetensors(tensors))
    return buf.getvalue()


def _read_member(z: zipfile.ZipFile, name: str, limit: int) -> bytes:
    try:
        info = z.getinfo(name)
    except KeyError:
        raise ValueError(f"the file has no {name}: is it an experiment saved from this app?") from None
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ValueError(f"{name} is packed with a method this app does not read (only stored or deflated)")
    if info.file_size > limit:
        raise ValueError(f"{name} would unpack to {info.file_size / 2**20:.0f} MB; at most {limit // 2**20} MB")
    with z.open(info) as f:
        data = f.read(limit + 1)  # the header's size can lie: read no more than the cap
    if len(data) > limit:
        raise ValueError(f"{name} unpacks to more than {limit // 2**20} MB")
    return data


def _strict(cls: type, data: Any, what: str) -> Any:
    """A frozen dataclass from a dict with only its own fields, each of a plain JSON type."""
    if not isinstance(data, dict):
        raise ValueError(f"the {what} settings are not a JSON object")
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise ValueError(f"unknown {what} setting(s): {', '.join(map(str, unknown))[:60]}")
    clean = {}
    for k, v in data.items():
        if isinstance(v, list):
            if not all(isinstance(i, str) and len(i) <= 40 for i in v) or len(v) > 20:
                raise ValueError(f"the {what} setting '{k}' is not a short list of names")
            v = tuple(v)
        elif not isinstance(v, (int, float, str, bool)) or (isinstance(v, str) and len(v) > 60):
            raise ValueError(f"the {what} setting '{k}' has a value of the wrong kind")
        clean[k] = v
    try:
        return cls(**clean)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"the {what} settings are not valid: {str(exc)[:120]}") from None


def load(data: bytes) -> Experiment:
    """An `Experiment` from zip bytes, or a `ValueError` a student can read."""
    if len(data) > MAX_FILE:
        raise ValueError(f"the file is {len(data) / 2**20:.0f} MB; experiments up to {MAX_FILE // 2**20} MB load")
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError):
        raise ValueError("this is not an experiment file (a .zip saved from this app)") from None
    with z:
        try:
            meta = json.loads(_read_member(z, "experiment.json", MAX_JSON))
            raw = _read_member(z, "weights.safetensors", MAX_WEIGHTS)
        except RecursionError:  # before RuntimeError, of which it is a kind
            raise ValueError("experiment.json is nested too deeply to be an experiment from this app (lists or "
                             "objects inside each other thousands of times); refused") from None
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError):
            raise ValueError("the zip file is damaged or truncated") from None
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise ValueError("experiment.json is not valid JSON") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ValueError("experiment.json is not from this app (unknown format)")
    spec = spec_from_dict(meta.get("spec"))
    data_spec = _strict(DataSpec, meta.get("data"), "data")
    config = _strict(TrainConfig, meta.get("config"), "training")
    try:
        weights = load_safetensors(raw)
    except Exception:  # safetensors raises its own error type for anything malformed
        raise ValueError("weights.safetensors is not a valid safetensors file (a renamed pickle, perhaps); "
                         "only safetensors weights are accepted") from None
    history = meta.get("history") or {}
    if not isinstance(history, dict) or not all(isinstance(v, list) and len(v) <= MAX_HISTORY_ROWS and
                                                all(isinstance(i, (int, float)) for i in v) for v in history.values()):
        raise ValueError("the training history in experiment.json is not a table of numbers")
    settings = meta.get("settings") or {}
    if not isinstance(settings, dict) or len(json.dumps(settings)) > 10_000:
        raise ValueError("the page settings in experiment.json are not a small JSON object")
    exp = Experiment(spec, data_spec, config, weights, {str(k)[:30]: v for k, v in history.items()}, settings)
    exp.model()  # every tensor's name and shape against the network the spec builds
    return exp
