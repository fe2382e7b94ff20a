"""Where a job trains: CUDA first, then Apple's MPS, then the CPU, or what the user asks for."""

from __future__ import annotations

import torch

DEVICE_CHOICES = ("auto", "cpu", "cuda", "mps")


def _mps_available() -> bool:
    mps = getattr(torch.backends, "mps", None)
    return bool(mps is not None and mps.is_available())


def available_devices() -> list[str]:
    """Devices this machine can train on, best first (always ends with "cpu")."""
    found = []
    if torch.cuda.is_available():
        found.append("cuda")
    if _mps_available():
        found.append("mps")
    return found + ["cpu"]


def pick_device(choice: str = "auto") -> torch.device:
    """Resolve a device choice; "auto" takes CUDA, then MPS, then the CPU.

    Asking for a device this machine lacks raises `ValueError` with a readable message.
    """
    if choice not in DEVICE_CHOICES:
        raise ValueError(f"unknown device '{str(choice)[:20]}'; choose one of {', '.join(DEVICE_CHOICES)}")
    have = available_devices()
    if choice == "auto":
        return torch.device(have[0])
    if choice not in have:
        name = {"cuda": "NVIDIA GPU (CUDA)", "mps": "Apple GPU (MPS)"}.get(choice, choice)
        raise ValueError(f"this machine has no {name}; choose 'auto' or 'cpu' (available: {', '.join(have)})")
    return torch.device(choice)


def describe_device(device: torch.device) -> str:
    if device.type == "cuda":
        return f"GPU: {torch.cuda.get_device_name(device)}"
    if device.type == "mps":
        return "GPU: Apple MPS"
    return "CPU"
