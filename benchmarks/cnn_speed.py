"""The shipped TinyVGG on CPU: feature maps of every layer, feature visualization, training speed.

Last line:
    cnn_speed featuremaps_ms=<x> featureviz_s=<y> train_images_per_s=<z>
featuremaps_ms: one image through every layer with all outputs recorded (median of 50);
featureviz_s: a 256-step activation maximization of one channel of the last conv block;
train_images_per_s: the engine training TinyVGG on generated objects (batch 32, Adam, two threads).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.cnn.features import feature_maps  # noqa: E402
from core.cnn.featureviz import maximize  # noqa: E402
from core.data import DataSpec, load_dataset  # noqa: E402
from core.data.photos import photo, preprocess  # noqa: E402
from core.models import build_model  # noqa: E402
from core.training import TrainConfig, Trainer  # noqa: E402
from core.zoo.shipped import load_shipped  # noqa: E402


def main() -> None:
    torch.set_num_threads(2)
    sm = load_shipped("tinyvgg")
    x = preprocess(photo("chelsea"), 64, 3).tensor
    feature_maps(sm.model, x)
    times = []
    for _ in range(50):
        t = time.perf_counter()
        feature_maps(sm.model, x)
        times.append((time.perf_counter() - t) * 1000)
    fm_ms = statistics.median(times)
    t = time.perf_counter()
    maximize(sm.model, "relu_4", 0, sm.input_shape, steps=256)
    viz_s = time.perf_counter() - t
    ds = load_dataset(DataSpec("objects", n_samples=1200, image_size=64, train_fraction=0.8, seed=1))
    trainer = Trainer(build_model(sm.model.spec, seed=0), ds, TrainConfig(optimizer="adam", learning_rate=0.001,
                                                                          batch_size=32, threads=2))
    trainer.train_epochs(1)  # warm up
    t = time.perf_counter()
    trainer.train_epochs(2)
    ips = 2 * len(ds.x_train) / (time.perf_counter() - t)
    print(f"feature maps of all layers: {fm_ms:.1f} ms; 256-step activation maximization: {viz_s:.2f} s; "
          f"training: {ips:.0f} images/s")
    print(f"cnn_speed featuremaps_ms={fm_ms:.1f} featureviz_s={viz_s:.2f} train_images_per_s={ips:.0f}")


if __name__ == "__main__":
    main()
