"""The Sequence lab's settings table (see `core.setting`) and its share link derived from it: the view, the
task and its length, the cells, the network and its training. A student's own text stays in their session
(no link carries it; a link gets the generated default)."""

from __future__ import annotations

from core.sequence.models import CELLS
from core.sequence.tasks import MAX_LENGTH, TASKS
from core.sequence.trainer import OPTIMIZERS
from core.setting import Setting, Table
from core.share import Field

VIEWS = ("train", "delay")

SETTINGS = Table("seq", (
    Setting("view", "choice", "train", "view", choices=VIEWS),
    Setting("task", "choice", "delay", "task", choices=tuple(TASKS), hide="task",
            help=" ".join(f"{v[0]}: {v[1]}" for v in TASKS.values())),
    Setting("length", "int", 30, "length", 4, MAX_LENGTH, hide="task",
            help="How many steps the network reads. Long sequences are where a plain RNN's memory fails."),
    Setting("text", "text", "", "your text", link=None, hide="task"),
    Setting("cells", "choices", ("rnn", "lstm", "gru"), "cells", choices=tuple(CELLS),
            help="RNN: h = tanh(W x + U h). LSTM: a cell state guarded by input, forget and output gates. "
                 "GRU: reset and update gates, no separate cell state."),
    Setting("hidden", "int", 32, "hidden units", 2, 256, steps=(4, 8, 16, 32, 64, 128), hide="network"),
    Setting("layers", "int", 1, "recurrent layers", 1, 3, steps=(1, 2, 3), hide="network"),
    Setting("optimizer", "choice", "adam", "optimizer", choices=OPTIMIZERS),
    Setting("learning_rate", "float", 0.003, "learning rate", 1e-5, 10.0,
            steps=(0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0), link="lr", live=True,
            help="Changes live while it trains."),
    Setting("clip", "float", 1.0, "gradient clipping", 0.0, 100.0, steps=(0.0, 0.5, 1.0, 5.0, 100.0), live=True,
            help="Exploding gradients: through many steps a gradient can grow huge and throw the weights far off. "
                 "Clipping rescales it to at most this size. Changes live."),
    Setting("inside", "choice", "lstm", "cell looked inside", choices=tuple(CELLS)),
    Setting("sample", "int", 0, "test sequence", 0, 1999, live=True),
))

HIDEABLE = SETTINGS.hideable
SEQUENCE_LAB: tuple[Field, ...] = SETTINGS.link_fields()
