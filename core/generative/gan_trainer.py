"""Training a GAN live: `GanSpec` (target, networks, loss, k, learning rates), `GanTrainer` (a `Trainable`:
an epoch is `iters` rounds of k discriminator steps then one generator step; `set(train=1)` trains only D,
`train=2` only G, as GAN Lab's step buttons) and `GanCompare`, the loss variants side by side from the
same seed (a `Lockstep`).

History columns: `d_loss`, `g_loss`, `distance` (energy distance between fixed real and generated
samples) and, for targets made of modes, `modes` (covered) and `near` (share of samples near a mode).
A 2D snapshot carries the real and generated points, D's output over the plane and the direction G's
loss pushes each generated point; an image snapshot, a grid of samples from fixed noise at each epoch.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import numpy as np
import torch
from torch import nn

from core.data.images import load_digits_set, load_objects
from core.generative.data import GAN_TARGETS, check_points, gan_target
from core.generative.gan import LOSSES, coverage, d_loss, energy_distance, g_loss, gradient_penalty, mlp
from core.training.device import pick_device
from core.training.lab_trainer import LabTrainer
from core.training.lockstep import Lockstep
from core.training.optim import make_optimizer
from core.training.snapshot import Snapshot, take_snapshot

OPTIMIZERS = ("adam", "rmsprop", "sgd")
IMAGES = {"digits": "Handwritten digits 8x8", "objects": "Generated objects 16x16"}
GRID, SHOWN, KEPT = 48, 400, 12


@dataclass(frozen=True)
class GanSpec:
    target: str = "ring"
    points: tuple[tuple[float, float], ...] = ()  # the student's own target ("custom")
    noise: int = 2
    g_hidden: tuple[int, ...] = (64, 64)
    d_hidden: tuple[int, ...] = (64, 64)
    loss: str = "nonsaturating"
    k: int = 1  # discriminator steps per generator step
    optimizer: str = "adam"
    lr_g: float = 0.001
    lr_d: float = 0.001
    batch_size: int = 128
    iters: int = 50  # rounds per epoch
    gp: float = 10.0
    seed: int = 0
    device: str = "auto"
    losses: tuple[str, ...] = ()  # GanCompare: the variants side by side

    def __post_init__(self) -> None:
        if self.target not in GAN_TARGETS and self.target not in IMAGES:
            raise ValueError(f"choose a target among {', '.join((*GAN_TARGETS, *IMAGES))}")
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"choose an optimizer among {', '.join(OPTIMIZERS)}")
        if self.target == "custom":
            check_points(self.points)
        if self.loss not in LOSSES or any(v not in LOSSES for v in self.losses):
            raise ValueError(f"choose losses among {', '.join(LOSSES)}")
        for name, lo, hi in (("noise", 1, 64), ("k", 1, 10), ("batch_size", 8, 1024), ("iters", 1, 500)):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
                raise ValueError(f"{name.replace('_', ' ')} must be a whole number from {lo} to {hi}, not {v!r}")
        for name in ("lr_g", "lr_d"):
            if not 1e-5 <= getattr(self, name) <= 0.1:
                raise ValueError("learning rates must be from 0.00001 to 0.1")
        for h in (self.g_hidden, self.d_hidden):
            if not 1 <= len(h) <= 3 or any(not (isinstance(u, int) and 2 <= u <= 512) for u in h):
                raise ValueError("one to three hidden layers of 2 to 512 units")

    def with_(self, **changes: object) -> GanSpec:
        return replace(self, **changes)

    @property
    def image(self) -> bool:
        return self.target in IMAGES


@dataclass
class _Rates:
    """`optimizer.lr` as a `Lockstep` reads it: the generator's learning rate."""

    g: object
    d: object = field(default=None)

    @property
    def lr(self) -> float:
        return self.g.lr


