"""The live Playground over Streamlit's own websocket protocol, as the load benchmark's students
speak it: two sessions on the real server each press Play and receive live redraws at an interval
the live budget allows."""

import time

from benchmarks.ws_students import Classroom
from core.settings import SETTINGS
from ui.kit.live_load import SLOWEST_S


def test_two_students_train_and_watch_live_over_the_websocket_protocol(server):
    room = Classroom(server, 2)
    room.open(timeout=120)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and min(len(s.redraws) for s in room.students) < 20:
            time.sleep(0.5)
        for s in room.students:
            assert not s.failed and s.exceptions == 0, (s.failed, s.exceptions)
            assert s.pressed and s.live  # Play started training and live redraws
            assert len(s.redraws) >= 20  # the live view's numbers, snapshot after snapshot
            epochs = [e for _, e in s.redraws]
            assert epochs == sorted(epochs) and epochs[-1] > epochs[0]  # each one further in the training
        intervals = room.intervals()
        assert all(SETTINGS.live_main_s <= every <= SLOWEST_S for every in intervals), intervals
    finally:
        room.close()


def test_an_idle_cnn_lab_asks_for_no_timed_redraws(server):
    """The CNN lab's training view redraws on a timer only while a network trains there."""
    room = Classroom(server, 1, page="cnn_lab", press="no-such-button", query="tab=train")
    room.open(timeout=120)
    try:
        (student,) = room.students
        assert student.failed == "the page has no button 'no-such-button'"  # the first run is complete
        time.sleep(2)
        assert student.intervals == {} and student.exceptions == 0
    finally:
        room.close()
