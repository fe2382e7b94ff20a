"""The Transfer lab's link: its fields bound to the widgets' session keys."""

from __future__ import annotations

from ui.kit.fieldmap import Bind, FieldMap, near
from ui.kit.registry import BY_ID

RATES = (0.0003, 0.001, 0.003, 0.01, 0.03)
PER_CLASS = (1, 2, 5, 10, 20, 0)

LINK = FieldMap(BY_ID["transfer_lab"], (
    Bind("view", "tl_view"),
    Bind("modes", "tl_modes", list, tuple),
    Bind("per_class", "tl_per_class", near(PER_CLASS)),
    Bind("augment", "tl_augment", list, tuple),
    Bind("lr", "tl_lr", near(RATES)),
))
