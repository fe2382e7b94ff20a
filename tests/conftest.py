"""Shared fixtures: small datasets and models, and a private job-slot cap per test."""

from __future__ import annotations

import pytest
import torch

from core.data import DataSpec, load_dataset
from core.training.slots import JobSlots


@pytest.fixture(autouse=True)
def _one_thread():
    torch.set_num_threads(1)
    yield


@pytest.fixture
def spiral():
    return load_dataset(DataSpec("spiral", n_samples=200, seed=1))


@pytest.fixture
def slots():
    return JobSlots(4)
