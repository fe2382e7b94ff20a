"""The CNN lab's share link: its fields bound to the widgets' session keys."""

from __future__ import annotations

from core.cnn.fields import TABS
from ui.kit.fieldmap import Bind, FieldMap
from ui.kit.models import SOURCES
from ui.kit.registry import BY_ID

TAB_TITLES = dict(zip(TABS, ["Feature maps", "Edges to objects", "Filters", "Operations", "Feature visualization",
                             "Train your own"]))
SHIPPED = ("tinyvgg", "lenet", "resnet18")
VIEW_TITLES = {"inside": "Look inside a trained CNN", "train": "Train your own CNN"}


def _input_given(values, given: set[str]) -> bool:
    return bool({"source", "sample", "photo"} & given)


INPUT = (
    Bind("source", "cnn_source", SOURCES.get, {v: k for k, v in SOURCES.items()}.get, read_if=_input_given),
    Bind("sample", lambda v: f"cnn_sample_{v['model']}", int, int),
    Bind("photo", "cnn_photo"),
)
LINK = FieldMap(BY_ID["cnn_lab"], (
    Bind("model", "cnn_model", from_state=lambda m: m if m in SHIPPED else "tinyvgg"),
    *INPUT,
    Bind("tab", "cnn_tabs", TAB_TITLES.get, write=False),
    Bind("tab", "cnn_view", lambda t: "train" if t == "train" else "inside", write=False),
))
