"""The Generalization lab's link: its settings table bound to the widgets' session keys."""

from __future__ import annotations

from core.generalization.fields import SETTINGS
from ui.kit.fieldmap import FieldMap, binds
from ui.kit.registry import BY_ID

LINK = FieldMap(BY_ID["generalization_lab"], binds(SETTINGS))
