"""ResNet-18, defined here (torchvision is not needed), with ImageNet weights fetched by torch's hub helper.

The network is a flat `nn.Sequential` of stages (normalize, conv1, bn1, relu, maxpool, layer1..layer4,
avgpool, flatten, fc), so the CNN lab reads it like its other CNNs: every stage's output is a feature
map. Parameter names are torchvision's, so its ImageNet state dict loads as it is. Each ReLU is its
own module, never in place, as explainers need. Inputs are RGB in [0, 1]; the first stage normalizes
with ImageNet's mean and standard deviation (buffers kept out of the state dict).

The weights come from download.pytorch.org (a pickle-based `.pth`, read with `weights_only=True` and
its published hash checked); nothing is downloaded at import, on first open or in tests. Offline,
`weights_status` says why the model is unavailable.
"""

from __future__ import annotations

import json
import os
import socket
from collections import OrderedDict
from pathlib import Path
from urllib.parse import urlparse

import torch
from torch import nn

from core.settings import SETTINGS
from core.zoo.shipped import ShippedModel, load_checked

IMAGENET_URL = "https://download.pytorch.org/models/resnet18-f37072fd.pth"
IMAGENET_TOP1 = 0.69758  # torchvision's published top-1 accuracy for these weights
MEAN, STD = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)
CLASSES_PATH = Path(__file__).resolve().parent.parent.parent / "assets" / "imagenet_classes.json"


class Normalize(nn.Module):
    """(x - mean) / std per channel; the constants are not part of the state dict."""

    def __init__(self, mean: tuple[float, ...] = MEAN, std: tuple[float, ...] = STD) -> None:
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean).view(1, -1, 1, 1), persistent=False)
        self.register_buffer("std", torch.tensor(std).view(1, -1, 1, 1), persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (x - self.mean) / self.std


class BasicBlock(nn.Module):
    """Two 3x3 convolutions with batch norm, and the input added back (through a 1x1 conv when shapes change)."""

    def __init__(self, cin: int, cout: int, stride: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = (nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
                           if stride != 1 or cin != cout else None)
        self.relu2 = nn.ReLU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.bn2(self.conv2(self.relu1(self.bn1(self.conv1(x)))))
        skip = x if self.downsample is None else self.downsample(x)
        return self.relu2(out + skip)


def resnet18(num_classes: int = 1000) -> nn.Sequential:
    """ResNet-18 (He et al., 2016) with torchvision's layout and names; weights as PyTorch initializes them."""
    def stage(cin: int, cout: int, stride: int) -> nn.Sequential:
        return nn.Sequential(BasicBlock(cin, cout, stride), BasicBlock(cout, cout, 1))

    return nn.Sequential(OrderedDict([
        ("normalize", Normalize()),
        ("conv1", nn.Conv2d(3, 64, 7, 2, 3, bias=False)), ("bn1", nn.BatchNorm2d(64)), ("relu", nn.ReLU()),
        ("maxpool", nn.MaxPool2d(3, 2, 1)),
        ("layer1", stage(64, 64, 1)), ("layer2", stage(64, 128, 2)),
        ("layer3", stage(128, 256, 2)), ("layer4", stage(256, 512, 2)),
        ("avgpool", nn.AdaptiveAvgPool2d(1)), ("flatten", nn.Flatten()), ("fc", nn.Linear(512, num_classes)),
    ]))


def class_names(path: Path = CLASSES_PATH) -> tuple[str, ...]:
    names = json.loads(path.read_text())["names"]
    if len(names) != 1000:
        raise ValueError("the ImageNet class list must have 1000 names")
    return tuple(names)


def fetch_state_dict(url: str = IMAGENET_URL, model_dir: str | None = None,
                     progress: bool = False) -> dict[str, torch.Tensor]:
    """Download (or reuse torch hub's cached copy of) the weights, checking the hash in the file name."""
    return torch.hub.load_state_dict_from_url(url, model_dir=model_dir, map_location="cpu", progress=progress,
                                              check_hash=True, weights_only=True)


def from_state_dict(state: dict[str, torch.Tensor]) -> ShippedModel:
    """A ResNet-18 with these weights (every name and shape checked), ready for the lab's views."""
    model = resnet18(1000)
    load_checked(model, state)
    model.eval()
    for p in model.parameters():
        p.requires_grad_(False)
    card = {"input_shape": [3, 224, 224], "test_accuracy": IMAGENET_TOP1, "source": IMAGENET_URL}
    return ShippedModel("resnet18", "ResNet-18 (ImageNet)", model, class_names(), card)


def cached_path(url: str = IMAGENET_URL) -> Path:
    return Path(torch.hub.get_dir()) / "checkpoints" / os.path.basename(urlparse(url).path)


def weights_status(url: str = IMAGENET_URL, timeout: float = 1.5) -> tuple[bool, str]:
    """Whether the weights can be had (cached, or the host answers), and a sentence saying so."""
    if cached_path(url).exists():
        return True, "ImageNet weights found in torch hub's cache."
    host = urlparse(url).hostname or ""
    if not SETTINGS.offline:
        try:
            socket.create_connection((host, 443), timeout=timeout).close()
            return True, f"The ImageNet weights (45 MB) will be downloaded from {host} when you choose it."
        except OSError:
            pass
    return False, (f"ResNet-18 needs its ImageNet weights (45 MB) from {host}, and this server cannot reach it: "
                   "it is offline. The other models were trained by this project and ship with it, so they work "
                   "offline. Run the app on a machine with internet access once to cache the weights.")
