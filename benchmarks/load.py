"""Many students on one server: the real app on loopback, N browser sessions that each open the
Playground and train, a health probe meanwhile, then every tab closed.

    python benchmarks/load.py --sessions 20

Last line:
load sessions=<N> errors=<e> health_p99_ms=<x> rss_mb=<y> rss_per_session_mb=<z> jobs_stopped_after_close=<k>/<N>
errors: pages that failed to load, showed an exception, or never started training;
health_p99_ms: 99th percentile latency of GET /_stcore/health, polled every 100 ms while the sessions
train; rss_mb: proportional set size (PSS, so shared pages count once) of the server and all its
processes (training children included) at the peak; rss_per_session_mb: the growth from the idle
server, per session; jobs_stopped_after_close: training processes that ended within 60 s of their tab
closing. Headless Chromium runs on the same machine (all its tabs in one browser), so the server
shares the cores with N browser tabs; by default they are niced (see `Renicer`) to stand for
browsers that run elsewhere. Linux only (reads /proc; renicing needs root or CAP_SYS_NICE).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser import browser, streamlit_server, wait_idle  # noqa: E402

TRAIN_S = 15.0
STOP_WINDOW_S = 60.0


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return tree


def _descendants(pid: int) -> list[int]:
    tree, out, todo = _children(), [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(tree.get(p, []))
    return out


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _pss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def _server_pid(port: int) -> int:
    for cmd in Path("/proc").glob("[0-9]*/cmdline"):
        if f"--server.port {port} " in _cmdline(int(cmd.parent.name)) + " ":
            return int(cmd.parent.name)
    raise RuntimeError("server process not found")


def _job_processes(server: int) -> set[int]:
    """Training children: the processes the forkserver started."""
    tree = _children()
    forkservers = [p for p in _descendants(server) if "forkserver" in _cmdline(p)]
    return {c for f in forkservers for c in tree.get(f, [])}


PROBE = """
import sys, time, urllib.request
url = sys.argv[1]
while True:
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            r.read()
        print(f"{time.monotonic():.3f} {(time.perf_counter() - t) * 1000:.2f}", flush=True)
    except OSError:
        print(f"{time.monotonic():.3f} fail", flush=True)
    time.sleep(0.1)
"""


class Health:
    """GET /_stcore/health every 100 ms from a process of its own, so that this script's own work
    (driving the browser, renicing) never delays a probe."""

    def __init__(self, url: str) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", PROBE, url + "/_stcore/health"], stdout=subprocess.PIPE,
                                     text=True)
        self.ms: list[float] = []
        self.at: list[float] = []
        self.failures = 0

    def stop(self) -> None:
        self.proc.terminate()
        out, _ = self.proc.communicate(timeout=10)
        for line in out.splitlines():
            t, v = line.split()
            if v == "fail":
                self.failures += 1
            else:
                self.at.append(float(t))
                self.ms.append(float(v))


class Renicer(threading.Thread):
    """Lower every Chromium thread to `niceness`, again every second (Chromium raises some itself).

    In a classroom each student's browser runs on the student's machine; here all N tabs share the
    server's two cores. Niced, they use only what the server leaves idle, which is closer to the
    real setting. `--browser-nice 0` leaves them as they start, the harshest case.
    """

    def __init__(self, niceness: int) -> None:
        super().__init__(daemon=True)
        self.niceness, self.running = niceness, True

    def run(self) -> None:
        while self.running:
            for task in Path("/proc").glob("[0-9]*/task/[0-9]*"):
                if "chrom" in _cmdline(int(task.parent.parent.name)).split(" ")[0]:
                    try:
                        os.setpriority(os.PRIO_PROCESS, int(task.name), self.niceness)
                    except OSError:
                        pass
            time.sleep(1.0)


def _p99(ms: list[float]) -> float:
    return ms[min(len(ms) - 1, int(0.99 * len(ms)))] if ms else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--browser-nice", type=int, default=19,
                        help="niceness for the Chromium tabs (0: as they start, competing with the server)")
    args = parser.parse_args()
    n = args.sessions
    with streamlit_server() as url, browser() as chrome:
        server = _server_pid(int(url.rsplit(":", 1)[1]))
        if args.browser_nice:
            Renicer(args.browser_nice).start()
        warm = chrome.new_page()
        warm.goto(url + "/playground")
        wait_idle(warm, 120_000)
        warm.close()
        time.sleep(2)
        idle_mb = _pss_mb(_descendants(server))
        before = _job_processes(server)  # the warm-up tab's job, not one of the N
        health = Health(url)
        errors, contexts, pages = 0, [], []
        for _ in range(n):
            ctx = chrome.new_context(viewport={"width": 1280, "height": 900})
            page = ctx.new_page()
            page.on("pageerror", lambda _e: None)
            contexts.append(ctx)
            pages.append(page)
            page.goto(url + "/playground")
        started = []
        for page in pages:
            try:
                wait_idle(page, 120_000)
                page.locator(".st-key-pg_play button").first.click(timeout=60_000)
                started.append(page)
            except Exception:
                errors += 1
        all_training = time.monotonic()
        time.sleep(TRAIN_S)
        for page in started:
            crashed = page.locator('[data-testid="stException"]').count() > 0
            no_live_area = page.get_by_text("Epoch").count() == 0
            errors += bool(crashed or no_live_area)
        peak_mb = _pss_mb(_descendants(server))
        jobs = _job_processes(server) - before
        health.stop()
        for ctx in contexts:
            ctx.close()
        closed_at = time.monotonic()
        alive = set(jobs)
        while alive and time.monotonic() - closed_at < STOP_WINDOW_S:
            time.sleep(1)
            alive &= _job_processes(server)
        stopped = len(jobs) - len(alive)
        if len(jobs) != n:
            errors += max(0, n - len(jobs))  # every session should have had its own training process
    ms = sorted(health.ms)
    p99 = _p99(ms)
    steady = sorted(m for m, t in zip(health.ms, health.at) if t >= all_training)
    print(f"health while {n} sessions opened: p99_ms={_p99(sorted(set(health.ms) - set(steady))):.0f}; "
          f"while all trained: p99_ms={_p99(steady):.0f} over {len(steady)} probes")
    print(f"health probes={len(ms)} failures={health.failures} median_ms={statistics.median(ms):.1f} "
          f"training_processes={len(jobs)} idle_pss_mb={idle_mb:.0f}")
    print(f"browser niceness={args.browser_nice}")
    print(f"load sessions={n} errors={errors + health.failures} health_p99_ms={p99:.0f} rss_mb={peak_mb:.0f} "
          f"rss_per_session_mb={(peak_mb - idle_mb) / n:.0f} jobs_stopped_after_close={min(stopped, n)}/{n}")


if __name__ == "__main__":
    main()
