"""The Sequence lab's link: its fields bound to the widgets' session keys."""

from __future__ import annotations

from ui.kit.fieldmap import Bind, FieldMap, near
from ui.kit.registry import BY_ID

RATES = (0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
CLIPS = (0.0, 0.5, 1.0, 5.0, 100.0)
HIDDEN = (4, 8, 16, 32, 64, 128)

LINK = FieldMap(BY_ID["sequence_lab"], (
    Bind("view", "seq_view"),
    Bind("task", "seq_task"),
    Bind("length", "seq_length", int),
    Bind("cells", "seq_cells", list, tuple),
    Bind("hidden", "seq_hidden", near(HIDDEN)),
    Bind("layers", "seq_layers", int),
    Bind("optimizer", "seq_optimizer"),
    Bind("lr", "seq_lr", near(RATES)),
    Bind("clip", "seq_clip", near(CLIPS)),
    Bind("inside", "seq_inside"),
    Bind("sample", "seq_sample", int),
))
