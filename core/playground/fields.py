"""The Playground's settings table (`SETTINGS`, see `core.setting`) and its share link derived from it: one typed
field per setting a link carries (see `core.share` for how fields parse)."""

from __future__ import annotations

import re
from typing import Any

from core.data import DATASETS, DataSpec
from core.data.toy2d import FEATURES
from core.playground.network import MAX_HIDDEN_LAYERS, MAX_UNITS, HiddenLayer
from core.setting import Setting, Table
from core.share import Codec, Field, check_file
from core.specs import ACTIVATIONS
from core.training.config import MAX_LR, OPTIMIZERS, TrainConfig

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
VIEWS = ("", "weights", "grad_norms", "dead", "confusion", "neuron", "compare")
_ENGINE = TrainConfig()  # the engine's own defaults are the Playground's: written once, in TrainConfig

# One row per setting, from the widget to the loop; `link` keeps the short field names links already use.
SETTINGS = Table("pg", (
    Setting("dataset", "choice", "circle", "dataset", choices=DATA_2D_TABULAR, hide="data"),
    Setting("noise", "float", 0.0, "noise", 0.0, 0.5, hide="noise",
            help="Randomly shifts the points, so the classes overlap more and the task gets harder."),
    Setting("ratio", "float", 0.5, "training share", 0.1, 0.9,
            help="Share of the points used for training; the rest are test points the network never trains on."),
    Setting("points", "int", 500, "number of points", 50, 5000),
    Setting("seed", "int", 0, "data seed", 0, 2**31 - 1,
            help="The same seed makes the same data (for a CSV: the same split)."),
    Setting("features", "choices", ("x1", "x2"), "input features", choices=tuple(FEATURES), hide="features",
            help="What the network is fed. x1 and x2 are the point's coordinates; the others are computed "
                 "from them (x1² makes a circle easy for a linear model)."),
    Setting("layers", "custom", (HiddenLayer(4, "tanh"), HiddenLayer(2, "tanh")), "hidden layers", codec=LAYERS,
            hide="layers"),
    Setting("optimizer", "choice", _ENGINE.optimizer, "optimizer", choices=OPTIMIZERS, hide="optimizer",
            help="SGD steps straight down the gradient (momentum adds inertia). Adam, RMSprop and Adagrad "
                 "scale each weight's step by its gradient history."),
    Setting("learning_rate", "float", _ENGINE.learning_rate, "learning rate", 1e-5, MAX_LR,
            steps=(0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0), link="lr",
            hide="learning_rate", live=True,
            help="How big a step the weights take against the gradient. Too small: slow. Too large: the loss "
                 "jumps around or blows up."),
    Setting("batch_size", "int", _ENGINE.batch_size, "batch size", 1, 64, link="batch", hide="batch",
            help="How many training points each step looks at. Small batches: noisy, frequent steps; large "
                 "batches: smooth, fewer steps per epoch."),
    Setting("regularization", "choice", "none", "regularization", choices=("none", "l1", "l2"), link="reg",
            hide="regularization",
            help="Regularization pulls weights towards zero so the network stays simple: L2 shrinks all weights, "
                 "L1 drives many to exactly zero. It fights overfitting."),
    Setting("reg_rate", "float", 0.0, "regularization rate", 0.0, 10.0,
            steps=(0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0), hide="regularization", live=True),
    Setting("show_test", "bool", False, "show test data"),
    Setting("discretize", "bool", False, "discretize output"),
    Setting("view", "choice", "", "view", choices=VIEWS),
), extra_hide=("activation", "views"))

PLAYGROUND: tuple[Field, ...] = SETTINGS.link_fields()
HIDEABLE = SETTINGS.hideable
LABELS = SETTINGS.labels()


def setting_values(data: DataSpec, config: TrainConfig, regularization: str, reg_rate: float) -> dict[str, Any]:
    """The link fields that a data spec, a training config and the regularization carry (one mapping,
    used for the page's link and to check an experiment file)."""
    return SETTINGS.to_link({
        "dataset": data.name, "noise": data.noise, "ratio": data.train_fraction, "points": data.n_samples,
        "seed": data.seed, "features": data.features, "optimizer": config.optimizer,
        "learning_rate": config.learning_rate, "batch_size": config.batch_size, "regularization": regularization,
        "reg_rate": reg_rate})


def check_loaded(data: DataSpec, config: TrainConfig, settings: dict[str, Any]) -> tuple[str, float]:
    """An experiment file's Playground settings checked against the same fields as a link's and the
    widgets' (bounds and choices), or a `ValueError` naming the first bad one. Returns the
    regularization and its rate, the two page settings the file carries beside `TrainConfig`."""
    given = setting_values(data, config, settings.get("regularization", "none"), settings.get("reg_rate", 0.0))
    checked = check_file(PLAYGROUND, given, LABELS)
    return checked["reg"], checked["reg_rate"]
