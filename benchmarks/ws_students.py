"""Students without browsers: Streamlit's own websocket protocol, as the web page speaks it.

Each `Student` opens a session on a page, waits for the first run, presses a button by its key
(`pg_play`) and then behaves like the page does: for every `auto_rerun` message (a fragment's
`run_every`) it sends that fragment's rerun on the same interval, clearing its timers when a full run
starts (a `new_session` that names no fragment), as Streamlit's frontend does; and it downloads
every image the server sends (`/media/...`), as a browser would; before it connects it loads the
page and the scripts and styles it links, as a browser with an empty cache does. It renders nothing, so N students
cost this machine little CPU and the server's load is what N students on their own machines cause.

Used by `load.py --client protocol`. Counted per student: the pictures received, the live view's
redraws (each new snapshot in the browser-drawn component's data, with its epoch), exceptions shown,
whether the server started live redraws (an auto-rerun) after the press.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

LIVE_VIEW = "nn_playground_live"  # ui/playground/canvas.py


@dataclass
class Student:
    url: str
    page: str
    press: str  # the widget key of the button to press after the first run
    query: str = ""  # the page's link, e.g. "tab=train"
    pictures: list[float] = field(default_factory=list)  # when each picture arrived
    redraws: list[tuple[float, int]] = field(default_factory=list)  # (when, epoch) of each live-view redraw
    exceptions: int = 0
    live: bool = False  # an auto-rerun arrived after the press
    pressed: bool = False
    failed: str = ""
    full_runs: int = 0  # whole-page runs after the press (the press itself, retunes, the end)
    intervals: dict[str, float] = field(default_factory=dict)  # the page's fragments' run_every now
    _ws: Any = field(default=None, repr=False)
    _last_frame: Any = None
    _page_hash: str = ""  # the page the button is on
    _button: str = ""  # its widget id
    _timers: dict[str, asyncio.Future] = field(default_factory=dict, repr=False)

    async def run(self, stop: asyncio.Event, fetch: ThreadPoolExecutor) -> None:
        try:
            await self._run(stop, fetch)
        except Exception as exc:  # a dropped connection or a protocol error counts against the server
            self.failed = f"{type(exc).__name__}: {exc}"[:200]
        finally:
            self._stop_timers()

    async def _run(self, stop: asyncio.Event, fetch: ThreadPoolExecutor) -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(fetch, _load_page, f"{self.url}/{self.page}")
        async with websockets.connect(self.url.replace("http", "ws", 1) + "/_stcore/stream",
                                      subprotocols=["streamlit"], origin=self.url, max_size=None, open_timeout=60,
                                      ping_timeout=None) as self._ws:
            await self._send(first=True)
            receiving = asyncio.ensure_future(self._ws.recv())
            stopping = asyncio.ensure_future(stop.wait())
            while True:
                done, _ = await asyncio.wait({receiving, stopping}, return_when=asyncio.FIRST_COMPLETED)
                if stopping in done:
                    receiving.cancel()
                    return
                msg = ForwardMsg()
                msg.ParseFromString(receiving.result())
                receiving = asyncio.ensure_future(self._ws.recv())
                await self._on(msg, lambda url: loop.run_in_executor(fetch, _get, self.url + url))

    async def _on(self, msg: ForwardMsg, fetch: Any) -> None:
        """What the page does with one message from the server."""
        kind = msg.WhichOneof("type")
        if kind == "new_session" and not msg.metadata.run.fragment_ids:  # a whole-page run: fragments start afresh
            self.full_runs += self.pressed
            self._stop_timers()
        elif kind == "auto_rerun":
            fid = msg.auto_rerun.fragment_id
            if fid in self._timers:
                self._timers[fid].cancel()
            self._timers[fid] = asyncio.ensure_future(self._every(fid, msg.auto_rerun.interval))
            self.intervals[fid] = msg.auto_rerun.interval
            self.live = self.live or self.pressed
        elif kind == "stop_auto_rerun":
            for fid in msg.stop_auto_rerun.fragment_ids:
                if fid in self._timers:
                    self._timers.pop(fid).cancel()
                    self.intervals.pop(fid, None)
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            which = element.WhichOneof("type")
            if which == "exception":
                self.exceptions += 1
            elif which == "bidi_component" and element.bidi_component.component_name == LIVE_VIEW:
                bidi = element.bidi_component
                data = bidi.json or (bidi.mixed.json if bidi.HasField("mixed") else "")
                try:  # each redraw brings the snapshots since the last one; the page plays them all
                    frames = json.loads(data).get("frames", []) if data else []
                except (ValueError, AttributeError):
                    frames = []
                now = time.monotonic()
                for f in frames:
                    if f.get("v") != self._last_frame:
                        self._last_frame = f.get("v")
                        self.redraws.append((now, int(f.get("epoch", 0))))
            elif which == "imgs":
                for img in element.imgs.imgs:
                    if img.url.startswith("/"):
                        self.pictures.append(time.monotonic())
                        fetch(img.url)
            elif getattr(getattr(element, which), "id", "").endswith("-" + self.press):
                self._button, self._page_hash = getattr(element, which).id, msg.metadata.active_script_hash
        elif kind == "script_finished" and not self.pressed:
            if self._button:
                self.pressed = True
                await self._send(widget=self._button)
            elif msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                self.failed = self.failed or f"the page has no button {self.press!r}"

    async def _send(self, fragment: str = "", widget: str = "", first: bool = False) -> None:
        msg = BackMsg()
        if first:
            msg.rerun_script.page_name = self.page
            msg.rerun_script.query_string = self.query
        else:
            msg.rerun_script.page_script_hash = self._page_hash
        msg.rerun_script.fragment_id = fragment
        msg.rerun_script.is_auto_rerun = bool(fragment)
        if widget:
            state = msg.rerun_script.widget_states.widgets.add()
            state.id, state.trigger_value = widget, True
        await self._ws.send(msg.SerializeToString())

    async def _every(self, fragment: str, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            await self._send(fragment)

    def _stop_timers(self) -> None:
        for t in self._timers.values():
            t.cancel()
        self._timers.clear()
        self.intervals.clear()


def _load_page(url: str) -> None:
    """What a browser with an empty cache fetches before it connects: the page and what it links."""
    with urllib.request.urlopen(url, timeout=60) as r:
        html = r.read().decode(errors="replace")
    root = url.rsplit("/", 1)[0]
    for ref in dict.fromkeys(re.findall(r'(?:src|href)="\./([^"]+)"', html)):
        _get(f"{root}/{ref}")


def _get(url: str) -> None:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            r.read()
    except OSError:
        pass  # a picture replaced before it was fetched is gone; browsers see the same


class Classroom:
    """N students in one background event loop; `open()` returns once every one has pressed (or
    failed, or `timeout` passed); `close()` drops every connection, as closing the tabs does."""

    def __init__(self, url: str, n: int, page: str = "playground", press: str = "pg_play", query: str = "") -> None:
        self.students = [Student(url, page, press, query) for _ in range(n)]
        self._loop = asyncio.new_event_loop()
        self._stop: asyncio.Event | None = None
        self._fetch = ThreadPoolExecutor(4)
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._tasks: list[asyncio.Future] = []

    def open(self, ramp_s: float = 0.0, timeout: float = 300.0) -> None:
        """Students arrive evenly over `ramp_s` seconds (at least 50 ms apart)."""
        self._thread.start()
        gap = max(0.05, ramp_s / max(1, len(self.students) - 1))

        async def start() -> None:
            self._stop = asyncio.Event()
            for i, s in enumerate(self.students):
                if i:
                    await asyncio.sleep(gap)
                self._tasks.append(asyncio.ensure_future(s.run(self._stop, self._fetch)))

        asyncio.run_coroutine_threadsafe(start(), self._loop).result()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not all(s.pressed or s.failed for s in self.students):
            time.sleep(0.2)

    def close(self) -> None:
        async def stop() -> None:
            assert self._stop is not None
            self._stop.set()
            await asyncio.gather(*self._tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(stop(), self._loop).result(timeout=60)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._fetch.shutdown(wait=False)

    def pictures_per_s(self, since: float) -> list[float]:
        now = time.monotonic()
        return sorted(sum(t >= since for t in s.pictures) / (now - since) for s in self.students)

    def live_rates(self, since: float) -> list[tuple[int, float, float]]:
        """Per student since `since`: (epoch reached, epochs per second, live-view redraws per second)."""
        now, out = time.monotonic(), []
        for s in self.students:
            seen = [(t, e) for t, e in s.redraws if t >= since]
            before = [e for t, e in s.redraws if t < since]
            first = before[-1] if before else (seen[0][1] if seen else 0)
            last = seen[-1][1] if seen else first
            out.append((last, (last - first) / (now - since), len(seen) / (now - since)))
        return out

    def intervals(self) -> list[float]:
        """Each student's fastest fragment interval now (the live charts')."""
        return sorted(min(s.intervals.values(), default=0.0) for s in self.students)

    def full_runs(self) -> list[int]:
        return sorted(s.full_runs for s in self.students)

    def errors(self) -> int:
        return sum(bool(s.failed or s.exceptions or not s.live) for s in self.students)
