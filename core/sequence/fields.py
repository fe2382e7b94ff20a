"""The Sequence lab's share link: the view, the task and its length, the cells, the network and its
training. A student's own text stays in their session (a link carries the generated default)."""

from __future__ import annotations

from core.sequence.models import CELLS
from core.sequence.tasks import MAX_LENGTH, TASKS
from core.sequence.trainer import OPTIMIZERS
from core.share import Field, common

HIDEABLE = ("task", "network")
VIEWS = ("train", "delay")

SEQUENCE_LAB: tuple[Field, ...] = (
    Field("view", "choice", "train", choices=VIEWS),
    Field("task", "choice", "delay", choices=tuple(TASKS)),
    Field("length", "int", 30, 4, MAX_LENGTH),
    Field("cells", "choices", ("rnn", "lstm", "gru"), choices=tuple(CELLS)),
    Field("hidden", "int", 32, 2, 256),
    Field("layers", "int", 1, 1, 3),
    Field("optimizer", "choice", "adam", choices=OPTIMIZERS),
    Field("lr", "float", 0.003, 1e-5, 10.0),
    Field("clip", "float", 1.0, 0.0, 100.0),
    Field("inside", "choice", "lstm", choices=tuple(CELLS)),
    Field("sample", "int", 0, 0, 1999),
    *common(HIDEABLE),
)
