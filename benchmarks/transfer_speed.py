"""How fast the Transfer lab trains on one core and what pretraining gives: epochs per second of the three
ways side by side on the starter set (72 images of three shapes, 30% held out), held-out accuracy of
training from scratch and of the frozen TinyVGG backbone after 30 epochs with 1 and with 2 images per
class, and the whole data curve (5 sizes x 3 ways x 20 epochs).

    python benchmarks/transfer_speed.py
"""

from __future__ import annotations

import math
import time

import torch

from core.transfer.images import starter_set
from core.transfer.trainer import DataCurve, DataCurveTrainer, TransferCompare, TransferSpec


def main() -> None:
    torch.set_num_threads(1)
    imgs = starter_set()
    c = TransferCompare(TransferSpec(), imgs)
    t0 = time.perf_counter()
    for _ in range(5):
        c.run()
        c.evaluate()
    eps = 5 / (time.perf_counter() - t0)
    acc = {}
    for per in (1, 2):
        few = TransferCompare(TransferSpec(per_class=per, modes=("scratch", "frozen")), imgs)
        for _ in range(30):
            few.run()
        m = few.evaluate()
        acc[per] = (m["scratch_test_acc"], m["frozen_test_acc"])
    curve = DataCurveTrainer(DataCurve(epochs=20), imgs)
    t0 = time.perf_counter()
    while not curve.done:
        curve.run(math.inf)
    curve_s = time.perf_counter() - t0
    print(f"transfer_speed ways3_epochs_per_s={eps:.2f} per_class1_scratch={acc[1][0]:.2f} "
          f"per_class1_frozen={acc[1][1]:.2f} per_class2_scratch={acc[2][0]:.2f} per_class2_frozen={acc[2][1]:.2f} "
          f"data_curve_s={curve_s:.0f}")


if __name__ == "__main__":
    main()
