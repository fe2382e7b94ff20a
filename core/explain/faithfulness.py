"""Faithfulness of several maps at once, against a map of noise: deletion and insertion curves,
their areas, captum's infidelity, and a plain verdict on whether each map beats the noise.

Removed features take the same baseline that the methods compare with (Integrated Gradients,
DeepLift and Occlusion; LIME and Partition SHAP on images), so a method is judged with the very
"absent" it was built around. A map that does not beat the random one on both curves is said to.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from core.explain.base import make_baseline, resolve_baseline
from core.explain.trust import Curve, deletion_insertion, infidelity

RANDOM = "random map"


def random_map(shape: tuple[int, ...], seed: int = 0) -> np.ndarray:
    """A map of noise: the reference a real explanation's faithfulness should beat."""
    return np.random.default_rng(seed).normal(size=shape).astype(np.float32)


@dataclass(frozen=True)
class Score:
    label: str
    deletion: Curve
    insertion: Curve
    infidelity: float
    beats_random: bool  # a lower deletion area and a higher insertion area than the random map

    def row(self) -> dict[str, object]:
        return {"method": self.label, "deletion area (lower is better)": round(self.deletion.auc, 4),
                "insertion area (higher is better)": round(self.insertion.auc, 4),
                "infidelity (lower is better)": float(f"{self.infidelity:.3g}"),
                "beats a random map": "yes" if self.beats_random else "no"}


@dataclass(frozen=True)
class Faithfulness:
    baseline: str
    scores: tuple[Score, ...]
    random: Score

    @property
    def deletion(self) -> dict[str, Curve]:
        return {s.label: s.deletion for s in (*self.scores, self.random)}

    @property
    def insertion(self) -> dict[str, Curve]:
        return {s.label: s.insertion for s in (*self.scores, self.random)}

    def losers(self) -> list[str]:
        """The methods that do no better than noise here."""
        return [s.label for s in self.scores if not s.beats_random]


def faithfulness(model: nn.Module, x: torch.Tensor, maps: dict[str, np.ndarray], target: int, output: str,
                 baseline: str, mean: torch.Tensor | None = None, steps: int = 50) -> Faithfulness:
    """Score each map (label -> attributions shaped like `x`) and a random map on the same curves."""
    baseline = resolve_baseline(baseline, x)
    base = make_baseline(x, baseline, mean)
    rd, ri = deletion_insertion(model, x, random_map(tuple(x.shape)), target, output, base, steps)
    rand = Score(RANDOM, rd, ri, float("nan"), False)
    scores = []
    for label, a in maps.items():
        d, i = deletion_insertion(model, x, a, target, output, base, steps)
        scores.append(Score(label, d, i, infidelity(model, x, a, target), d.auc < rd.auc and i.auc > ri.auc))
    return Faithfulness(baseline, tuple(scores), rand)
