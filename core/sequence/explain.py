"""Which steps a recurrent network's answer used, and what it writes when it generates text.

`time_attributions` runs Captum's Integrated Gradients (the method the Explain lab uses, zero baseline) on
the network's prediction at the last step and sums the attributions over each step's features: one
number per time step, which add up to the prediction minus the baseline's (IG's completeness, up to its
convergence delta). `next_probs` and `sample` read the text task's model: the next character's
probabilities after a prompt, and text drawn from them with a temperature.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from core.sequence.models import SeqNet

MAX_PROMPT, MAX_SAMPLE = 500, 1000


class LastStep(nn.Module):
    """The network's outputs at the last step only: (N, T, F) -> (N, outputs), what attribution explains."""

    def __init__(self, net: SeqNet):
        super().__init__()
        self.net = net

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)[:, -1]


@dataclass(frozen=True)
class TimeAttribution:
    per_step: np.ndarray  # (T,) attribution of each step, summed over its features
    per_feature: np.ndarray  # (T, F)
    delta: float  # IG's convergence delta
    score: float  # the explained output at the input
    base_score: float  # ... and at the zero baseline
    target: int


def time_attributions(net: SeqNet, x: torch.Tensor, target: int | None = None, steps: int = 50) -> TimeAttribution:
    """Integrated Gradients of the last step's output `target` (the predicted class by default; the
    value for regression) for one sequence `x` (T, F)."""
    model = LastStep(net).eval()
    xb = x.unsqueeze(0).float()
    with torch.no_grad():
        out = model(xb)[0]
    if target is None:
        target = int(out.argmax()) if out.numel() > 1 else 0
    # cuDNN computes an RNN's backward pass only in training mode; the plain kernels do it in eval mode
    with torch.backends.cudnn.flags(enabled=False):
        from captum.attr import IntegratedGradients  # imported on use: captum is slow to import
        a, delta = IntegratedGradients(model).attribute(xb, baselines=torch.zeros_like(xb), target=target,
                                                        n_steps=steps, return_convergence_delta=True)
        with torch.no_grad():
            base = float(model(torch.zeros_like(xb))[0, target])
    a = a[0].detach().cpu().numpy()
    return TimeAttribution(a.sum(1), a, float(delta.abs().max()), float(out[target]), base, target)


def _encode(text: str, vocab: tuple[str, ...]) -> torch.Tensor:
    unknown = sorted({c for c in text if c not in vocab})
    if unknown:
        raise ValueError("the prompt uses characters the text never had: " + " ".join(repr(c) for c in unknown[:8]))
    ids = torch.tensor([vocab.index(c) for c in text], dtype=torch.long)
    return torch.nn.functional.one_hot(ids, len(vocab)).float()


@torch.no_grad()
def next_probs(net: SeqNet, vocab: tuple[str, ...], prompt: str, temperature: float = 1.0) -> np.ndarray:
    """The probability of each character coming next after `prompt`, at `temperature`."""
    if not prompt:
        raise ValueError("type a prompt of at least one character")
    if not 0.05 <= temperature <= 5:
        raise ValueError("the temperature must be from 0.05 to 5")
    net.eval()
    logits = net(_encode(prompt[-MAX_PROMPT:], vocab).unsqueeze(0))[0, -1]
    return torch.softmax(logits / temperature, -1).numpy()


@torch.no_grad()
def sample(net: SeqNet, vocab: tuple[str, ...], prompt: str, n: int, temperature: float = 1.0,
           seed: int = 0) -> str:
    """`n` characters drawn one at a time after `prompt`, each from the model's next-character
    probabilities at `temperature` (low: the likeliest; high: more surprising)."""
    if not 1 <= n <= MAX_SAMPLE:
        raise ValueError(f"generate from 1 to {MAX_SAMPLE} characters")
    gen = np.random.default_rng(seed)
    text = prompt
    for _ in range(n):
        p = next_probs(net, vocab, text, temperature).astype(np.float64)
        text += vocab[int(gen.choice(len(vocab), p=p / p.sum()))]
    return text[len(prompt):]
