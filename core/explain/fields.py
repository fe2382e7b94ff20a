"""The Explain lab's share link: model, input, target class, methods and their settings, and what a
lesson hides. `target` -1 means "the predicted class"."""

from __future__ import annotations

from core.data.photos import PHOTOS
from core.data.tabular import SETS as TABLES
from core.explain.base import BASELINES
from core.explain.methods import METHODS
from core.share import Field, common

HIDEABLE = ("model", "input", "target", "methods", "settings", "trust", "training", "tables")
MODELS = ("tinyvgg", "lenet", "resnet18", *(f"table:{t}" for t in TABLES))
PREDICTED = -1

EXPLAIN_LAB: tuple[Field, ...] = (
    Field("model", "choice", "tinyvgg", choices=MODELS),
    Field("source", "choice", "sample", choices=("sample", "photo")),
    Field("sample", "int", 0, 0, 100_000),
    Field("photo", "choice", "chelsea", choices=tuple(PHOTOS)),
    Field("target", "int", PREDICTED, PREDICTED, 10_000),
    Field("methods", "choices", (), choices=tuple(METHODS)),
    Field("baseline", "choice", "blurred", choices=BASELINES),
    Field("steps", "int", 50, 10, 300),
    Field("lime_samples", "int", 1000, 100, 5000),
    Field("seed", "int", 0, 0, 10_000),
    *common(HIDEABLE),
)
