"""Health checks that teach: read a run's history and snapshots, raise hints in plain language.

Each hint rests on a test over a window of epochs, not on a single wiggle:

- *oscillates*: over the last `WINDOW` epochs the loss has no significant downward trend (Kendall's
  tau, one-sided p < 0.05), its epoch-to-epoch steps alternate (lag-1 autocorrelation of the
  differences below -0.2) and they are large (median step over 5% of the median loss). A loss that
  falls with small ripples (minibatch noise) is not oscillating.
- *rises*: a significant upward trend (p < 0.01) and the recent loss 1.5 times its best.
- *thrown back*: the best loss lies more than `WINDOW` epochs back and the recent loss (median of the
  last 10 epochs) is 1.3 times it: steps too large threw the weights out of the valley, often to where tanh or
  sigmoid units saturate, so the first layers' gradients vanish too. Named as the learning rate, not as
  the activation: a deep sigmoid network with a small learning rate never had a better loss to lose.
- *overfitting*: the test loss trends up significantly (p < 0.01) while the training loss does not,
  the test loss is 10% above its best, and for classifiers the training accuracy is at least 3
  points above the test accuracy (a test accuracy above the training one is never overfitting).
- *gradients vanish / explode*: the first layer's gradient norm, averaged over the recent snapshots,
  is 1000 times below the last layer's (or any norm above 1000). Not raised while the loss
  oscillates or rises: one cause at a time, the learning rate first.
- *dead ReLUs*: half a layer's ReLUs output 0 for every training input.

Hints come most important first; a page shows at most `MAX_SHOWN` in a space of fixed height.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import kendalltau

WINDOW = 40
MIN_EPOCHS = 20
MAX_SHOWN = 2


@dataclass(frozen=True)
class Hint:
    level: str  # "warning" or "info"
    title: str
    advice: str


def trend(values: np.ndarray, window: int = WINDOW) -> tuple[float, float]:
    """Kendall's tau of the last `window` values against time, and its two-sided p-value."""
    tail = np.asarray(values, float)[-window:]
    tail = tail[np.isfinite(tail)]
    if len(tail) < 8 or np.ptp(tail) == 0:
        return 0.0, 1.0
    tau, p = kendalltau(np.arange(len(tail)), tail)
    return float(tau), float(p)


def oscillation(loss: np.ndarray, window: int = WINDOW) -> float:
    """How strongly the loss zig-zags: minus the lag-1 autocorrelation of its steps over the window
    (about 1 for a strict up-down-up, 0 for a smooth curve)."""
    tail = np.asarray(loss, float)[-window - 1:]
    tail = tail[np.isfinite(tail)]
    if len(tail) < 8:
        return 0.0
    d = np.diff(tail)
    if np.std(d[:-1]) == 0 or np.std(d[1:]) == 0:
        return 0.0
    return float(-np.corrcoef(d[:-1], d[1:])[0, 1])


def oscillates(loss: np.ndarray, window: int = WINDOW) -> bool:
    tail = np.asarray(loss, float)[-window:]
    if len(tail) < MIN_EPOCHS or not np.isfinite(tail).all():
        return False
    tau, p = trend(tail, window)
    falling = tau < 0 and p / 2 < 0.05
    step = float(np.median(np.abs(np.diff(tail))))
    return not falling and oscillation(tail, window) > 0.2 and step > 0.05 * float(np.median(np.abs(tail)))


def rises(loss: np.ndarray, window: int = WINDOW) -> bool:
    loss = np.asarray(loss, float)
    if len(loss) < MIN_EPOCHS or not np.isfinite(loss).all():
        return False
    tau, p = trend(loss, window)
    return tau > 0 and p < 0.01 and float(np.median(loss[-10:])) > 1.5 * float(loss.min())


def thrown_back(loss: np.ndarray, window: int = WINDOW) -> bool:
    loss = np.asarray(loss, float)
    if len(loss) < MIN_EPOCHS or not np.isfinite(loss).all():
        return False
    best = int(np.argmin(loss))
    return best < len(loss) - window and float(np.median(loss[-10:])) > 1.3 * float(loss[best])


