"""What the trained Transformer writes, and which input tokens its answer used.

`generate` writes tokens one at a time after a prompt (GPT style: each new token joins the input), with a
temperature and top-k, keeping each step's probabilities; a BERT-style model fills its blanks at once.
`token_attributions` runs Captum's Integrated Gradients on the token embeddings (zero baseline) for one
output token's log-probability and sums over the embedding: one number per input token, which add up to
the output's change from the baseline (IG's completeness, up to its convergence delta).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from core.attention.model import TinyTransformer

MAX_NEW = 200


@dataclass(frozen=True)
class Step:
    token: int  # the token written
    probs: np.ndarray  # (vocab,) the probabilities it was drawn from (after temperature and top-k)


def next_distribution(logits: torch.Tensor, temperature: float, top_k: int) -> torch.Tensor:
    """Softmax of logits / temperature over the top_k likeliest tokens (0: all); temperature 0 is greedy."""
    if not 0 <= temperature <= 5:
        raise ValueError("the temperature must be from 0 (always the likeliest) to 5")
    logits = logits.double()
    if top_k and top_k < logits.numel():
        cut = torch.topk(logits, int(top_k)).values[-1]
        logits = logits.masked_fill(logits < cut, float("-inf"))
    if temperature == 0:
        out = torch.zeros_like(logits)
        out[int(logits.argmax())] = 1.0
        return out
    return torch.softmax(logits / temperature, -1)


@torch.no_grad()
def generate(model: TinyTransformer, prompt: torch.Tensor, new: int, temperature: float = 1.0, top_k: int = 0,
             seed: int = 0) -> list[Step]:
    """`new` tokens written after `prompt` (T,), one at a time, each from the model's next-token
    probabilities; the context is cropped to the model's longest sequence."""
    if not 1 <= new <= MAX_NEW:
        raise ValueError(f"write from 1 to {MAX_NEW} tokens")
    model.eval()
    g = torch.Generator().manual_seed(seed)
    ids = prompt.clone().long().cpu()
    steps = []
    for _ in range(new):
        ctx = ids[-model.shape.length:]
        p = next_distribution(model(ctx[None])[0, -1].cpu(), temperature, top_k)
        tok = int(torch.multinomial(p.float(), 1, generator=g)) if temperature else int(p.argmax())
        steps.append(Step(tok, p.float().numpy()))
        ids = torch.cat([ids, torch.tensor([tok])])
    return steps


class TokenScore(nn.Module):
    """The log-probability of `token` at `place`, as a function of the token embeddings (N, T, width)."""

    def __init__(self, model: TinyTransformer, place: int):
        super().__init__()
        self.model, self.place = model, place

    def forward(self, embeds: torch.Tensor) -> torch.Tensor:
        return torch.log_softmax(self.model(embeds=embeds)[:, self.place], -1)


@dataclass(frozen=True)
class TokenAttribution:
    per_token: np.ndarray  # (T,) each input token's attribution, summed over its embedding
    delta: float  # IG's convergence delta
    score: float  # the explained log-probability at the input
    base_score: float  # ... and with every embedding zero
    place: int
    target: int


def token_attributions(model: TinyTransformer, tokens: torch.Tensor, place: int, target: int | None = None,
                       steps: int = 64) -> TokenAttribution:
    """Integrated Gradients of the log-probability of `target` (the predicted token by default) at `place`
    for one sequence `tokens` (T,), over the token embeddings."""
    from captum.attr import IntegratedGradients  # imported on use: captum is slow to import

    model.eval()
    if not 0 <= place < len(tokens):
        raise ValueError(f"choose a place from 0 to {len(tokens) - 1}")
    f = TokenScore(model, place)
    with torch.no_grad():
        e = model.embed(tokens[None].long())
        out = f(e)[0]
    target = int(out.argmax()) if target is None else int(target)
    a, delta = IntegratedGradients(f).attribute(e, baselines=torch.zeros_like(e), target=target, n_steps=steps,
                                                return_convergence_delta=True)
    with torch.no_grad():
        base = float(f(torch.zeros_like(e))[0, target])
    return TokenAttribution(a[0].sum(-1).detach().cpu().numpy(), float(delta.abs().max()), float(out[target]), base,
                            place, target)
