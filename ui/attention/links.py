"""The Attention lab's link: its fields bound to the widgets' session keys."""

from __future__ import annotations

from ui.kit.fieldmap import Bind, FieldMap, near
from ui.kit.registry import BY_ID

RATES = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03)
WIDTHS = (16, 32, 64, 128)

LINK = FieldMap(BY_ID["attention_lab"], (
    Bind("view", "att_view"),
    Bind("task", "att_task"),
    Bind("length", "att_length", int),
    Bind("offset", "att_offset", int),
    Bind("causal", "att_causal", bool),
    Bind("layers", "att_layers", int),
    Bind("heads", "att_heads", int),
    Bind("width", "att_width", near(WIDTHS)),
    Bind("positions", "att_positions"),
    Bind("optimizer", "att_optimizer"),
    Bind("lr", "att_lr", near(RATES)),
    Bind("sample", "att_sample", int),
))
