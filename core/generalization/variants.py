"""One network that overfits and the remedies a student toggles, each a variant trained on the same data
from the same seed.

`GenSpec` names the baseline (a 2D set with few noisy training points, a wide network) and the variants;
`make_data` draws one pool of points and splits it into a fixed test set, a validation set (only early
stopping reads it) and the training points (the first `n_train`, or `more_data` times as many);
`setup(spec, variant)` returns what trains that variant: its network, data and settings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from core.data import toy2d
from core.data.dataset import Dataset, n_outputs_for
from core.models import build_model
from core.specs import Activation, BatchNorm1d, Dense, Dropout, NetworkSpec
from core.training.config import TrainConfig

# id -> (label, what it changes)
VARIANTS: dict[str, tuple[str, str]] = {
    "baseline": ("Baseline", "the network as it is: it memorizes the few noisy points"),
    "dropout": ("+ Dropout", "drops each hidden unit at random while training"),
    "l2": ("+ L2", "pulls every weight towards zero at each step"),
    "batchnorm": ("+ Batch norm", "normalizes each hidden layer over the batch"),
    "early_stop": ("+ Early stopping", "stops when the validation loss has not improved for a while"),
    "augment": ("+ Augmentation", "trains on jittered copies of the points, new ones every epoch"),
    "more_data": ("+ More data", "trains on several times as many points"),
    "smaller": ("Smaller network", "one hidden layer a quarter as wide"),
}
DATASETS = ("moons", "circle", "xor", "spiral", "gauss")
N_TEST, N_VAL = 400, 100
COLORS = {"baseline": "#333333", "dropout": "#1f77b4", "l2": "#f28c28", "batchnorm": "#2ca02c",
          "early_stop": "#9467bd", "augment": "#d62728", "more_data": "#17becf", "smaller": "#8c564b"}


def _check(name: str, value: float, lo: float, hi: float, what: str, whole: bool = False) -> None:
    bad = isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
        or (whole and int(value) != value)
    if bad or not lo <= value <= hi:
        raise ValueError(f"{what} must be {'a whole number' if whole else 'a number'} from {lo:g} to {hi:g}, "
                         f"not {value!r}")


@dataclass(frozen=True)
class GenSpec:
    dataset: str = "moons"
    noise: float = 0.4  # of the points (0..0.5, as the Playground's slider)
    label_noise: float = 0.0  # share of training labels flipped
    n_train: int = 40
    width: int = 32
    depth: int = 3
    activation: str = "relu"
    optimizer: str = "adam"
    learning_rate: float = 0.01
    batch_size: int = 10
    seed: int = 0
    variants: tuple[str, ...] = ("baseline", "dropout", "l2", "early_stop")
    dropout: float = 0.5
    l2: float = 0.01
    patience: int = 40
    jitter: float = 0.4  # augmentation: standard deviation of the noise added to each point
    more_data: int = 5  # times as many training points

    def __post_init__(self) -> None:
        if self.dataset not in DATASETS:
            raise ValueError(f"choose a dataset among {', '.join(DATASETS)}, not '{str(self.dataset)[:20]}'")
        if not self.variants or any(v not in VARIANTS for v in self.variants):
            raise ValueError(f"choose variants among {', '.join(VARIANTS)}")
        if self.activation not in ("relu", "tanh"):
            raise ValueError("the activation must be relu or tanh")
        _check("noise", self.noise, 0, 0.5, "the noise")
        _check("label_noise", self.label_noise, 0, 0.45, "the share of flipped labels")
        _check("n_train", self.n_train, 10, 1000, "the number of training points", whole=True)
        _check("width", self.width, 2, 256, "the width", whole=True)
        _check("depth", self.depth, 1, 6, "the number of hidden layers", whole=True)
        _check("dropout", self.dropout, 0.05, 0.9, "the dropout rate")
        _check("l2", self.l2, 1e-5, 1.0, "the L2 rate")
        _check("patience", self.patience, 1, 1000, "the patience", whole=True)
        _check("jitter", self.jitter, 0.01, 3.0, "the jitter")
        _check("more_data", self.more_data, 2, 20, "the data factor", whole=True)
        TrainConfig(optimizer=self.optimizer, learning_rate=self.learning_rate, batch_size=self.batch_size,
                    seed=self.seed)

    def with_(self, **changes: object) -> GenSpec:
        from dataclasses import replace

        return replace(self, **changes)


@dataclass(frozen=True)
class GenData:
    """The pool's splits as raw points and labels (features are the points themselves: x1, x2)."""

    train_points: np.ndarray  # (n_train * more_data, 2): the first n_train are the baseline's
    train_labels: np.ndarray
    val_points: np.ndarray
    val_labels: np.ndarray
    test_points: np.ndarray
    test_labels: np.ndarray
    flipped: np.ndarray  # bool per training point: its label was flipped (label noise)
    class_names: tuple[str, ...]


