"""A lab's settings as one typed table (TensorFlow Playground's `state.ts` PROPS): each row is one setting
with one name, its type, default, range or choices, the steps its control offers, its label and help,
whether a link carries it (and under which short field name), which hide flag hides its control, and
whether it may change while a job trains.

Everything else derives from the table: the link's typed fields (`link_fields`, parsed by `core.share`),
the hide flags, the labels in messages, the widgets' options and keys, and the snapping of a link's value
to the control's steps (`snap`); a file's values are checked against the same link fields
(`core.share.check_file`). A page never writes a default, a range or an option list again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from core.share import Codec, Field, common


@dataclass(frozen=True)
class Setting:
    name: str  # one name from the widget (key `<prefix>_<name>`) to the training loop
    kind: str  # int, float, bool, choice, choices or custom (see `core.share.Field`)
    default: Any
    label: str  # the control's label, and the setting's name in messages
    lo: float | None = None
    hi: float | None = None
    steps: tuple = ()  # the values its control offers; a value from a link or a file snaps to the nearest
    choices: tuple[str, ...] = ()
    link: str | None = ""  # the link's field name: "" for `name`, None when no link carries it
    hide: str = ""  # the hide flag that hides its control ("" when none does)
    live: bool = False  # may change while a job trains
    help: str = ""
    codec: Codec | None = None
    log_steps: bool = False  # snap on a log scale (learning rates spread over decades)

    @property
    def link_name(self) -> str:
        return self.link or self.name

    def field(self) -> Field:
        return Field(self.link_name, self.kind, self.default, self.lo, self.hi, self.choices, codec=self.codec)

    def snap(self, value: Any) -> Any:
        """The nearest value the control offers (the value itself when it offers a range)."""
        if not self.steps:
            return value
        if self.log_steps:
            v = math.log10(max(float(value), 1e-12))
            return min(self.steps, key=lambda s: abs(math.log10(s) - v))
        return min(self.steps, key=lambda s: abs(float(s) - float(value)))


class Table:
    """A lab's settings by name, and what derives from them."""

    def __init__(self, prefix: str, settings: tuple[Setting, ...], extra_hide: tuple[str, ...] = ()):
        names = [s.name for s in settings]
        if len(set(names)) != len(names):
            raise ValueError("two settings share a name")
        self.prefix, self.settings = prefix, settings
        self._by_name = {s.name: s for s in settings}
        self.hideable = tuple(dict.fromkeys([s.hide for s in settings if s.hide] + list(extra_hide)))

    def __getitem__(self, name: str) -> Setting:
        return self._by_name[name]

    def default(self, name: str) -> Any:
        return self._by_name[name].default

    def key(self, name: str) -> str:
        """The setting's widget key (the name itself in a table without a prefix)."""
        s = self._by_name[name]
        return f"{self.prefix}_{s.name}" if self.prefix else s.name

    def link_fields(self) -> tuple[Field, ...]:
        """The link's typed fields: every setting a link carries, then what it hides, presenting and the lesson."""
        return (*(s.field() for s in self.settings if s.link is not None), *common(self.hideable))

    def labels(self) -> dict[str, str]:
        """Link field name -> the setting's label (for messages about a file or a link)."""
        return {s.link_name: s.label for s in self.settings if s.link is not None}

    def to_link(self, values: dict[str, Any]) -> dict[str, Any]:
        """Values by setting name -> by link field name (settings no link carries are dropped)."""
        return {self._by_name[k].link_name: v for k, v in values.items()
                if k in self._by_name and self._by_name[k].link is not None}

    def from_link(self, values: dict[str, Any]) -> dict[str, Any]:
        """Values by link field name -> by setting name (fields that are not settings are kept as they are)."""
        names = {s.link_name: s.name for s in self.settings if s.link is not None}
        return {names.get(k, k): v for k, v in values.items()}
