"""An experiment file's Playground settings pass the same limits and choices as a link's (issue 31)."""

import pytest

from core.data import DataSpec
from core.playground.fields import DATA_2D_TABULAR, PLAYGROUND, check_loaded
from core.training import TrainConfig


def test_in_range_settings_load_as_they_are():
    assert check_loaded(DataSpec("circle"), TrainConfig(), {"regularization": "l2", "reg_rate": 0.3}) == ("l2", 0.3)


@pytest.mark.parametrize("data, config, settings, word", [
    (DataSpec("circle"), TrainConfig(), {"reg_rate": 1e308}, "regularization rate"),
    (DataSpec("circle"), TrainConfig(), {"reg_rate": float("nan")}, "regularization rate"),
    (DataSpec("circle"), TrainConfig(), {"regularization": "dropout"}, "regularization"),
    (DataSpec("circle", n_samples=10**8), TrainConfig(), {}, "number of points"),
    (DataSpec("circle", noise=3.0), TrainConfig(), {}, "noise"),
])
def test_out_of_range_settings_are_refused_with_the_links_limits(data, config, settings, word):
    with pytest.raises(ValueError, match=word) as info:
        check_loaded(data, config, settings)
    hi = next(f.hi for f in PLAYGROUND if f.name == {"regularization rate": "reg_rate", "number of points": "points",
                                                     "noise": "noise"}.get(word, "reg_rate"))
    assert word == "regularization" or f"{hi:g}" in str(info.value)


def test_a_true_or_false_is_not_a_rate():
    with pytest.raises(ValueError, match="regularization rate.*not a number"):
        check_loaded(DataSpec("circle"), TrainConfig(), {"reg_rate": True})


@pytest.mark.parametrize("name", DATA_2D_TABULAR)
def test_every_playground_dataset_s_default_file_passes(name):
    assert check_loaded(DataSpec(name), TrainConfig(), {}) == ("none", 0.0)
