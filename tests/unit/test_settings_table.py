"""The Playground's one settings table: the link's fields, hide flags, labels and defaults derive from it,
a value from a file or a link is checked and snapped by it, and a live change reaches the job's own
settings (thread and process), so a page never reads a stale copy."""

import pytest

from core.data import DataSpec, load_dataset
from core.models import build_model
from core.playground.fields import HIDEABLE, LABELS, PLAYGROUND, SETTINGS
from core.playground.network import HiddenLayer, playground_spec
from core.setting import Setting, Table
from core.share import encode, parse
from core.training import TrainConfig
from core.training.job import TrainingJob
from core.training.process_job import ProcessJob


def test_the_link_carries_exactly_the_table_s_linked_settings_under_their_short_names():
    linked = [s for s in SETTINGS.settings if s.link is not None]
    fields = {f.name: f for f in PLAYGROUND}
    for s in linked:
        f = fields[s.link_name]
        assert (f.kind, f.default, f.lo, f.hi, f.choices) == (s.kind, s.default, s.lo, s.hi, s.choices)
        assert LABELS[s.link_name] == s.label
    assert [f.name for f in PLAYGROUND][-3:] == ["hide", "present", "lesson"]
    assert fields["lr"].default == SETTINGS.default("learning_rate")  # old links keep working
    assert set(HIDEABLE) >= {s.hide for s in SETTINGS.settings if s.hide}
    assert fields["hide"].choices == HIDEABLE


def test_the_playground_s_defaults_are_the_table_s_and_the_engine_s():
    from ui.playground.state import Playground

    pg, engine = Playground(), TrainConfig()
    assert (pg.config.learning_rate, pg.config.batch_size, pg.config.optimizer) == (
        SETTINGS.default("learning_rate"), SETTINGS.default("batch_size"), SETTINGS.default("optimizer"))
    assert (engine.learning_rate, engine.batch_size, engine.optimizer) == (
        pg.config.learning_rate, pg.config.batch_size, pg.config.optimizer)
    assert (pg.data.name, pg.data.n_samples, pg.data.noise, pg.data.train_fraction) == (
        SETTINGS.default("dataset"), SETTINGS.default("points"), SETTINGS.default("noise"), SETTINGS.default("ratio"))
    assert tuple(pg.hidden) == SETTINGS.default("layers") and pg.reg_rate == SETTINGS.default("reg_rate")
    assert encode(PLAYGROUND, parse(PLAYGROUND, {})[0]) == {}


def test_a_regenerated_data_seed_survives_the_link():
    """The Regenerate button draws seeds up to the table's limit; the link used to clamp them to a million."""
    big = int(SETTINGS["seed"].hi)
    values, notices = parse(PLAYGROUND, {"seed": str(big)})
    assert values["seed"] == big and not notices


def test_a_link_s_batch_beyond_the_control_is_named_and_clamped_to_it():
    values, notices = parse(PLAYGROUND, {"batch": "500"})
    assert values["batch"] == SETTINGS["batch_size"].hi == 64
    assert any("'batch'" in n and "64 is used" in n for n in notices)


def test_a_setting_snaps_to_its_control_s_steps_and_maps_names_to_the_link_s():
    lr = SETTINGS["learning_rate"]
    assert lr.snap(0.05) == 0.03 and lr.snap(7.0) == 10.0 and SETTINGS["points"].snap(123) == 123
    assert SETTINGS.key("learning_rate") == "pg_learning_rate"
    assert SETTINGS.from_link({"lr": 0.1, "reg": "l2", "view": ""}) == {"learning_rate": 0.1,
                                                                         "regularization": "l2", "view": ""}
    assert SETTINGS.to_link({"learning_rate": 0.1, "batch_size": 5}) == {"lr": 0.1, "batch": 5}


def test_two_settings_with_one_name_are_refused():
    with pytest.raises(ValueError, match="share a name"):
        Table("x", (Setting("a", "int", 0, "a", 0, 1), Setting("a", "bool", False, "a too")))


