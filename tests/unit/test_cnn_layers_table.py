"""The CNN lab's layer table: a spec as rows and back, against the presets themselves."""

import math

import pandas as pd
import pytest

from core.cnn.layers_table import rows_from_spec, spec_from_rows
from core.presets import lenet, tiny_vgg


@pytest.mark.parametrize("spec", [tiny_vgg(3, 32, 6, filters=8), lenet(1, 8, 10)], ids=["tinyvgg", "lenet"])
def test_a_preset_survives_the_table_unchanged(spec):
    again = spec_from_rows(rows_from_spec(spec), spec.input_shape, 6 if spec.input_shape[0] == 3 else 10,
                           name=spec.name)
    assert again.to_json() == spec.to_json()


def test_empty_cells_take_the_layers_usual_values_and_blank_rows_are_skipped():
    rows = [{"type": "conv2d", "size": math.nan, "kernel": None, "padding": math.nan},
            {"type": "relu", "size": None, "kernel": None, "padding": None},
            {"type": None, "size": None, "kernel": None, "padding": None},
            {"type": "flatten"}, {"type": "dense", "size": pd.NA}]  # the editor's empty integer cell
    spec = spec_from_rows(rows, (1, 8, 8), 10)
    conv, _, _, dense = spec.layers
    assert (conv.out_channels, conv.kernel_size, conv.padding) == (8, 3, 0) and dense.units == 10


def test_an_unknown_layer_is_refused_readably():
    with pytest.raises(ValueError, match="unknown"):
        spec_from_rows([{"type": "lstm"}], (1, 8, 8), 10)


@pytest.mark.parametrize("spec", [tiny_vgg(3, 32, 6, filters=8), lenet(1, 8, 10)], ids=["tinyvgg", "lenet"])
def test_the_table_shows_text_cells_with_a_dash_where_a_layer_has_no_setting_and_reads_them_back(spec):
    from core.cnn.layers_table import NOT_USED, cell

    rows = [{**r, **{k: cell(r[k]) for k in ("size", "kernel", "padding")}} for r in rows_from_spec(spec)]
    assert all(r["size"] == NOT_USED for r in rows if r["type"] in ("relu", "maxpool2d"))
    assert "None" not in str(rows)  # the editor once showed a raw "None" under filters for ReLU rows
    again = spec_from_rows(rows, spec.input_shape, 6 if spec.input_shape[0] == 3 else 10, name=spec.name)
    assert again.to_json() == spec.to_json()


def test_a_cell_that_is_not_a_number_is_refused_readably():
    with pytest.raises(ValueError, match="'eight' is not a whole number"):
        spec_from_rows([{"type": "conv2d", "size": "eight"}], (1, 8, 8), 10)
