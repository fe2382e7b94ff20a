"""The Generalization lab's link: its fields bound to the widgets' session keys."""

from __future__ import annotations

from ui.kit.fieldmap import Bind, FieldMap, near
from ui.kit.registry import BY_ID

WIDTHS = (4, 8, 16, 32, 64, 128)
RATES = (0.001, 0.003, 0.01, 0.03, 0.1)
L2S = (0.0003, 0.001, 0.003, 0.01, 0.03, 0.1)

LINK = FieldMap(BY_ID["generalization_lab"], (
    Bind("view", "gen_view"),
    Bind("data", "gen_data"),
    Bind("noise", "gen_noise", float),
    Bind("label_noise", "gen_label_noise", float),
    Bind("n", "gen_n", int),
    Bind("width", "gen_width", near(WIDTHS)),
    Bind("depth", "gen_depth", int),
    Bind("variants", "gen_variants", list, tuple),
    Bind("dropout", "gen_dropout", float),
    Bind("l2", "gen_l2", near(L2S)),
    Bind("patience", "gen_patience", int),
    Bind("lr", "gen_lr", near(RATES)),
    Bind("sweep", "gen_sweep"),
    Bind("aug", "gen_aug", list, tuple),
    Bind("aug_data", "gen_aug_data"),
    Bind("per_class", "gen_per_class", int),
))
