"""Training recurrent networks live: `SeqTrainer` trains one cell on one task (a `Trainable`), and
`SeqCompare` trains RNN, LSTM and GRU side by side on the same data from the same seed, one epoch each
in lockstep, so their curves line up epoch for epoch.

A step is torch's own forward and backward (`nn.RNN`/`nn.LSTM`/`nn.GRU`), the loss over the steps that
count, optional clipping of the gradient's total norm, then the optimizer. History columns per cell
`c`: `c_train_loss`, `c_test_loss`, `c_train_acc`, `c_test_acc` (NaN for regression) and `c_grad_norm`
(the largest gradient norm of the epoch, before clipping: exploding gradients show here). Snapshots
carry, per cell, what the page draws: the top layer's hidden states, gates and cell state for the chosen
test sequence, the outputs at every step, and the gradient through time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import torch

from core.sequence.models import CELLS, SeqNet, hidden_grads, masked_loss, unroll
from core.sequence.tasks import SeqData, TaskSpec, make_task
from core.training.device import pick_device
from core.training.lab_trainer import LabTrainer
from core.training.lockstep import Lockstep
from core.training.optim import make_optimizer
from core.training.snapshot import Snapshot, take_snapshot

OPTIMIZERS = ("adam", "rmsprop", "sgd")
EVAL_MAX = 500  # training sequences scored per epoch
GRAD_SEQS = 32  # test sequences averaged in the gradient-through-time view


@dataclass(frozen=True)
class SeqSpec:
    task: TaskSpec = TaskSpec()
    cells: tuple[str, ...] = ("rnn", "lstm", "gru")
    hidden: int = 32
    layers: int = 1
    optimizer: str = "adam"
    learning_rate: float = 0.003
    clip: float = 1.0  # 0: no clipping
    batch_size: int = 50
    seed: int = 0
    device: str = "auto"

    def __post_init__(self) -> None:
        if not self.cells or any(c not in CELLS for c in self.cells) or len(set(self.cells)) != len(self.cells):
            raise ValueError("pick at least one of RNN, LSTM and GRU")
        for name, lo, hi in (("hidden", 2, 256), ("layers", 1, 3), ("batch_size", 1, 1000)):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
                raise ValueError(f"{name.replace('_', ' ')} must be a whole number from {lo} to {hi}, not {v!r}")
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"choose an optimizer among {', '.join(OPTIMIZERS)}")
        if not (isinstance(self.learning_rate, (int, float)) and 1e-5 <= self.learning_rate <= 10):
            raise ValueError(f"the learning rate must be from 0.00001 to 10, not {self.learning_rate!r}")
        if not (isinstance(self.clip, (int, float)) and 0 <= self.clip <= 100):
            raise ValueError(f"the clipping norm must be from 0 (off) to 100, not {self.clip!r}")

    def with_(self, **changes: object) -> SeqSpec:
        return replace(self, **changes)


def build(spec: SeqSpec, cell: str, data: SeqData) -> SeqNet:
    net = SeqNet(cell, data.n_in, spec.hidden, spec.layers, data.n_out)
    net.init(spec.seed)
    return net


class SeqTrainer(LabTrainer):
    """One recurrent network trained on one task, a slice at a time (a `Trainable`)."""

    def __init__(self, spec: SeqSpec, cell: str, data: SeqData | None = None):
        self.spec, self.cell = spec, cell
        self.data = self.dataset = data if data is not None else make_task(spec.task)
        self.device = pick_device(spec.device)
        self.model = build(spec, cell, self.data).to(self.device)
        d, dev = self.data, self.device
        self.x, self.y, self.m = d.x_train.to(dev), d.y_train.to(dev), d.m_train.to(dev)
        self.xt, self.yt, self.mt = d.x_test.to(dev), d.y_test.to(dev), d.m_test.to(dev)
        self.n = len(self.x)
        self.params = list(self.model.parameters())
        self.names = [n for n, _ in self.model.named_parameters()]
        self.optimizer = make_optimizer(spec.optimizer, self.params, spec.learning_rate)
        self.clip = float(spec.clip)
        self.generator = torch.Generator()
        self.reset()

    def init_weights(self, seed: int) -> None:
        self.model.init(seed)

    def on_reset(self) -> None:
        self._max_norm = 0.0

    def step(self, idx: torch.Tensor) -> float:
        """One training step on the sequences `idx`; returns the gradient's total norm before clipping."""
        idx = idx.to(self.device)
        out = self.model(self.x.index_select(0, idx))
        loss = masked_loss(out, self.y.index_select(0, idx), self.m.index_select(0, idx), self.data.kind)
        grads = list(torch.autograd.grad(loss, self.params))
        norm = float(torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g) for g in grads])))
        if self.clip and norm > self.clip:
            torch._foreach_mul_(grads, self.clip / (norm + 1e-6))  # torch.nn.utils.clip_grad_norm_'s rule
        with torch.no_grad():
            self.optimizer.step(grads)
        self.last_grads = grads
        self.step_count += 1
        return norm

    def train_slice(self, deadline: float) -> bool:
        def step(idx: torch.Tensor) -> None:
            self._max_norm = max(self._max_norm, self.step(idx))
        return self.batches.run(step, deadline)

    def on_epoch(self) -> None:
        self._last_norm, self._max_norm = self._max_norm, 0.0

    @torch.no_grad()
    def loss_acc(self, x: torch.Tensor, y: torch.Tensor, m: torch.Tensor) -> tuple[float, float]:
        """(loss, accuracy over the steps that count) in evaluation mode; accuracy NaN for regression."""
        was = self.model.training
        self.model.eval()
        try:
            out = self.model(x)
        finally:
            self.model.train(was)
        loss = float(masked_loss(out, y, m, self.data.kind))
        if self.data.kind != "classification":
            return loss, math.nan
        return loss, float((out.argmax(-1) == y)[m].float().mean())

    def evaluate(self) -> dict[str, float]:
        k = min(self.n, EVAL_MAX)
        tr = self.loss_acc(self.x[:k], self.y[:k], self.m[:k])
        te = self.loss_acc(self.xt, self.yt, self.mt)
        return {"train_loss": tr[0], "test_loss": te[0], "train_acc": tr[1], "test_acc": te[1],
                "grad_norm": float(getattr(self, "_last_norm", 0.0)) if self.epoch else 0.0}

    def inside(self, sample: int) -> dict[str, np.ndarray]:
        """What the page draws of this network now, for test sequence `sample`: the top layer's hidden
        states (T, H), gates and cell state, the outputs (T, outputs) and the gradient through time (T,)."""
        i = int(min(max(sample, 0), len(self.xt) - 1))
        with torch.no_grad():
            u = unroll(self.model, self.xt[i:i + 1])
        out = {k: v[0].cpu().numpy().astype(np.float32) for k, v in u.stacked().items()}
        o = u.out[0]
        out["out"] = (torch.softmax(o, -1) if self.data.kind == "classification" else o).cpu().numpy()
        xs, ys = self.xt[:GRAD_SEQS], self.yt[:GRAD_SEQS]
        with torch.enable_grad():
            out["grads"] = hidden_grads(self.model, xs, ys, self.data.kind).cpu().numpy()
        return out

    def snapshot(self) -> Snapshot:
        return take_snapshot(self.names, self.params, self.last_grads, self.epoch, self.step_count, self.train_time,
                             plane={self.cell: self.inside(0)})

    def set(self, **live: float) -> None:
        unknown = sorted(set(live) - {"learning_rate", "clip"})
        if unknown:
            raise ValueError(f"these settings cannot change while training: {', '.join(unknown)[:80]}")
        spec = self.spec.with_(learning_rate=live.get("learning_rate", self.optimizer.lr),
                               clip=live.get("clip", self.clip))  # validates
        self.optimizer.lr, self.clip = spec.learning_rate, float(spec.clip)

    def live(self) -> dict[str, float]:
        return {"learning_rate": self.optimizer.lr, "clip": self.clip}


class SeqCompare(Lockstep):
    """The chosen cells trained side by side on one task (same data, same seed), with each one's insides
    for the test sequence chosen with `set(sample=...)`."""

    def __init__(self, spec: SeqSpec, epochs_per_s: float = 0.0):
        self.spec = spec
        data = make_task(spec.task)
        self.sample = 0
        super().__init__({c: SeqTrainer(spec, c, data) for c in spec.cells}, epochs_per_s)

    def maps(self) -> dict[str, dict[str, np.ndarray]]:
        return {c: t.inside(self.sample) for c, t in self.trainers.items()}

    def evaluate(self) -> dict[str, float]:
        return {f"{c}_{k}": v for c, t in self.trainers.items() for k, v in t.evaluate().items()}

    def set(self, **live: float) -> None:
        if "sample" in live:
            s = live.pop("sample")
            if isinstance(s, bool) or not float(s).is_integer() or not 0 <= s < len(self.dataset.x_test):
                raise ValueError(f"choose a test sequence from 0 to {len(self.dataset.x_test) - 1}")
            self.sample = int(s)
        for t in self.trainers.values():
            t.set(**live)

    def live(self) -> dict[str, float]:
        return {**next(iter(self.trainers.values())).live(), "sample": float(self.sample)}