def real_data(spec: GanSpec) -> tuple[torch.Tensor, torch.Tensor | None, float, tuple[int, ...]]:
    """Real samples (N, D), the modes' centres (or None), their spread, and the sample shape."""
    if spec.target == "digits":
        x = load_digits_set(1.0 - 1e-9, spec.seed).x_train
        return x.flatten(1), None, 0.0, tuple(x.shape[1:])
    if spec.target == "objects":
        x = load_objects(900, 16, 1.0 - 1e-9, spec.seed).x_train
        return x.flatten(1), None, 0.0, tuple(x.shape[1:])
    pts, modes, sd = gan_target(spec.target, 2000, spec.seed, spec.points)
    return torch.from_numpy(pts), (torch.from_numpy(modes) if modes is not None else None), sd, (2,)


class GanTrainer(LabTrainer):
    """One GAN trained a slice at a time (a `Trainable`): an "epoch" is `spec.iters` rounds of D and G steps."""

    BATCHES = False

    def __init__(self, spec: GanSpec, loss: str | None = None):
        self.spec, self.loss = spec, loss or spec.loss
        self.real, self.modes, self.sd, self.shape = real_data(spec)
        self.dataset = self.real
        dim = self.real.shape[1]
        self.device = pick_device(spec.device)
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(spec.seed)
            g = mlp([spec.noise, *spec.g_hidden, dim])
            if spec.image:
                g.append(nn.Sigmoid())
            self.model = nn.ModuleDict({"g": g, "d": mlp([dim, *spec.d_hidden, 1])}).to(self.device)
        self.g, self.d = self.model["g"], self.model["d"]
        self.params = list(self.model.parameters())
        self.names = [n for n, _ in self.model.named_parameters()]
        self.keep_initial_weights()
        self.optimizer = _Rates(make_optimizer(spec.optimizer, list(self.g.parameters()), spec.lr_g),
                                make_optimizer(spec.optimizer, list(self.d.parameters()), spec.lr_d))
        self.generator = torch.Generator().manual_seed(spec.seed)
        self.fixed = torch.randn(SHOWN if not spec.image else 16, spec.noise, generator=self.generator)
        self.shown_real = self.real[torch.randperm(len(self.real), generator=self.generator)[:SHOWN]]
        self.train_which = 0
        self.reset()

    def optimizers(self) -> list:
        return [self.optimizer.g, self.optimizer.d]

    def on_reset(self) -> None:
        self._round = 0
        self.grids: list[tuple[int, np.ndarray]] = []

    def _noise(self, n: int) -> torch.Tensor:
        return torch.randn(n, self.spec.noise, generator=self.generator).to(self.device)

    def _real(self, n: int) -> torch.Tensor:
        return self.real[torch.randint(len(self.real), (n,), generator=self.generator)].to(self.device)

    def d_step(self) -> float:
        bs = self.spec.batch_size
        real = self._real(bs)
        with torch.no_grad():
            fake = self.g(self._noise(bs))
        loss = d_loss(self.loss, self.d(real), self.d(fake))
        if self.loss == "wgan_gp":
            eps = torch.rand(bs, 1, generator=self.generator).to(self.device)
            loss = loss + self.spec.gp * gradient_penalty(self.d, real, fake, eps)
        params = list(self.d.parameters())
        grads = torch.autograd.grad(loss, params)
        with torch.no_grad():
            self.optimizer.d.step(list(grads))
        return float(loss.detach())

    def g_step(self) -> float:
        loss = g_loss(self.loss, self.d(self.g(self._noise(self.spec.batch_size))))
        params = list(self.g.parameters())
        grads = torch.autograd.grad(loss, params)
        with torch.no_grad():
            self.optimizer.g.step(list(grads))
        return float(loss.detach())

    def train_mode(self) -> None:
        """Nothing to switch: both networks are Linear and leaky-ReLU layers only."""

    def train_slice(self, deadline: float) -> bool:
        while self._round < self.spec.iters:
            if self.train_which in (0, 1):
                for _ in range(self.spec.k):
                    self.d_step()
            if self.train_which in (0, 2):
                self.g_step()
            self._round += 1
            self.step_count += 1
            if time.perf_counter() > deadline:
                break
        if self._round < self.spec.iters:
            return False
        self._round = 0
        return True

    def on_epoch(self) -> None:
        if self.spec.image:
            self.grids.append((self.epoch, self.samples()))
            if len(self.grids) > KEPT:
                del self.grids[1:-1:2]  # thin out evenly, keeping the first and the newest

    @torch.no_grad()
    def samples(self) -> np.ndarray:
        return self.g(self.fixed.to(self.device)).cpu().numpy().reshape(-1, *self.shape)

    def evaluate(self) -> dict[str, float]:
        with torch.no_grad():
            fake = self.g(self.fixed.to(self.device)).cpu()
            real = self.shown_real[: len(fake)]
            d_out = self.d(torch.cat([real, fake]).to(self.device)).cpu()
            out = {"d_loss": float(d_loss(self.loss, d_out[: len(real)], d_out[len(real):])),
                   "g_loss": float(g_loss(self.loss, d_out[len(real):])), "distance": energy_distance(real, fake)}
        if self.modes is not None:
            covered, near = coverage(fake, self.modes, self.sd)
            out.update(modes=float(covered), near=near)
        return out

    def plane(self) -> dict[str, np.ndarray]:
        """What the 2D views draw: real and generated points, D over the plane, G's push on each point."""
        xs = np.linspace(-3, 3, GRID, dtype=np.float32)
        grid = torch.from_numpy(np.stack(np.meshgrid(xs, xs), -1).reshape(-1, 2)).to(self.device)
        with torch.no_grad():
            s = self.d(grid).reshape(GRID, GRID).cpu()
        fake = self.g(self.fixed[:100].to(self.device)).detach().requires_grad_(True)
        (push,) = torch.autograd.grad(g_loss(self.loss, self.d(fake)) * len(fake), fake)
        with torch.no_grad():
            gen = self.g(self.fixed.to(self.device)).cpu().numpy()
        prob = self.loss in ("minimax", "nonsaturating")
        return {"real": self.shown_real.numpy(), "fake": gen, "d": (torch.sigmoid(s) if prob else s).numpy(),
                "prob": np.asarray(prob), "arrows_at": fake.detach().cpu().numpy(), "arrows": -push.cpu().numpy()}

    def maps(self) -> dict[str, np.ndarray]:
        if self.spec.image:
            return {"samples": self.samples(), "grids": [g for _, g in self.grids],
                    "grid_epochs": np.array([e for e, _ in self.grids])}
        return self.plane()

    def snapshot(self) -> Snapshot:
        return take_snapshot(self.names, self.params, None, self.epoch, self.step_count, self.train_time,
                             plane=self.maps())

    def set(self, **live: float) -> None:
        unknown = sorted(set(live) - {"learning_rate", "train"})
        if unknown:
            raise ValueError(f"these settings cannot change while training: {', '.join(unknown)[:80]}")
        if "train" in live:
            if live["train"] not in (0, 1, 2):
                raise ValueError("train 0 (both), 1 (the discriminator only) or 2 (the generator only)")
            self.train_which = int(live["train"])
        if "learning_rate" in live:
            lr = float(live["learning_rate"])
            self.spec.with_(lr_g=lr)  # validates
            self.optimizer.g.lr = lr

    def live(self) -> dict[str, float]:
        return {"learning_rate": self.optimizer.lr, "train": float(self.train_which)}


class GanCompare(Lockstep):
    """The chosen loss variants side by side on one target, same seed, same networks (a `Trainable`);
    history columns `<loss>_<metric>`; the snapshot holds the first variant's whole picture (`_main`), every
    variant's generated samples, and the real ones (`_real`)."""

    def __init__(self, spec: GanSpec):
        self.spec = spec
        super().__init__({v: GanTrainer(spec, v) for v in dict.fromkeys((spec.loss, *spec.losses))})

    @property
    def main(self) -> GanTrainer:
        return next(iter(self.trainers.values()))

    def maps(self) -> dict[str, dict[str, np.ndarray]]:
        if self.spec.image:
            return {"_main": self.main.maps()}
        return {"_main": self.main.maps(), "_real": {"fake": self.main.shown_real.numpy()},
                **{v: {"fake": t.samples().reshape(len(t.fixed), -1)} for v, t in self.trainers.items()}}

    def set(self, **live: float) -> None:
        for t in self.trainers.values():
            t.set(**live)

    def live(self) -> dict[str, float]:
        return self.main.live()
