"""Every attribution method as one record: its label, library, the options it reads, where it uses a
baseline, whether its map is signed, which inputs it takes, the function that runs it and the reason
it cannot apply to a model (`why_not`). The facade, the pages, the links and the cache all read these
records; adding a method is one entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from core.explain import captum_methods, lime_methods, shap_methods
from core.explain.base import LINEAR_NAMES, ExplainOptions, is_image, last_conv

# what a runner returns: attributions (the input's shape), IG's delta, SHAP's base value, extras (LIME)
Result = tuple[np.ndarray, float | None, float | None, dict[str, Any]]
Runner = Callable[[nn.Module, torch.Tensor, int, ExplainOptions, str, "torch.Tensor | None", "torch.Tensor | None",
                   dict[str, Any]], Result]


@dataclass(frozen=True)
class Method:
    id: str
    label: str
    library: str  # captum, shap or lime
    options: tuple[str, ...]  # the settings it reads (besides the target): a cache key needs only these
    baseline: str  # "always", "images" (LIME and Partition SHAP fill hidden image parts with it) or "never"
    signed: bool  # False: the map is a magnitude (no "against" colour)
    inputs: str  # "any", "image" or "table"
    run: Runner
    check: Callable[[nn.Module, torch.Tensor], str | None] | None = None  # a model-specific refusal, in words

    def uses_baseline(self, x: torch.Tensor) -> bool:
        return self.baseline == "always" or (self.baseline == "images" and is_image(x))


def _captum(method: str) -> Runner:
    def run(model, x, target, o, output, mean, background, settings) -> Result:
        a, delta = captum_methods.attribute(model, x, method, target, o, mean, settings)
        return a.detach().cpu().numpy(), delta, None, {}
    return run


def _gradient_shap(model, x, target, o, output, mean, background, settings) -> Result:
    return shap_methods.gradient_shap(model, x, target, o, background, settings), None, None, {}


def _partition_shap(model, x, target, o, output, mean, background, settings) -> Result:
    a, base = shap_methods.partition_shap(model, x, target, o, output, mean, settings)
    return a, None, base, {}


def _permutation_shap(model, x, target, o, output, mean, background, settings) -> Result:
    a, base = shap_methods.permutation_shap(model, x, target, o, output, background, settings)
    return a, None, base, {}


def _lime(model, x, target, o, output, mean, background, settings) -> Result:
    if is_image(x):
        a, extra = lime_methods.lime_image(model, x, target, o, output, mean, settings)
    else:
        a, extra = lime_methods.lime_tabular(model, x, target, o, output, background, settings)
    return a, None, None, extra


def _needs_conv(model: nn.Module, x: torch.Tensor) -> str | None:
    return "Grad-CAM needs a convolution layer, and this model has none" if last_conv(model) is None else None


def _deeplift_rules(model: nn.Module, x: torch.Tensor) -> str | None:
    from captum.attr._core.deep_lift import SUPPORTED_NON_LINEAR

    linear = (nn.Linear, nn.Conv2d, nn.Flatten, nn.BatchNorm1d, nn.BatchNorm2d, nn.Dropout, nn.AvgPool2d,
              nn.AdaptiveAvgPool2d, nn.Identity)
    for name, m in model.named_modules():
        leaf = not list(m.children())
        known = type(m) in SUPPORTED_NON_LINEAR or isinstance(m, linear) or type(m).__name__ in LINEAR_NAMES
        if leaf and not known:
            return f"DeepLift has no rule for {type(m).__name__} (layer '{name}'); captum would treat it as linear"
    return None


_RECORDS = (
    Method("saliency", "Saliency", "captum", (), "never", False, "any", _captum("saliency")),
    Method("integrated_gradients", "Integrated Gradients", "captum", ("baseline", "steps"), "always", True, "any",
           _captum("integrated_gradients")),
    Method("deeplift", "DeepLift", "captum", ("baseline",), "always", True, "any", _captum("deeplift"),
           _deeplift_rules),
    Method("input_x_gradient", "Input x Gradient", "captum", (), "never", True, "any", _captum("input_x_gradient")),
    Method("guided_backprop", "Guided Backprop", "captum", (), "never", True, "any", _captum("guided_backprop")),
    Method("gradcam", "Grad-CAM", "captum", ("layer",), "never", False, "any", _captum("gradcam"), _needs_conv),
    Method("occlusion", "Occlusion", "captum", ("baseline", "window", "stride"), "always", True, "any",
           _captum("occlusion")),
    Method("smoothgrad", "SmoothGrad (NoiseTunnel)", "captum", ("samples", "noise", "seed"), "never", False, "any",
           _captum("smoothgrad")),
    Method("gradient_shap", "SHAP GradientExplainer", "shap", ("shap_samples", "seed"), "never", True, "any",
           _gradient_shap),
    Method("partition_shap", "SHAP Partition (image masker)", "shap", ("baseline", "max_evals", "output"), "images",
           True, "image", _partition_shap),
    Method("permutation_shap", "SHAP Permutation (tables)", "shap", ("max_evals", "seed", "output"), "never", True,
           "table", _permutation_shap),
    Method("lime", "LIME", "lime", ("baseline", "lime_samples", "segments", "seed", "output"), "images", True, "any",
           _lime),
)
METHODS: dict[str, Method] = {m.id: m for m in _RECORDS}
CAPTUM_METHODS = {k: m.label for k, m in METHODS.items() if m.library == "captum"}
_WRONG_INPUT = {
    "image": "the Partition explainer's image masker needs an image; use SHAP Permutation for tables",
    "table": "SHAP Permutation treats every pixel as a feature (too many); use SHAP Partition for images",
}


def why_not(method: str, model: nn.Module, x: torch.Tensor) -> str | None:
    """None when `method` can explain `model` on inputs like `x`; otherwise the reason, in words."""
    m = METHODS.get(method)
    if m is None:
        return f"unknown method '{str(method)[:30]}'"
    if m.inputs != "any" and (m.inputs == "image") != is_image(x):
        return _WRONG_INPUT[m.inputs]
    return m.check(model, x) if m.check is not None else None
