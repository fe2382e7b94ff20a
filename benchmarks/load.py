"""Many students on one server: the real app on loopback, N sessions that each open the Playground
and train, a health probe meanwhile, then every session closed.

    python benchmarks/load.py --sessions 20                    # students speak the websocket protocol
    python benchmarks/load.py --sessions 20 --client browser   # Chromium tabs on this machine

Last line:
load sessions=<N> errors=<e> health_p99_ms=<x> rss_mb=<y> rss_per_session_mb=<z> jobs_stopped_after_close=<k>/<N>
     trained=<t>/<N> min_epochs_per_s=<a> median_epochs_per_s=<b> median_redraws_per_s=<c>   (one line)
errors: sessions that failed to load, showed an exception, or never started training;
health_p99_ms: 99th percentile latency of GET /_stcore/health, polled every 100 ms from a process of
its own while the sessions open and train; rss_mb: proportional set size (PSS, so shared pages count
once) of the server and all its processes (training children included) at the peak;
rss_per_session_mb: the growth from the idle server, per session; jobs_stopped_after_close: training
processes that ended within 60 s of their session closing; trained: students whose epoch passed 0
while all trained; min/median_epochs_per_s: each student's epochs per second over that window (the
epoch their live view showed, at the window's start and end); median_redraws_per_s: how often each
student's live view was redrawn (new numbers from the server) in that window.

In a classroom every student's browser runs on the student's machine. The default client
(`ws_students.py`) stands for that: each session speaks Streamlit's websocket protocol as the page
does (presses Play, sends each fragment's timed reruns, downloads every picture) and renders
nothing. `--client browser` opens real Chromium tabs on the same two cores instead: then the tabs
either take the cores from the server or, niced, are starved and ask for fewer redraws (both
printed), so neither measures the server alone. Linux only (reads /proc).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.live_ui import FIND_LIVE, epoch_of  # noqa: E402
from benchmarks.ws_students import Classroom  # noqa: E402
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


def _cpu_s(pids: list[int] | set[int]) -> float:
    """CPU seconds (user + system) the processes have used so far."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except OSError:
            continue
    return total / os.sysconf("SC_CLK_TCK")


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
sys.stdout = open(sys.argv[2], "w", buffering=1)  # a file, not a pipe that fills while nobody reads
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
        self.out = tempfile.NamedTemporaryFile("r", suffix=".txt")
        self.proc = subprocess.Popen([sys.executable, "-c", PROBE, url + "/_stcore/health", self.out.name])
        self.started = time.monotonic()
        self.ms: list[float] = []
        self.at: list[float] = []
        self.failures = 0

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)
        for line in self.out.read().splitlines():
            t, v = (line.split() + ["fail"])[:2]
            if v == "fail":
                self.failures += 1
            else:
                self.at.append(float(t))
                self.ms.append(float(v))


class Renicer(threading.Thread):
    """Lower Chromium to `niceness`, again every second (Chromium starts new processes and raises
    some threads itself).

    In a classroom each student's browser runs on the student's machine; here all N tabs share the
    server's two cores. Niced, they use only what the server leaves idle, which is closer to the
    real setting. Playwright starts Chromium in a session of its own, and with the kernel's
    autogroups (`/proc/sys/kernel/sched_autogroup_enabled`) a session's processes share the CPU as
    one group against other sessions whatever their threads' niceness: so the group's niceness is
    set too (`/proc/<pid>/autogroup`). `--browser-nice 0` leaves them as they start, the harshest case.
    """

    def __init__(self, niceness: int) -> None:
        super().__init__(daemon=True)
        self.niceness, self.running = niceness, True

    def run(self) -> None:
        while self.running:
            for proc in Path("/proc").glob("[0-9]*"):
                if "chrom" not in _cmdline(int(proc.name)).split(" ")[0]:
                    continue
                try:
                    (proc / "autogroup").write_text(str(self.niceness))
                except OSError:
                    pass  # no autogroups, or not allowed
                for task in proc.glob("task/[0-9]*"):
                    try:
                        os.setpriority(os.PRIO_PROCESS, int(task.name), self.niceness)
                    except OSError:
                        pass
            time.sleep(1.0)


