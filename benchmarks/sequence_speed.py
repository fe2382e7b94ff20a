"""How fast the Sequence lab trains, unpaced, on one core: epochs per second of RNN, LSTM and GRU side by
side on the default memory task (1,000 sequences of 30 steps), of the LSTM alone at delay 60, the cost of
one live snapshot (every cell's hidden states, gates and gradient through time), and the whole
accuracy-vs-delay sweep (5 delays x 3 cells x 10 epochs).

    python benchmarks/sequence_speed.py
"""

from __future__ import annotations

import math
import time

import torch

from core.sequence.sweep import DelaySweep, DelaySweepTrainer
from core.sequence.tasks import TaskSpec
from core.sequence.trainer import SeqCompare, SeqSpec, SeqTrainer


def epochs_per_s(trainer, epochs: int) -> float:
    t0 = time.perf_counter()
    for _ in range(epochs):
        trainer.run(math.inf)
        trainer.evaluate()  # as the job does every epoch
    return epochs / (time.perf_counter() - t0)


def main() -> None:
    torch.set_num_threads(1)
    three = SeqCompare(SeqSpec())
    compare = epochs_per_s(three, 5)
    lstm = epochs_per_s(SeqTrainer(SeqSpec(TaskSpec("delay", length=60)), "lstm"), 5)
    t0 = time.perf_counter()
    for _ in range(5):
        three.snapshot()
    snap_ms = (time.perf_counter() - t0) / 5 * 1000
    sweep = DelaySweepTrainer(DelaySweep())
    t0 = time.perf_counter()
    while not sweep.done:
        sweep.run(1.0)
    sweep_s = time.perf_counter() - t0
    print(f"sequence_speed compare3_epochs_per_s={compare:.1f} lstm_delay60_epochs_per_s={lstm:.1f} "
          f"snapshot_ms={snap_ms:.0f} delay_sweep_s={sweep_s:.0f}")


if __name__ == "__main__":
    main()
