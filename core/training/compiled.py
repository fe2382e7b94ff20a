"""The engine's compiled path: whole slices of MLP training in one numba call (`kernels.py`).

For the Playground's networks (2-8-8-1 and the like) a training step is a few hundred multiply-adds,
and any per-step work in Python or torch costs more than that. A `CompiledMLP` moves the parameters
of a plain MLP (its `mlp_plan`, see `mlp.py`) into one flat float32 vector (the torch parameters become
views of it, so the model, snapshots and exports see every update) and runs many batches (forward,
backward, L1/L2, the optimizer step with the hyper-parameters of its `Rule`) per call; evaluation
and the neuron maps of the plane are compiled too.
CPU only: on a GPU, or for anything else (convolutions, dropout, batch norm) the torch path trains.
`NN_ENGINE=torch` (or `TrainConfig(engine="torch")`) turns it off.
"""

from __future__ import annotations

import math
import time

import numpy as np
import torch

from core.training.mlp import MLPPlan
from core.training.objective import Objective
from core.training.optim import Optimizer

_LOSS_CODES = {"mse": 0, "bce": 1, "ce": 2}
RULE_CODES = {"sgd": 0, "adam": 1, "rmsprop": 2, "adagrad": 3}  # kernels.SGD ... kernels.ADAGRAD; no Nesterov


def _kernels():
    """The kernels module, or None where numba is missing or cannot compile here."""
    try:
        from core.training import kernels
    except Exception:  # noqa: BLE001 - any failure means the torch path trains instead
        return None
    return kernels


def available() -> bool:
    return _kernels() is not None


