"""Train a small model to the end in the caller's thread, keeping checkpoints along the way.

For pages that need a trained model at once (the Explain lab's tables): a few hundred epochs of an
MLP on a tabular set take about a second. Checkpoints are log-spaced in epochs, so the early
learning, where maps change most, is seen in detail.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from torch import nn

from core.data.dataset import Dataset
from core.training.config import TrainConfig
from core.training.engine import Trainer


@dataclass(frozen=True)
class Checkpoint:
    epoch: int
    state: dict[str, np.ndarray]
    test_accuracy: float


def train_with_checkpoints(model: nn.Module, dataset: Dataset, config: TrainConfig, epochs: int, keep: int = 12,
                           progress: Callable[[int, int], None] | None = None) -> tuple[nn.Module, list[Checkpoint]]:
    """Train `epochs` epochs; return the model (CPU, eval) and up to `keep` checkpoints from epoch 0."""
    trainer = Trainer(model, dataset, config)

    def checkpoint() -> Checkpoint:
        state = {k: v.detach().cpu().numpy().copy() for k, v in trainer.model.state_dict().items()}
        return Checkpoint(trainer.epoch, state, float(trainer.metrics().test_acc))

    marks = np.unique(np.round(np.geomspace(1, max(epochs, 1), max(keep - 1, 1))).astype(int))
    kept = [checkpoint()]
    for m in marks:
        trainer.train_epochs(int(m) - trainer.epoch)
        kept.append(checkpoint())
        if progress is not None:
            progress(trainer.epoch, epochs)
    return trainer.model.cpu().eval(), kept
