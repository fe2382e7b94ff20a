"""What a network is trained to minimize, derived from the task and the number of outputs.

| task           | outputs | loss          | targets         | predicted class |
|----------------|---------|---------------|-----------------|-----------------|
| regression     | k       | mse           | float (N, k)    | -               |
| classification | 1       | mse           | -1 / +1         | output > 0      |
| classification | 1       | cross_entropy | 0 / 1 (BCE)     | output > 0      |
| classification | C       | mse           | one-hot         | argmax          |
| classification | C       | cross_entropy | class index     | argmax          |

Single-output MSE on +-1 labels is TensorFlow Playground's setting.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch.nn import functional as F


@dataclass(frozen=True)
class Objective:
    kind: str  # "mse", "bce" or "ce"
    task: str
    n_outputs: int

    @property
    def title(self) -> str:
        return {"mse": "mean squared error", "bce": "binary cross-entropy", "ce": "cross-entropy"}[self.kind]

    def targets(self, y: torch.Tensor) -> torch.Tensor:
        """Turn dataset labels into the float or index targets this loss compares with."""
        if self.task == "regression":
            return y.float().reshape(len(y), -1)
        if self.kind == "ce":
            return y.long()
        if self.n_outputs == 1:
            t = y.float().reshape(-1, 1)
            return t * 2 - 1 if self.kind == "mse" else t
        return F.one_hot(y.long(), self.n_outputs).float()

    def loss(self, out: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        if self.kind == "mse":
            return F.mse_loss(out, t)
        if self.kind == "bce":
            return F.binary_cross_entropy_with_logits(out, t)
        return F.cross_entropy(out, t)

    def predict(self, out: torch.Tensor) -> torch.Tensor:
        """Class indices (classification) from network outputs."""
        if out.shape[1] == 1:
            return (out[:, 0] > 0).long()
        return out.argmax(1)


def make_objective(task: str, n_outputs: int, loss: str = "auto") -> Objective:
    if task not in ("classification", "regression"):
        raise ValueError(f"unknown task '{task}'")
    if loss == "auto":
        loss = "cross_entropy" if task == "classification" else "mse"
    if task == "regression":
        if loss != "mse":
            raise ValueError("regression is trained with mean squared error; cross-entropy needs classes")
        return Objective("mse", task, n_outputs)
    if loss == "mse":
        return Objective("mse", task, n_outputs)
    return Objective("bce" if n_outputs == 1 else "ce", task, n_outputs)
