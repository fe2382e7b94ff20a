"""Ready-made network specs: a TensorFlow-Playground MLP, a LeNet-like CNN, a TinyVGG."""

from __future__ import annotations

from core.specs import (
    Activation,
    Conv2d,
    Dense,
    Flatten,
    MaxPool2d,
    NetworkSpec,
)


def playground_mlp(
    n_inputs: int = 2, hidden: tuple[int, ...] = (4, 2), activation: str = "tanh", n_outputs: int = 1
) -> NetworkSpec:
    """TensorFlow Playground's network: Dense hidden layers with one activation each, a Dense output."""
    layers: list = []
    for units in hidden:
        layers += [Dense(units), Activation(activation)]
    layers.append(Dense(n_outputs))
    return NetworkSpec((n_inputs,), tuple(layers), name="Playground MLP")


def lenet(in_channels: int = 1, size: int = 8, n_classes: int = 10) -> NetworkSpec:
    """A LeNet-like CNN sized for scikit-learn's 8x8 digits: two conv+pool stages, two Dense layers."""
    pooled = size // 4
    return NetworkSpec(
        (in_channels, size, size),
        (
            Conv2d(8, 3, padding=1), Activation("relu"), MaxPool2d(2),
            Conv2d(16, 3, padding=1), Activation("relu"), MaxPool2d(2),
            Flatten(), Dense(max(32, 16 * pooled * pooled // 2)), Activation("relu"), Dense(n_classes),
        ),
        name="LeNet-like CNN",
    )


def tiny_vgg(in_channels: int = 3, size: int = 64, n_classes: int = 10, filters: int = 10) -> NetworkSpec:
    """CNN Explainer's TinyVGG: two blocks of (conv 3x3, ReLU, conv 3x3, ReLU, max-pool 2), then Dense.

    As in CNN Explainer the convolutions have no padding (64 -> 62 -> 60 -> 30 -> 28 -> 26 -> 13).
    """
    s = size
    for _ in range(2):
        s = (s - 4) // 2
    return NetworkSpec(
        (in_channels, size, size),
        (
            Conv2d(filters, 3), Activation("relu"), Conv2d(filters, 3), Activation("relu"), MaxPool2d(2),
            Conv2d(filters, 3), Activation("relu"), Conv2d(filters, 3), Activation("relu"), MaxPool2d(2),
            Flatten(), Dense(n_classes),
        ),
        name="TinyVGG",
    )


PRESETS = {
    "Playground MLP (2-4-2-1, tanh)": lambda: playground_mlp(),
    "LeNet-like CNN (digits 8x8)": lambda: lenet(),
    "TinyVGG (objects 64x64)": lambda: tiny_vgg(),
}
