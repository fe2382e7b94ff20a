"""The Learning lab's share link: the view; the landscape, the racers and the learning rate of the race;
the network, activation, loss and batch of the backprop step."""

from __future__ import annotations

from core.learning.backprop import PRESETS
from core.learning.landscape import LANDSCAPES
from core.learning.race import RACERS
from core.share import Field, common

HIDEABLE = ("landscape", "racers", "learning_rate")

LEARNING_LAB: tuple[Field, ...] = (
    Field("landscape", "choice", "ravine", choices=tuple(LANDSCAPES)),
    Field("racers", "choices", ("sgd", "momentum", "adam"), choices=tuple(RACERS)),
    Field("lr", "float", 0.02, 1e-4, 10.0),
    Field("kappa", "float", 1.0, 1.0, 1000.0),
    Field("view", "choice", "race", choices=("race", "backprop", "landscape")),
    Field("bp_net", "choice", "2-2-1", choices=tuple(PRESETS)),
    Field("bp_act", "choice", "tanh", choices=("tanh", "sigmoid", "relu")),
    Field("bp_loss", "choice", "mse", choices=("mse", "bce")),
    Field("bp_batch", "int", 1, 1, 8),
    Field("nl_data", "choice", "circle", choices=("circle", "xor", "gauss", "moons", "spiral")),
    Field("nl_lr", "float", 0.1, 1e-4, 10.0),
    *common(HIDEABLE),
)
