"""A student's first visit while the server is busy: how soon the first screen can be used.

    python benchmarks/first_visit.py --busy 10 --visits 3

The real app on loopback; `--busy` students (websocket protocol, `ws_students.py`) open the
Playground and train, `--burn` processes keep cores busy (other work on the machine); then `--visits`
Chromium tabs, one after another, each open a lab (`--page`) for the first time and press its Play
the moment the button is on screen, as an eager student does. The tabs run on this machine, so their
own work (fetching and running Streamlit's scripts) shares the cores with the server.

Last line:
first_visit page=<p> busy=<N> burn=<b> cold=<0|1> visits=<v> controls_s=<a> play_taken_s=<b> view_s=<c>
    idle_s=<d> clicks_lost=<k>   (one line)
controls_s: median seconds from the address typed to the Play button on screen and enabled;
play_taken_s: median from then (the click) to the job training (Pause shown);
view_s: median from the address to the live view drawn; idle_s: to the page's first run finished;
clicks_lost: visits whose first Play click did not start training within 20 s (pressed again then).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.live_ui import FIND_LIVE  # noqa: E402
from benchmarks.ws_students import Classroom  # noqa: E402
from tests.browser import browser, streamlit_server, wait_idle  # noqa: E402

LOST_S = 20.0
RUNNING = '[data-testid="stStatusWidget"] [data-testid="stStatusWidgetRunningIcon"]'


def _visit(chrome, url: str, page_name: str, prefix: str) -> dict:
    page = chrome.new_page(viewport={"width": 1280, "height": 720})
    t0 = time.monotonic()
    page.goto(f"{url}/{page_name}", wait_until="commit")
    play = page.locator(f".st-key-{prefix}_play button")
    page.wait_for_function(f"() => {{ const b = document.querySelector('.st-key-{prefix}_play button');"
                           " return b && !b.disabled && b.offsetParent !== null; }", timeout=180_000, polling=50)
    controls = time.monotonic() - t0
    play = play.first
    play.click()
    clicked, lost = time.monotonic(), 0
    pause = page.locator(f".st-key-{prefix}_pause button")
    try:
        pause.wait_for(state="visible", timeout=LOST_S * 1000)
    except Exception:  # the click did nothing: press again, as the student would
        lost = 1
        play.click(timeout=60_000)
        pause.wait_for(state="visible", timeout=120_000)
    taken = time.monotonic() - clicked
    page.wait_for_function(f"() => {{ const el = ({FIND_LIVE})(); return el && el.dataset.version; }}",
                           timeout=120_000, polling=50)
    view = time.monotonic() - t0
    wait_idle(page, 120_000)
    idle = time.monotonic() - t0
    page.close()
    return {"controls": controls, "taken": taken, "view": view, "idle": idle, "lost": lost}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--busy", type=int, default=10, help="students already training")
    parser.add_argument("--visits", type=int, default=3)
    parser.add_argument("--page", default="playground")
    parser.add_argument("--prefix", default="pg", help="the lab's widget-key prefix (its play bar's)")
    parser.add_argument("--burn", type=int, default=0,
                        help="processes that each keep a core busy (other work on the machine, the browser's too)")
    parser.add_argument("--cold", action="store_true", help="no warm-up visit: the server just started")
    args = parser.parse_args()
    with streamlit_server() as url:
        if not args.cold:
            warm = Classroom(url, 1)  # modules and shared assets loaded, as on a server that has run a while
            warm.open()
            warm.close()
        busy = Classroom(url, args.busy)
        busy.open(ramp_s=5.0)
        burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(args.burn)]
        visits = []
        with browser() as chrome:
            for _ in range(args.visits):
                v = _visit(chrome, url, args.page, args.prefix)
                print(" ".join(f"{k}={x:.2f}" if isinstance(x, float) else f"{k}={x}" for k, x in v.items()))
                visits.append(v)
        for b in burners:
            b.kill()
        busy.close()
    med = {k: statistics.median(v[k] for v in visits) for k in ("controls", "taken", "view", "idle")}
    print(f"first_visit page={args.page} busy={args.busy} burn={args.burn} cold={int(args.cold)} "
          f"visits={len(visits)} controls_s={med['controls']:.1f} "
          f"play_taken_s={med['taken']:.1f} view_s={med['view']:.1f} idle_s={med['idle']:.1f} "
          f"clicks_lost={sum(v['lost'] for v in visits)}")


if __name__ == "__main__":
    main()
