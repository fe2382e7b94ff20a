"""The shipped TinyVGG on CPU: feature maps of every layer, feature visualization, training speed.

Last line:
    cnn_speed featuremaps_ms=<x> featureviz_s=<y> featureviz_busy_s=<b> featureviz_busy_all_threads_s=<a>
              train_images_per_s=<z>
featuremaps_ms: one image through every layer with all outputs recorded (median of 50);
featureviz_s: a 256-step activation maximization of one channel of the last conv block;
featureviz_busy_s: the same beside a CPU-bound process (one core busy), on the free cores as the page runs it;
featureviz_busy_all_threads_s: the same beside it on one thread per core (what the page did before);
train_images_per_s: the engine training TinyVGG on generated objects (batch 32, Adam, two threads).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.cnn.features import feature_maps  # noqa: E402
from core.cnn.featureviz import maximize  # noqa: E402
from core.cores import usable_cores  # noqa: E402
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
    maximize(sm.model, "relu_4", 0, sm.input_shape, steps=32)  # warm up (autograd's first graph)
    t = time.perf_counter()
    maximize(sm.model, "relu_4", 0, sm.input_shape, steps=256)
    viz_s = time.perf_counter() - t
    burner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.5)
        t = time.perf_counter()
        maximize(sm.model, "relu_4", 0, sm.input_shape, steps=256)  # threads: the free cores
        busy_s = time.perf_counter() - t
        t = time.perf_counter()
        maximize(sm.model, "relu_4", 0, sm.input_shape, steps=256, threads=usable_cores())
        busy_all_s = time.perf_counter() - t
    finally:
        burner.kill()
        burner.wait()
    ds = load_dataset(DataSpec("objects", n_samples=1200, image_size=64, train_fraction=0.8, seed=1))
    trainer = Trainer(build_model(sm.model.spec, seed=0), ds, TrainConfig(optimizer="adam", learning_rate=0.001,
                                                                          batch_size=32, threads=2))
    trainer.train_epochs(1)  # warm up
    t = time.perf_counter()
    trainer.train_epochs(2)
    ips = 2 * len(ds.x_train) / (time.perf_counter() - t)
    print(f"feature maps of all layers: {fm_ms:.1f} ms; 256-step activation maximization: {viz_s:.2f} s "
          f"({busy_s:.2f} s beside a busy core on the free cores, {busy_all_s:.2f} s on all); "
          f"training: {ips:.0f} images/s")
    print(f"cnn_speed featuremaps_ms={fm_ms:.1f} featureviz_s={viz_s:.2f} featureviz_busy_s={busy_s:.2f} "
          f"featureviz_busy_all_threads_s={busy_all_s:.2f} train_images_per_s={ips:.0f}")


if __name__ == "__main__":
    main()
