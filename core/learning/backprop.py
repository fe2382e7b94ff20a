"""One training step of a small network, number by number: the forward pass, the loss, the backward
pass and the update, with a finite-difference check beside every gradient.

A network is a list of layers (weights `W[l]` of shape (out, in), biases `b[l]`, an activation per
layer; the last layer's is "identity": the output is a score). The loss is the mean over a
mini-batch of mean squared error on the score (TensorFlow Playground's, targets -1/+1) or binary
cross-entropy on sigmoid(score) (targets 0/1). Everything is float64 numpy, so the numbers a student
reads are exact enough to check by hand; the tests compare them with torch autograd.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ACTIVATIONS = ("tanh", "sigmoid", "relu", "identity")
LOSSES = ("mse", "bce")
PRESETS = {"2-2-1": (2, 2, 1), "2-3-2-1": (2, 3, 2, 1), "2-4-1": (2, 4, 1)}
FD_STEP = 1e-5


def act(name: str, z: np.ndarray) -> np.ndarray:
    if name == "tanh":
        return np.tanh(z)
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-z))
    if name == "relu":
        return np.maximum(z, 0.0)
    return z


def act_grad(name: str, z: np.ndarray) -> np.ndarray:
    """d act / d z at z."""
    if name == "tanh":
        return 1.0 - np.tanh(z) ** 2
    if name == "sigmoid":
        s = act("sigmoid", z)
        return s * (1.0 - s)
    if name == "relu":
        return (z > 0).astype(float)
    return np.ones_like(z)


def act_formula(name: str) -> str:
    return {"tanh": "tanh(z)", "sigmoid": "1 / (1 + e^-z)", "relu": "max(0, z)", "identity": "z"}[name]


def act_grad_formula(name: str) -> str:
    return {"tanh": "1 - tanh(z)^2", "sigmoid": "s(z) (1 - s(z))", "relu": "1 if z > 0 else 0",
            "identity": "1"}[name]


@dataclass(frozen=True)
class Net:
    weights: tuple[np.ndarray, ...]  # W[l]: (out, in)
    biases: tuple[np.ndarray, ...]
    activations: tuple[str, ...]  # one per layer; the last one is "identity"
    loss: str = "mse"

    def __post_init__(self) -> None:
        if len(self.weights) != len(self.biases) or len(self.weights) != len(self.activations) or not self.weights:
            raise ValueError("a network needs one weight matrix, bias vector and activation per layer")
        for a in self.activations:
            if a not in ACTIVATIONS:
                raise ValueError(f"unknown activation '{str(a)[:20]}'; choose one of {', '.join(ACTIVATIONS)}")
        if self.loss not in LOSSES:
            raise ValueError("the loss must be mse or bce")
        if self.weights[-1].shape[0] != 1:
            raise ValueError("this view steps through networks with one output")

    @property
    def sizes(self) -> tuple[int, ...]:
        return (self.weights[0].shape[1], *(w.shape[0] for w in self.weights))


def preset(name: str, hidden_activation: str = "tanh", loss: str = "mse", seed: int = 0) -> Net:
    """A preset's layer sizes with seeded Glorot-uniform weights and zero biases."""
    sizes = PRESETS[name]
    rng = np.random.default_rng(seed)
    weights, biases = [], []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        bound = np.sqrt(6.0 / (n_in + n_out))
        weights.append(rng.uniform(-bound, bound, (n_out, n_in)))
        biases.append(np.zeros(n_out))
    acts = (hidden_activation,) * (len(sizes) - 2) + ("identity",)
    return Net(tuple(weights), tuple(biases), acts, loss)


@dataclass(frozen=True)
class Step:
    """Every number of one step on a mini-batch (rows of x), layer by layer (index 0 is the input)."""

    net: Net
    x: np.ndarray  # (B, n0)
    y: np.ndarray  # (B,) targets: -1/+1 for mse, 0/1 for bce
    z: list[np.ndarray]  # z[l] (B, n_l) for l >= 1; z[0] is x
    a: list[np.ndarray]  # a[0] = x
    losses: np.ndarray  # (B,) each sample's loss
    loss: float  # their mean
    dL_da: list[np.ndarray]  # dLoss/da[l] (B, n_l), of the batch-mean loss
    delta: list[np.ndarray]  # dLoss/dz[l] (B, n_l)
    grad_w: list[np.ndarray]  # grad_w[l - 1] (out, in): dLoss/dW for layer l
    grad_b: list[np.ndarray]
    numeric_w: list[np.ndarray]  # the same by central finite differences
    numeric_b: list[np.ndarray]
    lr: float
    new_net: Net
    new_loss: float


