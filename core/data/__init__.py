"""Datasets, all offline and seeded: `load_dataset(DataSpec(...))` is the one entry point."""

from __future__ import annotations

import math

import numpy as np

from core.data import images, tabular, toy2d
from core.data.dataset import Dataset, DataSpec, make_dataset

__all__ = ["Dataset", "DataSpec", "load_dataset", "DATASETS", "make_dataset"]

# name -> (title, kind)
DATASETS: dict[str, tuple[str, str]] = {
    **{k: (v[0], "2d") for k, v in toy2d.SETS.items()},
    **{k: (v[0], "tabular") for k, v in tabular.SETS.items()},
    "digits": ("Handwritten digits 8x8", "image"),
    "objects": ("Generated objects", "image"),
}
MAX_SAMPLES = {"2d": 5000, "objects": 12000}


def _check(spec: DataSpec) -> None:
    if not isinstance(spec.name, str) or spec.name not in DATASETS:
        raise ValueError(f"unknown dataset '{str(spec.name)[:40]}'; choose one of {', '.join(DATASETS)}")
    tf = spec.train_fraction
    if isinstance(tf, bool) or not isinstance(tf, (int, float)) or not math.isfinite(tf) or not 0.1 <= tf <= 0.9:
        raise ValueError(f"the share of data used for training must be between 10% and 90%, not {tf!r}")
    noise = spec.noise
    if isinstance(noise, bool) or not isinstance(noise, (int, float)) or not math.isfinite(noise) \
            or not 0 <= noise <= 0.5:
        raise ValueError(f"noise must be between 0 and 0.5 (0-50%), not {noise!r}")
    if isinstance(spec.seed, bool) or not isinstance(spec.seed, int) or not 0 <= spec.seed < 2**31:
        raise ValueError(f"the seed must be a whole number from 0 to {2**31 - 1}, not {spec.seed!r}")
    n = spec.n_samples
    kind = DATASETS[spec.name][1]
    cap = MAX_SAMPLES.get(spec.name, MAX_SAMPLES.get(kind))
    if cap is not None and (isinstance(n, bool) or not isinstance(n, int) or not 10 <= n <= cap):
        raise ValueError(f"the number of samples must be a whole number from 10 to {cap}, not {n!r}")


def load_dataset(spec: DataSpec) -> Dataset:
    """Make the dataset `spec` names; raises `ValueError` with a readable message for bad values."""
    _check(spec)
    kind = DATASETS[spec.name][1]
    if kind == "2d":
        pts, labels = toy2d.generate(spec.name, spec.n_samples, float(spec.noise), spec.seed)
        title, task, classes = toy2d.SETS[spec.name]
        feats = tuple(spec.features)
        x = toy2d.engineer(pts, feats).numpy()
        # split points and features together so each sample keeps its point
        both = np.concatenate([pts.astype(np.float32), x], 1)
        ds = make_dataset(spec.name, task, "2d", both, labels, spec.train_fraction, spec.seed, class_names=classes,
                          feature_names=tuple(toy2d.FEATURES[f] for f in feats),
                          meta={"title": title, "features": feats, "domain": toy2d.DOMAIN})
        return Dataset(
            name=ds.name, task=ds.task, kind="2d",
            x_train=ds.x_train[:, 2:].contiguous(), y_train=ds.y_train,
            x_test=ds.x_test[:, 2:].contiguous(), y_test=ds.y_test,
            class_names=ds.class_names, feature_names=ds.feature_names,
            points_train=ds.x_train[:, :2].numpy(), points_test=ds.x_test[:, :2].numpy(), meta=ds.meta,
        )
    if kind == "tabular":
        return tabular.load_tabular(spec.name, spec.train_fraction, spec.seed)
    if spec.name == "digits":
        return images.load_digits_set(spec.train_fraction, spec.seed)
    return images.load_objects(spec.n_samples, spec.image_size, spec.train_fraction, spec.seed)
