"""Helpers for the end-to-end tests: a real `streamlit run app.py` and the system Chromium."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str | None:
    for path in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                 shutil.which("chromium-browser")):
        if path and os.path.exists(path):
            return path
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SCREENS = [(1440, 900, False), (1280, 720, False), (1280, 720, True)]  # first-screen checks: (width, height, present)


def open_page(chrome, url: str, width: int = 1440, height: int = 900) -> tuple:
    """A new page at `url`, loaded and idle, and the list its uncaught page errors (and console errors of
    images replaced before they were fetched) are appended to."""
    page = chrome.new_page(viewport={"width": width, "height": height})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and "Image source error" in m.text  # an image replaced unfetched
            and errors.append(m.text))
    page.goto(url)
    wait_idle(page)
    return page, errors


@contextmanager
def streamlit_server(env: dict[str, str] | None = None, timeout: float = 60.0):
    """Start the real app on a free loopback port; yield its base URL; stop it afterwards."""
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
    log = open(ROOT / f".streamlit-test-{port}.log", "w")
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.read() == b"ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start: {(ROOT / log.name).read_text()[-2000:]}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        if not os.environ.get("NN_KEEP_LOG"):
            Path(log.name).unlink(missing_ok=True)


@contextmanager
def browser():
    """A headless system Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def wait_idle(page, timeout_ms: int = 30_000) -> None:
    """Wait until the app has rendered and no script run is in progress."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=timeout_ms)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"] [data-testid=\"stStatusWidgetRunningIcon\"]')",
        timeout=timeout_ms)


def select(page, label: str, option: str) -> None:
    """Choose `option` in the selectbox labelled `label`."""
    box = page.locator('[data-testid="stSelectbox"]').filter(has=page.get_by_text(label, exact=True))
    box.get_by_role("combobox").click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_idle(page)


def add_features(page, features: tuple[str, ...]) -> None:
    """Turn input features on in the Playground's pills (each stays visible once chosen)."""
    for feature in features:
        box = page.locator(".st-key-pg_features")
        pill = box.get_by_role("button", name=feature, exact=True)
        pill.click()
        wait_idle(page)
        box.get_by_role("button", name=feature, exact=True).wait_for()


def _units(box) -> int | None:
    found = re.search(r"(\d+) neurons?\b", box.inner_text())
    return int(found.group(1)) if found else None


def grow_layers(page, sizes: tuple[int, ...]) -> None:
    """Click + (or -) on each Playground hidden layer until it has `sizes[i]` neurons. The count is read
    again before every click, so a click lost while the page redraws, or one that lands twice, is made up."""
    for layer, target in enumerate(sizes):
        box = page.locator(f".st-key-pg_layer_{layer}")
        for _ in range(4 * target + 8):
            wait_idle(page)
            now = _units(box)
            if now == target:
                break
            if now is None:  # the layer is being redrawn
                continue
            page.locator(f".st-key-pg_{'plus' if now < target else 'minus'}_{layer} button").first.click()
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and _units(box) == now:
                time.sleep(0.1)
        assert _units(box) == target, f"layer {layer}: {_units(box)} neurons, wanted {target}"


def until(check: Callable[[], T], timeout_s: float = 120.0, what: str = "the condition") -> T:
    """Poll `check()` until it returns something truthy, and return that. An error while the page redraws (an
    element detached, not there yet) counts as "not yet". The timeout is generous: a wait on a condition costs
    only as long as the condition takes, so a busy machine slows a test down instead of failing it."""
    from playwright.sync_api import Error as PlaywrightError

    deadline, last = time.monotonic() + timeout_s, None
    while True:
        try:
            last = check()
            if last:
                return last
        except (PlaywrightError, ValueError, TypeError) as e:  # a half-drawn page: look again
            last = e
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout_s:.0f} s for {what}; last seen: {last!r}")
        time.sleep(0.2)


def number(page, selector: str) -> int:
    """The digits of the first element matching `selector` as one integer (the epoch counters); 0 when absent."""
    box = page.locator(selector)
    if box.count() == 0:
        return 0
    return int(re.sub(r"[^0-9]", "", box.first.inner_text()) or 0)


def grows(page, selector: str, timeout_s: float = 120.0) -> int:
    """Wait until the counter at `selector` (an epoch) moves past what it shows now: the view is live."""
    first = number(page, selector)
    return until(lambda: number(page, selector) > first and number(page, selector), timeout_s,
                 f"{selector} to pass {first}")


def stays(page, selector: str, timeout_s: float = 60.0) -> int:
    """Wait until the counter at `selector` holds still for a second (the epoch in flight when pausing has
    been shown); a view that keeps training never does, and times out."""
    def still() -> int | None:
        now = number(page, selector)
        page.wait_for_timeout(1000)
        return now if number(page, selector) == now and now > 0 else None
    return until(still, timeout_s, f"{selector} to stop changing")


def one(locator, timeout_s: float = 60.0):
    """The element once a rerun's stale copy of it has gone (two copies can show for a moment)."""
    until(lambda: locator.count() == 1, timeout_s, f"one copy of {locator}")
    return locator.first


