"""Captum's attribution methods for the facade: Saliency, Integrated Gradients (with its convergence
delta), DeepLift, Input x Gradient, Guided Backprop, Grad-CAM (upsampled onto the input), Occlusion and
SmoothGrad through NoiseTunnel. Captum removes its own hooks; the facade handles modes and timing.
"""

from __future__ import annotations

import warnings
from typing import Any

import torch
from torch import nn
from torch.nn import functional as F

from core.explain.base import ExplainOptions, last_conv, make_baseline

_USES_BASELINE = ("integrated_gradients", "deeplift", "occlusion")  # as their records in methods.py say
# captum warns on every call that it set requires_grad on the input and hooks on activations: by design here
warnings.filterwarnings("ignore", category=UserWarning, module=r"captum\.")


def attribute(model: nn.Module, x: torch.Tensor, method: str, target: int, o: ExplainOptions,
              mean: torch.Tensor | None, settings: dict[str, Any]) -> tuple[torch.Tensor, float | None]:
    """Attributions shaped like `x`, and Integrated Gradients' delta (None for the other methods)."""
    from captum import attr as ca

    base = make_baseline(x, o.baseline, mean) if method in _USES_BASELINE else None
    if method == "saliency":
        return ca.Saliency(model).attribute(x, target=target, abs=True), None
    if method == "integrated_gradients":
        settings["steps"] = o.steps
        a, d = ca.IntegratedGradients(model).attribute(x, baselines=base, target=target, n_steps=o.steps,
                                                       return_convergence_delta=True)
        return a, float(d.abs().max())
    if method == "deeplift":
        return ca.DeepLift(model).attribute(x, baselines=base, target=target), None
    if method == "input_x_gradient":
        return ca.InputXGradient(model).attribute(x, target=target), None
    if method == "guided_backprop":
        return ca.GuidedBackprop(model).attribute(x, target=target), None
    if method == "gradcam":
        layer = o.layer or last_conv(model)
        settings["layer"] = layer
        cam = ca.LayerGradCam(model, model.get_submodule(layer)).attribute(x, target=target, relu_attributions=True)
        return F.interpolate(cam, size=x.shape[-2:], mode="bilinear", align_corners=False).expand_as(x), None
    if method == "occlusion":
        if x.dim() != 4:
            shape, strides = (1,) * (x.dim() - 1), (1,) * (x.dim() - 1)
            settings.update(window=1, stride=1)
        else:
            w, s = min(o.window, x.shape[-1]), min(o.stride, x.shape[-1])
            shape, strides = (x.shape[1], w, w), (x.shape[1], s, s)
            settings.update(window=w, stride=s)
        return ca.Occlusion(model).attribute(x, sliding_window_shapes=shape, strides=strides, baselines=base,
                                             target=target, perturbations_per_eval=16), None
    if method == "smoothgrad":
        settings.update(samples=o.samples, noise=o.noise)
        spread = float(o.noise) * float(x.max() - x.min() or 1.0)
        gen_state = torch.random.get_rng_state()
        torch.manual_seed(o.seed)  # NoiseTunnel draws from the global generator; keep it repeatable
        try:
            a = ca.NoiseTunnel(ca.Saliency(model)).attribute(x, nt_type="smoothgrad", nt_samples=o.samples,
                                                             stdevs=spread, target=target, abs=True)
        finally:
            torch.random.set_rng_state(gen_state)
        return a, None
    raise ValueError(f"'{method}' is not a captum method")
