"""Recurrent networks for the sequence lab, and their insides step by step.

`SeqNet` is torch's own `nn.RNN` (tanh), `nn.LSTM` or `nn.GRU` with a linear read-out at every step.
`unroll` recomputes the same forward pass one step at a time from the module's weights (torch's gate
order: LSTM i, f, g, o; GRU r, z, n), so the page can show every hidden state, gate and cell state;
the tests check it against the module. `hidden_grads` backpropagates the loss of the last step through
time and returns the size of its gradient with respect to every earlier hidden state: what vanishes.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn
from torch.nn import functional as F

CELLS: dict[str, str] = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}
GATES: dict[str, tuple[str, ...]] = {"rnn": (), "lstm": ("input", "forget", "cell input", "output"),
                                     "gru": ("reset", "update", "candidate")}
FORGET_BIAS = 3.0  # an LSTM starts remembering: its forget gate open (sigmoid(3) = 0.95) until it learns to forget


class SeqNet(nn.Module):
    """A recurrent layer stack and a linear read-out: (N, T, F) -> (N, T, outputs)."""

    def __init__(self, cell: str, n_in: int, hidden: int, layers: int, n_out: int):
        super().__init__()
        if cell not in CELLS:
            raise ValueError(f"choose a cell among {', '.join(CELLS)}")
        self.cell, self.hidden, self.layers = cell, hidden, layers
        self.rnn = getattr(nn, CELLS[cell])(n_in, hidden, num_layers=layers, batch_first=True)
        self.head = nn.Linear(hidden, n_out)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.rnn(x)[0])

    def init(self, seed: int) -> None:
        """Torch's default initialization drawn from `seed`; an LSTM's forget-gate bias at FORGET_BIAS."""
        gen = torch.Generator().manual_seed(seed)
        with torch.no_grad():
            for m in (self.rnn, self.head):
                bound = 1.0 / (self.hidden ** 0.5) if m is self.rnn else 1.0 / (m.in_features ** 0.5)
                for p in m.parameters():
                    p.copy_(torch.rand(p.shape, generator=gen) * 2 * bound - bound)
            if self.cell == "lstm":
                h = self.hidden
                for layer in range(self.layers):
                    getattr(self.rnn, f"bias_ih_l{layer}")[h:2 * h] = FORGET_BIAS
                    getattr(self.rnn, f"bias_hh_l{layer}")[h:2 * h] = 0.0


@dataclass
class Unrolled:
    """Every step of a forward pass: hidden states (layers, N, T, H), an LSTM's cell states, each gate's
    values by name (layers, N, T, H), and the outputs (N, T, outputs)."""

    hidden: list[list[torch.Tensor]]  # [layer][t] -> (N, H), kept as graph nodes for backprop through time
    cell: list[list[torch.Tensor]] | None
    gates: dict[str, list[list[torch.Tensor]]]
    out: torch.Tensor

    def stacked(self, layer: int = -1) -> dict[str, torch.Tensor]:
        """One layer's states and gates as (N, T, H) tensors, detached."""
        res = {"hidden": torch.stack(self.hidden[layer], 1).detach()}
        if self.cell is not None:
            res["cell"] = torch.stack(self.cell[layer], 1).detach()
        for name, per_layer in self.gates.items():
            res[name] = torch.stack(per_layer[layer], 1).detach()
        return res


def _weights(rnn: nn.Module, layer: int) -> tuple[torch.Tensor, ...]:
    return tuple(getattr(rnn, f"{w}_l{layer}") for w in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"))


def unroll(net: SeqNet, x: torch.Tensor, perturb: dict[int, torch.Tensor] | None = None) -> Unrolled:
    """The forward pass one step at a time. `perturb[t]` is added to the top layer's hidden state at step t
    (zeros give the same pass; their gradients are dL/dh_t, a second way to compute what `hidden_grads` does)."""
    n, t_len, _ = x.shape
    names = GATES[net.cell]
    hidden: list[list[torch.Tensor]] = []
    cells: list[list[torch.Tensor]] | None = [] if net.cell == "lstm" else None
    gates: dict[str, list[list[torch.Tensor]]] = {g: [] for g in names}
    inp = [x[:, t] for t in range(t_len)]
    for layer in range(net.layers):
        w_ih, w_hh, b_ih, b_hh = _weights(net.rnn, layer)
        h = x.new_zeros(n, net.hidden)
        c = x.new_zeros(n, net.hidden)
        hs, cs, gs = [], [], {g: [] for g in names}
        top = layer == net.layers - 1
        for t in range(t_len):
            gi, gh = F.linear(inp[t], w_ih, b_ih), F.linear(h, w_hh, b_hh)
            if net.cell == "rnn":
                h = torch.tanh(gi + gh)
            elif net.cell == "lstm":
                i, f, g, o = (gi + gh).chunk(4, 1)
                i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
                c = f * c + i * g
                h = o * torch.tanh(c)
                for name, v in zip(names, (i, f, g, o)):
                    gs[name].append(v)
                cs.append(c)
            else:
                ir, iz, in_ = gi.chunk(3, 1)
                hr, hz, hn = gh.chunk(3, 1)
                r, z = torch.sigmoid(ir + hr), torch.sigmoid(iz + hz)
                cand = torch.tanh(in_ + r * hn)
                h = (1 - z) * cand + z * h
                for name, v in zip(names, (r, z, cand)):
                    gs[name].append(v)
            if top and perturb is not None and t in perturb:
                h = h + perturb[t]
            hs.append(h)
        hidden.append(hs)
        if cells is not None:
            cells.append(cs)
        for name in names:
            gates[name].append(gs[name])
        inp = hs
    out = net.head(torch.stack(hidden[-1], 1))
    return Unrolled(hidden, cells, gates, out)


def step_loss(out: torch.Tensor, y: torch.Tensor, kind: str) -> torch.Tensor:
    """The loss of one step's predictions (N, outputs) against its targets (N,)."""
    if kind == "classification":
        return F.cross_entropy(out, y.long())
    return F.mse_loss(out[:, 0], y.float())


def masked_loss(out: torch.Tensor, y: torch.Tensor, mask: torch.Tensor, kind: str) -> torch.Tensor:
    """The mean loss over the steps that count: cross-entropy for classes, squared error for values."""
    sel = mask.reshape(-1)
    o = out.reshape(-1, out.shape[-1])[sel]
    t = y.reshape(-1)[sel]
    if kind == "classification":
        return F.cross_entropy(o, t.long())
    return F.mse_loss(o[:, 0], t.float())


def hidden_grads(net: SeqNet, x: torch.Tensor, y: torch.Tensor, kind: str) -> torch.Tensor:
    """||dL_T / dh_t|| for every step t of the top layer, L_T the loss of the last step's prediction,
    averaged over the sequences in `x` (N, T, F); shape (T,). Real backpropagation through time."""
    was = net.training
    net.eval()
    try:
        u = unroll(net, x)
        for h in u.hidden[-1]:
            h.retain_grad()
        step_loss(u.out[:, -1], y[:, -1], kind).backward()
        return torch.stack([h.grad.norm(dim=1).mean() for h in u.hidden[-1]]).detach()
    finally:
        net.zero_grad(set_to_none=True)
        net.train(was)
