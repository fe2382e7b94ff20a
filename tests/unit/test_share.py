"""Share links' field tables: they parse, clamp and refuse hostile values one field at a time, every
field round-trips through its text, and every lesson preset is a valid link."""

import pytest

from core.cnn.fields import CNN_LAB
from core.explain.fields import EXPLAIN_LAB
from core.lessons import LESSONS
from core.playground.fields import PLAYGROUND, layers_text
from core.playground.network import HiddenLayer
from core.share import encode, parse

HOSTILE = ["<script>alert(1)</script>", "1e309", "nan", "-inf", "' OR 1=1 --", "__import__('os').system('id')",
           "x" * 5000, "\x00\x01", "../../etc/passwd", "8relu," * 40, "%00", "{{7*7}}", "True; rm -rf /", "[]"]


@pytest.mark.parametrize("fields", [PLAYGROUND, CNN_LAB, EXPLAIN_LAB], ids=["playground", "cnn", "explain"])
def test_a_hostile_value_in_any_field_falls_back_to_that_fields_default_only(fields):
    good = {"seed": "7"} if any(f.name == "seed" for f in fields) else {"sample": "3"}
    for f in fields:
        for bad in HOSTILE:
            values, notices = parse(fields, {**good, f.name: bad})
            kept = next(iter(good))
            assert values[kept] == int(good[kept]) or f.name == kept
            if f.kind in ("int", "float") and bad in ("1e309", "-inf"):
                continue  # huge numbers are clamped into range, with a notice
            assert values[f.name] == f.default or f.name == kept, (f.name, bad, values[f.name])
            assert notices, (f.name, bad)
            assert all("<" not in n and "\x00" not in n for n in notices)  # nothing echoed raw


def test_numbers_are_clamped_with_a_notice_and_unknown_fields_are_ignored():
    values, notices = parse(PLAYGROUND, {"lr": "1e9", "points": "-5", "noise": "0.2", "colour": "red"})
    assert values["lr"] == 10.0 and values["points"] == 50 and values["noise"] == 0.2
    assert len(notices) == 3 and any("colour" in n for n in notices)


def test_every_field_round_trips_through_its_text():
    values = {"dataset": "spiral", "noise": 0.25, "ratio": 0.3, "points": 800, "seed": 42,
              "features": ("x1", "x2", "sin(x1)"), "optimizer": "adam", "lr": 0.003, "batch": 32, "reg": "l2",
              "reg_rate": 0.01, "show_test": True, "discretize": True, "view": "neuron", "hide": ("data", "batch"),
              "present": True, "lesson": "overfitting",
              "layers": (HiddenLayer(8, "relu"), HiddenLayer(4, "tanh", batchnorm=True, dropout=0.2))}
    parsed, notices = parse(PLAYGROUND, encode(PLAYGROUND, values))
    assert not notices and parsed == values
    assert layers_text(values["layers"]) == "8relu,4tanh-bn-d0.2"
    assert parse(PLAYGROUND, {"layers": "none"})[0]["layers"] == ()
    assert encode(PLAYGROUND, parse(PLAYGROUND, {})[0]) == {}  # defaults make an empty link


def test_every_lesson_preset_is_a_valid_link():
    from ui.kit.registry import BY_ID

    tables = {lab_id: lab.fields for lab_id, lab in BY_ID.items()}  # every registered lab's own table
    assert {"playground", "cnn_lab", "explain_lab"} <= set(tables)
    for lesson in LESSONS:
        _, notices = parse(tables[lesson.page], {**lesson.preset, "lesson": lesson.id})
        assert not notices, (lesson.id, notices)
        assert lesson.text and "?" in lesson.question
