"""Training the three ways side by side on the student's images: `TransferSpec` (how many images per class
to learn from, which ways, augmentations, learning rate, backbone), `TransferTrainer` (one way, a slice at
a time) and `TransferCompare` (the chosen ways in lockstep, same images, same seed). History columns per
way `m`: `m_train_loss`, `m_test_loss`, `m_train_acc`, `m_test_acc`. Snapshots carry each way's
probabilities on the held-out images (per-class accuracy and the confusion matrix are read off them).

`DataCurve` measures test accuracy against images per class (1, 2, 5, 10, all), every point real runs
of every way, in the background (a `PointSweep`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import partial

import numpy as np
import torch
import torch.nn.functional as F

from core.data.augment import OPS, augment
from core.training.device import pick_device
from core.training.lab_trainer import LabTrainer
from core.training.lockstep import Lockstep
from core.training.optim import make_optimizer
from core.training.sweep import PointSweep, SweepRun
from core.transfer.images import ImageSet, split
from core.transfer.model import MODES, backbone_params, build, build_resnet, head_params

PER_CLASS = (1, 2, 5, 10, 0)  # 0: all the images left after the test share
MIN_STEPS = 8  # an epoch is at least this many mini-batches (a few images are cycled, freshly augmented)


@dataclass(frozen=True)
class TransferSpec:
    per_class: int = 0  # images per class to learn from (0: all)
    modes: tuple[str, ...] = tuple(MODES)
    augment: tuple[str, ...] = ()
    learning_rate: float = 0.003
    batch_size: int = 16
    test_share: float = 0.3
    backbone: str = "tinyvgg"
    seed: int = 0
    device: str = "auto"

    def __post_init__(self) -> None:
        if not self.modes or any(m not in MODES for m in self.modes):
            raise ValueError(f"choose at least one way among {', '.join(MODES)}")
        if any(a not in OPS for a in self.augment):
            raise ValueError(f"augmentations are {', '.join(OPS)}")
        if isinstance(self.per_class, bool) or not isinstance(self.per_class, int) or not 0 <= self.per_class <= 60:
            raise ValueError("images per class must be from 1 to 60 (0: all)")
        if not 1e-5 <= self.learning_rate <= 1:
            raise ValueError("the learning rate must be from 0.00001 to 1")
        if not 0.1 <= self.test_share <= 0.5:
            raise ValueError("hold out from 10% to 50% for testing")

    def with_(self, **changes: object) -> TransferSpec:
        return replace(self, **changes)


class TransferTrainer(LabTrainer):
    """One way of training the transfer network, on the student's images (a `Lockstep` member)."""

    BATCHES = False  # an epoch cycles the few training images to at least `MIN_STEPS` batches

    def __init__(self, spec: TransferSpec, images: ImageSet, mode: str, resnet_state: dict | None = None):
        self.spec, self.mode, self.images = spec, mode, images
        train, test = split(images, spec.per_class or None, spec.test_share, spec.seed)
        self.device = pick_device(spec.device)
        x, y = images.images, images.labels
        self.x, self.y = x[train].to(self.device), y[train].to(self.device)
        self.xt, self.yt = x[test].to(self.device), y[test].to(self.device)
        self.dataset = images
        k = len(images.classes)
        self.model = (build(mode, k, spec.seed) if spec.backbone == "tinyvgg"
                      else build_resnet(mode, k, resnet_state or {}, spec.seed)).to(self.device)
        self.params = list(self.model.parameters())
        self.names = [n for n, _ in self.model.named_parameters()]
        self.keep_initial_weights()
        self.head = head_params(self.model)
        self.body = [p for p in backbone_params(self.model) if p.requires_grad]
        lr = spec.learning_rate
        self.optimizer = make_optimizer("adam", self.head, lr)
        self.body_optimizer = make_optimizer("adam", self.body, lr / 10) if self.body and mode == "finetune" else (
            make_optimizer("adam", self.body, lr) if self.body else None)
        self.generator = torch.Generator()
        self.reset()

    def optimizers(self) -> list:
        return [self.optimizer] + ([self.body_optimizer] if self.body_optimizer is not None else [])

    def train_mode(self) -> None:
        self.model.train()
        if self.mode == "frozen":  # a frozen backbone keeps its batch-norm statistics too
            for name, m in self.model.named_children():
                if name not in ("fc", "dense_1"):
                    m.eval()

    def run(self, max_seconds: float = math.inf) -> bool:
        return super().run(max_seconds)

    def train_slice(self, deadline: float) -> bool:
        """One whole epoch: the training images in mini-batches, cycled to at least `MIN_STEPS` batches."""
        n, bs = len(self.x), self.spec.batch_size
        rounds = max(1, math.ceil(MIN_STEPS * bs / n)) if n < MIN_STEPS * bs else 1
        perm = torch.cat([torch.randperm(n, generator=self.generator) for _ in range(rounds)])
        for i in range(0, len(perm), self.spec.batch_size):
            idx = perm[i:i + self.spec.batch_size].to(self.device)
            x = self.x.index_select(0, idx)
            if self.spec.augment:
                x = augment(x.cpu(), self.spec.augment, self.generator)[0].to(self.device)
            loss = F.cross_entropy(self.model(x), self.y.index_select(0, idx))
            trainable = self.head + self.body
            grads = torch.autograd.grad(loss, trainable)
            with torch.no_grad():
                self.optimizer.step(list(grads[:len(self.head)]))
                if self.body_optimizer is not None:
                    self.body_optimizer.step(list(grads[len(self.head):]))
            self.step_count += 1
        return True

    @torch.no_grad()
    def probs(self, x: torch.Tensor) -> torch.Tensor:
        self.model.eval()
        return torch.softmax(self.model(x), 1)

    def evaluate(self) -> dict[str, float]:
        out = {}
        for part, x, y in (("train", self.x, self.y), ("test", self.xt, self.yt)):
            p = self.probs(x)
            out[f"{part}_loss"] = float(F.nll_loss(torch.log(p.clamp_min(1e-12)), y))
            out[f"{part}_acc"] = float((p.argmax(1) == y).float().mean())
        return out

    def set(self, **live: float) -> None:
        if "learning_rate" in live:
            lr = float(live["learning_rate"])
            self.spec.with_(learning_rate=lr)  # validates
            self.optimizer.lr = lr
            if self.body_optimizer is not None:
                self.body_optimizer.lr = lr / 10 if self.mode == "finetune" else lr


