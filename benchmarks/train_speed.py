"""Engine vs a textbook PyTorch loop on TensorFlow Playground's default-like task.

Spiral, 500 points, half for training, a 2-8-8-1 tanh network, SGD at learning rate 0.03, batch 10,
mean squared error. Each runs for the same wall time in this process, with one torch thread, and each
computes the train and test loss after every epoch (what the app draws). The engine runs as the app
runs it: a `TrainingJob` in its worker thread, on its default path (compiled with numba for this
network) and again on its torch path (`engine="torch"`: autograd, foreach optimizers; what a GPU runs).
Last line:
    train_speed engine_epochs_per_s=<x> naive_epochs_per_s=<y> ratio=<x/y>
        torch_engine_epochs_per_s=<t> torch_ratio=<t/y>   (on the same line)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.data import DataSpec, load_dataset  # noqa: E402
from core.models import build_model  # noqa: E402
from core.presets import playground_mlp  # noqa: E402
from core.training import JobSlots, JobState, TrainConfig, TrainingJob  # noqa: E402


def naive(ds, seconds: float) -> float:
    """The loop of a PyTorch tutorial: nn.Sequential, optim.SGD, loss.backward(), a step per batch."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 8), nn.Tanh(), nn.Linear(8, 1))
    opt = torch.optim.SGD(model.parameters(), lr=0.03)
    loss_fn = nn.MSELoss()
    x, y = ds.x_train, ds.y_train.float().reshape(-1, 1) * 2 - 1
    xt, yt = ds.x_test, ds.y_test.float().reshape(-1, 1) * 2 - 1
    epochs = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        perm = torch.randperm(len(x))
        for i in range(0, len(x), 10):
            idx = perm[i:i + 10]
            opt.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
        with torch.no_grad():
            float(loss_fn(model(x), y)), float(loss_fn(model(xt), yt))
        epochs += 1
    return epochs / (time.perf_counter() - start)


def engine(ds, seconds: float, path: str = "auto") -> float:
    cfg = TrainConfig(optimizer="sgd", learning_rate=0.03, batch_size=10, loss="mse", threads=1, engine=path)
    job = TrainingJob(build_model(playground_mlp(2, (8, 8), "tanh", 1), seed=0), ds, cfg, slots=JobSlots(1))
    start = time.perf_counter()
    job.start()
    while time.perf_counter() - start < seconds:
        time.sleep(0.25)
        job.poll()  # as a page would
    view = job.poll()
    elapsed = time.perf_counter() - start
    job.stop()
    assert view.state == JobState.RUNNING, view.message
    return view.epoch / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="wall time for each of the two runs")
    args = parser.parse_args()
    torch.set_num_threads(1)
    ds = load_dataset(DataSpec("spiral", n_samples=500, train_fraction=0.5, seed=0))
    naive(ds, 0.5)  # warm up both paths
    engine(ds, 0.5)
    engine(ds, 0.5, "torch")
    e = engine(ds, args.seconds)
    t = engine(ds, args.seconds, "torch")
    n = naive(ds, args.seconds)
    print(f"engine (compiled): {e:.1f} epochs/s ({len(ds.x_train)} training points, batch 10)")
    print(f"engine (torch):    {t:.1f} epochs/s")
    print(f"naive:             {n:.1f} epochs/s")
    print(f"train_speed engine_epochs_per_s={e:.1f} naive_epochs_per_s={n:.1f} ratio={e / n:.2f} "
          f"torch_engine_epochs_per_s={t:.1f} torch_ratio={t / n:.2f}")


if __name__ == "__main__":
    main()
