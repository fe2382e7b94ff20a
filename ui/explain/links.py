"""The Explain lab's share link: its fields bound to the widgets' session keys (the input picker's
keys are the CNN lab's, for image models; a table's row is kept per table)."""

from __future__ import annotations

from core.explain.fields import MODELS
from ui.kit.fieldmap import Bind, FieldMap
from ui.kit.models import SOURCES
from ui.kit.registry import BY_ID


def _table(v) -> bool:
    return str(v.get("model", "")).startswith("table:")


def _image(v) -> bool:
    return not _table(v)


LINK = FieldMap(BY_ID["explain_lab"], (
    Bind("model", "xp_model", from_state=lambda m: m if m in MODELS else "tinyvgg"),
    Bind("source", "cnn_source", SOURCES.get, {v: k for k, v in SOURCES.items()}.get, applies=_image,
         read_if=lambda v, given: bool({"source", "sample", "photo"} & given)),
    Bind("sample", lambda v: f"xp_row_{v['model']}" if _table(v) else f"cnn_sample_{v['model']}", int, int),
    Bind("photo", "cnn_photo", applies=_image),
    Bind("target", lambda v: f"xp_target_{v['model']}", int, int),
    Bind("methods", lambda v: f"xp_methods_{'table' if _table(v) else 'image'}", list, tuple,
         read_if=lambda v, given: bool(v["methods"])),
    Bind("baseline", lambda v: f"xp_baseline_{'table' if _table(v) else 'image'}",
         read_if=lambda v, given: "baseline" in given),  # absent: the kind's own default (blurred, zero)
    Bind("steps", "xp_steps"),
    Bind("lime_samples", "xp_lime_n", lambda n: n // 100 * 100),
    Bind("seed", "xp_seed"),
))