COUNT_REDRAWS = """() => {
  window.__redraws = 0; let last = null; let live = null;
  const find = """ + FIND_LIVE + """;
  const tick = () => {
    if (!live || !live.isConnected) live = find();
    const v = live ? live.dataset.version : null;
    if (v && v !== last) { window.__redraws += 1; last = v; }
    setTimeout(tick, 20);
  };
  tick();
}"""
EPOCH = "() => { const e = document.querySelector('.st-key-pg_epoch'); return e ? e.innerText : ''; }"


def _p99(ms: list[float]) -> float:
    return ms[min(len(ms) - 1, int(0.99 * len(ms)))] if ms else float("nan")


class Tabs:
    """N Playwright tabs in one headless Chromium on this machine (`--client browser`)."""

    def __init__(self, url: str, n: int, chrome) -> None:
        self.url, self.n, self.chrome = url, n, chrome
        self.contexts: list = []
        self.started: list = []
        self.failures = 0

    def open(self, _ramp_s: float = 0.0) -> None:
        """One tab after another (each waits for its page to load)."""
        pages = []
        for _ in range(self.n):
            ctx = self.chrome.new_context(viewport={"width": 1280, "height": 900})
            page = ctx.new_page()
            page.on("pageerror", lambda _e: None)
            self.contexts.append(ctx)
            pages.append(page)
            page.goto(self.url + "/playground")
        for page in pages:
            try:
                wait_idle(page, 120_000)
                page.locator(".st-key-pg_play button").first.click(timeout=60_000)
                self.started.append(page)
            except Exception:
                self.failures += 1
        for page in self.started:
            page.evaluate(COUNT_REDRAWS)

    def pictures_per_s(self, since: float) -> list[float]:
        return []  # the live view is drawn in the page, from numbers: see live_rates

    def mark(self) -> None:
        """The window starts: each tab's epoch and redraw count now."""
        self._start = [(epoch_of(p.evaluate(EPOCH)), p.evaluate("() => window.__redraws || 0")) for p in self.started]

    def live_rates(self, since: float) -> list[tuple[int, float, float]]:
        now, out = time.monotonic(), []
        for page, (e0, r0) in zip(self.started, self._start):
            e1, r1 = epoch_of(page.evaluate(EPOCH)), page.evaluate("() => window.__redraws || 0")
            out.append((e1, (e1 - e0) / (now - since), (r1 - r0) / (now - since)))
        return out + [(0, 0.0, 0.0)] * (self.n - len(self.started))

    def intervals(self) -> list[float]:
        return []  # not visible from the page

    def full_runs(self) -> list[int]:
        return []

    def errors(self) -> int:
        bad = sum(page.locator('[data-testid="stException"]').count() > 0 or page.get_by_text("Epoch").count() == 0
                  for page in self.started)
        return self.failures + bad

    def close(self) -> None:
        for ctx in self.contexts:
            ctx.close()


