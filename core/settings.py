"""Every environment variable and every timing the app uses, read in one place.

Environment variables are read when asked (tests and deploys set them per process):

- `NN_JOBS`: `process` (default: each job trains in a child process) or `thread` (inside the server).
- `NN_MAX_JOBS`: how many jobs may train at once; 0 or unset: as many as memory allows (below).
- `NN_OFFLINE`: `1` never asks the network for pretrained weights (tests, offline servers).
- `NN_ENGINE`: `auto` (default: plain MLPs on the CPU train on the compiled numba path) or `torch`.

Timings are plain numbers, the same for every lab: how long a job waits unwatched before it pauses
or ends, how soon the janitor stops a closed tab's job, and how often live views redraw.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

# Jobs share the CPU: every job that wants to train trains at once, and the OS scheduler shares the
# cores among the training children (all at the same low priority, below the server's own threads).
# Only memory caps how many run at a time. Measured here (4 Playground jobs, /proc/PID/smaps_rollup):
# a child forked from the fork server shares torch's pages, so it adds about 10 MB of private memory
# and 62 MB proportional (PSS) of 270 MB resident. A job is counted as JOB_MB, and the jobs together
# may take MEMORY_SHARE of the machine's memory (24 GiB here: about 190 jobs).
JOB_MB = 64
MEMORY_SHARE = 0.5


def physical_mb() -> float:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**20
    except (ValueError, OSError, AttributeError):
        return 4096.0


@dataclass(frozen=True)
class Settings:
    # jobs
    idle_pause_s: float = 45.0  # a job nobody polled for this long pauses itself
    idle_stop_s: float = 600.0  # ... and ends its worker (thread) or child process after this long
    janitor_grace_s: float = 20.0  # a closed tab's job is stopped this long after its session went away
    janitor_every_s: float = 5.0
    # live views (`ui.kit.live_load` stretches these when many sessions draw at once)
    live_main_s: float = 0.2  # the main live charts of a lab
    live_details_s: float = 1.0  # metrics, hints and extra views
    live_details_ratio: int = 3  # at most this many main redraws per details redraw
    live_heavy_s: float = 0.5  # a heavier live view (the CNN lab's filters and feature maps)

    @property
    def jobs(self) -> str:
        return "thread" if os.environ.get("NN_JOBS", "process") == "thread" else "process"

    @property
    def max_jobs(self) -> int:
        try:
            value = int(os.environ.get("NN_MAX_JOBS", "0") or 0)
        except ValueError:
            value = 0
        return value if value > 0 else max(1, int(MEMORY_SHARE * physical_mb() / JOB_MB))

    @property
    def engine(self) -> str:
        return "torch" if os.environ.get("NN_ENGINE", "auto") == "torch" else "auto"

    @property
    def offline(self) -> bool:
        return os.environ.get("NN_OFFLINE") == "1"


SETTINGS = Settings()
