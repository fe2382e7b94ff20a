"""Health checks that teach: read a run's history and snapshots, raise hints in plain language.

Each `Hint` has a severity, a short title and a sentence saying what to try. The thresholds are rules
of thumb, chosen to be quiet on a healthy run (tests check both a sick and a healthy case).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Hint:
    level: str  # "warning" or "info"
    title: str
    advice: str


def oscillation(loss: np.ndarray, window: int = 30) -> float:
    """Share of sign changes in the last `window` loss differences (0: smooth, ~1: zig-zag)."""
    tail = np.asarray(loss, float)[-window - 1:]
    tail = tail[np.isfinite(tail)]
    if len(tail) < 8:
        return 0.0
    d = np.diff(tail)
    d = d[np.abs(d) > 1e-9 * max(1.0, float(np.abs(tail).max()))]
    if len(d) < 6:
        return 0.0
    return float(np.mean(np.sign(d[1:]) != np.sign(d[:-1])))


def diagnose(history: dict[str, np.ndarray], grad_norms: dict[str, float] | None = None,
             dead: dict[str, float] | None = None, activations: dict[str, str] | None = None) -> list[Hint]:
    """Hints for a run: oscillating or rising loss, vanishing/exploding gradients, dead ReLUs, overfitting."""
    hints: list[Hint] = []
    train = np.asarray(history.get("train_loss", []), float)
    test = np.asarray(history.get("test_loss", []), float)
    if len(train) >= 10 and np.isfinite(train).all():
        osc = oscillation(train)
        recent, earlier = train[-5:].mean(), train[-15:-5].mean() if len(train) >= 15 else train[0]
        if osc > 0.6 and train[-30:].std() > 0.05 * max(train[-30:].mean(), 1e-8):
            hints.append(Hint("warning", "The loss oscillates",
                              "It goes up and down instead of settling: the learning rate may be too high. "
                              "Try one 3 to 10 times smaller."))
        elif recent > earlier * 1.5 and recent > train.min() * 2:
            hints.append(Hint("warning", "The loss is rising",
                              "Training is making things worse: the learning rate is probably too high."))
    if grad_norms and len(grad_norms) >= 2:
        names = list(grad_norms)
        first, last = grad_norms[names[0]], grad_norms[names[-1]]
        if last > 1e-6 and first < last * 1e-3:
            act = (activations or {}).get(names[0], "")
            extra = " Sigmoid and tanh squash their gradient; try ReLU." if act in ("sigmoid", "tanh") else \
                " Try ReLU, fewer layers, batch norm, or a larger learning rate."
            hints.append(Hint("warning", f"Gradients vanish in {names[0]}",
                              f"The first layer gets a gradient {last / max(first, 1e-30):,.0f} times smaller "
                              f"than the last, so it barely learns.{extra}"))
        if max(grad_norms.values()) > 1e3:
            hints.append(Hint("warning", "Gradients explode",
                              "Some layer gets huge gradients: lower the learning rate or add batch norm."))
    for layer, frac in (dead or {}).items():
        if frac >= 0.5:
            hints.append(Hint("warning", f"{frac:.0%} of the ReLUs in {layer} are dead",
                              "They output 0 for every input, so they never learn again. "
                              "Try a smaller learning rate or LeakyReLU."))
    if len(test) >= 30 and np.isfinite(test).all() and np.isfinite(train).all():
        best = int(np.argmin(test))
        gap_now = test[-1] - train[-1]
        gap_then = test[best] - train[best]
        if best < len(test) * 0.7 and test[-1] > test[best] * 1.1 and gap_now > max(gap_then, 0) * 1.5 + 1e-3:
            hints.append(Hint("warning", "Overfitting: the gap between train and test loss grows",
                              "The network memorizes the training points. Try L2 regularization, dropout, "
                              "a smaller network, more data, or stop earlier."))
    return hints
