"""Spec validation, shape tables, JSON round trips, size limits and hostile JSON."""

import json

import pytest

from core import specs as S
from core.presets import lenet, playground_mlp, tiny_vgg
from core.specs import Activation, BatchNorm1d, BatchNorm2d, Conv2d, Dense, Flatten, MaxPool2d, NetworkSpec, SpecError
from core.validate import spec_from_json, validate


def test_shape_table_of_a_small_cnn():
    spec = NetworkSpec((1, 8, 8), (Conv2d(4, 3), Activation("relu"), MaxPool2d(2), Flatten(), Dense(10)))
    table = validate(spec, n_outputs=10)
    assert [r.output_shape for r in table.rows] == [(4, 6, 6), (4, 6, 6), (4, 3, 3), (36,), (10,)]
    assert [r.params for r in table.rows] == [1 * 4 * 9 + 4, 0, 0, 0, 36 * 10 + 10]
    assert table.total_params == 40 + 370
    assert [r.name for r in table.rows] == ["conv_1", "relu_1", "maxpool_1", "flatten_1", "dense_1"]


def test_presets_validate_with_expected_parameter_counts():
    assert validate(playground_mlp(2, (8, 8), "tanh", 1)).total_params == (2 * 8 + 8) + (8 * 8 + 8) + (8 + 1)
    # CNN Explainer's TinyVGG: 64 -> 62 -> 60 -> 30 -> 28 -> 26 -> 13, 10 filters
    table = validate(tiny_vgg(3, 64, 10), n_outputs=10)
    assert table.rows[-2].output_shape == (10 * 13 * 13,)
    assert validate(lenet(), n_outputs=10).output_shape == (10,)


@pytest.mark.parametrize(
    "spec, message",
    [
        (NetworkSpec((1, 4, 4), (Activation("relu"), Flatten(), Conv2d(3, 5))), "layer 3, Conv2d"),
        (NetworkSpec((1, 4, 4), (Conv2d(3, 5),)), "layer 1, Conv2d: a 5x5 kernel does not fit a 4x4 input"),
        (NetworkSpec((1, 8, 8), (Dense(3),)), "add a Flatten layer"),
        (NetworkSpec((4,), (Dense(0),)), "needs at least 1 unit"),
        (NetworkSpec((4,), (Dense(-3),)), "needs at least 1 unit"),
        (NetworkSpec((4,), (Dense(S.MAX_UNITS + 1),)), "between 1 and"),
        (NetworkSpec((4,), (Activation("swish"),)), "unknown activation"),
        (NetworkSpec((4,), (BatchNorm2d(),)), "use BatchNorm1d"),
        (NetworkSpec((1, 8, 8), (BatchNorm1d(),)), "use BatchNorm2d"),
        (NetworkSpec((4,), (Dense(4),) * (S.MAX_LAYERS + 1)), "at most"),
        (NetworkSpec((4,), (Dense(1024), Dense(1024), Dense(1024), Dense(1024), Dense(1024), Dense(1024))),
         "parameters"),
        (NetworkSpec((0,), ()), "input shape"),
    ],
)
def test_invalid_specs_name_the_problem(spec, message):
    with pytest.raises(SpecError, match=message):
        validate(spec)


def test_spec_errors_are_value_errors():
    assert issubclass(SpecError, ValueError)


def test_output_count_is_checked_against_the_task():
    with pytest.raises(SpecError, match="needs 3"):
        validate(playground_mlp(4, (8,), "relu", 2), n_outputs=3)
    with pytest.raises(SpecError, match="add Flatten"):
        validate(NetworkSpec((1, 8, 8), (Conv2d(2, 3),)), n_outputs=3)


@pytest.mark.parametrize("spec", [playground_mlp(), lenet(), tiny_vgg(),
                                  NetworkSpec((3,), (Dense(4, bias=False), BatchNorm1d(), S.Dropout(0.25)))])
def test_json_round_trip(spec):
    again = spec_from_json(spec.to_json())
    assert again == spec
    assert json.loads(again.to_json()) == json.loads(spec.to_json())


@pytest.mark.parametrize(
    "text, message",
    [
        ("not json", "not valid JSON"),
        ("[]", "JSON object"),
        ('{"input_shape": [2], "layers": [{"type": "eval"}]}', "unknown layer type 'eval'"),
        ('{"input_shape": [2], "layers": [{"type": "dense", "units": "8"}]}', "whole number"),
        ('{"input_shape": [2], "layers": [{"type": "dense", "units": true}]}', "whole number"),
        ('{"input_shape": [2], "layers": [{"type": "dense", "units": 8, "__class__": 1}]}', "unknown field"),
        ('{"input_shape": [2], "layers": [{"type": "dropout", "p": 1.5}]}', "between"),
        ('{"input_shape": [-2], "layers": []}', "positive"),
        ('{"input_shape": [2], "layers": {"a": 1}}', "must be a list"),
        ('{"a":' * 500 + "1" + "}" * 500, "input_shape"),
        ('{"input_shape": [2], "layers": [' + ",".join(['{"type": "relu"}'] * 40) + "]}", "at most"),
    ],
)
def test_hostile_json_is_refused_with_a_message(text, message):
    with pytest.raises(SpecError, match=message):
        spec_from_json(text)


def test_oversized_json_is_refused_before_parsing():
    with pytest.raises(SpecError, match="at most"):
        spec_from_json(" " * (S.MAX_JSON_CHARS + 1))


def test_activation_shorthand_and_aliases_parse():
    spec = spec_from_json('{"input_shape": [2], "layers": [{"type": "linear", "units": 3}, {"type": "tanh"}]}')
    assert spec.layers == (Dense(3), Activation("tanh"))
