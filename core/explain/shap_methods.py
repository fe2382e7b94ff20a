"""SHAP for the facade: GradientExplainer (images and tables), the Partition explainer with an image
masker (model-agnostic, images), and the Permutation explainer (model-agnostic, tables).

Each explainer sees a wrapper that returns only the target's score, so SHAP computes one output, not
all of them. Partition and Permutation values add up exactly: sum(values) = f(x) - base_value, where
base_value is the score with everything masked (Partition: the masked image; Permutation: the mean
over the background rows). GradientExplainer's are expected gradients: the same sum only in
expectation, so no base value is given for them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch import nn

from core.explain.base import ExplainOptions, make_baseline


class TargetScore(nn.Module):
    """The model's score for one target as an (N, 1) output: logits for gradients, or probabilities."""

    def __init__(self, model: nn.Module, target: int, output: str = "raw") -> None:
        super().__init__()
        self.model, self.target, self.output = model, target, output

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.model(x)
        if self.output == "softmax":
            out = out.softmax(-1)
        elif self.output == "sigmoid":
            out = out.sigmoid()
        return out[:, self.target:self.target + 1]


def _numpy_fn(wrapped: TargetScore, shape: tuple[int, ...], batch: int = 256):
    def f(a: np.ndarray) -> np.ndarray:
        t = torch.as_tensor(np.asarray(a, np.float32)).reshape(-1, *shape)
        with torch.no_grad():
            return torch.cat([wrapped(t[i:i + batch]) for i in range(0, len(t), batch)]).numpy().astype(float)
    return f


def gradient_shap(model: nn.Module, x: torch.Tensor, target: int, o: ExplainOptions, background: torch.Tensor,
                  settings: dict[str, Any]) -> np.ndarray:
    """Expected gradients over `background`, shaped like x. They add up to f(x) minus the background's
    mean output only in expectation, so no base value is claimed for them."""
    import shap

    if background is None or len(background) == 0:
        raise ValueError("SHAP's GradientExplainer needs background samples (some training inputs)")
    bg = background[:100].float()
    wrapped = TargetScore(model, target).eval()
    settings.update(samples=o.shap_samples, background=len(bg))
    explainer = shap.GradientExplainer(wrapped, bg, batch_size=o.shap_samples)
    values = explainer.shap_values(x, nsamples=o.shap_samples, rseed=o.seed)
    values = np.asarray(values[0] if isinstance(values, list) else values)
    if values.shape != tuple(x.shape):
        values = values.reshape(*x.shape, -1)[..., 0]
    return values


def partition_shap(model: nn.Module, x: torch.Tensor, target: int, o: ExplainOptions, output: str,
                   mean: torch.Tensor | None, settings: dict[str, Any]) -> tuple[np.ndarray, float]:
    """The Partition explainer with an image masker: hidden regions take the baseline's pixels."""
    import shap

    if len(x) != 1:
        raise ValueError("the Partition explainer explains one image at a time")
    c, h, w = x.shape[1:]
    hidden = make_baseline(x, o.baseline, mean)[0].permute(1, 2, 0).numpy().astype(float)
    masker = shap.maskers.Image(hidden, (h, w, c))
    f = _numpy_fn(TargetScore(model, target, output).eval(), (c, h, w))

    def f_chw(a: np.ndarray) -> np.ndarray:  # the masker works on (N, H, W, C) images
        return f(np.asarray(a, np.float32).reshape(-1, h, w, c).transpose(0, 3, 1, 2))

    settings.update(max_evals=o.max_evals, mask=o.baseline, output=output)
    explainer = shap.PartitionExplainer(f_chw, masker)
    sv = explainer(x[0].permute(1, 2, 0).numpy()[None].astype(float), max_evals=o.max_evals, batch_size=64,
                   silent=True)
    values = np.asarray(sv.values)[0].reshape(h, w, c, -1)[..., 0].transpose(2, 0, 1)[None]
    return values, float(np.asarray(sv.base_values).reshape(-1)[0])


def permutation_shap(model: nn.Module, x: torch.Tensor, target: int, o: ExplainOptions, output: str,
                     background: torch.Tensor, settings: dict[str, Any]) -> tuple[np.ndarray, float]:
    """The Permutation explainer over table rows; masked features take background rows' values."""
    import shap

    if background is None or len(background) == 0:
        raise ValueError("SHAP's Permutation explainer needs background rows (some training inputs)")
    n_features = x.shape[1]
    bg = background[:50].reshape(-1, n_features).numpy().astype(float)
    f = _numpy_fn(TargetScore(model, target, output).eval(), (n_features,))
    evals = max(o.max_evals, 2 * n_features + 1)
    settings.update(max_evals=evals, background=len(bg), output=output)
    explainer = shap.PermutationExplainer(f, shap.maskers.Independent(bg, max_samples=len(bg)), seed=o.seed)
    sv = explainer(x.reshape(-1, n_features).numpy().astype(float), max_evals=evals, silent=True)
    values = np.asarray(sv.values).reshape(len(x), n_features, -1)[..., 0]
    return values.reshape(x.shape), float(np.asarray(sv.base_values).reshape(-1)[0])