def overfits(history: Mapping[str, np.ndarray], window: int = WINDOW) -> bool:
    train = np.asarray(history.get("train_loss", []), float)
    test = np.asarray(history.get("test_loss", []), float)
    if len(test) < max(MIN_EPOCHS, window // 2) or not (np.isfinite(test).all() and np.isfinite(train).all()):
        return False
    tau_test, p_test = trend(test, window)
    tau_train, p_train = trend(train, window)
    if not (tau_test > 0 and p_test < 0.01) or (tau_train > 0 and p_train < 0.05):
        return False
    if test[-1] <= 1.1 * test.min():
        return False
    train_acc, test_acc = history.get("train_acc"), history.get("test_acc")
    if train_acc is not None and test_acc is not None and np.isfinite(train_acc[-1]) and np.isfinite(test_acc[-1]):
        return float(train_acc[-1]) - float(test_acc[-1]) >= 0.03
    return True


def _mean_norms(grad_norms: Mapping[str, float] | Sequence[Mapping[str, float]] | None) -> dict[str, float]:
    if not grad_norms:
        return {}
    recent = [grad_norms] if isinstance(grad_norms, Mapping) else [g for g in grad_norms if g][-5:]
    if not recent:
        return {}
    return {k: float(np.mean([g.get(k, np.nan) for g in recent])) for k in recent[-1]}


def diagnose(history: Mapping[str, np.ndarray],
             grad_norms: Mapping[str, float] | Sequence[Mapping[str, float]] | None = None,
             dead: Mapping[str, float] | None = None, activations: Mapping[str, str] | None = None) -> list[Hint]:
    """Hints for a run, most important first. `grad_norms` is one snapshot's per-layer norms or the
    recent snapshots' (averaged)."""
    hints: list[Hint] = []
    train = np.asarray(history.get("train_loss", []), float)
    lr_trouble = False
    if oscillates(train):
        lr_trouble = True
        hints.append(Hint("warning", "The loss oscillates",
                          f"Over the last {min(WINDOW, len(train))} epochs it jumps up and down instead of settling: "
                          "the learning rate is probably too high. Try one 3 to 10 times smaller."))
    elif rises(train):
        lr_trouble = True
        hints.append(Hint("warning", "The loss is rising",
                          "It has gone up steadily over the last epochs: training is making things worse. The "
                          "learning rate is probably too high."))
    elif thrown_back(train):
        lr_trouble = True
        hints.append(Hint("warning", "The loss was lower before",
                          f"It reached {float(np.min(train)):.3f} and now stays near "
                          f"{float(np.median(train[-10:])):.3f}: "
                          "steps this large throw the weights out of the valley, often to where the units saturate "
                          "and their gradient vanishes. The learning rate is probably too high: try one 3 to 10 "
                          "times smaller."))
    norms = _mean_norms(grad_norms)
    if norms and len(norms) >= 2 and not lr_trouble and len(train) >= MIN_EPOCHS:
        names = list(norms)
        first, last = norms[names[0]], norms[names[-1]]
        if last > 1e-6 and first < last * 1e-3:
            act = (activations or {}).get(names[0], "")
            extra = " Sigmoid and tanh squash their gradient; try ReLU." if act in ("sigmoid", "tanh") else \
                " Try ReLU, fewer layers, batch norm, or a larger learning rate."
            hints.append(Hint("warning", f"Gradients vanish in {names[0]}",
                              f"The first layer gets a gradient {last / max(first, 1e-30):,.0f} times smaller "
                              f"than the last, so it barely learns.{extra}"))
        if max(norms.values()) > 1e3:
            hints.append(Hint("warning", "Gradients explode",
                              "Some layer gets huge gradients: lower the learning rate or add batch norm."))
    if overfits(history):
        hints.append(Hint("warning", "Overfitting: the test loss climbs while the training loss does not",
                          "The network memorizes the training points. Try L2 regularization, dropout, "
                          "a smaller network, more data, or stop earlier."))
    for layer, frac in (dead or {}).items():
        if frac >= 0.5:
            hints.append(Hint("warning", f"{frac:.0%} of the ReLUs in {layer} are dead",
                              "They output 0 for every input, so they never learn again. "
                              "Try a smaller learning rate or LeakyReLU."))
    return hints
