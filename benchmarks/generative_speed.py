"""How fast the Generative lab trains, on one core, and what its defaults reach: epochs per second of the
default autoencoder (digits, bottleneck 2) and the cost of its live snapshot; the anomaly lesson's ROC area
(digits, the ones left out, bottleneck 4, 30 epochs); the 2D GAN's epochs per second (ring of 8, 50
rounds an epoch) and the modes its non-saturating loss covers after 60 epochs, its snapshot's cost; the
image GAN's epochs per second (digits, 20 rounds an epoch).

    python benchmarks/generative_speed.py
"""

from __future__ import annotations

import math
import time

import torch

from core.generative.ae_trainer import AETrainer
from core.generative.autoencoder import AESpec
from core.generative.gan_trainer import GanSpec, GanTrainer


def rate(trainer, epochs: int) -> float:
    t0 = time.perf_counter()
    for _ in range(epochs):
        trainer.run(math.inf)
        trainer.evaluate()  # as the job does every epoch
    return epochs / (time.perf_counter() - t0)


def snapshot_ms(trainer, n: int = 5) -> float:
    t0 = time.perf_counter()
    for _ in range(n):
        trainer.snapshot()
    return (time.perf_counter() - t0) / n * 1000


def main() -> None:
    torch.set_num_threads(1)
    ae = AETrainer(AESpec())
    ae_rate = rate(ae, 20)
    ae_snap = snapshot_ms(ae)
    anomaly = AETrainer(AESpec("digits", normal=(0, 2, 3, 4, 5, 6, 7, 8, 9), bottleneck=4))
    for _ in range(30):
        anomaly.run(math.inf)
    auc = anomaly.detector().auc
    gan = GanTrainer(GanSpec("ring"))
    gan_rate = rate(gan, 60)
    modes = int(gan.evaluate()["modes"])
    gan_snap = snapshot_ms(gan)
    img = GanTrainer(GanSpec("digits", noise=16, g_hidden=(256,), d_hidden=(256,), lr_g=0.0003, lr_d=0.0003,
                             iters=20))
    img_rate = rate(img, 20)
    print(f"generative_speed ae_epochs_per_s={ae_rate:.0f} ae_snapshot_ms={ae_snap:.0f} anomaly_auc={auc:.3f} "
          f"gan2d_epochs_per_s={gan_rate:.1f} gan2d_ring_modes_at_60={modes}/8 gan2d_snapshot_ms={gan_snap:.0f} "
          f"image_gan_epochs_per_s={img_rate:.1f}")


if __name__ == "__main__":
    main()
