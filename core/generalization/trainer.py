"""Every variant of `GenSpec` trained side by side in one job (a `Trainable`): one epoch of each per
epoch, in lockstep, on the same data from the same seed, so the curves line up epoch for epoch.

Each variant is a plain `Trainer` (the augmentation variant an `AugmentedTrainer`, which draws new
jittered points for every batch); a variant trained here is the same run as that variant trained
alone. Early stopping watches the validation loss and, once it has not improved for `patience`
epochs, stops and goes back to the weights of its best epoch. History columns per variant `v`:
`v_train_loss`, `v_test_loss`, `v_val_loss`, `v_train_acc`, `v_test_acc`; plus `early_stop_best` and
`early_stop_stopped` (epochs, 0 until it stops). Snapshots carry each variant's output over the plane.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import torch
from torch import nn

from core.data.dataset import Dataset
from core.data.toy2d import grid
from core.generalization.variants import GenSpec, make_data, setup
from core.generalization.variants import build as build_variant
from core.training.config import TrainConfig
from core.training.engine import Trainer
from core.training.lockstep import Lockstep

MAP_RES = 40
Augment = Callable[[torch.Tensor, torch.Generator], torch.Tensor]


def jitter(sigma: float) -> Augment:
    """Gaussian noise of standard deviation `sigma` added to every input value (2D points)."""
    def apply(x: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
        return x + sigma * torch.randn(x.shape, generator=gen, dtype=x.dtype)
    return apply


class AugmentedTrainer(Trainer):
    """A `Trainer` that augments every batch before the step (new random draws each time, seeded)."""

    def __init__(self, model: nn.Module, dataset: Dataset, config: TrainConfig, augment: Augment):
        super().__init__(model, dataset, config.with_(engine="torch"))
        self.augment = augment
        self.aug_generator = torch.Generator()

    def reset(self, seed: int | None = None) -> None:
        super().reset(seed)
        if hasattr(self, "aug_generator"):
            self.aug_generator.manual_seed((self.config.seed if seed is None else seed) + 2)

    def _grads_autograd(self, idx: torch.Tensor) -> torch.Tensor:
        xb = self.augment(self.x_train.index_select(0, idx).cpu(), self.aug_generator).to(self.device)
        tb = self.t_train.index_select(0, idx)
        loss = self.objective.loss(self.model(xb), tb)
        self.last_grads = list(torch.autograd.grad(loss, self.params))
        return loss


@torch.no_grad()
def loss_on(trainer: Trainer, x: torch.Tensor, t: torch.Tensor) -> tuple[float, float]:
    """(loss, accuracy) of the trainer's model on (x, targets), in evaluation mode."""
    was = trainer.model.training
    trainer.model.eval()
    try:
        return trainer._loss_acc(x, t)
    finally:
        trainer.model.train(was)


class VariantsTrainer(Lockstep):
    """The variants of one `GenSpec`, stepped together, with early stopping and each one's map."""

    def __init__(self, spec: GenSpec, epochs_per_s: float = 0.0):
        self.spec = spec
        self.data = make_data(spec)
        trainers: dict[str, Trainer] = {}
        for v in spec.variants:
            s = setup(spec, v, self.data)
            model = build_variant(s)
            trainers[v] = (AugmentedTrainer(model, s.dataset, s.config, jitter(s.jitter)) if s.jitter
                           else Trainer(model, s.dataset, s.config))
        self.patience = spec.patience
        first = next(iter(trainers.values()))
        self.x_val = torch.from_numpy(self.data.val_points.copy())
        self.t_val = first.objective.targets(torch.from_numpy(self.data.val_labels.copy()))
        _, _, pts = grid(MAP_RES)
        self._grid = torch.as_tensor(pts, dtype=torch.float32)
        super().__init__(trainers, epochs_per_s)

    def reset(self, seed: int | None = None) -> None:
        super().reset(seed)
        self.best_epoch, self.best_val, self.stopped = 0, math.inf, 0
        self._best_state: dict[str, torch.Tensor] | None = None
        self._stopped_metrics: dict[str, float] = {}

    @property
    def active(self) -> list[str]:
        return [v for v in self.trainers if not (v == "early_stop" and self.stopped)]

    def after_epoch(self) -> None:
        if "early_stop" in self.trainers and not self.stopped:
            self._watch(self.trainers["early_stop"])

    def _watch(self, t: Trainer) -> None:
        """Early stopping: remember the best validation loss and its weights; stop `patience` epochs later."""
        val, _ = loss_on(t, self.x_val, self.t_val)
        if val < self.best_val:
            self.best_val, self.best_epoch = val, self.epoch
            self._best_state = {k: v.detach().clone() for k, v in t.model.state_dict().items()}
        elif self.epoch - self.best_epoch >= self.patience and self._best_state is not None:
            self.stopped = self.epoch
            with torch.no_grad():
                t.model.load_state_dict(self._best_state)
            if t.compiled is not None:
                t.compiled.reset_state()  # its optimizer state no longer matches; it trains no more anyway

    def evaluate(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for v, t in self.trainers.items():
            if v == "early_stop" and self.stopped and self._stopped_metrics:  # frozen at its best weights
                out.update(self._stopped_metrics)
                continue
            m = t.metrics()
            val, _ = loss_on(t, self.x_val, self.t_val)
            out.update({f"{v}_train_loss": m.train_loss, f"{v}_test_loss": m.test_loss, f"{v}_val_loss": val,
                        f"{v}_train_acc": m.train_acc, f"{v}_test_acc": m.test_acc})
        if "early_stop" in self.trainers:
            if self.stopped and not self._stopped_metrics:
                self._stopped_metrics = {k: out[k] for k in out if k.startswith("early_stop_")}
            out["early_stop_best"] = float(self.best_epoch if self.stopped else 0)
            out["early_stop_stopped"] = float(self.stopped)
        return out

    @torch.no_grad()
    def maps(self) -> dict[str, np.ndarray]:
        """Each variant's output over the plane: P(class 1) for two classes, the predicted class otherwise."""
        out = {}
        for v, t in self.trainers.items():
            was = t.model.training
            t.model.eval()
            y = t.model(self._grid)
            t.model.train(was)
            val = torch.sigmoid(y[:, 0]) if y.shape[1] == 1 else y.argmax(1).float()
            out[v] = val.reshape(MAP_RES, MAP_RES).numpy().astype(np.float32)
        return out
