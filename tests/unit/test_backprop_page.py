"""The backprop view's numbers: a step on a preset network lowers the loss, as the core computes it."""

import numpy as np

from core.learning.backprop import one_step, preset


def test_a_step_on_a_preset_matches_the_core():
    net = preset("2-2-1", "sigmoid", "mse", 0)
    step = one_step(net, np.array([[0.5, -0.5]]), np.array([1.0]), 0.3)
    assert step.new_loss < step.loss
