"""How fast the Attention lab trains, on one core: epochs per second of the default Transformer (2 layers x
2 heads, width 64) on the default reverse task (2,000 sequences of 16 places), the epochs it takes to write
99% of the test answers whole, the cost of one live snapshot (every head's map, predictions, embeddings),
of one query's step-by-step numbers and of Integrated Gradients for one output, and the whole race against
the LSTM (4 lengths x 2 models x 8 epochs).

    python benchmarks/attention_speed.py
"""

from __future__ import annotations

import math
import time

import torch

from core.attention.explain import token_attributions
from core.attention.model import query_steps
from core.attention.trainer import AttnSpec, AttnTrainer
from core.attention.versus import LengthRace, LengthRaceTrainer


def timed_ms(fn, n: int = 5) -> float:
    t0 = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - t0) / n * 1000


def main() -> None:
    torch.set_num_threads(1)
    t = AttnTrainer(AttnSpec())
    t0, learned = time.perf_counter(), None
    for epoch in range(1, 21):
        t.run(math.inf)
        if learned is None and t.evaluate()["test_exact"] >= 0.99:  # the job evaluates every epoch too
            learned = epoch
    eps = 20 / (time.perf_counter() - t0)
    snap = timed_ms(t.snapshot)
    x = t.data.test_tokens[0]
    steps = timed_ms(lambda: query_steps(t.model, x, 1, 0, t.data.prompt))
    ig = timed_ms(lambda: token_attributions(t.model, x, t.data.prompt), 3)
    race = LengthRaceTrainer(LengthRace())
    t0 = time.perf_counter()
    while not race.done:
        race.run(1.0)
    race_s = time.perf_counter() - t0
    print(f"attention_speed epochs_per_s={eps:.2f} reverse_exact99_epoch={learned} snapshot_ms={snap:.0f} "
          f"query_steps_ms={steps:.1f} ig_ms={ig:.0f} race_s={race_s:.0f}")


if __name__ == "__main__":
    main()
