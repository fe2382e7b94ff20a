"""Beside the LSTM: the same task at growing lengths, trained by the Transformer and by the Sequence lab's
LSTM (one-hot tokens in, the same targets and mask, the same epochs), every point real runs in the
background (a `PointSweep`), each run's test accuracy kept after every epoch (the learning curves).
History columns: `length`, `transformer_acc`, `lstm_acc` (per answer token, after the last epoch).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import torch

from core.attention.tasks import LENGTHS, AttnData, make_data
from core.attention.trainer import AttnSpec, AttnTrainer
from core.sequence.tasks import SeqData, TaskSpec
from core.sequence.trainer import SeqSpec, SeqTrainer
from core.training.sweep import PointSweep, SweepRun

MODELS = ("transformer", "lstm")
RACE_LENGTHS = {"reverse": (4, 8, 12, 16), "sort": (4, 8, 12, 16), "shift": (4, 8, 12, 16), "add": (1, 2, 4, 6),
                "text": (8, 16, 32, 64)}


@dataclass(frozen=True)
class LengthRace:
    base: AttnSpec = AttnSpec()
    lengths: tuple[int, ...] = RACE_LENGTHS["reverse"]
    epochs: int = 8
    lstm_hidden: int = 64

    def __post_init__(self) -> None:
        if isinstance(self.epochs, bool) or not isinstance(self.epochs, int) or not 1 <= self.epochs <= 100:
            raise ValueError(f"epochs per run must be a whole number from 1 to 100, not {self.epochs!r}")
        lo, hi = LENGTHS[self.base.task.task]
        if not self.lengths or any(not lo <= n <= hi for n in self.lengths):
            raise ValueError(f"lengths must be from {lo} to {hi} for this task")

    def point(self, length: int) -> AttnSpec:
        """The base settings at `length`, GPT style (an LSTM reads left to right, so the race is causal)."""
        task = self.base.task
        offset = min(task.offset, max(1, length - 1))
        return self.base.with_(task=task.with_(length=int(length), offset=offset, causal=True))


def as_sequences(data: AttnData) -> SeqData:
    """The same sequences for a recurrent network: one-hot tokens (N, T, vocab), targets and mask."""
    eye = torch.eye(len(data.vocab))
    return SeqData(data.task.task, "classification", eye[data.tokens], data.targets, data.mask,
                   eye[data.test_tokens], data.test_targets, data.test_mask, tokens=data.vocab, classes=data.vocab)


def lstm_for(spec: AttnSpec, hidden: int, data: AttnData | None = None) -> SeqTrainer:
    data = data if data is not None else make_data(spec.task)
    seq = SeqSpec(TaskSpec(), cells=("lstm",), hidden=hidden, layers=1, optimizer="adam", learning_rate=0.003,
                  clip=1.0, batch_size=spec.batch_size, seed=spec.seed, device=spec.device)
    return SeqTrainer(seq, "lstm", as_sequences(data))


def _acc(t) -> float:
    return float(t.evaluate()["test_acc"])


class LengthRaceTrainer(PointSweep):
    """The race's lengths one after another, both models at each (a `Trainable`)."""

    def __init__(self, race: LengthRace):
        self.race = race
        points = [[SweepRun("transformer", partial(AttnTrainer, race.point(n))),
                   SweepRun("lstm", partial(lstm_for, race.point(n), race.lstm_hidden))] for n in race.lengths]
        super().__init__(points, race.epochs, lambda t: {"acc": _acc(t)}, self._finish,
                         ("length", *(f"{m}_acc" for m in MODELS)), curve=_acc)

    def _finish(self, point: int, results: dict[str, dict[str, float]]) -> dict[str, float]:
        return {"length": float(self.race.lengths[point]), **{f"{m}_acc": r["acc"] for m, r in results.items()}}
