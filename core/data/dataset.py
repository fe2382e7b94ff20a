"""The one `Dataset` object every lab trains on, and the `DataSpec` that names and seeds it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import torch

Task = Literal["classification", "regression"]
Kind = Literal["2d", "tabular", "image"]


@dataclass(frozen=True)
class DataSpec:
    """Which dataset, and how to make it: every field is plain JSON, so it can live in a link."""

    name: str = "spiral"
    n_samples: int = 500
    noise: float = 0.0  # 0..0.5 for the 2D sets, as TensorFlow Playground's 0-50 % slider
    train_fraction: float = 0.5
    seed: int = 0
    features: tuple[str, ...] = ("x1", "x2")  # engineered inputs, 2D sets only
    image_size: int = 64  # generated objects only


@dataclass(frozen=True, eq=False)
class Dataset:
    """Tensors for training and testing, with what a page needs to label and draw them.

    `x_*` are float32 of shape (N, *input_shape); `y_*` are int64 class indices for classification
    and float32 of shape (N, 1) for regression. For 2D sets `points_*` hold the raw (x1, x2) points
    before feature engineering, so a page can draw them and the output map over the plane.
    """

    name: str
    task: Task
    kind: Kind
    x_train: torch.Tensor
    y_train: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor
    class_names: tuple[str, ...] = ()
    feature_names: tuple[str, ...] = ()
    points_train: np.ndarray | None = None
    points_test: np.ndarray | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def input_shape(self) -> tuple[int, ...]:
        return tuple(self.x_train.shape[1:])

    @property
    def n_classes(self) -> int:
        return len(self.class_names) if self.task == "classification" else 0

    @property
    def n_outputs(self) -> int:
        """Outputs a network needs for cross-entropy (one per class) or regression (one)."""
        return self.n_classes if self.task == "classification" else 1

    def __len__(self) -> int:
        return len(self.x_train) + len(self.x_test)


def split(
    x: np.ndarray, y: np.ndarray, train_fraction: float, seed: int, stratify: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Seeded train/test split (indices shuffled; stratified by class for classification)."""
    rng = np.random.default_rng(seed)
    n = len(x)
    if stratify:
        train_idx, test_idx = [], []
        for c in np.unique(y):
            idx = rng.permutation(np.flatnonzero(y == c))
            k = int(round(len(idx) * train_fraction))
            k = min(max(k, 1), len(idx) - 1) if len(idx) > 1 else len(idx)
            train_idx.append(idx[:k])
            test_idx.append(idx[k:])
        tr = rng.permutation(np.concatenate(train_idx))
        te = rng.permutation(np.concatenate(test_idx))
    else:
        idx = rng.permutation(n)
        k = min(max(int(round(n * train_fraction)), 1), n - 1)
        tr, te = idx[:k], idx[k:]
    return x[tr], y[tr], x[te], y[te]


def make_dataset(
    name: str,
    task: Task,
    kind: Kind,
    x: np.ndarray,
    y: np.ndarray,
    train_fraction: float,
    seed: int,
    class_names: tuple[str, ...] = (),
    feature_names: tuple[str, ...] = (),
    meta: dict[str, Any] | None = None,
) -> Dataset:
    """Split arrays and wrap them as tensors of the right dtypes."""
    xtr, ytr, xte, yte = split(x, y, train_fraction, seed, stratify=task == "classification")
    if task == "classification":
        ytr_t = torch.as_tensor(ytr, dtype=torch.int64)
        yte_t = torch.as_tensor(yte, dtype=torch.int64)
    else:
        ytr_t = torch.as_tensor(ytr, dtype=torch.float32).reshape(-1, 1)
        yte_t = torch.as_tensor(yte, dtype=torch.float32).reshape(-1, 1)
    return Dataset(
        name=name, task=task, kind=kind,
        x_train=torch.as_tensor(np.ascontiguousarray(xtr), dtype=torch.float32),
        y_train=ytr_t,
        x_test=torch.as_tensor(np.ascontiguousarray(xte), dtype=torch.float32),
        y_test=yte_t,
        class_names=class_names, feature_names=feature_names, meta=dict(meta or {}),
    )


def n_outputs_for(dataset: Dataset) -> int:
    """One output for regression and two classes (TensorFlow Playground's), one per class otherwise."""
    if dataset.task == "regression" or dataset.n_classes == 2:
        return 1
    return dataset.n_classes
