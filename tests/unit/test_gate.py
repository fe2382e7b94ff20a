"""The whole-page-run gate: at most MAX_FULL_RUNS inside at once, the others wait their turn, and none
waits past WAIT_S (it then runs anyway)."""

import threading
import time

from ui.kit import gate


def test_at_most_the_cap_run_at_once_and_everyone_runs():
    inside, peak, done = [0], [0], []
    lock = threading.Lock()

    def page(i):
        with gate.full_run():
            with lock:
                inside[0] += 1
                peak[0] = max(peak[0], inside[0])
            time.sleep(0.02)
            with lock:
                inside[0] -= 1
        done.append(i)

    threads = [threading.Thread(target=page, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(5)
    assert sorted(done) == list(range(8)) and peak[0] == gate.MAX_FULL_RUNS


def test_a_run_never_waits_past_the_limit(monkeypatch):
    monkeypatch.setattr(gate, "WAIT_S", 0.01)
    held = [gate._GATE.acquire() for _ in range(gate.MAX_FULL_RUNS)]
    ran = []
    try:
        with gate.full_run():  # every turn taken: it runs anyway once the wait is over
            ran.append(True)
        assert ran == [True]
        assert not gate._GATE.acquire(blocking=False)  # and it took no turn it would give back
    finally:
        for _ in held:
            gate._GATE.release()
    with gate.full_run():  # and the gate is whole again: nothing was released twice
        pass


def test_live_redraws_wait_for_a_page_being_drawn_but_not_inside_it():
    order, started = [], threading.Event()

    def page():
        with gate.full_run():
            started.set()
            gate.yield_to_pages(max_s=30)  # its own fragments run inside the page: no waiting for itself
            order.append("page inside")
            time.sleep(0.2)
            order.append("page done")

    t = threading.Thread(target=page)
    t.start()
    started.wait(5)
    gate.yield_to_pages(max_s=30)  # another session's live redraw
    order.append("redraw")
    t.join(5)
    assert order == ["page inside", "page done", "redraw"]


def test_a_live_redraw_waits_no_longer_than_its_limit():
    with gate.full_run():
        done = []
        t = threading.Thread(target=lambda: (gate.yield_to_pages(max_s=0.05), done.append(True)))
        t.start()
        t.join(5)  # the page is still under way, yet the redraw went ahead
        assert done == [True]
