"""Faithfulness against a model with a known answer: y = w . x, whose true attribution is w * x."""

import numpy as np
import torch

from core.explain.faithfulness import RANDOM, faithfulness


def _linear(n: int = 30):
    torch.manual_seed(0)
    model = torch.nn.Linear(n, 1, bias=False)
    with torch.no_grad():
        model.weight.copy_(torch.linspace(0.0, 3.0, n)[torch.randperm(n)].view(1, -1))
    x = torch.ones(1, n)
    return model, x


def test_the_true_map_beats_noise_and_a_reversed_map_is_named_as_not_beating_it():
    model, x = _linear()
    truth = (model.weight * x).detach().numpy()
    result = faithfulness(model, x, {"truth": truth, "reversed": -truth}, 0, "raw", "black", steps=10)
    by = {s.label: s for s in result.scores}
    assert by["truth"].beats_random and not by["reversed"].beats_random
    assert result.losers() == ["reversed"]
    assert by["truth"].deletion.auc < result.random.deletion.auc < by["reversed"].deletion.auc
    assert list(result.deletion)[-1] == RANDOM and by["truth"].row()["beats a random map"] == "yes"


def test_curves_get_extra_points_over_the_first_percent():
    model, x = _linear(1000)
    truth = (model.weight * x).detach().numpy()
    result = faithfulness(model, x, {"truth": truth}, 0, "raw", "black", steps=10)
    f = result.scores[0].deletion.fractions
    assert np.sum(f <= 0.05) >= 6 and f[0] == 0 and f[-1] == 1


def test_sign_agreement_counts_the_strongest_features_only():
    from core.explain.agreement import sign_agreement

    a = np.array([[5.0, -4.0, 3.0, 0.1, -0.1]])
    assert sign_agreement(a, a, top=3) == 1.0
    assert sign_agreement(a, -a, top=3) == 0.0
    b = np.array([[1.0, 1.0, 1.0, -9.0, 9.0]])  # agrees on 5 and 3, not on -4; the weak ones do not count
    assert sign_agreement(a, b, top=3) == 2 / 3
    assert np.isnan(sign_agreement(np.zeros((1, 5)), b))