@contextlib.contextmanager
def _clients(kind: str, url: str, n: int, nice: int) -> Iterator:
    if kind == "protocol":
        yield Classroom(url, n)
        return
    with browser() as chrome:
        if nice:
            Renicer(nice).start()
        yield Tabs(url, n, chrome)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--client", choices=("protocol", "browser"), default="protocol",
                        help="protocol: students speak Streamlit's websocket protocol as the page does, rendering "
                             "nothing (browsers elsewhere); browser: Chromium tabs on this machine")
    parser.add_argument("--ramp-s", type=float, default=10.0,
                        help="--client protocol: the students arrive evenly over this many seconds (0: 50 ms apart)")
    parser.add_argument("--browser-nice", type=int, default=19,
                        help="--client browser: niceness for the Chromium tabs (0: as they start)")
    args = parser.parse_args()
    n = args.sessions
    with streamlit_server() as url:
        server = _server_pid(int(url.rsplit(":", 1)[1]))
        warm = Classroom(url, 1)  # the first visit loads modules and shared assets; not one of the N
        warm.open()
        warm.close()
        time.sleep(25)  # the janitor stops the warm-up job
        idle_mb = _pss_mb(_descendants(server))
        before = _job_processes(server)
        health = Health(url)
        with _clients(args.client, url, n, args.browser_nice) as clients:
            opening_cpu, opening_at = _cpu_s([server]), time.monotonic()
            clients.open(args.ramp_s)
            all_training = time.monotonic()
            opening_cores = (_cpu_s([server]) - opening_cpu) / (all_training - opening_at)
            trainers = _job_processes(server) - before
            cpu_before = _cpu_s([server]), _cpu_s(trainers)
            if hasattr(clients, "mark"):
                clients.mark()
            time.sleep(TRAIN_S)
            cpu = [(b - a) / (time.monotonic() - all_training)
                   for a, b in zip(cpu_before, (_cpu_s([server]), _cpu_s(trainers)))]
            pictures, every, full_runs = clients.pictures_per_s(all_training), clients.intervals(), clients.full_runs()
            rates = clients.live_rates(all_training)
            errors = clients.errors()
            peak_mb = _pss_mb(_descendants(server))
            jobs = _job_processes(server) - before
            health.stop()
            clients.close()
            closed_at = time.monotonic()
        alive = set(jobs)
        while alive and time.monotonic() - closed_at < STOP_WINDOW_S:
            time.sleep(1)
            alive &= _job_processes(server)
        stopped = len(jobs) - len(alive)
        if len(jobs) != n:
            errors += max(0, n - len(jobs))  # every session should have had its own training process
    opening = sorted(m for m, t in zip(health.ms, health.at) if t < all_training)
    steady = sorted(m for m, t in zip(health.ms, health.at) if t >= all_training)
    print(f"health while {n} sessions opened: p99_ms={_p99(opening):.0f}; "
          f"while all trained: p99_ms={_p99(steady):.0f} over {len(steady)} probes")
    worst = sorted(zip(health.ms, health.at), reverse=True)[:5]
    print(f"slowest probes (ms@s from the first session; all trained from {all_training - health.started:.0f} s): "
          + ", ".join(f"{m:.0f}@{t - health.started:.1f}" for m, t in worst))
    print(f"health probes={len(health.ms)} failures={health.failures} median_ms={statistics.median(health.ms):.1f} "
          f"training_processes={len(jobs)} idle_pss_mb={idle_mb:.0f}")
    print(f"server cores used while the sessions opened and pressed Play: {opening_cores:.2f}; "
          f"while all trained: server={cpu[0]:.2f} training processes={cpu[1]:.2f}")
    if pictures:
        print(f"pictures received per session per s: median={statistics.median(pictures):.2f} "
              f"min={min(pictures):.2f}")
    epochs_per_s = sorted(r[1] for r in rates)
    redraws_per_s = sorted(r[2] for r in rates)
    trained = sum(r[0] > 0 for r in rates)
    print(f"client={args.client}" + (f" arriving over {args.ramp_s:g} s" if args.client == "protocol"
                                     else f" (tabs at niceness {args.browser_nice})")
          + "; while all trained, each student's epochs/s: " + " ".join(f"{v:.0f}" for v in epochs_per_s))
    print("each student's live-view redraws/s: " + " ".join(f"{v:.1f}" for v in redraws_per_s))
    if every:
        print(f"live interval the server set: median={statistics.median(every):.2f} s max={max(every):.2f} s; "
              f"whole-page runs per session after Play: {statistics.median(full_runs):.0f} (max {max(full_runs)})")
    print(f"load sessions={n} errors={errors + health.failures} health_p99_ms={_p99(sorted(health.ms)):.0f} "
          f"rss_mb={peak_mb:.0f} rss_per_session_mb={(peak_mb - idle_mb) / n:.0f} "
          f"jobs_stopped_after_close={min(stopped, n)}/{n} trained={trained}/{n} "
          f"min_epochs_per_s={min(epochs_per_s, default=0):.0f} "
          f"median_epochs_per_s={statistics.median(epochs_per_s or [0]):.0f} "
          f"median_redraws_per_s={statistics.median(redraws_per_s or [0]):.2f}")

if __name__ == "__main__":
    main()
