"""The live-redraw budget: all sessions' redraws together stay within `BUDGET` of one core, whatever
a redraw costs; the cost is measured (details included); sessions that stop drawing stop counting;
a session retunes only when its interval is far off, and not often."""

import pytest

from ui.kit import live_load
from ui.kit.live_load import BUDGET, OVERHEAD_S, SLOWEST_S, Board, interval, retune_due


@pytest.mark.parametrize("cost", [0.005, 0.02, 0.05])
@pytest.mark.parametrize("sessions", [1, 4, 20, 60])
def test_all_sessions_redraws_fit_the_budget_unless_at_the_slowest(sessions, cost):
    every = interval(0.2, sessions, cost)
    assert 0.2 <= every <= SLOWEST_S
    load = sessions * cost / every  # CPU seconds per second, all sessions together
    assert load <= BUDGET + 1e-9 or every == SLOWEST_S
    if sessions * cost / 0.2 <= BUDGET:
        assert every == 0.2  # a quiet server keeps the full rate


def test_the_board_measures_the_cost_per_main_redraw_with_the_details_added():
    b = Board()
    for _ in range(400):
        b.note("a", 0.020, main=True, now=0.0)
    assert b.cost_s == pytest.approx(0.020 + OVERHEAD_S, rel=1e-3)
    for _ in range(400):  # one details redraw (0.03 s) for every main redraw
        b.note("a", 0.020, main=True, now=0.0)
        b.note("a", 0.030, main=False, now=0.0)
    assert b.cost_s == pytest.approx(0.050 + OVERHEAD_S, rel=0.03)


def test_sessions_that_stopped_drawing_stop_counting():
    b = Board()
    b.note("a", now=0.0)
    b.note("b", now=5.0)
    assert b.sessions(now=5.0) == 2
    assert b.sessions(now=live_load.WINDOW_S + 1.0) == 1
    assert b.sessions(now=5.0 + live_load.WINDOW_S + 1.0) == 0


def test_sessions_count_from_when_their_page_is_drawn_until_they_leave():
    b = Board()
    for i in range(20):  # a class opens the page; one presses Play
        b.note_present(f"s{i}", now=0.0)
    b.note("s0", now=1.0)
    assert b.sessions(now=1.0) == 20  # the first to press already shares with the other 19
    b.note("s0", now=live_load.PRESENT_S)
    assert b.sessions(now=live_load.PRESENT_S + 1.0) == 1  # the others left (or never trained)


def test_a_session_retunes_only_when_far_off_and_not_too_often():
    assert not retune_due(1.0, 1.2, since_last_s=60)  # close enough
    assert retune_due(0.2, 1.6, since_last_s=60) and retune_due(1.6, 0.2, since_last_s=60)  # either way
    assert not retune_due(0.2, 1.6, since_last_s=1.0)  # just retuned