@pytest.mark.parametrize("kind", ["thread", "process"])
def test_a_live_change_reaches_the_job_s_own_settings_and_a_refused_one_changes_nothing(slots, kind):
    ds = load_dataset(DataSpec("circle", n_samples=60))
    model = build_model(playground_spec(2, [HiddenLayer(3)], 1), seed=0)
    job = (TrainingJob if kind == "thread" else ProcessJob)(model, ds, TrainConfig(), slots=slots)
    try:
        job.set(learning_rate=0.3, l2=0.01)
        assert (job.config.learning_rate, job.config.l2) == (0.3, 0.01)
        assert job.wait(lambda v: v.learning_rate == 0.3).l2 == 0.01  # the trainer has them too
        with pytest.raises(ValueError):
            job.set(learning_rate=99.0)
        assert job.config.learning_rate == 0.3 and job.poll().learning_rate == 0.3
    finally:
        job.stop()


@pytest.mark.parametrize("lab, parts", [("attention", {"train": ""}), ("sequence", {"train": ""}),
                                        ("generative", {"ae": "ae_", "gan": "gan_"}), ("transfer", {"train": ""}),
                                        ("generalization", {"variants": "variants"})])
def test_a_lab_s_link_binds_and_widget_defaults_come_from_its_table(lab, parts):
    import importlib

    from ui.kit.fieldmap import binds

    table = importlib.import_module(f"core.{lab}.fields").SETTINGS
    fields = importlib.import_module("ui.kit.registry").BY_ID[f"{lab}_lab"].fields
    modules = [importlib.import_module(f"ui.{lab}.{m}") for m in parts]
    defaults = [d for m in modules for d in getattr(m, "DEFAULTS", None) or m.SETTINGS_DEFAULTS]
    if lab == "generalization":
        from core.generalization.fields import VARIANTS_PART
        parts = {"variants": VARIANTS_PART}
    link = importlib.import_module(f"ui.{lab}.links").LINK
    linked = [s for s in table.settings if s.link is not None]
    assert [f.name for f in fields][:-3] == [s.link_name for s in linked]
    assert [(b.field, b.key) for b in link.binds] == [(s.link_name, table.key(s.name)) for s in linked]
    got = {b.field: b for b in binds(table)}
    for s in linked:
        if s.steps:  # a crafted link lands on a value the control offers
            assert got[s.link_name].to_state(s.hi) in s.steps and got[s.link_name].to_state(s.lo) in s.steps
    def in_part(name: str) -> bool:
        return any(name in p if isinstance(p, tuple) else name.startswith(p) for p in parts.values())

    table_defaults = {table.key(s.name): list(s.default) if s.kind == "choices" else s.default
                      for s in table.settings if in_part(s.name) and "view" not in s.name}
    assert {k: v for k, v, _ in defaults if k in table_defaults} == table_defaults
    live = [s for s in table.settings if s.live and s.steps]
    assert all("learning_rate" in s.name or s.name.startswith("gan_lr") or s.name in ("clip", "sample")
                        for s in live)  # one name per live setting, from the widget key to the trainer


def test_the_learning_rate_s_widget_key_is_its_one_name_in_every_converted_lab():
    from core.attention.fields import SETTINGS as ATT
    from core.generative.fields import SETTINGS as GEN
    from core.sequence.fields import SETTINGS as SEQ

    assert (SETTINGS.key("learning_rate"), ATT.key("learning_rate"), SEQ.key("learning_rate"),
            GEN.key("ae_learning_rate")) == ("pg_learning_rate", "att_learning_rate", "seq_learning_rate",
                                             "ae_learning_rate")
    assert {ATT["learning_rate"].link, SEQ["learning_rate"].link, SETTINGS["learning_rate"].link} == {"lr"}


def test_the_learning_lab_snaps_a_link_s_rate_on_a_log_scale_as_its_slider_spreads_them():
    from core.learning.fields import LEARNING_LAB
    from core.learning.fields import SETTINGS as LRN
    from ui.learning.race import LINK

    rate = LRN["lr_rate"]
    assert rate.snap(1.8) == 3.0  # nearer to 3 than to 1 in decades, though not in plain distance
    assert [b.field for b in LINK.binds] == [f.name for f in LEARNING_LAB][:-3]
    assert next(b for b in LINK.binds if b.field == "lr").to_state(1.8) == 3.0