class TransferCompare(Lockstep):
    """The chosen ways trained side by side on the same images from the same seed (a `Trainable`)."""

    def __init__(self, spec: TransferSpec, images: ImageSet, resnet_state: dict | None = None,
                 epochs_per_s: float = 0.0):
        self.spec = spec
        super().__init__({m: TransferTrainer(spec, images, m, resnet_state) for m in spec.modes}, epochs_per_s)

    def maps(self) -> dict[str, np.ndarray]:
        first = next(iter(self.trainers.values()))
        return {"labels": first.yt.cpu().numpy(), **{m: t.probs(t.xt).cpu().numpy() for m, t in self.trainers.items()}}


def confusion(probs: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """(k, k) counts: row = the true class, column = the predicted one."""
    out = np.zeros((k, k), int)
    np.add.at(out, (labels, probs.argmax(1)), 1)
    return out


@dataclass(frozen=True)
class DataCurve:
    base: TransferSpec = TransferSpec()
    per_class: tuple[int, ...] = PER_CLASS
    epochs: int = 30


def _run(spec: TransferSpec, images: ImageSet, mode: str, resnet_state: dict | None) -> TransferTrainer:
    return TransferTrainer(spec, images, mode, resnet_state)


class DataCurveTrainer(PointSweep):
    """Test accuracy against images per class, every way at every point (a `Trainable`)."""

    def __init__(self, curve: DataCurve, images: ImageSet, resnet_state: dict | None = None):
        self.curve = curve
        points = [[SweepRun(m, partial(_run, curve.base.with_(per_class=k), images, m, resnet_state))
                   for m in curve.base.modes] for k in curve.per_class]
        most = max(len(split(images, None, curve.base.test_share, curve.base.seed)[0]) // len(images.classes), 1)
        self.sizes = [k or most for k in curve.per_class]
        super().__init__(points, curve.epochs, lambda t: {"acc": t.evaluate()["test_acc"]}, self._finish,
                         ("per_class", *(f"{m}_acc" for m in curve.base.modes)))

    def _finish(self, point: int, results: dict[str, dict[str, float]]) -> dict[str, float]:
        return {"per_class": float(self.sizes[point]), **{f"{m}_acc": r["acc"] for m, r in results.items()}}
