"""The Playground live in a real browser: chart update rate, pause latency, training speed.

Starts the real app on a loopback port, drives headless Chromium (Playwright, system Chromium), sets
up through the page the spiral task with a 2-8-8-1 tanh network (SGD, learning rate 0.03, batch 10,
half the points for training), trains it for 10 s, pauses it. Counted inside the page: how often the
live view (network, output map and curves, drawn in the browser from the numbers the server sends)
draws a new state of the job, and how long the pause takes to show. Last line:
    live_ui chart_updates_per_s=<x> pause_latency_s=<y> epochs_per_s=<z>
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser import browser, grow_layers, select, streamlit_server, wait_idle  # noqa: E402

# The live view sits in the component's shadow root: found once, then read every animation frame.
FIND_LIVE = """() => {
  for (const host of document.querySelectorAll('*')) {
    const el = host.shadowRoot && host.shadowRoot.querySelector('.pgl');
    if (el) return el;
  }
  return document.querySelector('.pgl');
}"""

OBSERVE = """() => {
  window.__updates = []; window.__epochs = []; let lastVersion = null; let lastEpoch = null; let live = null;
  const find = """ + FIND_LIVE + """;
  const tick = () => {
    if (!live || !live.isConnected) live = find();
    const v = live ? live.dataset.version : null;
    if (v && v !== lastVersion) { window.__updates.push(performance.now()); lastVersion = v; }
    const ep = document.querySelector('.st-key-pg_epoch');
    const t = ep ? ep.innerText : null;
    if (t && t !== lastEpoch) { window.__epochs.push([performance.now(), t]); lastEpoch = t; }
    const play = [...document.querySelectorAll('.st-key-pg_play button')].find(b => b.offsetParent !== null);
    if (window.__pauseAt && play && !window.__pausedAt) window.__pausedAt = performance.now();
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""


def epoch_of(text: str) -> int:
    return int(re.sub(r"[^0-9]", "", text) or 0)


def set_up_spiral(page) -> None:
    """Spiral data, hidden layers 8 and 8 with tanh; SGD, lr 0.03, batch 10, 50% training are defaults."""
    select(page, "Dataset", "Spiral")
    grow_layers(page, (8, 8))  # the default network is 4-2


def run(seconds: float) -> tuple[float, float, float]:
    with streamlit_server() as url, browser() as chrome:
        page = chrome.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/playground")
        wait_idle(page)
        set_up_spiral(page)
        page.locator(".st-key-pg_play button").first.click()
        page.locator(".st-key-pg_pause button").first.wait_for()
        page.wait_for_timeout(500)
        page.evaluate(OBSERVE)
        page.wait_for_timeout(seconds * 1000)
        page.evaluate("() => { window.__pauseAt = performance.now(); }")
        page.locator(".st-key-pg_pause button").first.click()
        page.locator(".st-key-pg_play button").first.wait_for(timeout=30_000)
        page.wait_for_timeout(1000)
        data = page.evaluate("() => [window.__updates, window.__epochs, window.__pauseAt, window.__pausedAt]")
        updates, epochs, pause_at, paused_at = data
        during = [t for t in updates if t <= pause_at]
        span = (during[-1] - during[0]) / 1000 if len(during) > 1 else seconds
        rate = (len(during) - 1) / span if len(during) > 1 else 0.0
        before = [e for e in epochs if e[0] <= pause_at]
        ep_rate = (epoch_of(before[-1][1]) - epoch_of(before[0][1])) / ((before[-1][0] - before[0][0]) / 1000)
        latency = (paused_at - pause_at) / 1000
        final = page.locator(".st-key-pg_epoch").inner_text()
        print(f"trained to {final}; {len(during)} live-view updates in {span:.1f} s")
        return rate, latency, ep_rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    rate, latency, ep_rate = run(args.seconds)
    print(f"live_ui chart_updates_per_s={rate:.1f} pause_latency_s={latency:.2f} epochs_per_s={ep_rate:.0f}")


if __name__ == "__main__":
    main()
