"""How fast the Generalization lab trains, unpaced, on one core: epochs per second of the default four
variants and of all eight side by side, one capacity sweep (7 points x 2 seeds x 300 epochs), and the
augmentation comparison on the digits (two small CNNs, 10 images per class).

    python benchmarks/generalization_speed.py
"""

from __future__ import annotations

import time

import torch

from core.data import DataSpec, load_dataset
from core.generalization.augment import AugSpec, compare_trainer
from core.generalization.sweeps import SweepSpec, SweepTrainer
from core.generalization.trainer import VariantsTrainer
from core.generalization.variants import VARIANTS, GenSpec


def epochs_per_s(trainer, epochs: int) -> float:
    t0 = time.perf_counter()
    for _ in range(epochs):
        trainer.run()
        trainer.evaluate()  # as the job does every epoch
    return epochs / (time.perf_counter() - t0)


def main() -> None:
    torch.set_num_threads(1)
    four = epochs_per_s(VariantsTrainer(GenSpec()), 200)
    eight = epochs_per_s(VariantsTrainer(GenSpec(variants=tuple(VARIANTS))), 200)
    sweep = SweepTrainer(SweepSpec("capacity"))
    t0 = time.perf_counter()
    while not sweep.done:
        sweep.run(1.0)
    sweep_s = time.perf_counter() - t0
    aug = epochs_per_s(compare_trainer(AugSpec(), load_dataset(DataSpec("digits", train_fraction=0.7))), 50)
    print(f"generalization_speed variants4_epochs_per_s={four:.0f} variants8_epochs_per_s={eight:.0f} "
          f"capacity_sweep_s={sweep_s:.1f} augment_epochs_per_s={aug:.1f}")


if __name__ == "__main__":
    main()
