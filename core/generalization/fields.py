"""The Generalization lab's share link: the view; the data, network and variants side by side; the sweep;
the augmentations and their data."""

from __future__ import annotations

from core.data.augment import OPS
from core.generalization.sweeps import SWEEPS
from core.generalization.variants import DATASETS, VARIANTS
from core.share import Field, common

HIDEABLE = ("data", "variants", "network")
VIEWS = ("variants", "sweeps", "augment")
AUG_DATA = ("digits", "objects")

GENERALIZATION_LAB: tuple[Field, ...] = (
    Field("view", "choice", "variants", choices=VIEWS),
    Field("data", "choice", "moons", choices=DATASETS),
    Field("noise", "float", 0.4, 0.0, 0.5),
    Field("label_noise", "float", 0.0, 0.0, 0.45),
    Field("n", "int", 40, 10, 1000),
    Field("width", "int", 32, 2, 256),
    Field("depth", "int", 3, 1, 6),
    Field("variants", "choices", ("baseline", "dropout", "l2", "early_stop"), choices=tuple(VARIANTS)),
    Field("dropout", "float", 0.5, 0.05, 0.9),
    Field("l2", "float", 0.01, 1e-5, 1.0),
    Field("patience", "int", 40, 1, 1000),
    Field("lr", "float", 0.01, 1e-4, 1.0),
    Field("sweep", "choice", "capacity", choices=tuple(SWEEPS)),
    Field("aug", "choices", ("crop", "rotate"), choices=tuple(OPS)),
    Field("aug_data", "choice", "digits", choices=AUG_DATA),
    Field("per_class", "int", 10, 2, 200),
    *common(HIDEABLE),
)
