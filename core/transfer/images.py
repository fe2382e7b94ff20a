"""The student's own images for the Transfer lab: named classes, a few images each (webcam shots,
uploads or a zip, every one read by the app's safe image readers), or the starter set; and the split
that holds a share of each class out for testing.

All images become (3, 64, 64) float tensors in [0, 1], the backbone's input. The starter set is new
pictures (a seed the backbone never saw) of three of the six shapes the shipped TinyVGG learned, so
pretraining has something to give; the student's own photos are the real test.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from core.data.images import make_object_image
from core.data.photos import decode_image, preprocess
from core.data.zip_images import read_image_zip

SIZE = 64
MAX_CLASSES, MAX_PER_CLASS, MAX_NAME = 10, 60, 40
STARTER = ("circle", "triangle", "star")


@dataclass(frozen=True, eq=False)
class ImageSet:
    images: torch.Tensor  # (N, 3, 64, 64) float32 in [0, 1]
    labels: torch.Tensor  # (N,) int64
    classes: tuple[str, ...]

    def __post_init__(self) -> None:
        if not 2 <= len(self.classes) <= MAX_CLASSES:
            raise ValueError(f"name from 2 to {MAX_CLASSES} classes")
        counts = self.counts()
        if min(counts) < 2:
            short = [c for c, n in zip(self.classes, counts) if n < 2]
            raise ValueError(f"every class needs at least 2 images (one to learn from, one to test on); "
                             f"add more to: {', '.join(short)[:120]}")
        if max(counts) > MAX_PER_CLASS:
            raise ValueError(f"at most {MAX_PER_CLASS} images per class")

    def counts(self) -> list[int]:
        return [int((self.labels == c).sum()) for c in range(len(self.classes))]


def class_name(name: str) -> str:
    """A class name typed by the student: trimmed, printable, not empty, at most 40 characters."""
    clean = "".join(ch for ch in str(name) if ch.isprintable()).strip()[:MAX_NAME]
    if not clean:
        raise ValueError("give every class a name")
    return clean


def starter_set(per_class: int = 24, seed: int = 7) -> ImageSet:
    """New pictures of three shapes, drawn from a seed the backbone's pretraining did not use."""
    rng = np.random.default_rng(1000 + seed)
    labels = np.arange(per_class * len(STARTER)) % len(STARTER)
    x = np.stack([make_object_image(rng, STARTER[c], SIZE) for c in labels])
    return ImageSet(torch.from_numpy(x).float(), torch.from_numpy(labels.astype(np.int64)), STARTER)


def read_upload(data: bytes, name: str = "image") -> torch.Tensor:
    """One uploaded or webcam image -> (3, 64, 64), or a `ValueError` the student can read."""
    return preprocess(decode_image(data, name), SIZE, 3).tensor


def from_zip(data: bytes) -> tuple[ImageSet, list[str]]:
    """A zip with a folder per class (the app's safe zip reader), as an image set, and its notes."""
    ds, notes = read_image_zip(data, size=SIZE, channels=3, train_fraction=0.5, seed=0)
    x = torch.cat([ds.x_train, ds.x_test])
    y = torch.cat([ds.y_train, ds.y_test])
    return ImageSet(x.float(), y.long(), tuple(ds.class_names)), notes


def from_lists(named: dict[str, list[torch.Tensor]]) -> ImageSet:
    """Classes the student named, each with its images."""
    names = [class_name(n) for n in named]
    if len(set(names)) != len(names):
        raise ValueError("two classes have the same name")
    xs, ys = [], []
    for c, imgs in enumerate(named.values()):
        xs += list(imgs)
        ys += [c] * len(imgs)
    if not xs:
        raise ValueError("add images to your classes first")
    return ImageSet(torch.stack(xs).float(), torch.tensor(ys, dtype=torch.long), tuple(names))


def split(images: ImageSet, per_class: int | None, test_share: float = 0.3, seed: int = 0
          ) -> tuple[np.ndarray, np.ndarray]:
    """(train indices, test indices): a `test_share` of each class held out (at least one image, fixed by
    the seed whatever `per_class`), and up to `per_class` of the rest to learn from (None: all of them)."""
    rng = np.random.default_rng(seed)
    train, test = [], []
    for c in range(len(images.classes)):
        idx = rng.permutation(np.flatnonzero(images.labels.numpy() == c))
        k = max(1, int(round(test_share * len(idx))))
        k = min(k, len(idx) - 1)
        test += list(idx[:k])
        train += list(idx[k:][:per_class] if per_class else idx[k:])
    return np.sort(np.asarray(train, int)), np.sort(np.asarray(test, int))
