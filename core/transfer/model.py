"""The Transfer lab's networks: the shipped TinyVGG (pretrained by this project on generated objects,
`core/zoo/pretrain.py`) as a backbone, with a new head for the student's classes.

The network is TinyVGG's convolutional layers, then a max over the whole 13x13 map (so where the shape
sits no longer matters: a few images cannot teach every position), then one dense layer: a plain
`NetworkSpec`, so the Explain lab, the experiment file and the PyTorch export all read it as any other.
Three ways to train it:

- `scratch`: every weight random (the same seed), all trained;
- `frozen`: the convolutions keep TinyVGG's pretrained weights and stay fixed; only the head trains;
- `finetune`: starts from the pretrained weights and trains them all (the backbone at a tenth of the
  learning rate, so a few images do not wash out what it knew).
"""

from __future__ import annotations

import torch

from core.models import Network, build_model
from core.specs import Dense, Flatten, MaxPool2d, NetworkSpec
from core.zoo.shipped import load_shipped

MODES: dict[str, str] = {"scratch": "From scratch", "frozen": "Frozen backbone + new head",
                         "finetune": "Fine-tuned"}
BACKBONES: dict[str, str] = {"tinyvgg": "TinyVGG (this project's, generated objects)",
                             "resnet18": "ResNet-18 (ImageNet)"}
HEAD = "dense_1"


def head_name(model: torch.nn.Module) -> str:
    """The head is the last layer (`dense_1` for TinyVGG, `fc` for ResNet-18)."""
    return list(model.named_children())[-1][0]


def transfer_spec(n_classes: int) -> NetworkSpec:
    base = load_shipped("tinyvgg").model.spec
    convs = base.layers[:-2]  # up to the second max-pool: (10, 13, 13)
    # a max over the whole 13x13 map, in two pools (the spec caps a kernel at 11): 7 wide at stride 6 covers
    # rows 0-6 and 6-12, then the max of those two
    return NetworkSpec(base.input_shape, (*convs, MaxPool2d(7, 6), MaxPool2d(2), Flatten(), Dense(n_classes)),
                       name=f"TinyVGG transfer ({n_classes} classes)")


def build(mode: str, n_classes: int, seed: int = 0) -> Network:
    """The network for `mode`, its backbone's weights pretrained unless from scratch."""
    if mode not in MODES:
        raise ValueError(f"choose a way to train among {', '.join(MODES)}")
    model = build_model(transfer_spec(n_classes), seed=seed)
    if mode != "scratch":
        pretrained = load_shipped("tinyvgg").model.state_dict()
        with torch.no_grad():
            for name, p in model.named_parameters():
                if not name.startswith(HEAD):
                    p.copy_(pretrained[name])
    _zero_head(model)
    for name, p in model.named_parameters():
        p.requires_grad_(mode != "frozen" or name.startswith(HEAD))
    return model


def _zero_head(model: torch.nn.Module) -> None:
    """A new head starts at zero: every class equally likely, so no way starts with a lucky or unlucky guess
    (and pretrained features, large as they are, do not start with a huge loss)."""
    with torch.no_grad():
        for p in getattr(model, head_name(model)).parameters():
            p.zero_()


def build_resnet(mode: str, n_classes: int, state: dict[str, torch.Tensor], seed: int = 0) -> torch.nn.Module:
    """ResNet-18 with ImageNet weights `state` (or, from scratch, PyTorch's initialization) and a new head."""
    from core.zoo.resnet import resnet18
    from core.zoo.shipped import load_checked

    if mode not in MODES:
        raise ValueError(f"choose a way to train among {', '.join(MODES)}")
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = resnet18(1000)
        if mode != "scratch":
            load_checked(model, state)
        model.fc = torch.nn.Linear(512, n_classes)
    _zero_head(model)
    for name, p in model.named_parameters():
        p.requires_grad_(mode != "frozen" or name.startswith("fc"))
    return model


def backbone_params(model: torch.nn.Module) -> list[torch.Tensor]:
    head = head_name(model)
    return [p for n, p in model.named_parameters() if not n.startswith(head)]


def head_params(model: torch.nn.Module) -> list[torch.Tensor]:
    head = head_name(model)
    return [p for n, p in model.named_parameters() if n.startswith(head)]


@torch.no_grad()
def features(model: torch.nn.Module, x: torch.Tensor) -> torch.Tensor:
    """The backbone's features of images x, what the head reads: (N, 10) for TinyVGG's channel maxima."""
    was = model.training
    model.eval()
    try:
        h = x
        head = head_name(model)
        for name, layer in model.named_children():
            if name == head:
                break
            h = layer(h)
    finally:
        model.train(was)
    return h
