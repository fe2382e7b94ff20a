"""The Playground's share link: one typed field per setting (see `core.share` for how fields parse)."""

from __future__ import annotations

from core.data import DATASETS
from core.data.toy2d import FEATURES
from core.playground.network import HiddenLayer
from core.share import Field, common
from core.training.config import MAX_BATCH, MAX_LR, OPTIMIZERS

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
    Field("layers", "layers", (HiddenLayer(4, "tanh"), HiddenLayer(2, "tanh"))),
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
