"""`Trainer`: trains one model on one dataset, a slice of work at a time, with no Streamlit in sight.

On the CPU a plain MLP trains on the compiled path (`compiled.py`: numba kernels run whole slices of
steps, evaluation too). Otherwise (a GPU, convolutions, dropout, batch norm, `engine="torch"`) a step
draws its batch with `index_select`, computes gradients with `torch.autograd.grad`, adds the L1/L2
terms and applies a foreach optimizer.
`run(seconds)` trains until an epoch ends or the time is up, so a job can pause between slices;
`evaluate()` computes the epoch's train and test loss and accuracy.
It is the supervised implementation of `core.training.protocol.Trainable`, the surface a job drives.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from core.data.dataset import Dataset
from core.models import SeededDropout, init_weights
from core.settings import SETTINGS
from core.training import compiled as C
from core.training.config import TrainConfig
from core.training.device import pick_device
from core.training.mlp import mlp_plan
from core.training.objective import Objective, make_objective
from core.training.optim import make_optimizer
from core.training.snapshot import Snapshot, take_snapshot

EVAL_CHUNK = 1024
Probe = Callable[["Trainer"], Any]  # what a lab computes of the model for each snapshot (its `plane`)


@dataclass(frozen=True)
class EpochMetrics:
    epoch: int
    step: int
    wall_s: float
    train_loss: float
    test_loss: float
    train_acc: float  # nan for regression
    test_acc: float

    def as_dict(self) -> dict[str, float]:
        """The metrics a job records as history columns (the counters are recorded by the job)."""
        return {"train_loss": self.train_loss, "test_loss": self.test_loss, "train_acc": self.train_acc,
                "test_acc": self.test_acc}


class Trainer:
    """Owns the model's training state: device copies of the data, optimizer, shuffling, counters."""

    def __init__(self, model: nn.Module, dataset: Dataset, config: TrainConfig, n_outputs: int | None = None,
                 probe: Probe | None = None):
        self.config = config
        self.probe = probe
        self.device = pick_device(config.device)
        self.model = model.to(self.device)
        self.dataset = dataset
        out_dim = n_outputs or self._output_width(model, dataset)
        self.objective: Objective = make_objective(dataset.task, out_dim, config.loss)
        self._check_outputs(out_dim)
        dev = self.device
        self.x_train = dataset.x_train.to(dev)
        self.x_test = dataset.x_test.to(dev)
        self.t_train = self.objective.targets(dataset.y_train).to(dev)
        self.t_test = self.objective.targets(dataset.y_test).to(dev)
        self.n = len(self.x_train)
        self.params = [p for p in model.parameters() if p.requires_grad]
        self.names = [name for name, p in model.named_parameters() if p.requires_grad]
        self.weights = [p for p in self.params if p.dim() >= 2]  # L1/L2 apply to weights, not biases
        self._weight_idx = [i for i, p in enumerate(self.params) if p.dim() >= 2]
        self.has_batchnorm = any(isinstance(m, nn.modules.batchnorm._BatchNorm) for m in model.modules())
        self.generator = torch.Generator(device="cpu")
        self.dropout_generator = torch.Generator(device=dev) if dev.type != "mps" else None
        for m in model.modules():
            if isinstance(m, SeededDropout):
                m.generator = self.dropout_generator
        self.optimizer = make_optimizer(config.optimizer, self.params, config.learning_rate, config.momentum)
        self.compiled: C.CompiledMLP | None = None
        plan = mlp_plan(model)
        if plan is not None and self._wants_compiled(dataset):
            self.compiled = C.CompiledMLP(plan, self.objective, self.optimizer, (self.x_train, self.t_train),
                                          (self.x_test, self.t_test), config.batch_size)
        self.last_grads: list[torch.Tensor] | None = None
        self.l1, self.l2 = config.l1, config.l2
        self._perm = torch.empty(self.n, dtype=torch.int64)
        self._perm_dev = torch.empty(self.n, dtype=torch.int64, device=dev)
        self._pos = self.n  # start of the next batch in the permutation; n means "start an epoch"
        self.reset_counters()

    # -- set-up -----------------------------------------------------------------------------------
    def _wants_compiled(self, dataset: Dataset) -> bool:
        """A plain MLP trains compiled on the CPU unless the torch path is asked for (or numba is missing)."""
        if self.config.engine == "torch" or SETTINGS.engine == "torch":
            return False
        return (self.device.type == "cpu" and len(dataset.input_shape) == 1
                and self.optimizer.rule().name in C.RULE_CODES and C.available())

    @property
    def engine(self) -> str:
        """Which path trains: "compiled" (numba, CPU) or "autograd" (torch, any device)."""
        return "compiled" if self.compiled is not None else "autograd"

    @staticmethod
    def _output_width(model: nn.Module, dataset: Dataset) -> int:
        with torch.no_grad():
            was = model.training
            model.eval()
            out = model(dataset.x_train[:2].to(next(model.parameters()).device))
            model.train(was)
        return int(out.shape[1]) if out.dim() == 2 else -1

    def _check_outputs(self, out_dim: int) -> None:
        ds = self.dataset
        if out_dim < 1:
            raise ValueError("the network must end with a flat vector of outputs (add Flatten and Dense)")
        if ds.task == "classification" and out_dim != ds.n_classes and not (ds.n_classes == 2 and out_dim == 1):
            raise ValueError(f"the network has {out_dim} outputs but '{ds.name}' has {ds.n_classes} classes: "
                             f"make the last Dense layer {ds.n_classes} units"
                             + (" (or 1 for two classes)" if ds.n_classes == 2 else ""))
        if ds.task == "regression" and out_dim != 1:
            raise ValueError(f"regression needs 1 output, but the network has {out_dim}: "
                             "make the last Dense layer 1 unit")

    def reset_counters(self) -> None:
        self.epoch = 0
        self.step_count = 0
        self.train_time = 0.0
        self._pos = self.n

    def reset(self, seed: int | None = None) -> None:
        """New weights from `seed` (default: the config's), fresh optimizer state, counters at zero."""
        seed = self.config.seed if seed is None else seed
        init_weights(self.model, seed)
        self.optimizer.reset()
        if self.compiled is not None:
            self.compiled.reset_state()
        self.generator.manual_seed(seed)
        if self.dropout_generator is not None:
            self.dropout_generator.manual_seed(seed + 1)
        self.last_grads = None
        self.reset_counters()

    def set(self, **live: float) -> None:
        """Change settings mid-run: `learning_rate`, `l1`, `l2`, checked once (all or nothing); the next slice
        of training reads them."""
        unknown = sorted(set(live) - {"learning_rate", "l1", "l2"})
        if unknown:
            raise ValueError(f"these settings cannot change while training: {', '.join(unknown)[:80]}")
        lr = live.get("learning_rate", self.optimizer.lr)
        l1, l2 = live.get("l1", self.l1), live.get("l2", self.l2)
        TrainConfig(learning_rate=lr, l1=l1, l2=l2)  # validates
        self.optimizer.lr, self.l1, self.l2 = lr, l1, l2

    def live(self) -> dict[str, float]:
        return {"learning_rate": self.optimizer.lr, "l1": self.l1, "l2": self.l2}

    # -- training ---------------------------------------------------------------------------------
    def _grads_autograd(self, idx: torch.Tensor) -> torch.Tensor:
        xb = self.x_train.index_select(0, idx)
        tb = self.t_train.index_select(0, idx)
        out = self.model(xb)
        loss = self.objective.loss(out, tb)
        self.last_grads = list(torch.autograd.grad(loss, self.params))
        return loss

    def _regularize(self, grads: list[torch.Tensor]) -> None:
        if not (self.l1 or self.l2) or not self._weight_idx:
            return
        wg = [grads[i] for i in self._weight_idx]
        if self.l2:
            torch._foreach_add_(wg, self.weights, alpha=self.l2)
        if self.l1:
            torch._foreach_add_(wg, torch._foreach_sign(self.weights), alpha=self.l1)

    @torch.no_grad()
    def _update(self, grads: list[torch.Tensor]) -> None:
        """Add the L1/L2 terms and apply the optimizer."""
        self._regularize(grads)
        self.optimizer.step(grads)

    def _start_epoch(self) -> None:
        torch.randperm(self.n, generator=self.generator, out=self._perm)
        if self.device.type != "cpu":
            self._perm_dev.copy_(self._perm, non_blocking=True)
        else:
            self._perm_dev = self._perm
        self._pos = 0

    def run(self, max_seconds: float = 0.1) -> bool:
        """Train until the current epoch ends or `max_seconds` pass; True when an epoch was completed."""
        t0 = time.perf_counter()
        deadline = t0 + max_seconds
        bs = self.config.batch_size
        if self._pos >= self.n:
            self._start_epoch()
        if self.compiled is not None:
            return self._run_compiled(t0, deadline)
        self.model.train()
        perm = self._perm_dev
        min_batch = 2 if self.has_batchnorm else 1
        try:
            while self._pos < self.n:
                idx = perm[self._pos:self._pos + bs]
                self._pos += bs
                if len(idx) < min_batch:  # BatchNorm cannot normalize a batch of one
                    continue
                self._grads_autograd(idx)
                self._update(self.last_grads)
                self.step_count += 1
                if time.perf_counter() > deadline:
                    break
        finally:
            self.train_time += time.perf_counter() - t0
        if self._pos >= self.n:
            self.epoch += 1
            return True
        return False

    def _run_compiled(self, t0: float, deadline: float) -> bool:
        try:
            self._pos, steps = self.compiled.run(self._perm.numpy(), self._pos, deadline, self.l1, self.l2)
        finally:
            self.train_time += time.perf_counter() - t0
        self.step_count += steps
        if steps:
            self.last_grads = self.compiled.param_grads
        if self._pos >= self.n:
            self.epoch += 1
            return True
        return False

    def train_epochs(self, epochs: int) -> None:
        """Train whole epochs (used by tests and benchmarks; jobs call `run` in slices)."""
        target = self.epoch + epochs
        while self.epoch < target:
            self.run(max_seconds=math.inf)

    # -- evaluation -------------------------------------------------------------------------------
    @torch.no_grad()
    def _loss_acc(self, x: torch.Tensor, t: torch.Tensor) -> tuple[float, float]:
        if len(x) == 0:
            return math.nan, math.nan
        total, correct = 0.0, 0
        for s in range(0, len(x), EVAL_CHUNK):
            out = self.model(x[s:s + EVAL_CHUNK])
            tb = t[s:s + EVAL_CHUNK]
            total += float(self.objective.loss(out, tb)) * len(out)
            if self.dataset.task == "classification":
                pred = self.objective.predict(out)
                labels = tb if self.objective.kind == "ce" else self._labels_from_targets(tb)
                correct += int((pred == labels).sum())
        acc = correct / len(x) if self.dataset.task == "classification" else math.nan
        return total / len(x), acc

    def _labels_from_targets(self, t: torch.Tensor) -> torch.Tensor:
        if t.shape[1] == 1:
            return (t[:, 0] > 0).long()
        return t.argmax(1)

    def metrics(self) -> EpochMetrics:
        if self.compiled is not None:  # no modes to switch: a plain stack behaves the same in both
            (train_loss, train_acc), (test_loss, test_acc) = (self.compiled.loss_acc("train"),
                                                              self.compiled.loss_acc("test"))
        else:
            was = self.model.training
            self.model.eval()
            try:
                train_loss, train_acc = self._loss_acc(self.x_train, self.t_train)
                test_loss, test_acc = self._loss_acc(self.x_test, self.t_test)
            finally:
                self.model.train(was)
        return EpochMetrics(self.epoch, self.step_count, self.train_time, train_loss, test_loss, train_acc, test_acc)

    def evaluate(self) -> dict[str, float]:
        """The epoch's train and test loss and accuracy (accuracy NaN for regression), by name."""
        return self.metrics().as_dict()

    def snapshot(self) -> Snapshot:
        return take_snapshot(self.names, self.params, self.last_grads, self.epoch, self.step_count, self.train_time,
                             buffers=dict(self.model.named_buffers()), plane=self.plane())

    def plane(self) -> Any:
        """What the lab's probe computes of the model now (the Playground's: its maps over the plane,
        `core.playground.plane`), carried by the snapshot; None without a probe."""
        if self.probe is None:
            return None
        with torch.no_grad():
            return self.probe(self)

    def params_finite(self) -> bool:
        if self.compiled is not None:
            return self.compiled.finite()
        return all(bool(torch.isfinite(p).all()) for p in self.params)
