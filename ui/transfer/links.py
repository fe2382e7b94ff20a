"""The Transfer lab's link: its settings table bound to the widgets' session keys."""

from __future__ import annotations

from core.transfer.fields import SETTINGS
from ui.kit.fieldmap import FieldMap, binds
from ui.kit.registry import BY_ID

LINK = FieldMap(BY_ID["transfer_lab"], binds(SETTINGS))
