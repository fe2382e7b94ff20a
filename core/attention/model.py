"""A tiny Transformer whose attention can be read: token and position embeddings, 1-3 pre-norm blocks
of multi-head self-attention and an MLP, and a head over the vocabulary.

Attention is written out (not `nn.MultiheadAttention`) so a forward pass can record every head's
queries, keys, values, weights and outputs (`trace`); the tests check it against
`nn.MultiheadAttention` given the same weights. `query_steps` recomputes one query's path with numpy
from the weights alone (Q, K, scores, scaling, mask, softmax, weighted sum of V): the numbers a
student reads step by step, which must equal the forward pass's own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

POSITIONS = ("learned", "sinusoidal")


def sinusoidal(length: int, width: int) -> torch.Tensor:
    """Vaswani et al.'s positional encodings: sin and cos of the position at geometric frequencies."""
    pos = torch.arange(length, dtype=torch.float32)[:, None]
    freq = torch.exp(-math.log(10_000.0) * torch.arange(0, width, 2, dtype=torch.float32) / width)
    pe = torch.zeros(length, width)
    pe[:, 0::2] = torch.sin(pos * freq)
    pe[:, 1::2] = torch.cos(pos * freq)[:, : width // 2]
    return pe


class SelfAttention(nn.Module):
    def __init__(self, width: int, heads: int):
        super().__init__()
        self.heads, self.dh = heads, width // heads
        self.q, self.k, self.v, self.o = (nn.Linear(width, width) for _ in range(4))

    def forward(self, x: torch.Tensor, causal: bool, record: dict | None = None) -> torch.Tensor:
        n, t, d = x.shape

        def split(z: torch.Tensor) -> torch.Tensor:
            return z.view(n, t, self.heads, self.dh).transpose(1, 2)  # (N, H, T, dh)

        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.dh)
        if causal:
            scores = scores.masked_fill(torch.ones(t, t, dtype=torch.bool, device=x.device).triu(1), float("-inf"))
        weights = torch.softmax(scores, -1)
        heads = weights @ v  # (N, H, T, dh)
        if record is not None:
            record.update(q=q, k=k, v=v, weights=weights, heads=heads)
        return self.o(heads.transpose(1, 2).reshape(n, t, d))


class Block(nn.Module):
    def __init__(self, width: int, heads: int):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(width), nn.LayerNorm(width)
        self.attn = SelfAttention(width, heads)
        self.mlp = nn.Sequential(nn.Linear(width, 4 * width), nn.GELU(), nn.Linear(4 * width, width))

    def forward(self, x: torch.Tensor, causal: bool, record: dict | None = None) -> torch.Tensor:
        h = self.ln1(x)
        if record is not None:
            record["x"], record["normed"] = x, h
        x = x + self.attn(h, causal, record)
        return x + self.mlp(self.ln2(x))


@dataclass(frozen=True)
class Shape:
    vocab: int
    length: int  # the longest sequence (positions)
    width: int = 64
    layers: int = 2
    heads: int = 2
    positions: str = "learned"
    causal: bool = True


class TinyTransformer(nn.Module):
    def __init__(self, shape: Shape):
        super().__init__()
        if shape.width % shape.heads:
            raise ValueError(f"the width ({shape.width}) must split evenly into {shape.heads} heads")
        self.shape = shape
        self.tok = nn.Embedding(shape.vocab, shape.width)
        if shape.positions == "learned":
            self.pos = nn.Parameter(torch.zeros(shape.length, shape.width))
        else:
            self.register_buffer("pos", sinusoidal(shape.length, shape.width), persistent=False)
        self.blocks = nn.ModuleList(Block(shape.width, shape.heads) for _ in range(shape.layers))
        self.ln = nn.LayerNorm(shape.width)
        self.head = nn.Linear(shape.width, shape.vocab)

    def init(self, seed: int) -> None:
        g = torch.Generator().manual_seed(seed)
        with torch.no_grad():
            for name, p in self.named_parameters():
                if name.endswith("bias"):
                    p.zero_()
                elif p.dim() == 1:  # LayerNorm scales
                    p.fill_(1.0)
                else:
                    p.copy_(torch.randn(p.shape, generator=g) * 0.02 * (1 if "pos" not in name else 5))

    def embed(self, tokens: torch.Tensor) -> torch.Tensor:
        return self.tok(tokens)

    def forward(self, tokens: torch.Tensor | None = None, embeds: torch.Tensor | None = None,
                records: list[dict] | None = None) -> torch.Tensor:
        """Logits (N, T, vocab) from token ids, or from token embeddings `embeds` (N, T, width) (attribution
        works on these); with `records`, each block's dict of what its attention computed."""
        e = self.tok(tokens) if embeds is None else embeds
        x = e + self.pos[: e.shape[1]]
        for block in self.blocks:
            rec = {} if records is not None else None
            x = block(x, self.shape.causal, rec)
            if records is not None:
                records.append(rec)
        return self.head(self.ln(x))


@torch.no_grad()
def trace(model: TinyTransformer, tokens: torch.Tensor) -> tuple[torch.Tensor, list[dict]]:
    """The logits and every block's record for `tokens` (N, T), in evaluation mode."""
    was = model.training
    model.eval()
    records: list[dict] = []
    try:
        logits = model(tokens, records=records)
    finally:
        model.train(was)
    return logits, records


def attention_maps(model: TinyTransformer, tokens: torch.Tensor) -> np.ndarray:
    """(layers, heads, T, T) attention weights for one sequence `tokens` (T,)."""
    _, records = trace(model, tokens[None])
    return torch.stack([r["weights"][0] for r in records]).cpu().numpy()


@dataclass(frozen=True)
class QuerySteps:
    """One query's path through one head, every number computed from the weights alone."""

    x: np.ndarray  # (width,) the query place's residual stream, after the block's LayerNorm
    q: np.ndarray  # (dh,) its query
    keys: np.ndarray  # (T, dh) every place's key
    values: np.ndarray  # (T, dh) every place's value
    scores: np.ndarray  # (T,) q . k
    scaled: np.ndarray  # (T,) / sqrt(dh)
    masked: np.ndarray  # (T,) -inf where the causal mask forbids looking
    weights: np.ndarray  # (T,) softmax
    out: np.ndarray  # (dh,) the weighted sum of the values


def query_steps(model: TinyTransformer, tokens: torch.Tensor, layer: int, head: int, place: int) -> QuerySteps:
    """Place `place`'s query in `head` of block `layer`, for one sequence `tokens` (T,), step by step."""
    _, records = trace(model, tokens[None])
    normed = records[layer]["normed"][0].cpu().double().numpy()  # (T, width): the block's input, normalized
    attn = model.blocks[layer].attn
    lo, hi = head * attn.dh, (head + 1) * attn.dh

    def project(lin: nn.Linear) -> np.ndarray:
        w, b = lin.weight.detach().cpu().double().numpy(), lin.bias.detach().cpu().double().numpy()
        return normed @ w[lo:hi].T + b[lo:hi]

    keys, values = project(attn.k), project(attn.v)
    q = project(attn.q)[place]
    scores = keys @ q
    scaled = scores / math.sqrt(attn.dh)
    masked = scaled.copy()
    if model.shape.causal:
        masked[place + 1:] = -np.inf
    e = np.exp(masked - masked.max())
    weights = e / e.sum()
    return QuerySteps(normed[place], q, keys, values, scores, scaled, masked, weights, weights @ values)
