"""SGD (with momentum), Adam, RMSprop and Adagrad over plain lists of tensors with foreach kernels.

Same update rules and defaults as `torch.optim` (the tests check them against it), but: state is
allocated once, the learning rate is a plain attribute that can change between steps, and a step
is a handful of fused `torch._foreach_*` calls with no per-parameter Python loop. `step` updates
tensors in place: call it under `torch.no_grad()` when they require grad (the Trainer does, once per
slice of steps rather than once per step).
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass

import torch

Tensors = list[torch.Tensor]


@dataclass(frozen=True)
class Rule:
    """An optimizer's update rule and its fixed hyper-parameters, spelled out (the compiled engine's input)."""

    name: str  # "sgd", "nesterov", "adam", "rmsprop" or "adagrad"
    momentum: float = 0.0
    b1: float = 0.9
    b2: float = 0.999
    eps: float = 1e-8
    alpha: float = 0.99


class Optimizer(ABC):
    def __init__(self, params: Tensors, lr: float):
        self.params = params
        self.lr = lr
        self.steps = 0

    @abstractmethod
    def step(self, grads: Tensors) -> None:
        """Update the parameters in place from their gradients."""

    @abstractmethod
    def rule(self) -> Rule:
        """The update rule and hyper-parameters this optimizer applies (the learning rate is live: `lr`)."""

    def reset(self) -> None:
        self.steps = 0


class SGD(Optimizer):
    """SGD with optional momentum; `nesterov` steps along g + momentum * velocity (torch.optim's rule)."""

    def __init__(self, params: Tensors, lr: float, momentum: float = 0.0, nesterov: bool = False):
        super().__init__(params, lr)
        self.momentum, self.nesterov = momentum, nesterov
        self.bufs: Tensors = []

    def reset(self) -> None:
        super().reset()
        self.bufs = []

    def rule(self) -> Rule:
        return Rule("nesterov" if self.nesterov else "sgd", momentum=self.momentum)

    def step(self, grads: Tensors) -> None:
        self.steps += 1
        if self.momentum == 0.0:
            torch._foreach_add_(self.params, grads, alpha=-self.lr)
            return
        if not self.bufs:
            self.bufs = [g.detach().clone() for g in grads]
        else:
            torch._foreach_mul_(self.bufs, self.momentum)
            torch._foreach_add_(self.bufs, grads)
        if self.nesterov:
            torch._foreach_add_(self.params, grads, alpha=-self.lr)
            torch._foreach_add_(self.params, self.bufs, alpha=-self.lr * self.momentum)
            return
        torch._foreach_add_(self.params, self.bufs, alpha=-self.lr)


class Adam(Optimizer):
    def __init__(self, params: Tensors, lr: float, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8):
        super().__init__(params, lr)
        self.b1, self.b2 = betas
        self.eps = eps
        self.reset()

    def rule(self) -> Rule:
        return Rule("adam", b1=self.b1, b2=self.b2, eps=self.eps)

    def reset(self) -> None:
        super().reset()
        self.m = [torch.zeros_like(p) for p in self.params]
        self.v = [torch.zeros_like(p) for p in self.params]
        self.denom = [torch.zeros_like(p) for p in self.params]

    def step(self, grads: Tensors) -> None:
        self.steps += 1
        torch._foreach_lerp_(self.m, grads, 1 - self.b1)
        torch._foreach_mul_(self.v, self.b2)
        torch._foreach_addcmul_(self.v, grads, grads, value=1 - self.b2)
        bc1 = 1 - self.b1**self.steps
        bc2 = 1 - self.b2**self.steps
        torch._foreach_copy_(self.denom, self.v)
        torch._foreach_sqrt_(self.denom)
        torch._foreach_div_(self.denom, math.sqrt(bc2))
        torch._foreach_add_(self.denom, self.eps)
        torch._foreach_addcdiv_(self.params, self.m, self.denom, value=-self.lr / bc1)


class RMSprop(Optimizer):
    def __init__(self, params: Tensors, lr: float, alpha: float = 0.99, eps: float = 1e-8):
        super().__init__(params, lr)
        self.alpha, self.eps = alpha, eps
        self.reset()

    def rule(self) -> Rule:
        return Rule("rmsprop", alpha=self.alpha, eps=self.eps)

    def reset(self) -> None:
        super().reset()
        self.sq = [torch.zeros_like(p) for p in self.params]
        self.denom = [torch.zeros_like(p) for p in self.params]

    def step(self, grads: Tensors) -> None:
        self.steps += 1
        torch._foreach_mul_(self.sq, self.alpha)
        torch._foreach_addcmul_(self.sq, grads, grads, value=1 - self.alpha)
        torch._foreach_copy_(self.denom, self.sq)
        torch._foreach_sqrt_(self.denom)
        torch._foreach_add_(self.denom, self.eps)
        torch._foreach_addcdiv_(self.params, grads, self.denom, value=-self.lr)


class Adagrad(Optimizer):
    def __init__(self, params: Tensors, lr: float, eps: float = 1e-10):
        super().__init__(params, lr)
        self.eps = eps
        self.reset()

    def rule(self) -> Rule:
        return Rule("adagrad", eps=self.eps)

    def reset(self) -> None:
        super().reset()
        self.sum = [torch.zeros_like(p) for p in self.params]
        self.denom = [torch.zeros_like(p) for p in self.params]

    def step(self, grads: Tensors) -> None:
        self.steps += 1
        torch._foreach_addcmul_(self.sum, grads, grads, value=1.0)
        torch._foreach_copy_(self.denom, self.sum)
        torch._foreach_sqrt_(self.denom)
        torch._foreach_add_(self.denom, self.eps)
        torch._foreach_addcdiv_(self.params, grads, self.denom, value=-self.lr)


def make_optimizer(name: str, params: Tensors, lr: float, momentum: float = 0.0) -> Optimizer:
    if name == "sgd":
        return SGD(params, lr, momentum)
    if name == "nesterov":  # the Learning lab's race only (the compiled path has no Nesterov)
        return SGD(params, lr, momentum or 0.9, nesterov=True)
    if name == "adam":
        return Adam(params, lr)
    if name == "rmsprop":
        return RMSprop(params, lr)
    if name == "adagrad":
        return Adagrad(params, lr)
    raise ValueError(f"unknown optimizer '{name}'")
