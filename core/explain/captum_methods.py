"""Captum's attribution methods behind `explain(...)`: Saliency, Integrated Gradients, DeepLift,
Input x Gradient, Guided Backprop, Grad-CAM (upsampled onto the input), Occlusion and SmoothGrad.

Sample counts and steps are capped; a method that cannot apply to a model (Grad-CAM without a conv
layer, for instance) raises a `ValueError` that says why. Models are used in eval mode and left as
they were; captum removes its hooks itself.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

MAX_STEPS = 300
MAX_SAMPLES = 200
CAPTUM_METHODS = {
    "saliency": "Saliency",
    "integrated_gradients": "Integrated Gradients",
    "deeplift": "DeepLift",
    "input_x_gradient": "Input x Gradient",
    "guided_backprop": "Guided Backprop",
    "gradcam": "Grad-CAM",
    "occlusion": "Occlusion",
    "smoothgrad": "SmoothGrad (NoiseTunnel)",
}
BASELINES = ("black", "blurred", "mean")


@dataclass(frozen=True)
class Explanation:
    method: str
    target: int
    attributions: np.ndarray  # the input's shape
    baseline: str | None
    settings: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    delta: float | None = None  # Integrated Gradients' convergence delta


def make_baseline(x: torch.Tensor, kind: str, mean: torch.Tensor | None = None) -> torch.Tensor:
    """A reference input: black (zeros), blurred (a strong box blur of x), or the dataset mean."""
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


def _last_conv(model: nn.Module) -> str | None:
    convs = [n for n, m in model.named_modules() if isinstance(m, nn.Conv2d)]
    return convs[-1] if convs else None


def _cap(name: str, value: int, limit: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= limit:
        raise ValueError(f"{name} must be a whole number from 1 to {limit}, not {value!r}")
    return value


def explain(model: nn.Module, inputs: torch.Tensor, method: str, target: int, baseline: str = "black",
            mean: torch.Tensor | None = None, steps: int = 50, samples: int = 20, noise: float = 0.15,
            layer: str | None = None, window: int = 8, stride: int = 4) -> Explanation:
    """Attribute `model`'s output `target` to the features of `inputs` (a batch of one or more)."""
    from captum import attr as ca

    if method not in CAPTUM_METHODS:
        raise ValueError(f"unknown method '{str(method)[:30]}'; choose one of {', '.join(CAPTUM_METHODS)}")
    x = inputs.detach().clone().float()
    was = model.training
    model.eval()
    settings: dict[str, Any] = {}
    delta = None
    base_name = None
    start = time.perf_counter()
    try:
        if method in ("integrated_gradients", "deeplift", "occlusion"):
            base_name = baseline
            base = make_baseline(x, baseline, mean)
        if method == "saliency":
            a = ca.Saliency(model).attribute(x, target=target, abs=True)
        elif method == "integrated_gradients":
            settings["steps"] = _cap("steps", steps, MAX_STEPS)
            a, d = ca.IntegratedGradients(model).attribute(x, baselines=base, target=target, n_steps=steps,
                                                           return_convergence_delta=True)
            delta = float(d.abs().max())
        elif method == "deeplift":
            a = ca.DeepLift(model).attribute(x, baselines=base, target=target)
        elif method == "input_x_gradient":
            a = ca.InputXGradient(model).attribute(x, target=target)
        elif method == "guided_backprop":
            a = ca.GuidedBackprop(model).attribute(x, target=target)
        elif method == "gradcam":
            layer = layer or _last_conv(model)
            if layer is None:
                raise ValueError("Grad-CAM needs a convolution layer, and this model has none")
            settings["layer"] = layer
            cam = ca.LayerGradCam(model, model.get_submodule(layer)).attribute(x, target=target, relu_attributions=True)
            a = F.interpolate(cam, size=x.shape[-2:], mode="bilinear", align_corners=False).expand_as(x)
        elif method == "occlusion":
            if x.dim() != 4:
                window, stride = 1, 1
                shape, strides = (1,) * (x.dim() - 1), (1,) * (x.dim() - 1)
            else:
                shape, strides = (x.shape[1], window, window), (x.shape[1], stride, stride)
            settings.update(window=window, stride=stride)
            a = ca.Occlusion(model).attribute(x, sliding_window_shapes=shape, strides=strides, baselines=base,
                                             target=target, perturbations_per_eval=16)
        else:  # smoothgrad
            settings.update(samples=_cap("samples", samples, MAX_SAMPLES), noise=noise)
            spread = float(noise) * float(x.max() - x.min() or 1.0)
            a = ca.NoiseTunnel(ca.Saliency(model)).attribute(x, nt_type="smoothgrad", nt_samples=samples,
                                                             stdevs=spread, target=target, abs=True)
    except RuntimeError as exc:  # e.g. a module captum cannot propagate through
        raise ValueError(f"{CAPTUM_METHODS[method]} cannot explain this model: {str(exc)[:160]}") from None
    finally:
        model.train(was)
    seconds = time.perf_counter() - start
    return Explanation(method, int(target), a.detach().cpu().numpy(), base_name, settings, seconds, delta)
