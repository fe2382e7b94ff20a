"""Do two explanations agree? The share of the most important features (by the first map) on
which both maps give the same sign: 1 when they push the same way everywhere that matters."""

from __future__ import annotations

import numpy as np

from core.explain.trust import importance


def sign_agreement(a: np.ndarray, b: np.ndarray, top: int = 10) -> float:
    """Share of `a`'s `top` strongest features (per pixel or column) where `b` has the same sign;
    NaN when `a` has no feature with a sign (all zero)."""
    ia, ib = importance(a), importance(b)
    order = np.argsort(-np.abs(ia), kind="stable")[:top]
    order = order[ia[order] != 0]
    if not len(order):
        return float("nan")
    return float(np.mean(np.sign(ia[order]) == np.sign(ib[order])))
