"""The builder makes explainer-friendly modules with stable names, seeded weights and right shapes."""

import pytest
import torch
from torch import nn

from core.models import build_model, count_params
from core.presets import PRESETS, playground_mlp
from core.specs import Activation, Dense, NetworkSpec
from core.validate import validate


@pytest.mark.parametrize("name", list(PRESETS))
def test_presets_build_and_match_the_shape_table(name):
    spec = PRESETS[name]()
    model = build_model(spec)
    out = model(torch.zeros(3, *spec.input_shape))
    table = validate(spec)
    assert tuple(out.shape) == (3, *table.output_shape)
    assert count_params(model) == table.total_params
    assert model.layer_names() == [r.name for r in table.rows]


def test_every_activation_is_its_own_non_inplace_module():
    spec = NetworkSpec((2,), (Dense(4), Activation("relu"), Dense(4), Activation("relu"), Dense(4),
                              Activation("leaky_relu"), Dense(1)))
    model = build_model(spec)
    acts = [m for m in model.modules() if isinstance(m, (nn.ReLU, nn.LeakyReLU))]
    assert len(acts) == 3 and len({id(a) for a in acts}) == 3
    assert not any(getattr(a, "inplace", False) for a in acts)
    assert isinstance(model.get_submodule("relu_2"), nn.ReLU)


def test_the_same_seed_gives_the_same_weights_and_another_seed_does_not():
    spec = playground_mlp(2, (8, 8), "tanh", 1)
    a, b, c = build_model(spec, seed=7), build_model(spec, seed=7), build_model(spec, seed=8)
    for pa, pb in zip(a.parameters(), b.parameters()):
        assert torch.equal(pa, pb)
    assert not all(torch.equal(pa, pc) for pa, pc in zip(a.parameters(), c.parameters()))


def test_init_is_he_before_relu_and_glorot_elsewhere():
    model = build_model(playground_mlp(50, (20,), "relu", 1), seed=0)
    w1, w2 = model.get_submodule("dense_1").weight, model.get_submodule("dense_2").weight
    he, glorot = (6 / 50) ** 0.5, (6 / (20 + 1)) ** 0.5
    assert w1.abs().max() <= he and w1.abs().max() > 0.9 * he  # uniform over the whole range
    assert w2.abs().max() <= glorot and w2.abs().max() > 0.5 * glorot
    assert float(model.get_submodule("dense_1").bias.abs().sum()) == 0.0


def test_the_signal_survives_a_deep_relu_stack():
    from core.presets import tiny_vgg

    model = build_model(tiny_vgg(3, 64, 6), seed=0)
    x = torch.rand(8, 3, 64, 64)
    out = model(x)
    assert float(out.std(0).mean()) > 0.05  # different images give different outputs


def test_seeded_init_ignores_the_global_rng():
    spec = playground_mlp()
    torch.manual_seed(1)
    a = build_model(spec, seed=3)
    torch.manual_seed(2)
    b = build_model(spec, seed=3)
    assert all(torch.equal(x, y) for x, y in zip(a.parameters(), b.parameters()))
