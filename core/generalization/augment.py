"""Data augmentation measured (the augmentations themselves live in `core.data.augment`): a small CNN
trained on a few images per class with and without them (`AugCompare`): the same images, the same seed,
the augmented one sees new random versions of each batch at every step.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from core.data.augment import OPS, batch_augment, few_per_class
from core.data.dataset import Dataset
from core.generalization.trainer import AugmentedTrainer
from core.models import build_model
from core.specs import Activation, Conv2d, Dense, Flatten, MaxPool2d, NetworkSpec
from core.training.config import TrainConfig
from core.training.engine import Trainer
from core.training.lockstep import Lockstep


def small_cnn(ds: Dataset) -> NetworkSpec:
    """Two conv blocks and a classifier, sized to the images."""
    c, h, _ = ds.input_shape
    layers: list = [Conv2d(8, 3, padding=1), Activation("relu"), MaxPool2d(2)]
    if h >= 16:
        layers += [Conv2d(16, 3, padding=1), Activation("relu"), MaxPool2d(2)]
    if h >= 32:
        layers += [MaxPool2d(2)]
    return NetworkSpec((c, h, h), (*layers, Flatten(), Dense(ds.n_classes)), name="small CNN")


@dataclass(frozen=True)
class AugSpec:
    ops: tuple[str, ...] = ("crop", "rotate")
    per_class: int = 10
    epochs: int = 150
    learning_rate: float = 0.003
    seed: int = 0

    def __post_init__(self) -> None:
        if not self.ops or any(o not in OPS for o in self.ops):
            raise ValueError(f"choose at least one augmentation among {', '.join(OPS)}")
        if isinstance(self.per_class, bool) or not isinstance(self.per_class, int) or not 2 <= self.per_class <= 200:
            raise ValueError(f"images per class must be a whole number from 2 to 200, not {self.per_class!r}")


def compare_trainer(spec: AugSpec, ds: Dataset, epochs_per_s: float = 0.0) -> Lockstep:
    """The small CNN on `per_class` images per class, trained without ("plain") and with ("augmented")
    the chosen augmentations, side by side (same images, same seed)."""
    few = few_per_class(ds, spec.per_class, spec.seed)
    config = TrainConfig(optimizer="adam", learning_rate=spec.learning_rate, batch_size=16, seed=spec.seed,
                         max_epochs=spec.epochs)
    net = small_cnn(few)
    plain = Trainer(build_model(net, spec.seed), few, config)
    aug = AugmentedTrainer(build_model(net, spec.seed), few, config, batch_augment(spec.ops))
    trainer = Lockstep({"plain": plain, "augmented": aug}, epochs_per_s)
    trainer.config = config  # the job reads max_epochs from here
    return trainer


factory = partial(compare_trainer)
