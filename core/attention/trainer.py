"""Training the tiny Transformer live: `AttnSpec` (task, network, training) and `AttnTrainer`, a
`Trainable` a job runs a slice at a time. A step is the forward pass, cross-entropy over the places
that count, backward and the optimizer. History columns: `train_loss`, `test_loss`, `train_acc`,
`test_acc` (per answer token) and `test_exact` (whole answers right). Snapshots carry what the page
draws live for the test sequence chosen with `set(sample=...)`: every head's attention map, the
predictions at every place, and the token embeddings projected on their two main directions.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import torch
import torch.nn.functional as F

from core.attention.model import POSITIONS, Shape, TinyTransformer, trace
from core.attention.tasks import AttnData, AttnTask, make_data
from core.training.device import pick_device
from core.training.lab_trainer import LabTrainer
from core.training.optim import make_optimizer
from core.training.snapshot import Snapshot, take_snapshot

OPTIMIZERS = ("adam", "rmsprop", "sgd")
EVAL_MAX = 500  # training sequences scored per epoch


@dataclass(frozen=True)
class AttnSpec:
    task: AttnTask = AttnTask()
    width: int = 64
    layers: int = 2
    heads: int = 2
    positions: str = "learned"
    optimizer: str = "adam"
    learning_rate: float = 0.001
    batch_size: int = 64
    seed: int = 0
    device: str = "auto"

    def __post_init__(self) -> None:
        for name, lo, hi in (("width", 16, 128), ("layers", 1, 3), ("heads", 1, 4), ("batch_size", 1, 1000)):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
                raise ValueError(f"{name.replace('_', ' ')} must be a whole number from {lo} to {hi}, not {v!r}")
        if self.width % self.heads:
            raise ValueError(f"the width ({self.width}) must split evenly into {self.heads} heads")
        if self.positions not in POSITIONS:
            raise ValueError(f"positions are {' or '.join(POSITIONS)}")
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"choose an optimizer among {', '.join(OPTIMIZERS)}")
        if not (isinstance(self.learning_rate, (int, float)) and 1e-5 <= self.learning_rate <= 1):
            raise ValueError(f"the learning rate must be from 0.00001 to 1, not {self.learning_rate!r}")

    def with_(self, **changes: object) -> AttnSpec:
        return replace(self, **changes)

    def shape(self, data: AttnData) -> Shape:
        return Shape(len(data.vocab), data.length, self.width, self.layers, self.heads, self.positions,
                     self.task.causal)


def build(spec: AttnSpec, data: AttnData) -> TinyTransformer:
    model = TinyTransformer(spec.shape(data))
    model.init(spec.seed)
    return model


def answer_loss(logits: torch.Tensor, targets: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    return F.cross_entropy(logits[mask], targets[mask])


def embedding_plane(model: TinyTransformer) -> np.ndarray:
    """The token embeddings (vocab, width) on their two principal directions: (vocab, 2)."""
    e = model.tok.weight.detach().cpu().double()
    e = e - e.mean(0)
    _, _, v = torch.linalg.svd(e, full_matrices=False)
    return (e @ v[:2].T).float().numpy()


class AttnTrainer(LabTrainer):
    """The tiny Transformer trained on one task, a slice at a time (a `Trainable`)."""

    def __init__(self, spec: AttnSpec, data: AttnData | None = None):
        self.spec = spec
        self.data = self.dataset = data if data is not None else make_data(spec.task)
        self.device = pick_device(spec.device)
        self.model = build(spec, self.data).to(self.device)
        d, dev = self.data, self.device
        self.x, self.y, self.m = d.tokens.to(dev), d.targets.to(dev), d.mask.to(dev)
        self.xt, self.yt, self.mt = d.test_tokens.to(dev), d.test_targets.to(dev), d.test_mask.to(dev)
        self.n = len(self.x)
        self.params = list(self.model.parameters())
        self.names = [n for n, _ in self.model.named_parameters()]
        self.optimizer = make_optimizer(spec.optimizer, self.params, spec.learning_rate)
        self.generator = torch.Generator()
        self.sample = 0
        self.reset()

    def init_weights(self, seed: int) -> None:
        self.model.init(seed)

    def step(self, idx: torch.Tensor) -> float:
        idx = idx.to(self.device)
        loss = answer_loss(self.model(self.x.index_select(0, idx)), self.y.index_select(0, idx),
                           self.m.index_select(0, idx))
        grads = list(torch.autograd.grad(loss, self.params))
        with torch.no_grad():
            self.optimizer.step(grads)
        self.last_grads = grads
        self.step_count += 1
        return float(loss.detach())

    def scores(self, x: torch.Tensor, y: torch.Tensor, m: torch.Tensor) -> tuple[float, float, float]:
        """(loss, token accuracy, whole-answer accuracy) over the places that count."""
        logits, _ = trace(self.model, x)
        right = logits.argmax(-1) == y
        return (float(answer_loss(logits, y, m)), float(right[m].float().mean()),
                float((right | ~m).all(1).float().mean()))

    def evaluate(self) -> dict[str, float]:
        k = min(self.n, EVAL_MAX)
        tr = self.scores(self.x[:k], self.y[:k], self.m[:k])
        te = self.scores(self.xt, self.yt, self.mt)
        return {"train_loss": tr[0], "test_loss": te[0], "train_acc": tr[1], "test_acc": te[1], "test_exact": te[2]}

    def inside(self, sample: int) -> dict[str, np.ndarray]:
        """What the page draws live for test sequence `sample`: attention (layers, heads, T, T), each
        place's probabilities (T, vocab), and the embeddings' plane (vocab, 2)."""
        i = int(min(max(sample, 0), len(self.xt) - 1))
        logits, records = trace(self.model, self.xt[i:i + 1])  # one forward pass gives both
        return {"attn": torch.stack([r["weights"][0] for r in records]).cpu().numpy().astype(np.float32),
                "probs": torch.softmax(logits[0], -1).cpu().numpy().astype(np.float32),
                "embed": embedding_plane(self.model), "sample": np.asarray(i)}

    def snapshot(self) -> Snapshot:
        return take_snapshot(self.names, self.params, self.last_grads, self.epoch, self.step_count, self.train_time,
                             plane=self.inside(self.sample))

    def set(self, **live: float) -> None:
        unknown = sorted(set(live) - {"learning_rate", "sample"})
        if unknown:
            raise ValueError(f"these settings cannot change while training: {', '.join(unknown)[:80]}")
        if "sample" in live:
            s = live["sample"]
            if isinstance(s, bool) or not float(s).is_integer() or not 0 <= s < len(self.xt):
                raise ValueError(f"choose a test sequence from 0 to {len(self.xt) - 1}")
            self.sample = int(s)
        if "learning_rate" in live:
            self.optimizer.lr = self.spec.with_(learning_rate=live["learning_rate"]).learning_rate  # validates

    def live(self) -> dict[str, float]:
        return {"learning_rate": self.optimizer.lr, "sample": float(self.sample)}