def press(page, selector: str, answer: str, timeout_s: float = 120.0) -> None:
    """Click the button at `selector` and wait for `answer` (a selector) to show: the app's reply to the click.
    A click that lands while a rerun replaces the button is lost; it is made again only while the same button
    is still shown and the reply has not come, so a slow reply is never clicked twice into a toggle."""
    button, reply = page.locator(selector).first, page.locator(answer).first

    def answered() -> bool:
        if reply.is_visible():
            return True
        if button.is_visible() and button.is_enabled():
            button.click(timeout=5_000)
            reply.wait_for(timeout=10_000)  # the click's rerun reaches the page
        return reply.is_visible()
    until(answered, timeout_s, f"{answer} after clicking {selector}")


def on_screen(page, selector: str, height: int, timeout_s: float = 30.0) -> None:
    """The element's top (its first 120 px) is inside the first screen of a window `height` tall, once the
    layout has settled (a fragment rerun replaces elements; images arrive after their boxes)."""
    def placed() -> dict | None:
        box = page.locator(selector).first.bounding_box()
        return box if box and 0 <= box["y"] and box["y"] + min(box["height"], 120) <= height else None
    try:
        until(placed, timeout_s, selector)
    except AssertionError:
        raise AssertionError((selector, page.locator(selector).first.bounding_box(timeout=5000), height)) from None


def drawn(page, key: str, height: int | None = None, timeout_s: float = 120.0) -> dict:
    """The browser-drawn live chart inside `.st-key-<key>` (assets/live_panels.js): it has drawn, its text is at
    least 12 px, and (given a window `height`) its top is on the first screen. Returns its data attributes."""
    root = page.locator(f".st-key-{key} .lp").first
    until(lambda: root.count() and root.get_attribute("data-redraws"), timeout_s, f"{key}'s live chart to draw")
    attrs = root.evaluate("e => ({...e.dataset})")
    assert int(attrs["font"]) >= 12 and int(attrs["panels"]) >= 1, attrs
    if height is not None:
        on_screen(page, f".st-key-{key} .lp canvas", height)
    return attrs


def advances(page, key: str, timeout_s: float = 180.0) -> int:
    """Wait until the live chart inside `.st-key-<key>` is redrawn at a later epoch than it shows now."""
    def stamp() -> int:
        root = page.locator(f".st-key-{key} .lp")
        return int(root.first.get_attribute("data-stamp") or 0) if root.count() else 0
    first = stamp()
    return until(lambda: stamp() > first and stamp(), timeout_s, f"{key}'s chart to pass epoch {first}")


def whole(page, selector: str, height: int, timeout_s: float = 60.0) -> dict:
    """The element's whole box (more than 100 px tall) is inside the first screen of a window `height` tall:
    a chart's plot area, not only its top. Waits for the layout to settle; returns the box."""
    def placed() -> dict | None:
        box = page.locator(selector).first.bounding_box()
        return box if box and box["height"] > 100 and 0 <= box["y"] and box["y"] + box["height"] <= height else None
    try:
        return until(placed, timeout_s, f"all of {selector} on the first screen")
    except AssertionError:
        raise AssertionError((selector, page.locator(selector).first.bounding_box(timeout=5000), height)) from None


def presenting(page) -> bool:
    """Whether the page is in presenter mode (its style sets the root font to 20 px)."""
    return page.evaluate("() => getComputedStyle(document.documentElement).fontSize") == "20px"


def set_presenting(page, on: bool, timeout_s: float = 120.0) -> None:
    """Switch presenter mode with its own toggle in the share box (what a teacher does mid-lesson); a running
    job goes on training. A click lost while the page reruns is made again only while the toggle still shows
    the old state, so it never flips twice."""
    if presenting(page) == on:
        return
    toggle = page.locator(".st-key-_present_widget")
    if not toggle.count():
        page.get_by_text("Share this setup", exact=True).first.click()
        toggle.first.wait_for(timeout=60_000)

    def switched() -> bool:
        if presenting(page) == on:
            return True
        box = toggle.first.locator("input")
        if box.count() and box.first.is_checked() != on:
            toggle.first.locator("label").first.click(timeout=5_000)
        return presenting(page) == on
    until(switched, timeout_s, f"presenter mode {'on' if on else 'off'}")


def to_top(page) -> None:
    """Scroll every scrolled box back to the top: the first screen, as a fresh visit shows it."""
    page.evaluate("() => { window.scrollTo(0, 0); document.querySelectorAll('*').forEach(e => { "
                  "if (e.scrollTop) e.scrollTop = 0; }); }")


def each_screen(page, screens=tuple(SCREENS)):
    """Yield each (width, height, present) of `screens` with this one page resized to it and presenter mode
    switched by its toggle: one session and one training run are checked at every size (a new page and a new
    run per size cost the suite minutes). The live views redraw on resize (a ResizeObserver)."""
    for width, height, present in screens:
        set_presenting(page, present)
        page.set_viewport_size({"width": width, "height": height})
        to_top(page)
        yield width, height, present
