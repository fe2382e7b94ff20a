"""The Generalization lab's settings table (see `core.setting`) and its share link derived from it: the view;
the data, network and variants side by side; the sweep; the augmentations and their data."""

from __future__ import annotations

from core.data.augment import OPS
from core.generalization.sweeps import SWEEPS
from core.generalization.variants import DATASETS, VARIANTS
from core.setting import Setting, Table
from core.share import Field

VIEWS = ("variants", "sweeps", "augment")
AUG_DATA = ("digits", "objects")
VARIANTS_PART = ("data", "noise", "label_noise", "n", "width", "depth", "learning_rate", "dropout", "l2", "patience",
                 "variants")  # the settings of the variants view (and of the sweeps' baseline)

SETTINGS = Table("gen", (
    Setting("view", "choice", "variants", "view", choices=VIEWS),
    Setting("data", "choice", "moons", "dataset", choices=DATASETS, hide="data"),
    Setting("noise", "float", 0.4, "noise", 0.0, 0.5, hide="data",
            help="How far the points scatter from their class's shape."),
    Setting("label_noise", "float", 0.0, "flipped labels", 0.0, 0.45, hide="data",
            help="The share of training points given a wrong label (the test set stays clean). Flipped points have "
                 "a black ring."),
    Setting("n", "int", 40, "training points", 10, 1000, hide="data",
            help="Few points and a big network: the recipe for memorizing."),
    Setting("width", "int", 32, "units per hidden layer", 2, 256, steps=(4, 8, 16, 32, 64, 128), hide="network"),
    Setting("depth", "int", 3, "hidden layers", 1, 6, hide="network"),
    Setting("variants", "choices", ("baseline", "dropout", "l2", "early_stop"), "variants", choices=tuple(VARIANTS),
            hide="variants"),
    Setting("dropout", "float", 0.5, "dropout rate", 0.05, 0.9,
            help="The chance that each hidden unit is switched off at a training step."),
    Setting("l2", "float", 0.01, "L2 rate", 1e-5, 1.0, steps=(0.0003, 0.001, 0.003, 0.01, 0.03, 0.1),
            help="Adds l2·w to every weight's gradient."),
    Setting("patience", "int", 40, "early-stopping patience", 1, 1000,
            help="How many epochs without a better validation loss before it stops."),
    Setting("learning_rate", "float", 0.01, "learning rate", 1e-4, 1.0, steps=(0.001, 0.003, 0.01, 0.03, 0.1),
            link="lr", hide="network"),
    Setting("sweep", "choice", "capacity", "sweep", choices=tuple(SWEEPS)),
    Setting("aug", "choices", ("crop", "rotate"), "augmentations", choices=tuple(OPS),
            help="; ".join(f"{a}: {b}" for a, b in OPS.values())),
    Setting("aug_data", "choice", "digits", "images", choices=AUG_DATA),
    Setting("per_class", "int", 10, "training images per class", 2, 100,
            help="Few images: the network can memorize them. Augmentation makes new ones."),
))

HIDEABLE = SETTINGS.hideable
GENERALIZATION_LAB: tuple[Field, ...] = SETTINGS.link_fields()
