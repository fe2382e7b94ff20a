"""Can we trust a map? Faithfulness (deletion and insertion curves, captum's infidelity and
sensitivity) and the sanity check of Adebayo et al. (2018): randomize the weights layer by layer from
the top and see whether the explanation changes.

A faithful map names the features the model uses: deleting them first (replacing them with the
baseline) makes the score fall fastest, inserting them first makes it rise fastest. A map that barely
changes when the model's weights are replaced by random ones cannot be explaining what the model
learned: it shows the input (edges, say) rather than the model.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from core.explain.base import scores

EARLY = (0.001, 0.002, 0.005, 0.01, 0.02, 0.03)  # shares of features where curves get extra points
SANITY_FLAG = 0.5  # rank correlation with the fully randomized model above which a method is flagged


@dataclass(frozen=True)
class Curve:
    fractions: np.ndarray  # share of features removed (deletion) or revealed (insertion)
    scores: np.ndarray  # the target's score at each step
    auc: float  # mean score over the curve: low is good for deletion, high for insertion


def importance(attributions: np.ndarray) -> np.ndarray:
    """One importance per feature: per pixel (channels summed) for images, per column for tables."""
    a = np.asarray(attributions, float)[0]
    return a.sum(0).ravel() if a.ndim == 3 else a.ravel()


def _apply(x: torch.Tensor, base: torch.Tensor, order: np.ndarray, counts: list[int], insert: bool) -> torch.Tensor:
    """One input per count: the `count` most important features deleted (or the only ones inserted)."""
    image = x.dim() == 4
    out = []
    for k in counts:
        keep = np.zeros(len(order), bool)
        keep[order[:k]] = True
        mask = torch.from_numpy(keep if insert else ~keep)
        mask = mask.view(1, 1, *x.shape[-2:]) if image else mask.view(1, -1)
        out.append(torch.where(mask, x, base))
    return torch.cat(out)


def deletion_insertion(model: nn.Module, x: torch.Tensor, attributions: np.ndarray, target: int, output: str,
                       base: torch.Tensor, steps: int = 20) -> tuple[Curve, Curve]:
    """Delete (insert) features from the most important down, in `steps` equal shares, plus finer steps
    over the first few percent: a model whose score collapses after 1% of the pixels would otherwise
    give every good map the same area (its first step)."""
    order = np.argsort(-importance(attributions), kind="stable")
    n = len(order)
    counts = sorted({round(n * i / steps) for i in range(steps + 1)} | {round(n * f) for f in EARLY})
    fractions = np.array(counts, float) / n
    curves = []
    for insert in (False, True):
        batch = _apply(x[:1].float(), base[:1].float(), order, counts, insert)
        s = scores(model, batch, output)[:, target].numpy().astype(float)
        curves.append(Curve(fractions, s, float(np.trapezoid(s, fractions))))
    return curves[0], curves[1]


def infidelity(model: nn.Module, x: torch.Tensor, attributions: np.ndarray, target: int, samples: int = 20,
               seed: int = 0) -> float:
    """captum.metrics.infidelity with small Gaussian perturbations (2% of the input's range): how well
    attributions x perturbation predicts the change of the output. Lower is better."""
    from captum.metrics import infidelity as captum_infidelity

    gen = torch.Generator().manual_seed(seed)
    scale = 0.02 * float(x.max() - x.min() or 1.0)

    def perturb(inputs: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        noise = torch.randn(inputs.shape, generator=gen) * scale
        return noise, inputs - noise

    value = captum_infidelity(model, perturb, x.float(), torch.as_tensor(attributions, dtype=torch.float32),
                              target=target, n_perturb_samples=samples)
    return float(value.mean())


def sensitivity(explain_one: Callable[[torch.Tensor], np.ndarray], x: torch.Tensor, samples: int = 5,
                radius: float = 0.02) -> float:
    """captum.metrics.sensitivity_max: the largest change of the map under tiny input changes. Lower is
    steadier. `explain_one` explains one input (1, ...) and returns its attributions."""
    from captum.metrics import sensitivity_max

    def explanation_func(inputs: torch.Tensor | tuple[torch.Tensor, ...], **_: object) -> tuple[torch.Tensor]:
        inputs = inputs[0] if isinstance(inputs, tuple) else inputs
        with torch.enable_grad():  # captum calls this under no_grad; gradient methods need it back
            return (torch.cat([torch.as_tensor(explain_one(inputs[i:i + 1]), dtype=torch.float32)
                               for i in range(len(inputs))]),)

    return float(sensitivity_max(explanation_func, x.float(), perturb_radius=radius, n_perturb_samples=samples,
                                 max_examples_per_batch=samples).mean())


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    """Rank correlation of two maps' importances (absolute values, as Adebayo et al. compare them).

    Ties share their average rank (a flat region is not ordered by pixel position), and a map with
    no variation at all has no ranking: the correlation is then undefined (NaN), not a number to trust.
    """
    from scipy.stats import rankdata

    ra = rankdata(np.abs(importance(a)), method="average")
    rb = rankdata(np.abs(importance(b)), method="average")
    ra, rb = ra - ra.mean(), rb - rb.mean()
    denom = float(np.sqrt((ra ** 2).sum() * (rb ** 2).sum()))
    return float((ra * rb).sum() / denom) if denom > 0 else float("nan")


@dataclass(frozen=True)
class Sanity:
    layers: tuple[str, ...]  # randomized cumulatively, from the output layer down
    correlations: np.ndarray  # rank correlation with the original map after each step
    maps: tuple[np.ndarray, ...]  # the map after each step
    flagged: bool  # the map still looks like the original once every layer is random

    @property
    def undefined(self) -> bool:
        """The last correlation could not be computed: the original or the random map is constant."""
        return bool(len(self.correlations)) and bool(np.isnan(self.correlations[-1]))


def parametric_layers(model: nn.Module) -> list[str]:
    """Top-level layers that have weights, from the output back to the input."""
    return [n for n, m in model.named_children() if any(True for _ in m.parameters())][::-1]


def randomize_layer(model: nn.Module, name: str, gen: torch.Generator) -> None:
    """Re-draw a layer's weights from a normal with each tensor's own spread (BatchNorm: to identity)."""
    with torch.no_grad():
        for p in model.get_submodule(name).parameters():
            std = float(p.std()) if p.numel() > 1 else 0.1
            p.copy_(torch.randn(p.shape, generator=gen) * (std or 0.1))


def cascading_randomization(model: nn.Module, explain_fn: Callable[[nn.Module], np.ndarray], seed: int = 0,
                            progress: Callable[[int, int, str], None] | None = None) -> Sanity:
    """Adebayo et al.'s cascading test. `explain_fn(model)` explains the fixed input with the method."""
    original = explain_fn(model)
    random_model = copy.deepcopy(model).eval()
    gen = torch.Generator().manual_seed(seed)
    layers = parametric_layers(model)
    corr, maps = [], []
    for i, name in enumerate(layers):
        if progress is not None:
            progress(i, len(layers), name)
        randomize_layer(random_model, name, gen)
        m = explain_fn(random_model)
        maps.append(m)
        corr.append(spearman(original, m))
    values = np.array(corr)
    flagged = bool(len(values)) and bool(np.isfinite(values[-1])) and bool(values[-1] > SANITY_FLAG)
    return Sanity(tuple(layers), values, tuple(maps), flagged)
