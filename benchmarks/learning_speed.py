"""The Learning lab's views against their speed targets on this machine.

step_view_ms: one phase of the backprop step-through as the page computes it (the step with its
finite-difference checks, the chain rule, the figure) for the 2-3-2-1 preset on a batch of 4;
landscape_31_s: a 31x31 map of a trained Playground network (spiral, 250 training points, 2-8-8-1
tanh) along two filter-normalized directions, one torch thread. Medians of 5. Last line:
    learning_speed step_view_ms=<x> landscape_31_s=<y>
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.data import DataSpec, load_dataset  # noqa: E402
from core.learning import network_landscape as NL  # noqa: E402
from core.learning.backprop import chain_rule, one_step, preset  # noqa: E402
from core.learning.backprop_viz import step_figure  # noqa: E402
from core.models import build_model  # noqa: E402
from core.playground.network import HiddenLayer, playground_spec  # noqa: E402
from core.training import TrainConfig, Trainer  # noqa: E402


def step_view() -> float:
    net = preset("2-3-2-1", "tanh", "mse", 0)
    x, y = np.random.default_rng(0).normal(size=(4, 2)), np.array([1.0, -1.0, 1.0, -1.0])
    t0 = time.perf_counter()
    step = one_step(net, x, y, 0.3)
    chain_rule(step, 2, 1, 0)
    step_figure(step, "backward 2", (2, 1, 0)).to_dict()
    return (time.perf_counter() - t0) * 1000


def landscape() -> float:
    ds = load_dataset(DataSpec("spiral", n_samples=500, train_fraction=0.5, seed=0))
    model = build_model(playground_spec(2, [HiddenLayer(8), HiddenLayer(8)], 1), seed=0)
    trainer = Trainer(model, ds, TrainConfig())
    trainer.train_epochs(20)
    w = NL.params_of(model)
    t0 = time.perf_counter()
    NL.surface(model, trainer.x_train, trainer.t_train, trainer.objective, NL.filter_normalized(w, 1),
               NL.filter_normalized(w, 2), 1.0, 31)
    return time.perf_counter() - t0


def main() -> None:
    torch.set_num_threads(1)
    step_view()
    ms = statistics.median(step_view() for _ in range(5))
    s = statistics.median(landscape() for _ in range(5))
    print(f"learning_speed step_view_ms={ms:.1f} landscape_31_s={s:.2f}")


if __name__ == "__main__":
    main()
