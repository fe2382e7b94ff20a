"""The Learning lab page through AppTest: it races live through the kit, the momentum lesson opens its
race and says what is seen, and the inspector shows a step of the race."""

from tests.conftest import open_page


def test_the_learning_lab_races_live_through_the_kit(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = open_page("pages/learning_lab.py")
    assert not at.exception
    next(b for b in at.button if b.key == "lr_step").click().run()
    slot = at.session_state["learning"].slot
    slot.job.wait(lambda v: v.epoch == 1 and not v.active, timeout=30)
    at.run()
    assert not at.exception and any(c.key == "lr_paths" for c in at.get("plotly_chart"))
    at.selectbox(key="lr_landscape").set_value("rosenbrock").run()  # a new race: the old one is kept to compare
    assert not at.exception and len(slot.runs) == 1
    slot.job.stop()


def test_the_momentum_lesson_opens_its_race_and_says_what_is_seen(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = open_page("pages/learning_lab.py", {"lesson": "momentum_ravine"})
    assert not at.exception and any("Why momentum helps in a ravine" in m.value for m in at.markdown)
    assert at.button_group(key="lr_racers").value == ["sgd", "momentum"]
    race = at.session_state["learning"]
    race.job.step(40)
    race.job.wait(lambda v: v.epoch == 40 and not v.active, timeout=30)
    at.run()
    text = " ".join(m.value for m in at.markdown)
    assert "After 40 steps" in text and "zig-zag" in text
    race.job.stop()


def test_the_inspector_shows_a_step_of_the_race_in_the_page(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = open_page("pages/learning_lab.py", {"lesson": "momentum_ravine"})
    job = at.session_state["learning"].job
    job.step(8)
    job.wait(lambda v: v.epoch >= 8 and not v.active, timeout=60)
    at.run()
    at.selectbox(key="lr_inspect").set_value("momentum").run()
    at.slider(key="lr_inspect_step").set_value(5).run()
    text = " ".join(m.value for m in at.markdown)
    assert "**Step 5** of Momentum (0.9)" in text and "velocity (what momentum remembers) = (" in text
    assert not at.exception