class CompiledMLP:
    """The flat parameters, optimizer state and scratch buffers of one model, and the calls that train it."""

    def __init__(self, plan: MLPPlan, objective: Objective, optimizer: Optimizer,
                 train: tuple[torch.Tensor, torch.Tensor], test: tuple[torch.Tensor, torch.Tensor], batch_size: int):
        self.k = _kernels()
        if self.k is None:
            raise RuntimeError("numba is not available")
        rule = optimizer.rule()
        if rule.name not in RULE_CODES:
            raise ValueError(f"the compiled engine has no '{rule.name}' optimizer")
        self.objective, self.optimizer, self.rule = objective, optimizer, rule
        linears = [la.linear for la in plan.layers]
        codes = [la.code for la in plan.layers]
        slopes = [la.slope for la in plan.layers]
        params = [p for la in linears for p in (la.weight, la.bias) if p is not None]
        total = sum(p.numel() for p in params)
        self.flat_t = torch.empty(total, dtype=torch.float32)
        self.grad_t = torch.zeros(total, dtype=torch.float32)
        layout, off = [], 0
        self.param_grads: list[torch.Tensor] = []
        for m, code in zip(linears, codes):
            w_off = off
            off = self._adopt(m.weight, off)
            b_off = -1
            if m.bias is not None:
                b_off = off
                off = self._adopt(m.bias, off)
            layout.append((w_off, b_off, m.in_features, m.out_features, code))
        self.layout = np.ascontiguousarray(np.array(layout, dtype=np.int64))
        self.slopes = np.array(slopes, dtype=np.float32)
        self.widths = [m.out_features for m in linears]
        self.max_w = max([linears[0].in_features, *self.widths])
        self.s1 = np.zeros(total, dtype=np.float32)
        self.s2 = np.zeros(total, dtype=np.float32)
        self.loss_code = _LOSS_CODES[objective.kind]
        self.opt_code = RULE_CODES[rule.name]
        self.sets = {"train": self._data(*train), "test": self._data(*test)}
        self.x, self.tf, self.ti = self.sets["train"]
        self.batch_size = batch_size
        n_layers = len(linears)
        self.acts = np.zeros((n_layers + 1, batch_size, self.max_w), dtype=np.float32)
        self.zs = np.zeros((n_layers, batch_size, self.max_w), dtype=np.float32)
        self.d = np.zeros((batch_size, self.max_w), dtype=np.float32)
        self.e = np.zeros((batch_size, self.max_w), dtype=np.float32)
        self._eval_buf = np.zeros((2 * 64, self.max_w), dtype=np.float32)
        self._step_s = 2e-6  # measured as it trains; sizes each call to the time left

    # numpy views of the torch vectors, taken afresh at every call: multiprocessing's pickler moves a
    # tensor's storage into shared memory when the tensor is sent to a child, and a view kept from
    # before would point at freed memory
    @property
    def flat(self) -> np.ndarray:
        return self.flat_t.numpy()

    @property
    def grad(self) -> np.ndarray:
        return self.grad_t.numpy()

    def _adopt(self, p: torch.nn.Parameter, off: int) -> int:
        n = p.numel()
        view = self.flat_t[off:off + n].view_as(p)
        view.copy_(p.detach())
        p.data = view
        self.param_grads.append(self.grad_t[off:off + n].view_as(p))
        return off + n

    def _data(self, x: torch.Tensor, t: torch.Tensor) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Copies owned here (not views of the dataset's tensors: see `flat`)."""
        xs = np.array(x.detach().cpu().numpy(), dtype=np.float32, order="C", copy=True)
        if self.objective.kind == "ce":
            return xs, np.zeros((1, 1), np.float32), np.array(t.cpu().numpy(), dtype=np.int64, order="C", copy=True)
        tf = np.array(t.detach().cpu().numpy(), dtype=np.float32, order="C", copy=True).reshape(len(t), -1)
        return xs, tf, np.zeros(1, np.int64)

    def reset_state(self) -> None:
        self.s1[:] = 0.0
        self.s2[:] = 0.0
        self.grad_t.zero_()

    def run(self, perm: np.ndarray, pos: int, deadline: float, l1: float, l2: float) -> tuple[int, int]:
        """Train from `pos` in `perm` until the epoch ends or `deadline` passes; returns (pos, steps)."""
        opt, rule, n, bs = self.optimizer, self.rule, len(perm), self.batch_size
        steps = 0
        flat, grad = self.flat, self.grad
        while pos < n:
            left = deadline - time.perf_counter()
            want = math.ceil((n - pos) / bs)
            chunk = want if left == math.inf else max(1, min(want, int(left / self._step_s)))
            t0 = time.perf_counter()
            new_pos = self.k.train_slice(flat, grad, self.s1, self.s2, self.layout, self.slopes, self.x,
                                         self.tf, self.ti, self.loss_code, perm, pos, chunk, bs, float(opt.lr),
                                         float(l1), float(l2), self.opt_code, rule.momentum, rule.b1, rule.b2,
                                         rule.eps, rule.alpha, opt.steps, self.acts, self.zs, self.d, self.e)
            done = math.ceil((new_pos - pos) / bs)
            elapsed = time.perf_counter() - t0
            if done:
                self._step_s = 0.7 * self._step_s + 0.3 * max(elapsed / done, 1e-7)
            opt.steps += done
            steps += done
            pos = new_pos
            if time.perf_counter() >= deadline:
                break
        return pos, steps

    def loss_acc(self, which: str) -> tuple[float, float]:
        """Mean loss and accuracy (NaN for regression) of the current weights on "train" or "test"."""
        xs, tf, ti = self.sets[which]
        if len(xs) == 0:
            return math.nan, math.nan
        loss, correct = self.k.evaluate(self.flat, self.layout, self.slopes, xs, tf, ti, self.loss_code,
                                        self._eval_buf)
        acc = correct / len(xs) if self.objective.task == "classification" else math.nan
        return float(loss), acc

    def finite(self) -> bool:
        """Every parameter is a finite number (no divergence)."""
        return bool(np.isfinite(self.flat).all())

    def activations(self, x: np.ndarray) -> list[np.ndarray]:
        """Each Linear layer's activated output (the last one's raw output) for the rows of x."""
        x = np.ascontiguousarray(x, dtype=np.float32)
        acts = np.empty((len(self.widths), len(x), self.max_w), dtype=np.float32)
        self.k.forward(self.flat, self.layout, self.slopes, x, acts)
        return [acts[i, :, :w] for i, w in enumerate(self.widths)]
