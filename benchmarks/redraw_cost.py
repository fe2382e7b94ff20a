"""What one live redraw of the Playground costs the server, now that the browser draws it.

The spiral with a 2-8-8-1 tanh network trains a few epochs; then, per redraw, the page's work is
timed as the live fragment does it: the frame from the job's snapshot (maps and predictions already
computed where the job trains), the compact numbers for the component, and their JSON (Streamlit
serializes the component's data). A crowded server redraws less often and sends the snapshots since
the last redraw together: timed too, with 4 snapshots. Median over 200 redraws, one thread. Last line:
    redraw_cost server_ms_per_redraw=<x> payload_kb=<y> server_ms_per_snapshot_in_fours=<z>
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.data import DataSpec, load_dataset  # noqa: E402
from core.models import build_model  # noqa: E402
from core.playground.frame import compute_frame  # noqa: E402
from core.playground.live_payload import payload  # noqa: E402
from core.playground.network import HiddenLayer, playground_spec  # noqa: E402
from core.training import TrainConfig, Trainer  # noqa: E402


def main() -> None:
    torch.set_num_threads(1)
    ds = load_dataset(DataSpec("spiral", n_samples=500, train_fraction=0.5, seed=0))
    spec = playground_spec(2, [HiddenLayer(8), HiddenLayer(8)], 1)
    trainer = Trainer(build_model(spec, seed=0), ds, TrainConfig())
    trainer.train_epochs(5)
    history = {k: [float(i) for i in range(2000)] for k in ("epoch", "train_loss", "test_loss", "train_acc",
                                                           "test_acc")}
    metrics = [("Loss", "train_loss", "test_loss", False), ("Accuracy", "train_acc", "test_acc", True)]
    def redraw(k: int) -> tuple[float, int]:
        snaps = [trainer.snapshot() for _ in range(k)]  # made where the job trains, not timed
        t0 = time.perf_counter()
        frames = [(compute_frame(trainer.objective, spec, s, ds), i, s.epoch) for i, s in enumerate(snaps)]
        text = json.dumps(payload(frames, ds, show_test=True, discretize=False, selected=None, editable=False,
                                  text_px=12, history=history, metrics=metrics, every_s=1.0))
        return time.perf_counter() - t0, len(text)

    one = [redraw(1) for _ in range(200)]
    four = [redraw(4) for _ in range(100)]
    ms = statistics.median(t for t, _ in one) * 1000
    per_snapshot = statistics.median(t for t, _ in four) * 1000 / 4
    print(f"redraw_cost server_ms_per_redraw={ms:.2f} payload_kb={one[-1][1] / 1024:.1f} "
          f"server_ms_per_snapshot_in_fours={per_snapshot:.2f}")


if __name__ == "__main__":
    main()
