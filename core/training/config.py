"""Training settings as a frozen dataclass, checked on construction with readable messages."""

from __future__ import annotations

import math
import os
from dataclasses import asdict, dataclass, replace
from typing import Any

OPTIMIZERS = ("sgd", "adam", "rmsprop", "adagrad")
LOSSES = ("auto", "mse", "cross_entropy")
ENGINES = ("auto", "torch")  # auto: the compiled path for plain MLPs on the CPU (core/training/compiled.py)
MAX_LR = 10.0  # TensorFlow Playground's largest learning rate
MAX_BATCH = 4096


def _num(name: str, value: Any, lo: float, hi: float, what: str, lo_open: bool = False) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{what} must be a number, not {value!r}")
    if value > hi or value < lo or (lo_open and value <= lo):
        bound = f"above {lo:g}" if lo_open else f"at least {lo:g}"
        raise ValueError(f"{what} must be {bound} and at most {hi:g}, not {value:g}")


@dataclass(frozen=True)
class TrainConfig:
    """How to train. The learning rate and L1/L2 rates can also change while a job runs.

    `loss="auto"` takes cross-entropy for classification and mean squared error for regression.
    L1 and L2 penalize weights (not biases), as TensorFlow Playground does: the L2 penalty is
    l2/2 * sum(w^2) and the L1 penalty l1 * sum(|w|), added to the gradient at every step.
    """

    optimizer: str = "sgd"
    learning_rate: float = 0.03
    momentum: float = 0.0
    batch_size: int = 10
    loss: str = "auto"
    l1: float = 0.0
    l2: float = 0.0
    seed: int = 0
    device: str = "cpu"
    threads: int = 1  # torch intra-op threads for this job's worker thread
    max_epochs: int = 0  # 0: until paused or stopped
    engine: str = "auto"

    def __post_init__(self) -> None:
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer '{str(self.optimizer)[:20]}'; choose one of {', '.join(OPTIMIZERS)}")
        if self.loss not in LOSSES:
            raise ValueError(f"unknown loss '{str(self.loss)[:20]}'; choose one of {', '.join(LOSSES)}")
        _num("learning_rate", self.learning_rate, 0.0, MAX_LR, "the learning rate", lo_open=True)
        _num("momentum", self.momentum, 0.0, 0.999, "momentum")
        _num("l1", self.l1, 0.0, 10.0, "the L1 rate")
        _num("l2", self.l2, 0.0, 10.0, "the L2 rate")
        if isinstance(self.batch_size, bool) or not isinstance(self.batch_size, int) \
                or not 1 <= self.batch_size <= MAX_BATCH:
            raise ValueError(f"the batch size must be a whole number from 1 to {MAX_BATCH}, not {self.batch_size!r}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or not 0 <= self.seed < 2**31:
            raise ValueError(f"the seed must be a whole number from 0 to {2**31 - 1}, not {self.seed!r}")
        cores = os.cpu_count() or 1
        if isinstance(self.threads, bool) or not isinstance(self.threads, int) or not 1 <= self.threads <= cores:
            raise ValueError(f"threads must be a whole number from 1 to {cores}, not {self.threads!r}")
        if isinstance(self.max_epochs, bool) or not isinstance(self.max_epochs, int) \
                or not 0 <= self.max_epochs <= 1_000_000:
            raise ValueError(f"max_epochs must be a whole number from 0 to 1000000, not {self.max_epochs!r}")
        if self.engine not in ENGINES:
            raise ValueError(f"unknown engine '{str(self.engine)[:20]}'; choose one of {', '.join(ENGINES)}")
        if not isinstance(self.device, str):
            raise ValueError("device must be text such as 'auto' or 'cpu'")

    def with_(self, **changes: Any) -> TrainConfig:
        return replace(self, **changes)


def with_live(config: TrainConfig, live: dict[str, Any]) -> TrainConfig:
    """`config` with the live settings a trainer accepted (`learning_rate`, `l1`, `l2`); a lab's own live
    settings (a test sample, a GAN's two rates) are not `TrainConfig`'s and leave it as it is."""
    mine = {k: v for k, v in live.items() if k in ("learning_rate", "l1", "l2")}
    try:
        return replace(config, **mine) if mine else config
    except ValueError:  # a lab whose own limits are wider than TrainConfig's: its trainer is the authority
        return config

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