def make_data(spec: GenSpec) -> GenData:
    """Draw the pool once (seeded) and split it; label noise flips a share of the training labels only."""
    n_pool = spec.n_train * spec.more_data
    pts, labels = toy2d.generate(spec.dataset, N_TEST + N_VAL + n_pool, float(spec.noise), spec.seed)
    order = np.random.default_rng(spec.seed + 7).permutation(len(pts))
    pts, labels = pts[order].astype(np.float32), labels[order].astype(np.int64)
    test, val, train = slice(0, N_TEST), slice(N_TEST, N_TEST + N_VAL), slice(N_TEST + N_VAL, None)
    y = labels[train].copy()
    rng = np.random.default_rng(spec.seed + 11)
    flipped = rng.random(len(y)) < spec.label_noise
    n_classes = int(labels.max()) + 1
    y[flipped] = (y[flipped] + rng.integers(1, n_classes, int(flipped.sum()))) % n_classes
    return GenData(pts[train], y, pts[val], labels[val], pts[test], labels[test], flipped,
                   toy2d.SETS[spec.dataset][2])


def dataset(data: GenData, n_train: int, name: str = "generalization") -> Dataset:
    """The first `n_train` training points against the test set, as a 2D `Dataset`."""
    tr_p, te_p = data.train_points[:n_train], data.test_points
    return Dataset(name, "classification", "2d", torch.from_numpy(tr_p.copy()),
                   torch.from_numpy(data.train_labels[:n_train].copy()), torch.from_numpy(te_p.copy()),
                   torch.from_numpy(data.test_labels.copy()), class_names=data.class_names,
                   feature_names=("x1", "x2"), points_train=tr_p, points_test=te_p,
                   meta={"features": ("x1", "x2"), "domain": toy2d.DOMAIN})


def network(spec: GenSpec, variant: str) -> NetworkSpec:
    """The baseline's hidden layers, with dropout or batch norm where the variant adds them."""
    width, depth = (max(2, spec.width // 4), 1) if variant == "smaller" else (spec.width, spec.depth)
    layers: list = []
    for _ in range(depth):
        layers.append(Dense(width))
        if variant == "batchnorm":
            layers.append(BatchNorm1d())
        layers.append(Activation(spec.activation))
        if variant == "dropout":
            layers.append(Dropout(float(spec.dropout)))
    return NetworkSpec((2,), (*layers, Dense(1 if len(toy2d.SETS[spec.dataset][2]) == 2 else
                                             len(toy2d.SETS[spec.dataset][2]))), name=variant)


@dataclass(frozen=True)
class Setup:
    """What trains one variant."""

    variant: str
    net: NetworkSpec
    dataset: Dataset
    config: TrainConfig
    jitter: float = 0.0  # augmentation's noise (0: none)
    patience: int = 0  # early stopping's patience (0: none)


def setup(spec: GenSpec, variant: str, data: GenData | None = None) -> Setup:
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant '{str(variant)[:20]}'")
    data = data if data is not None else make_data(spec)
    n = spec.n_train * (spec.more_data if variant == "more_data" else 1)
    ds = dataset(data, n)
    config = TrainConfig(optimizer=spec.optimizer, learning_rate=spec.learning_rate, batch_size=spec.batch_size,
                         seed=spec.seed, l2=spec.l2 if variant == "l2" else 0.0,
                         engine="torch" if variant == "augment" else "auto")
    return Setup(variant, network(spec, variant), ds, config, spec.jitter if variant == "augment" else 0.0,
                 spec.patience if variant == "early_stop" else 0)


def build(s: Setup) -> torch.nn.Module:
    return build_model(s.net, s.config.seed, n_outputs_for(s.dataset))
