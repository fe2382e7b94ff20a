"""The CNN lab's share link: model, input, tab, and which controls or tabs a lesson hides."""

from __future__ import annotations

from core.data.photos import PHOTOS
from core.share import Field, common

TABS = ("maps", "hierarchy", "filters", "operations", "featureviz", "train")
HIDEABLE = ("model", "input", *TABS)  # controls, then whole tabs

CNN_LAB: tuple[Field, ...] = (
    Field("model", "choice", "tinyvgg", choices=("tinyvgg", "lenet", "resnet18")),
    Field("source", "choice", "sample", choices=("sample", "photo")),
    Field("sample", "int", 0, 0, 100_000),
    Field("photo", "choice", "chelsea", choices=tuple(PHOTOS)),
    Field("tab", "choice", "maps", choices=TABS),
    *common(HIDEABLE),
)