def forward(net: Net, x: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
    z, a = [x], [x]
    for w, b, f in zip(net.weights, net.biases, net.activations):
        z.append(a[-1] @ w.T + b)
        a.append(act(f, z[-1]))
    return z, a


def sample_losses(net: Net, score: np.ndarray, y: np.ndarray) -> np.ndarray:
    if net.loss == "mse":
        return (score - y) ** 2
    return np.logaddexp(0.0, score) - y * score  # binary cross-entropy of sigmoid(score), stable


def loss_of(net: Net, x: np.ndarray, y: np.ndarray) -> float:
    return float(sample_losses(net, forward(net, x)[1][-1][:, 0], y).mean())


def _numeric(net: Net, x: np.ndarray, y: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Central differences (L(p + h) - L(p - h)) / 2h for every weight and bias."""
    def grad_of(params: tuple[np.ndarray, ...], which: str) -> list[np.ndarray]:
        out = []
        for li, p in enumerate(params):
            g = np.zeros_like(p)
            for idx in np.ndindex(p.shape):
                vals = []
                for sign in (1.0, -1.0):
                    q = [t.copy() for t in params]
                    q[li][idx] += sign * FD_STEP
                    other = net.biases if which == "w" else net.weights
                    n = Net(tuple(q), other, net.activations, net.loss) if which == "w" else \
                        Net(other, tuple(q), net.activations, net.loss)
                    vals.append(loss_of(n, x, y))
                g[idx] = (vals[0] - vals[1]) / (2 * FD_STEP)
            out.append(g)
        return out

    return grad_of(net.weights, "w"), grad_of(net.biases, "b")


def one_step(net: Net, x: np.ndarray, y: np.ndarray, lr: float) -> Step:
    """Forward, loss, backward (the chain rule, layer by layer), update w <- w - lr * g."""
    x = np.atleast_2d(np.asarray(x, float))
    y = np.asarray(y, float).reshape(-1)
    if len(x) != len(y) or not len(x):
        raise ValueError("a step needs one target per sample")
    if not 0 < lr <= 10:
        raise ValueError("the learning rate must be above 0 and at most 10")
    z, a = forward(net, x)
    score = a[-1][:, 0]
    losses = sample_losses(net, score, y)
    n_layers = len(net.weights)
    batch = len(x)
    dL_da: list[np.ndarray] = [np.zeros_like(t) for t in a]
    delta: list[np.ndarray] = [np.zeros_like(t) for t in z]
    # dLoss/dscore of the mean over the batch
    d_score = 2 * (score - y) / batch if net.loss == "mse" else (act("sigmoid", score) - y) / batch
    dL_da[n_layers] = d_score[:, None]
    grad_w: list[np.ndarray] = [np.zeros_like(w) for w in net.weights]
    grad_b: list[np.ndarray] = [np.zeros_like(b) for b in net.biases]
    for li in range(n_layers, 0, -1):
        delta[li] = dL_da[li] * act_grad(net.activations[li - 1], z[li])
        grad_w[li - 1] = delta[li].T @ a[li - 1]
        grad_b[li - 1] = delta[li].sum(0)
        dL_da[li - 1] = delta[li] @ net.weights[li - 1]
    numeric_w, numeric_b = _numeric(net, x, y)
    new = Net(tuple(w - lr * g for w, g in zip(net.weights, grad_w)),
              tuple(b - lr * g for b, g in zip(net.biases, grad_b)), net.activations, net.loss)
    return Step(net, x, y, z, a, losses, float(losses.mean()), dL_da, delta, grad_w, grad_b, numeric_w,
                numeric_b, lr, new, loss_of(new, x, y))


def phases(n_layers: int) -> list[str]:
    """The steps a student walks through: forward layer by layer, the loss, backward, the update."""
    return ([f"forward {i}" for i in range(1, n_layers + 1)] + ["loss"]
            + [f"backward {i}" for i in range(n_layers, 0, -1)] + ["update"])


def chain_rule(step: Step, layer: int, j: int, i: int, sample: int = 0) -> list[str]:
    """The chain rule for weight W[layer][j, i] (from node i of layer-1 to node j of layer), written out
    term by term with this step's numbers for one sample, then the batch mean and the update."""
    f = step.net.activations[layer - 1]
    zj, aj = step.z[layer][sample, j], step.a[layer][sample, j]
    ai = step.a[layer - 1][sample, i]
    da = step.dL_da[layer][sample, j]
    fp = act_grad(f, np.array(zj))
    batch = len(step.x)
    w = step.net.weights[layer - 1][j, i]
    g = step.grad_w[layer - 1][j, i]
    lines = [f"∂L/∂w = ∂L/∂a · ∂a/∂z · ∂z/∂w   (w from node {i + 1} of layer {layer - 1} to node {j + 1} of "
             f"layer {layer})"]
    if layer == len(step.net.weights):
        score, y = step.a[-1][sample, 0], step.y[sample]
        if step.net.loss == "mse":
            lines.append(f"∂L/∂a = 2 (a - y) / B = 2 × ({score:.4f} - {y:g}) / {batch} = {da:.5f}")
        else:
            lines.append(f"∂L/∂a = (sigmoid(a) - y) / B = ({act('sigmoid', np.array(score)):.4f} - {y:g}) / "
                         f"{batch} = {da:.5f}")
    else:
        nxt = step.net.weights[layer][:, j]
        d_next = step.delta[layer + 1][sample]
        terms = " + ".join(f"{wk:.4f} × {dk:.5f}" for wk, dk in zip(nxt, d_next))
        lines.append(f"∂L/∂a = Σ_k w_k · δ_k (from the layer above) = {terms} = {da:.5f}")
    lines.append(f"∂a/∂z = {act_grad_formula(f)} at z = {zj:.4f}: {float(fp):.5f}   (a = {aj:.4f})")
    lines.append(f"∂z/∂w = the input on that edge = {ai:.4f}")
    lines.append(f"this sample: {da:.5f} × {float(fp):.5f} × {ai:.4f} = {da * float(fp) * ai:.6f}")
    if batch > 1:
        per = step.delta[layer][:, j] * step.a[layer - 1][:, i]
        lines.append(f"the batch ({batch} samples, the 1/B already in ∂L/∂a): sum of "
                     + ", ".join(f"{v:.6f}" for v in per[:8]) + (" …" if batch > 8 else "") + f" = {g:.6f}")
    lines.append(f"finite difference: (L(w + h) - L(w - h)) / 2h = {step.numeric_w[layer - 1][j, i]:.6f}")
    lines.append(f"update: w ← w - lr × g = {w:.4f} - {step.lr:g} × {g:.6f} = {w - step.lr * g:.4f}")
    return lines


MAX_SMALL = (4, 4, 3)  # inputs, units per hidden layer, hidden layers: small enough to read number by number


def from_layers(layers: list[tuple[str, int]], weights: dict[str, np.ndarray], loss: str) -> Net | None:
    """A Net from a plain network's layers ((kind, units) with kind "dense" or an activation name, in
    order) and its weights by name (`dense_1.weight`, ...), or None when it is not small and plain
    (one output, at most `MAX_SMALL`, activations this view knows, mse or bce)."""
    dense = [n for n in weights if n.endswith(".weight") and np.ndim(weights[n]) == 2]
    if loss not in LOSSES or not dense:
        return None
    ws = [np.asarray(weights[n], float) for n in dense]
    bs = [np.asarray(weights.get(n[:-len("weight")] + "bias", np.zeros(w.shape[0])), float) for n, w in zip(dense, ws)]
    acts: list[str] = []
    for kind, _ in layers:
        if kind == "dense":
            acts.append("identity")
        elif kind in ACTIVATIONS and acts and acts[-1] == "identity":
            acts[-1] = kind
        else:
            return None
    if len(acts) != len(ws) or acts[-1] != "identity" or ws[-1].shape[0] != 1:
        return None
    if ws[0].shape[1] > MAX_SMALL[0] or len(ws) - 1 > MAX_SMALL[2] or any(w.shape[0] > MAX_SMALL[1] for w in ws):
        return None
    return Net(tuple(ws), tuple(bs), tuple(acts), loss)
