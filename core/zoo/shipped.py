"""The shipped pretrained CNNs: weights in safetensors, a JSON card with the spec and class names.

Loading reads only that format (never a pickle), rebuilds the network from the card's spec with the
same builder as every other model, and checks every tensor's name and shape before using it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import torch
from safetensors.torch import load_file
from torch import nn

from core.models import Network, build_model
from core.validate import spec_from_dict

MODELS_DIR = Path(__file__).resolve().parent.parent.parent / "assets" / "models"
SHIPPED = {"tinyvgg": "TinyVGG on generated objects", "lenet": "LeNet-like CNN on digits"}
INPUTS = {"tinyvgg": "64x64 colour images", "lenet": "8x8 grey images"}


@dataclass(frozen=True)
class ShippedModel:
    name: str
    title: str
    model: nn.Module  # a Network built from a spec, or the ResNet-18 defined in core.zoo.resnet
    class_names: tuple[str, ...]
    card: dict

    @property
    def input_shape(self) -> tuple[int, ...]:
        return tuple(self.card.get("input_shape") or self.model.spec.input_shape)


def load_weights(model: Network, path: Path) -> None:
    """Load safetensors weights into `model`, refusing missing, unexpected or mis-shaped tensors."""
    try:
        tensors = load_file(str(path))
    except Exception as exc:  # safetensors raises its own error type for anything malformed
        raise ValueError(f"'{Path(path).name}' is not a valid safetensors weights file ({str(exc)[:80]})") from None
    load_checked(model, tensors)


def load_checked(model: nn.Module, tensors: Mapping[str, torch.Tensor]) -> None:
    """Load a state dict only if every name and shape matches the network; say what does not."""
    if not all(isinstance(v, torch.Tensor) for v in tensors.values()):
        raise ValueError("the weights file holds something other than tensors")
    state = model.state_dict()
    missing = sorted(set(state) - set(tensors))
    extra = sorted(set(tensors) - set(state))
    if missing or extra:
        raise ValueError(f"the weights do not fit this network (missing: {missing[:3]}, unexpected: {extra[:3]})")
    for name, value in tensors.items():
        if tuple(value.shape) != tuple(state[name].shape):
            raise ValueError(f"'{name}' has shape {tuple(value.shape)} in the file but {tuple(state[name].shape)} "
                             "in the network")
    model.load_state_dict(tensors)


def load_shipped(name: str, models_dir: Path = MODELS_DIR) -> ShippedModel:
    if name not in SHIPPED:
        raise ValueError(f"unknown model '{str(name)[:30]}'; choose one of {', '.join(SHIPPED)}")
    card_path, weights_path = models_dir / f"{name}.json", models_dir / f"{name}.safetensors"
    if not card_path.exists() or not weights_path.exists():
        raise ValueError(f"the {name} weights are missing; make them with `python -m core.zoo.pretrain {name}`")
    card = json.loads(card_path.read_text())
    spec = spec_from_dict(card["spec"])
    model = build_model(spec, seed=0, n_outputs=len(card["class_names"]))
    load_weights(model, weights_path)
    model.eval()
    for p in model.parameters():
        p.requires_grad_(False)
    return ShippedModel(name, card.get("title", name), model, tuple(card["class_names"]), card)
