"""How many CPU cores are free right now, and torch's thread count set from it for one piece of work.

A torch op split over two threads waits at its end for the slower one: when another process holds one of
the cores, every op waits for a thread that is not running, and work slows tenfold (the CNN lab's 256-step
activation maximization on a thread per core took 3.05 s beside a CPU-bound process, 0.64 s on the free
cores, 0.65 s quiet: `benchmarks/cnn_speed.py`). Page-side work and a training
job starting on this server therefore take as many threads as there are cores nobody else is using
(at least one, at most `cap`), measured over a short window from /proc/stat (the load average elsewhere).
Niced work (the training children's fallback priority) yields to us, so it counts as free.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import torch

STAT = "/proc/stat"
SAMPLE_S = 0.05


def usable_cores() -> int:
    """The cores this process may run on (its affinity), else all of the machine's."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _stat_times(path: str = STAT) -> tuple[float, float] | None:
    """(busy, total) jiffies of all cores: user, system, irq, softirq and steal are busy; idle, iowait and
    nice are not (niced work gives way)."""
    try:
        with open(path) as f:
            fields = f.readline().split()
    except OSError:
        return None
    if not fields or fields[0] != "cpu":
        return None
    v = [float(x) for x in fields[1:9]] + [0.0] * max(0, 9 - len(fields))
    user, nice, system, idle, iowait, irq, softirq, steal = v[:8]
    busy = user + system + irq + softirq + steal
    return busy, busy + nice + idle + iowait


def busy_share(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The share of all cores' time (0 to 1) spent busy between two /proc/stat readings."""
    total = b[1] - a[1]
    return 0.0 if total <= 0 else min(1.0, max(0.0, (b[0] - a[0]) / total))


def free_cores(cap: int | None = None, sample: Callable[[], tuple[float, float] | None] = _stat_times,
               sample_s: float = SAMPLE_S) -> int:
    """Cores nobody else is using now (rounded to the nearest whole core), from 1 to `cap` (or all)."""
    n = usable_cores()
    free = max(1, min(n, int(n - _busy_cores(sample, sample_s, n) + 0.5)))
    return min(free, cap) if cap else free


def _busy_cores(sample: Callable[[], tuple[float, float] | None], sample_s: float, n: int) -> float:
    first = sample()
    if first is not None:
        time.sleep(sample_s)
        second = sample()
        busy = busy_share(first, second) * (os.cpu_count() or n) if second is not None else 0.0
    else:
        try:
            busy = os.getloadavg()[0]
        except (AttributeError, OSError):
            busy = 0.0
    return busy


@contextmanager
def torch_threads(n: int) -> Iterator[int]:
    """torch's intra-op threads set to `n` for this thread's work inside the block, restored after."""
    was = torch.get_num_threads()
    torch.set_num_threads(max(1, int(n)))
    try:
        yield torch.get_num_threads()
    finally:
        torch.set_num_threads(was)
