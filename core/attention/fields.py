"""The Attention lab's settings table (see `core.setting`) and its share link derived from it: the view, the
task (length, offset, GPT or BERT style), the network and its training, and what the pictures follow. A
student's own text stays in their session: no link carries it."""

from __future__ import annotations

from core.attention.model import POSITIONS
from core.attention.tasks import TASKS
from core.attention.trainer import OPTIMIZERS
from core.setting import Setting, Table
from core.share import Field

VIEWS = ("train", "race")

SETTINGS = Table("att", (
    Setting("view", "choice", "train", "view", choices=VIEWS),
    Setting("task", "choice", "reverse", "task", choices=tuple(TASKS), hide="task",
            help=" ".join(f"{v[0]}: {v[1]}" for v in TASKS.values())),
    Setting("length", "int", 8, "length", 1, 64, hide="task", help="Longer sequences: more places to look at."),
    Setting("offset", "int", 2, "offset", 1, 15, hide="task"),
    Setting("causal", "bool", True, "GPT style (causal mask)", hide="task",
            help="On: the model writes the answer one token at a time and each place may look only at itself and "
                 "earlier places, as GPT does. Off: every place sees every other, and the answer's places hold "
                 "blanks the model fills in at once, as BERT does."),
    Setting("text", "text", "", "your text", link=None, hide="task"),
    Setting("layers", "int", 2, "layers (blocks)", 1, 3, steps=(1, 2, 3), hide="network"),
    Setting("heads", "int", 2, "heads per layer", 1, 4, steps=(1, 2, 4), hide="network",
            help="Each head has its own queries and keys, so it can look somewhere else."),
    Setting("width", "int", 64, "width", 16, 128, steps=(16, 32, 64, 128), hide="network",
            help="Numbers per token; split among heads."),
    Setting("positions", "choice", "learned", "positions", choices=POSITIONS, hide="network",
            help="Attention itself ignores order; each place gets a position vector added: learned, or fixed sines "
                 "and cosines (Vaswani et al.)."),
    Setting("optimizer", "choice", "adam", "optimizer", choices=OPTIMIZERS),
    Setting("learning_rate", "float", 0.001, "learning rate", 1e-5, 1.0,
            steps=(0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03), link="lr", live=True,
            help="Changes live while it trains."),
    Setting("sample", "int", 0, "test sequence", 0, 4999, live=True),
))

HIDEABLE = SETTINGS.hideable
ATTENTION_LAB: tuple[Field, ...] = SETTINGS.link_fields()
