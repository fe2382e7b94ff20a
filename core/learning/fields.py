"""The Learning lab's share link: the landscape, the racers and the learning rate."""

from __future__ import annotations

from core.learning.landscape import LANDSCAPES
from core.learning.race import RACERS
from core.share import Field, common

HIDEABLE = ("landscape", "racers", "learning_rate")

LEARNING_LAB: tuple[Field, ...] = (
    Field("landscape", "choice", "ravine", choices=tuple(LANDSCAPES)),
    Field("racers", "choices", ("sgd", "momentum", "adam"), choices=tuple(RACERS)),
    Field("lr", "float", 0.02, 1e-4, 10.0),
    *common(HIDEABLE),
)
