"""What every explainer shares: the options (a frozen spec, capped), the result type, baselines and
the model's output as probabilities. The methods themselves are records in `methods.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

BASELINES = ("black", "blurred", "mean")
AUTO = "auto"  # the default: blurred for images, zero (each standardized feature's average) for tables
LINEAR_NAMES = ("Normalize", "SeededDropout")  # this project's modules that are linear (or identity) in eval
OUTPUTS = ("auto", "softmax", "sigmoid", "raw")
# option -> (smallest, largest) for the counts a user can raise
CAPS = {"steps": (1, 300), "samples": (1, 200), "window": (1, 64), "stride": (1, 64),
        "lime_samples": (50, 5000), "shap_samples": (1, 500), "max_evals": (50, 5000), "segments": (4, 400)}


@dataclass(frozen=True)
class ExplainOptions:
    """Every setting a method may use; each method records the ones it used in `Explanation.settings`."""

    baseline: str = AUTO  # integrated gradients, deeplift, occlusion, partition / permutation masks
    steps: int = 50  # integrated gradients
    samples: int = 20  # smoothgrad
    noise: float = 0.15  # smoothgrad: noise as a share of the input's range
    layer: str | None = None  # grad-cam (the last conv layer when None)
    window: int = 8  # occlusion
    stride: int = 4
    shap_samples: int = 50  # gradient shap
    max_evals: int = 500  # partition / permutation shap
    lime_samples: int = 1000
    segments: int = 50  # lime superpixels
    seed: int = 0
    output: str = "auto"  # how the model's output becomes a score: softmax, sigmoid or raw

    def __post_init__(self) -> None:
        for name, (lo, hi) in CAPS.items():
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
                raise ValueError(f"{name} must be a whole number from {lo} to {hi}, not {v!r}")
        if self.baseline not in (AUTO, *BASELINES):
            raise ValueError(f"unknown baseline '{str(self.baseline)[:20]}'; choose one of "
                             f"{', '.join((AUTO, *BASELINES))}")
        if self.output not in OUTPUTS:
            raise ValueError(f"unknown output '{str(self.output)[:20]}'; choose one of {', '.join(OUTPUTS)}")
        if not isinstance(self.noise, (int, float)) or not 0.0 <= float(self.noise) <= 1.0:
            raise ValueError("noise must be between 0 and 1 (a share of the input's range)")

    @classmethod
    def from_kwargs(cls, **kwargs: Any) -> ExplainOptions:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(kwargs) - known)
        if unknown:
            raise ValueError(f"unknown option(s) {', '.join(unknown)[:80]}")
        return cls(**kwargs)


@dataclass(frozen=True)
class Explanation:
    method: str
    target: int
    attributions: np.ndarray  # the input's shape
    baseline: str | None
    settings: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    delta: float | None = None  # Integrated Gradients' convergence delta
    base_value: float | None = None  # SHAP: the expected output the values add up from
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. LIME's superpixels (H, W)
    label: str = ""  # the method's name in words (its record's label, set by `explain`)


def is_image(x: torch.Tensor) -> bool:
    return x.dim() == 4


def resolve_baseline(kind: str, x: torch.Tensor) -> str:
    """The baseline `kind` names for this input: "auto" is blurred for images (a black image is itself a strong
    signal to a CNN, and Occlusion's and IG's maps beat a random map far more often against a blur; Sturmfels
    et al., Distill 2020) and zero for tables (standardized features: each at its training average)."""
    if kind == AUTO:
        return "blurred" if is_image(x) else "black"
    return kind


def make_baseline(x: torch.Tensor, kind: str, mean: torch.Tensor | None = None) -> torch.Tensor:
    """A reference input: black (zeros), blurred (a strong box blur of x), the dataset mean, or "auto"
    (`resolve_baseline`)."""
    kind = resolve_baseline(kind, x)
    if kind == "black":
        return torch.zeros_like(x)
    if kind == "blurred":
        if x.dim() < 4:
            return x.mean(dim=-1, keepdim=True).expand_as(x).clone()
        k = max(3, (min(x.shape[-2:]) // 4) | 1)
        return F.avg_pool2d(F.pad(x, (k // 2,) * 4, mode="replicate"), k, stride=1)
    if kind == "mean":
        if mean is None:
            raise ValueError("the dataset-mean baseline needs the dataset's mean input")
        return mean.to(x).expand_as(x).clone()
    raise ValueError(f"unknown baseline '{str(kind)[:20]}'; choose one of {', '.join(BASELINES)}")


def scores(model: nn.Module, x: torch.Tensor, output: str) -> torch.Tensor:
    """The model's outputs as the scores people read: probabilities (softmax/sigmoid) or raw values."""
    with torch.no_grad():
        out = model(x)
    if output == "softmax":
        return out.softmax(-1)
    if output == "sigmoid":
        return out.sigmoid()
    return out


def last_conv(model: nn.Module) -> str | None:
    convs = [n for n, m in model.named_modules() if isinstance(m, nn.Conv2d)]
    return convs[-1] if convs else None
