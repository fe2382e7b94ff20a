"""`explain(model, inputs, method, target, **options)`: one entry point over captum, SHAP and LIME.

Returns an `Explanation` whose attributions have the input's shape, as numpy, with the method, target,
baseline, settings used, seconds taken, and what the method adds (IG's delta, SHAP's base value,
LIME's superpixels). A method that cannot apply says why (`why_not`); any failure becomes a
`ValueError` a student can read, and the model is left as it was (mode, weights, no hooks).
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

import numpy as np
import torch
from torch import nn

from core.explain.base import ExplainOptions, Explanation, resolve_baseline
from core.explain.methods import METHODS, why_not


def _n_outputs(model: nn.Module, x: torch.Tensor) -> int:
    """The number of outputs: the last layer's width when it is a Linear, else one forward pass."""
    last = None
    for m in model.modules():
        if not list(m.children()):
            last = m
    if isinstance(last, nn.Linear):
        return last.out_features
    with torch.no_grad():
        return int(model(x[:1]).shape[-1])


def explain(model: nn.Module, inputs: torch.Tensor, method: str, target: int, *, mean: torch.Tensor | None = None,
            background: torch.Tensor | None = None, **options: Any) -> Explanation:
    """Attribute `model`'s output `target` to the features of `inputs` (a batch; one image for
    Partition SHAP and LIME on images). `mean` is the dataset's mean input (the "mean" baseline);
    `background` holds training inputs (SHAP and LIME on tables need them)."""
    o = ExplainOptions.from_kwargs(**options)
    o = replace(o, baseline=resolve_baseline(o.baseline, inputs))
    reason = why_not(method, model, inputs)
    if reason:
        raise ValueError(reason)
    x = inputs.detach().clone().float().cpu()
    if not isinstance(target, (int, np.integer)) or isinstance(target, bool):
        raise ValueError(f"the target must be an output index, not {target!r}")
    was = model.training
    grads = [p.requires_grad for p in model.parameters()]
    model.eval()
    settings: dict[str, Any] = {}
    delta = base_value = None
    extra: dict[str, Any] = {}
    start = time.perf_counter()
    try:
        n_out = _n_outputs(model, x)
        if not 0 <= int(target) < n_out:
            raise ValueError(f"the target must be an output from 0 to {n_out - 1}, not {target}")
        target = int(target)
        output = o.output if o.output != "auto" else "softmax" if n_out > 1 else "raw"
        record = METHODS[method]
        a, delta, base_value, extra = record.run(model, x, target, o, output, mean, background, settings)
    except ValueError:
        raise
    except (RuntimeError, AssertionError, TypeError, IndexError) as exc:  # a library that cannot cope
        raise ValueError(f"{METHODS[method].label} could not explain this model: {str(exc)[:160]}") from None
    finally:
        model.train(was)
        for p, g in zip(model.parameters(), grads):
            p.requires_grad_(g)
            p.grad = None
    seconds = time.perf_counter() - start
    return Explanation(method, target, np.asarray(a, dtype=np.float32), o.baseline if record.uses_baseline(x) else None,
                       settings, seconds, delta, base_value, extra, record.label)
