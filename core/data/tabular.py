"""The tabular sets that ship inside scikit-learn (no download): iris, wine, breast cancer, diabetes.

Features are standardized with the training split's mean and standard deviation; the regression
target (diabetes) too, with its scale kept in `meta` to report values in the original units.
"""

from __future__ import annotations

import numpy as np
from sklearn import datasets as skd

from core.data.dataset import Dataset, make_dataset

SETS = {
    "iris": ("Iris flowers", skd.load_iris),
    "wine": ("Wine cultivars", skd.load_wine),
    "breast_cancer": ("Breast cancer (diagnostic)", skd.load_breast_cancer),
    "diabetes": ("Diabetes progression (regression)", skd.load_diabetes),
}


def standardize(ds: Dataset) -> Dataset:
    """Scale features (and a regression target) by the training split's statistics."""
    mean = ds.x_train.mean(0, keepdim=True)
    std = ds.x_train.std(0, keepdim=True).clamp_min(1e-8)
    meta = dict(ds.meta, x_mean=mean.squeeze(0).numpy(), x_std=std.squeeze(0).numpy())
    y_train, y_test = ds.y_train, ds.y_test
    if ds.task == "regression":
        ym, ys = y_train.mean(), y_train.std().clamp_min(1e-8)
        y_train, y_test = (y_train - ym) / ys, (y_test - ym) / ys
        meta.update(y_mean=float(ym), y_std=float(ys))
    return Dataset(
        name=ds.name, task=ds.task, kind=ds.kind,
        x_train=(ds.x_train - mean) / std, y_train=y_train, x_test=(ds.x_test - mean) / std, y_test=y_test,
        class_names=ds.class_names, feature_names=ds.feature_names, meta=meta,
    )


def load_tabular(name: str, train_fraction: float, seed: int) -> Dataset:
    if name not in SETS:
        raise ValueError(f"unknown tabular dataset '{str(name)[:40]}'; choose one of {', '.join(SETS)}")
    title, loader = SETS[name]
    bunch = loader()
    x = np.asarray(bunch.data, dtype=np.float32)
    if name == "diabetes":
        ds = make_dataset(name, "regression", "tabular", x, np.asarray(bunch.target, np.float32), train_fraction,
                          seed, feature_names=tuple(bunch.feature_names), meta={"title": title})
    else:
        classes = tuple(str(c).replace("_", " ") for c in bunch.target_names)
        ds = make_dataset(name, "classification", "tabular", x, np.asarray(bunch.target, np.int64), train_fraction,
                          seed, class_names=classes, feature_names=tuple(bunch.feature_names),
                          meta={"title": title})
    return standardize(ds)
