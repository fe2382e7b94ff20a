"""The Attention lab's share link: the view, the task (length, offset, GPT or BERT style), the network
and its training, and what the pictures follow. A student's own text stays in their session."""

from __future__ import annotations

from core.attention.model import POSITIONS
from core.attention.tasks import TASKS
from core.attention.trainer import OPTIMIZERS
from core.share import Field, common

HIDEABLE = ("task", "network")
VIEWS = ("train", "race")

ATTENTION_LAB: tuple[Field, ...] = (
    Field("view", "choice", "train", choices=VIEWS),
    Field("task", "choice", "reverse", choices=tuple(TASKS)),
    Field("length", "int", 8, 1, 64),
    Field("offset", "int", 2, 1, 15),
    Field("causal", "bool", True),
    Field("layers", "int", 2, 1, 3),
    Field("heads", "int", 2, 1, 4),
    Field("width", "int", 64, 16, 128),
    Field("positions", "choice", "learned", choices=POSITIONS),
    Field("optimizer", "choice", "adam", choices=OPTIMIZERS),
    Field("lr", "float", 0.001, 1e-5, 1.0),
    Field("sample", "int", 0, 0, 4999),
    *common(HIDEABLE),
)
