"""The Transfer lab's settings table (see `core.setting`) and its share link derived from it: the view, the
ways trained, images per class, augmentations, the learning rate and the backbone (which no link carries:
ResNet-18's weights may not be on the machine that opens it). The student's own images stay in their
session (a link opens the starter set)."""

from __future__ import annotations

from core.data.augment import OPS
from core.setting import Setting, Table
from core.share import Field
from core.transfer.model import BACKBONES, MODES

VIEWS = ("train", "curve")

SETTINGS = Table("tl", (
    Setting("view", "choice", "train", "view", choices=VIEWS),
    Setting("modes", "choices", tuple(MODES), "ways", choices=tuple(MODES),
            help="From scratch: every weight random. Frozen: the pretrained backbone stays fixed and only a new head "
                 "learns. Fine-tuned: starts pretrained, all of it learns (the backbone slowly)."),
    Setting("per_class", "int", 0, "images per class", 0, 60, steps=(1, 2, 5, 10, 20, 0), hide="training",
            help="The rest of each class (30%) is held out to test on, the same whatever you choose."),
    Setting("augment", "choices", (), "augmentations", choices=tuple(OPS), hide="training",
            help="; ".join(f"{v[0]}: {v[1]}" for v in OPS.values())),
    Setting("learning_rate", "float", 0.003, "learning rate", 1e-5, 1.0, steps=(0.0003, 0.001, 0.003, 0.01, 0.03),
            link="lr", hide="training", live=True, help="Changes live while it trains."),
    Setting("backbone", "choice", "tinyvgg", "backbone", choices=tuple(BACKBONES), link=None,
            help="The pretrained network whose features the frozen and fine-tuned ways start from."),
), extra_hide=("images",))

HIDEABLE = SETTINGS.hideable
TRANSFER_LAB: tuple[Field, ...] = SETTINGS.link_fields()
