"""The Playground's share link: one typed field per setting (see `core.share` for how fields parse)."""

from __future__ import annotations

import re
from typing import Any

from core.data import DATASETS, DataSpec
from core.data.toy2d import FEATURES
from core.playground.network import MAX_HIDDEN_LAYERS, MAX_UNITS, HiddenLayer
from core.share import Codec, Field, check_file, common
from core.specs import ACTIVATIONS
from core.training.config import MAX_BATCH, MAX_LR, OPTIMIZERS, TrainConfig

_LAYER = re.compile(r"^(\d{1,4})(" + "|".join(sorted(ACTIVATIONS, key=len, reverse=True)) +
                    r")(-bn)?(?:-d(0(?:\.\d{1,3})?))?$")


def parse_layers(raw: str) -> tuple[HiddenLayer, ...]:
    """Hidden layers from the link's text (8relu,4tanh-bn,16relu-d0.2; 'none' or nothing for none)."""
    if raw in ("", "none"):
        return ()
    parts = raw.split(",")
    if len(parts) > MAX_HIDDEN_LAYERS:
        raise ValueError(f"at most {MAX_HIDDEN_LAYERS} hidden layers")
    out = []
    for part in parts:
        m = _LAYER.match(part)
        if not m:
            raise ValueError(f"'{part[:20]}' is not a layer like 8relu, 4tanh-bn or 16relu-d0.2")
        units = min(max(int(m.group(1)), 1), MAX_UNITS)
        out.append(HiddenLayer(units, m.group(2), bool(m.group(3)), float(m.group(4) or 0.0)))
    return tuple(out)


def layers_text(layers: tuple[HiddenLayer, ...] | list[HiddenLayer]) -> str:
    """Hidden layers in the link's form: 8relu,4tanh-bn,16relu-d0.2 ('none' for no hidden layer)."""
    parts = [f"{h.units}{h.activation}" + ("-bn" if h.batchnorm else "") + (f"-d{h.dropout:g}" if h.dropout else "")
             for h in layers]
    return ",".join(parts) or "none"


LAYERS = Codec(parse_layers, layers_text)
DATA_2D_TABULAR = tuple(k for k, (_, kind) in DATASETS.items() if kind in ("2d", "tabular"))
HIDEABLE = ("data", "features", "layers", "optimizer", "learning_rate", "regularization", "batch", "activation",
            "views", "noise")

PLAYGROUND: tuple[Field, ...] = (
    Field("dataset", "choice", "circle", choices=DATA_2D_TABULAR),
    Field("noise", "float", 0.0, 0.0, 0.5),
    Field("ratio", "float", 0.5, 0.1, 0.9),
    Field("points", "int", 500, 50, 5000),
    Field("seed", "int", 0, 0, 1_000_000),
    Field("features", "choices", ("x1", "x2"), choices=tuple(FEATURES)),
    Field("layers", "custom", (HiddenLayer(4, "tanh"), HiddenLayer(2, "tanh")), codec=LAYERS),
    Field("optimizer", "choice", "sgd", choices=OPTIMIZERS),
    Field("lr", "float", 0.03, 1e-5, MAX_LR),
    Field("batch", "int", 10, 1, MAX_BATCH),
    Field("reg", "choice", "none", choices=("none", "l1", "l2")),
    Field("reg_rate", "float", 0.0, 0.0, 10.0),
    Field("show_test", "bool", False),
    Field("discretize", "bool", False),
    Field("view", "choice", "", choices=("", "weights", "grad_norms", "dead", "confusion", "neuron", "compare")),
    *common(HIDEABLE),
)

LABELS = {"dataset": "dataset", "noise": "noise", "ratio": "training share", "points": "number of points",
          "seed": "data seed", "features": "input features", "optimizer": "optimizer", "lr": "learning rate",
          "batch": "batch size", "reg": "regularization", "reg_rate": "regularization rate"}


def setting_values(data: DataSpec, config: TrainConfig, regularization: str, reg_rate: float) -> dict[str, Any]:
    """The link fields that a data spec, a training config and the regularization carry (one mapping,
    used for the page's link and to check an experiment file)."""
    return {"dataset": data.name, "noise": data.noise, "ratio": data.train_fraction, "points": data.n_samples,
            "seed": data.seed, "features": data.features, "optimizer": config.optimizer,
            "lr": config.learning_rate, "batch": config.batch_size, "reg": regularization, "reg_rate": reg_rate}


def check_loaded(data: DataSpec, config: TrainConfig, settings: dict[str, Any]) -> tuple[str, float]:
    """An experiment file's Playground settings checked against the same fields as a link's and the
    widgets' (bounds and choices), or a `ValueError` naming the first bad one. Returns the
    regularization and its rate, the two page settings the file carries beside `TrainConfig`."""
    given = setting_values(data, config, settings.get("regularization", "none"), settings.get("reg_rate", 0.0))
    checked = check_file(PLAYGROUND, given, LABELS)
    return checked["reg"], checked["reg_rate"]
