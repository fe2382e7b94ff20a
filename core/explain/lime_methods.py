"""LIME for the facade: images over superpixels (SLIC; the segmentation is returned to be shown) and
tables as one weight per feature. Seeded, so the same input gives the same explanation.

LIME fits a weighted linear model to the model's answers on perturbed copies of the input: superpixels
switched off (set to the baseline's pixels), or table rows sampled around the instance.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch import nn

from core.explain.base import ExplainOptions, make_baseline
from core.explain.shap_methods import TargetScore

MAX_SEGMENTS = 100_000  # LIME keeps this many superpixels in its weights: all of them
HIDDEN = -12345.0  # LIME fills switched-off superpixels with this; the classifier swaps in the baseline


def _quiet(iterable, **_: Any):
    return iterable


def superpixels(image_hwc: np.ndarray, n_segments: int) -> np.ndarray:
    """SLIC superpixels (H, W) of ids 0..k-1; tiny images (digits' 8x8) get one segment per 2x2 block."""
    h, w = image_hwc.shape[:2]
    if min(h, w) < 16:
        rows, cols = np.indices((h, w))
        return (rows // 2) * ((w + 1) // 2) + cols // 2
    from skimage.segmentation import slic

    seg = slic(image_hwc, n_segments=n_segments, compactness=10, start_label=0, channel_axis=-1)
    return np.unique(seg, return_inverse=True)[1].reshape(h, w)


def _probabilities(model: nn.Module, output: str):
    """LIME's classifier_fn: (N, ...) -> (N, K) probabilities; a sigmoid output becomes [1 - p, p]."""
    def f(x: torch.Tensor) -> np.ndarray:
        with torch.no_grad():
            out = model(x)
        if output == "sigmoid":
            p = out.sigmoid()
            return torch.cat([1 - p, p], 1).numpy().astype(float)
        if output == "softmax":
            return out.softmax(-1).numpy().astype(float)
        return out.numpy().astype(float)
    return f


def lime_image(model: nn.Module, x: torch.Tensor, target: int, o: ExplainOptions, output: str,
               mean: torch.Tensor | None, settings: dict[str, Any]) -> tuple[np.ndarray, dict[str, Any]]:
    from lime import lime_image as li

    li.tqdm = _quiet  # lime 0.2 draws a console progress bar per call, with no way to turn it off
    if len(x) != 1:
        raise ValueError("LIME explains one image at a time")
    c, h, w = x.shape[1:]
    img = x[0].permute(1, 2, 0).numpy().astype(float)
    rgb = np.repeat(img, 3, axis=2) if c == 1 else img  # LIME hands the classifier 3-channel images
    hidden = make_baseline(x, o.baseline, mean)[0].permute(1, 2, 0).numpy().astype(float)
    hidden = np.repeat(hidden, 3, axis=2) if c == 1 else hidden
    probs = _probabilities(model, output)
    label = 1 if output == "sigmoid" else target

    def classify(batch: np.ndarray) -> np.ndarray:
        batch = np.asarray(batch)
        np.copyto(batch, hidden[None], where=batch == HIDDEN)  # switched-off superpixels take the baseline
        t = torch.as_tensor(np.asarray(batch, np.float32)).permute(0, 3, 1, 2)
        return probs(t[:, :1] if c == 1 else t)

    explainer = li.LimeImageExplainer(random_state=o.seed)
    e = explainer.explain_instance(rgb, classify, labels=(label,), top_labels=None, hide_color=HIDDEN,
                                   num_features=MAX_SEGMENTS, num_samples=o.lime_samples, batch_size=100,
                                   segmentation_fn=lambda image: superpixels(image, o.segments), random_seed=o.seed)
    seg = e.segments
    weights = np.zeros(int(seg.max()) + 1)
    for k, v in e.local_exp[label]:
        weights[k] = v
    settings.update(samples=o.lime_samples, segments=int(seg.max()) + 1)
    attributions = np.broadcast_to(weights[seg][None, None], (1, c, h, w)).copy()
    return attributions, {"segments": seg, "segment_weights": weights, "score": float(e.score),
                          "hidden": hidden}


def lime_tabular(model: nn.Module, x: torch.Tensor, target: int, o: ExplainOptions, output: str,
                 background: torch.Tensor, settings: dict[str, Any]) -> tuple[np.ndarray, dict[str, Any]]:
    from lime.lime_tabular import LimeTabularExplainer

    if background is None or len(background) < 2:
        raise ValueError("LIME for tables needs training rows to learn each feature's spread")
    n_features = x.shape[1]
    bg = background.reshape(-1, n_features).numpy().astype(float)
    mode = "regression" if output == "raw" else "classification"
    probs = _probabilities(TargetScore(model, target) if mode == "regression" else model, output)
    label = 1 if output in ("sigmoid", "raw") else target

    def predict(rows: np.ndarray) -> np.ndarray:
        out = probs(torch.as_tensor(np.asarray(rows, np.float32)))
        return out[:, 0] if mode == "regression" else out

    explainer = LimeTabularExplainer(bg, mode=mode, discretize_continuous=False, random_state=o.seed,
                                     sample_around_instance=True)
    rows = []
    for row in x.reshape(-1, n_features).numpy().astype(float):
        e = explainer.explain_instance(row, predict, labels=(label,), num_features=n_features,
                                       num_samples=o.lime_samples)
        w = np.zeros(n_features)
        for k, v in e.local_exp[label]:
            w[k] = v
        rows.append(w)
    settings.update(samples=o.lime_samples, mode=mode)
    return np.stack(rows).reshape(x.shape), {}
