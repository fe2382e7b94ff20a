"""The engine's fast path: forward and backward of an MLP by hand, into preallocated buffers.

For the small networks of the Playground (2-8-8-1 and the like), autograd's bookkeeping costs more
than the arithmetic. A network that is only Linear layers and element-wise activations gets its
gradients here in closed form, with `out=` kernels and no graph; anything else (convolutions,
dropout, batch norm) goes through autograd. The tests check these gradients against autograd.
"""

from __future__ import annotations

import math

import torch
from torch import nn

_SQRT1_2 = 1.0 / math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_ACTS = {nn.ReLU: "relu", nn.LeakyReLU: "leaky_relu", nn.Tanh: "tanh", nn.Sigmoid: "sigmoid", nn.GELU: "gelu",
         nn.Identity: "identity"}


def fusable(model: nn.Module) -> bool:
    """True when the model is a plain stack of Linear layers and element-wise activations."""
    children = list(model.children())
    if not children or not any(isinstance(m, nn.Linear) for m in children):
        return False
    for m in children:
        if isinstance(m, nn.GELU) and m.approximate != "none":
            return False
        if not isinstance(m, nn.Linear) and type(m) not in _ACTS:
            return False
    return True


class _Buffers:
    """Activations, backward scratch space and a batch of inputs/targets for one batch size."""

    def __init__(self, widths: list[int], shares: list[bool], batch: int, x_dim: int, t_shape: tuple[int, ...],
                 t_dtype, device):
        self.x = torch.empty(batch, x_dim, device=device)
        self.t = torch.empty((batch, *t_shape), dtype=t_dtype, device=device)
        self.outs = [torch.empty(batch, w, device=device) for w in widths]
        # an activation scales the gradient in place, so it shares the buffer of the op before it
        self.grads: list[torch.Tensor] = []
        for i, w in enumerate(widths):
            self.grads.append(self.grads[i - 1] if shares[i] else torch.empty(batch, w, device=device))
        self.tmp = [torch.empty(batch, w, device=device) for w in widths]
        self.mask = [torch.empty(batch, w, dtype=torch.bool, device=device) for w in widths]


class FusedMLP:
    """Computes the gradient of the loss for a batch of a fusable model, in closed form."""

    def __init__(self, model: nn.Module, objective, x_dim: int, t_shape: tuple[int, ...], t_dtype, device):
        self.objective = objective
        self.ops: list[tuple[str, nn.Module]] = []
        widths = []
        width = x_dim
        for m in model.children():
            if isinstance(m, nn.Linear):
                self.ops.append(("linear", m))
                width = m.out_features
            else:
                self.ops.append((_ACTS[type(m)], m))
            widths.append(width)
        self.widths = widths
        self.x_dim, self.t_shape, self.t_dtype, self.device = x_dim, t_shape, t_dtype, device
        self._buffers: dict[int, _Buffers] = {}
        # gradient buffers in model.parameters() order (weight, then bias, per Linear)
        self.param_grads: list[torch.Tensor] = []
        self._linear_grads: list[tuple[torch.Tensor, torch.Tensor | None]] = []
        for kind, m in self.ops:
            if kind == "linear":
                gw = torch.zeros_like(m.weight)
                gb = torch.zeros_like(m.bias) if m.bias is not None else None
                self.param_grads += [gw] + ([gb] if gb is not None else [])
                self._linear_grads.append((gw, gb))
            else:
                self._linear_grads.append((None, None))  # type: ignore[arg-type]

    def buffers(self, batch: int) -> _Buffers:
        buf = self._buffers.get(batch)
        if buf is None:
            shares = [i > 0 and kind != "linear" for i, (kind, _) in enumerate(self.ops)]
            buf = _Buffers(self.widths, shares, batch, self.x_dim, self.t_shape, self.t_dtype, self.device)
            self._buffers[batch] = buf
        return buf

    @torch.no_grad()
    def gradients(self, buf: _Buffers) -> torch.Tensor:
        """Forward and backward on the batch in `buf.x` / `buf.t`; returns the output buffer."""
        return self.gradients_no_grad(buf)

    def gradients_no_grad(self, buf: _Buffers) -> torch.Tensor:
        """`gradients` for a caller already under `torch.no_grad()` (saves its cost on every step)."""
        a = buf.x
        inputs = []
        for i, (kind, m) in enumerate(self.ops):
            out = buf.outs[i]
            inputs.append(a)
            if kind == "linear":
                if m.bias is not None:
                    torch.addmm(m.bias, a, m.weight.t(), out=out)
                else:
                    torch.mm(a, m.weight.t(), out=out)
            elif kind == "relu":
                torch.clamp_min(a, 0.0, out=out)
            elif kind == "tanh":
                torch.tanh(a, out=out)
            elif kind == "sigmoid":
                torch.sigmoid(a, out=out)
            elif kind == "leaky_relu":
                out.copy_(torch.nn.functional.leaky_relu(a, m.negative_slope))
            elif kind == "gelu":
                out.copy_(torch.nn.functional.gelu(a))
            else:
                out.copy_(a)
            a = out
        g = buf.grads[-1]
        self.objective.output_grad(a, buf.t, g)
        for i in range(len(self.ops) - 1, -1, -1):
            kind, m = self.ops[i]
            x_in, out = inputs[i], buf.outs[i]
            if kind == "linear":
                gw, gb = self._linear_grads[i]
                torch.mm(g.t(), x_in, out=gw)
                if gb is not None:
                    torch.sum(g, 0, out=gb)
                if i == 0:
                    break
                g_prev = buf.grads[i - 1]
                torch.mm(g, m.weight, out=g_prev)
                g = g_prev
                continue
            # element-wise activation: scale g in place by the derivative
            if kind == "tanh":
                tmp = buf.tmp[i]
                torch.mul(out, out, out=tmp)
                g.addcmul_(g, tmp, value=-1.0)
            elif kind == "sigmoid":
                tmp = buf.tmp[i]
                torch.mul(out, out, out=tmp)
                torch.sub(out, tmp, out=tmp)
                g.mul_(tmp)
            elif kind == "relu":
                mask = buf.mask[i]
                torch.le(x_in, 0.0, out=mask)
                g.masked_fill_(mask, 0.0)
            elif kind == "leaky_relu":
                g.mul_(torch.where(x_in > 0, 1.0, m.negative_slope))
            elif kind == "gelu":
                cdf = 0.5 * (1.0 + torch.erf(x_in * _SQRT1_2))
                pdf = torch.exp(-0.5 * x_in * x_in) * _INV_SQRT_2PI
                g.mul_(cdf + x_in * pdf)
            if i == 0:
                break
            g = buf.grads[i - 1]  # the same buffer: activations keep the width
        return a
