"""The Learning lab's settings table (see `core.setting`) and its share link derived from it: the view; the
landscape, the racers and the learning rate of the race; the network, activation, loss and batch of the
backprop step; the data and learning rate of the network's landscape. The lab has three parts, so each
setting is named by its part (`lr_` race, `bp_` backprop, `nl_` network landscape), also its widget key."""

from __future__ import annotations

from core.learning.backprop import PRESETS
from core.learning.landscape import LANDSCAPES
from core.learning.race import RACERS
from core.setting import Setting, Table
from core.share import Field

SETTINGS = Table("", (
    Setting("lr_landscape", "choice", "ravine", "landscape", choices=tuple(LANDSCAPES), link="landscape",
            hide="landscape",
            help="The loss as a function of two weights: a bowl, a narrow ravine, Rosenbrock's curved valley, a "
                 "saddle, Beale's plateau, Himmelblau's four minima."),
    Setting("lr_racers", "choices", ("sgd", "momentum", "adam"), "optimizers", choices=tuple(RACERS),
            link="racers", hide="racers", help="They all start from the same point with the same learning rate."),
    Setting("lr_rate", "float", 0.02, "learning rate", 1e-4, 10.0,
            steps=(0.0001, 0.0003, 0.001, 0.003, 0.01, 0.02, 0.03, 0.05, 0.08, 0.1, 0.3, 1.0, 3.0), log_steps=True,
            link="lr", hide="learning_rate", live=True,
            help="Too high: the steps overshoot, zig-zag and can fly off. Too low: they crawl."),
    Setting("lr_kappa", "float", 1.0, "condition number", 1.0, 1000.0, steps=(1.0, 3.0, 10.0, 30.0, 100.0, 300.0),
            log_steps=True, link="kappa",
            help="How many times steeper the bowl is along y than along x. At 1 it is round and every optimizer "
                 "heads straight down; the larger, the narrower the valley and the more plain SGD zig-zags or "
                 "crawls."),
    Setting("lr_view", "choice", "race", "view", choices=("race", "backprop", "landscape"), link="view"),
    Setting("bp_net", "choice", "2-2-1", "network", choices=tuple(PRESETS),
            help="A small network, so every number fits on the drawing. Your Playground network appears here when "
                 "it has at most 4 inputs, 3 hidden layers of up to 4 neurons, one output, and no batch norm or "
                 "dropout."),
    Setting("bp_act", "choice", "tanh", "hidden activation", choices=("tanh", "sigmoid", "relu"),
            help="What each hidden neuron applies to its weighted sum z."),
    Setting("bp_loss", "choice", "mse", "loss", choices=("mse", "bce"),
            help="Squared error on the score (targets -1/+1, as TensorFlow Playground), or cross-entropy on "
                 "sigmoid(score) (targets 0/1)."),
    Setting("bp_batch", "int", 1, "samples in the batch", 1, 8, steps=(1, 2, 4, 8),
            help="With more than one, every gradient is the average over the batch."),
    Setting("bp_lr", "float", 0.3, "learning rate", 0.01, 3.0, steps=(0.01, 0.03, 0.1, 0.3, 1.0, 3.0), link=None),
    Setting("nl_data", "choice", "circle", "data", choices=("circle", "xor", "gauss", "moons", "spiral")),
    Setting("nl_lr", "float", 0.1, "learning rate", 1e-4, 10.0, steps=(0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0),
            log_steps=True, help="Too high and the path zig-zags across the valley or flies off."),
))

HIDEABLE = SETTINGS.hideable
LEARNING_LAB: tuple[Field, ...] = SETTINGS.link_fields()
