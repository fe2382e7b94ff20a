"""Numba kernels for small MLPs: a whole slice of training steps, an evaluation pass, a forward pass.

Parameters live in one flat float32 vector: per Linear layer its weight (out x in, row-major) then its
bias, in `model.parameters()` order, so the torch parameters are views of the same memory. A layer is
one row of `layout`: weight offset, bias offset, inputs, outputs, the code of the activation after it.
The rules are `torch.optim`'s and `torch.nn.functional`'s (see `compiled.py`, whose tests check them
against autograd). Signatures are explicit, so the kernels compile (or load from numba's cache) at
import: the training processes' forkserver imports this module once and every job starts compiled.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

IDENTITY, RELU, LEAKY_RELU, TANH, SIGMOID, GELU = range(6)
MSE, BCE, CE = range(3)
SGD, ADAM, RMSPROP, ADAGRAD = range(4)

_SQRT1_2 = 1.0 / math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)

_F = "float32"
_SIG_TRAIN = (f"int64({_F}[::1], {_F}[::1], {_F}[::1], {_F}[::1], int64[:, ::1], {_F}[::1], {_F}[:, ::1], "
              f"{_F}[:, ::1], int64[::1], int64, int64[::1], int64, int64, int64, float64, float64, float64, "
              f"int64, float64, float64, float64, float64, float64, int64, "
              f"{_F}[:, :, ::1], {_F}[:, :, ::1], {_F}[:, ::1], {_F}[:, ::1])")
_SIG_EVAL = (f"UniTuple(float64, 2)({_F}[::1], int64[:, ::1], {_F}[::1], {_F}[:, ::1], {_F}[:, ::1], int64[::1], "
             f"int64, {_F}[:, ::1])")
_SIG_FORWARD = f"void({_F}[::1], int64[:, ::1], {_F}[::1], {_F}[:, ::1], {_F}[:, :, ::1])"


@njit(cache=True, inline="always")
def _act(code: int, z: float, slope: float) -> float:
    if code == RELU:
        return z if z > 0.0 else 0.0
    if code == LEAKY_RELU:
        return z if z > 0.0 else z * slope
    if code == TANH:  # 1 - 2 / (1 + e^2z): a quarter of libm's tanh time, within float32 rounding of it
        return 1.0 - 2.0 / (1.0 + math.exp(2.0 * z))
    if code == SIGMOID:
        return 1.0 / (1.0 + math.exp(-z))
    if code == GELU:
        return 0.5 * z * (1.0 + math.erf(z * _SQRT1_2))
    return z


@njit(cache=True, inline="always")
def _act_grad(code: int, z: float, a: float, slope: float) -> float:
    """d act / d z, from the pre-activation z and the activation a."""
    if code == RELU:
        return 1.0 if z > 0.0 else 0.0
    if code == LEAKY_RELU:
        return 1.0 if z > 0.0 else slope
    if code == TANH:
        return 1.0 - a * a
    if code == SIGMOID:
        return a - a * a
    if code == GELU:
        return 0.5 * (1.0 + math.erf(z * _SQRT1_2)) + z * math.exp(-0.5 * z * z) * _INV_SQRT_2PI
    return 1.0


@njit(cache=True, inline="always")
def _layer(flat, layout, slopes, li, src, dst, z_out, rows):
    """dst[i, o] = act(src[i] . W[o] + b[o]) for i < rows; z_out gets the pre-activations."""
    w_off, b_off, n_in, n_out, code = layout[li, 0], layout[li, 1], layout[li, 2], layout[li, 3], layout[li, 4]
    slope = slopes[li]
    for i in range(rows):
        for o in range(n_out):
            s = flat[b_off + o] if b_off >= 0 else np.float32(0.0)
            base = w_off + o * n_in
            for k in range(n_in):
                s += src[i, k] * flat[base + k]
            z_out[i, o] = s
            dst[i, o] = _act(code, s, slope)


@njit(_SIG_TRAIN, cache=True)
def train_slice(flat, grad, s1, s2, layout, slopes, x, tf, ti, loss_kind, perm, pos, n_steps, bs, lr, l1, l2,
                opt, momentum, b1, b2, eps, alpha, step0, acts, zs, d, e):
    """Up to `n_steps` mini-batch steps from `perm[pos:]` (stopping at the end of the epoch); returns the new pos.

    `grad` ends holding the last step's gradient (L1/L2 terms included, as the torch path keeps it);
    `s1`/`s2` are the optimizer's state (momentum buffer; Adam's m and v; RMSprop's and Adagrad's sums).
    """
    n, n_layers = perm.shape[0], layout.shape[0]
    n_out_last = layout[n_layers - 1, 3]
    n0 = layout[0, 2]
    for step in range(n_steps):
        if pos >= n:
            break
        rows = min(bs, n - pos)
        for i in range(rows):
            r = perm[pos + i]
            for k in range(n0):
                acts[0, i, k] = x[r, k]
        for li in range(n_layers):
            _layer(flat, layout, slopes, li, acts[li], acts[li + 1], zs[li], rows)
        out = acts[n_layers]
        # dLoss/dOutput of the mean-reduced loss
        for i in range(rows):
            r = perm[pos + i]
            if loss_kind == MSE:
                for o in range(n_out_last):
                    d[i, o] = 2.0 * (out[i, o] - tf[r, o]) / (rows * n_out_last)
            elif loss_kind == BCE:
                for o in range(n_out_last):
                    d[i, o] = (1.0 / (1.0 + math.exp(-out[i, o])) - tf[r, o]) / rows
            else:
                m = out[i, 0]
                for o in range(1, n_out_last):
                    m = max(m, out[i, o])
                total = 0.0
                for o in range(n_out_last):
                    total += math.exp(out[i, o] - m)
                for o in range(n_out_last):
                    p = math.exp(out[i, o] - m) / total
                    d[i, o] = (p - (1.0 if o == ti[r] else 0.0)) / rows
        for li in range(n_layers - 1, -1, -1):
            w_off, b_off, n_in, n_out, code = layout[li, 0], layout[li, 1], layout[li, 2], layout[li, 3], layout[li, 4]
            slope = slopes[li]
            for i in range(rows):
                for o in range(n_out):
                    d[i, o] *= _act_grad(code, zs[li, i, o], acts[li + 1, i, o], slope)
            src = acts[li]
            for o in range(n_out):
                base = w_off + o * n_in
                for k in range(n_in):
                    g = np.float32(0.0)
                    for i in range(rows):
                        g += d[i, o] * src[i, k]
                    w = flat[base + k]
                    if l2 != 0.0:
                        g += l2 * w
                    if l1 != 0.0:
                        g += l1 * (1.0 if w > 0 else (-1.0 if w < 0 else 0.0))
                    grad[base + k] = g
                if b_off >= 0:
                    g = np.float32(0.0)
                    for i in range(rows):
                        g += d[i, o]
                    grad[b_off + o] = g
            if li > 0:
                for i in range(rows):
                    for k in range(n_in):
                        s = np.float32(0.0)
                        for o in range(n_out):
                            s += d[i, o] * flat[w_off + o * n_in + k]
                        e[i, k] = s
                d, e = e, d
        t = step0 + step + 1
        if opt == SGD:
            if momentum == 0.0:
                for j in range(flat.shape[0]):
                    flat[j] -= lr * grad[j]
            else:
                for j in range(flat.shape[0]):
                    s1[j] = momentum * s1[j] + grad[j]
                    flat[j] -= lr * s1[j]
        elif opt == ADAM:
            bc1 = 1.0 - b1 ** t
            bc2 = math.sqrt(1.0 - b2 ** t)
            for j in range(flat.shape[0]):
                g = grad[j]
                s1[j] += (1.0 - b1) * (g - s1[j])
                s2[j] = b2 * s2[j] + (1.0 - b2) * g * g
                flat[j] -= (lr / bc1) * s1[j] / (math.sqrt(s2[j]) / bc2 + eps)
        elif opt == RMSPROP:
            for j in range(flat.shape[0]):
                g = grad[j]
                s1[j] = alpha * s1[j] + (1.0 - alpha) * g * g
                flat[j] -= lr * g / (math.sqrt(s1[j]) + eps)
        else:
            for j in range(flat.shape[0]):
                g = grad[j]
                s1[j] += g * g
                flat[j] -= lr * g / (math.sqrt(s1[j]) + eps)
        pos += rows
    return pos


@njit(_SIG_EVAL, cache=True)
def evaluate(flat, layout, slopes, x, tf, ti, loss_kind, buf):
    """(mean loss, correct predictions) over all rows of x, as `Objective.loss` and `Objective.predict`.

    `buf` is scratch space of shape (2 * chunk, width): rows go through the network a chunk at a time."""
    n, n_layers = x.shape[0], layout.shape[0]
    k_out = layout[n_layers - 1, 3]
    chunk = buf.shape[0] // 2
    ping, pong = buf[:chunk], buf[chunk:]
    z = np.empty((chunk, buf.shape[1]), dtype=np.float32)
    total, correct = 0.0, 0.0
    for start in range(0, n, chunk):
        rows = min(chunk, n - start)
        for i in range(rows):
            for k in range(layout[0, 2]):
                ping[i, k] = x[start + i, k]
        src, dst = ping, pong
        for li in range(n_layers):
            _layer(flat, layout, slopes, li, src, dst, z, rows)
            src, dst = dst, src
        for i in range(rows):
            r = start + i
            out = src[i]
            if loss_kind == MSE:
                for o in range(k_out):
                    total += (out[o] - tf[r, o]) ** 2 / k_out
            elif loss_kind == BCE:
                v = out[0]
                total += max(v, 0.0) - v * tf[r, 0] + math.log1p(math.exp(-abs(v)))
            else:
                m = out[0]
                for o in range(1, k_out):
                    m = max(m, out[o])
                s = 0.0
                for o in range(k_out):
                    s += math.exp(out[o] - m)
                total += m + math.log(s) - out[ti[r]]
            if k_out == 1:
                label = ti[r] if loss_kind == CE else (1 if tf[r, 0] > (0.0 if loss_kind == MSE else 0.5) else 0)
                correct += (1 if out[0] > 0 else 0) == label
            else:
                best = 0
                for o in range(1, k_out):
                    if out[o] > out[best]:
                        best = o
                if loss_kind == CE:
                    label = ti[r]
                else:
                    label = 0
                    for o in range(1, k_out):
                        if tf[r, o] > tf[r, label]:
                            label = o
                correct += best == label
    return (total / n if n else math.nan), correct


@njit(_SIG_FORWARD, cache=True)
def forward(flat, layout, slopes, x, acts):
    """Every layer's activation for every row: acts[li] (rows, width of layer li) after layer li."""
    z = np.empty((x.shape[0], acts.shape[2]), dtype=np.float32)
    _layer(flat, layout, slopes, 0, x, acts[0], z, x.shape[0])
    for li in range(1, layout.shape[0]):
        _layer(flat, layout, slopes, li, acts[li - 1], acts[li], z, x.shape[0])
