"""The Transfer lab's share link: the view, the ways trained, images per class, augmentations and the
learning rate. The student's own images stay in their session (a link opens the starter set)."""

from __future__ import annotations

from core.data.augment import OPS
from core.share import Field, common
from core.transfer.model import MODES

HIDEABLE = ("images", "training")
VIEWS = ("train", "curve")

TRANSFER_LAB: tuple[Field, ...] = (
    Field("view", "choice", "train", choices=VIEWS),
    Field("modes", "choices", tuple(MODES), choices=tuple(MODES)),
    Field("per_class", "int", 0, 0, 60),
    Field("augment", "choices", (), choices=tuple(OPS)),
    Field("lr", "float", 0.003, 1e-5, 1.0),
    *common(HIDEABLE),
)
