"""The live-lab kit through AppTest: plain-text link notices, presenter mode in every lab, and the CNN
lab's training through the kit's play bar."""

import pytest

from tests.conftest import open_page, unfold
from ui.kit.text import plain


def test_link_values_are_shown_as_plain_text_never_as_markdown():
    assert plain("[click](http://evil.example)") == r"\[click\]\(http\://evil\.example\)"
    at = open_page("pages/cnn_lab.py", {"photo": "[click](http://evil.example)", "model": ":red[big]"})
    text = " ".join(w.value for w in at.warning)
    assert "could not be used" in text and "[click](http" not in text and r"\[click\]" in text
    assert ":red[" not in text


@pytest.mark.parametrize("page", ["pages/cnn_lab.py", "pages/explain_lab.py", "pages/playground.py"])
def test_presenter_mode_folds_the_controls_and_stays_in_the_address(monkeypatch, page):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = open_page(page)
    assert not any(e.label == "Controls" for e in at.expander)
    unfold(at, "share_open").toggle(key="_present_widget").set_value(True).run()
    assert any(e.label == "Controls" for e in at.expander)
    assert at.query_params.get("present") in ("1", ["1"])
    if page == "pages/playground.py":
        at.session_state["pg"].job.stop()


def test_the_cnn_lab_trains_through_the_kit_with_step_resume_and_status(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = open_page("pages/cnn_lab.py", {"tab": "train"})
    next(r for r in at.radio if r.key == "cnn_tr_data").set_value("Digits 8x8").run()
    step = next(b for b in at.button if b.key == "cnn_tr_step")
    assert step.disabled  # nothing to step before the network exists
    assert any("training and" in c.value and "test images" in c.value for c in at.caption)  # the data's size
    next(b for b in at.button if b.key == "cnn_tr_play").click().run()
    ts = at.session_state["cnn_train"]
    ts.job.pause()
    ts.job.reset()
    at.run()
    next(b for b in at.button if b.key == "cnn_tr_step").click().run()
    ts.job.wait(lambda v: v.epoch == 1 and not v.active, timeout=60)
    at.run()
    play = next(b for b in at.button if b.key == "cnn_tr_play")
    assert play.label == "Resume" and any(c.value.startswith("Paused") for c in at.caption)
    assert not at.exception
    at.selectbox(key="cnn_tr_opt").set_value("sgd").run()  # a new setup: the run is archived for comparison
    assert ts.job is None and [r["epochs"] for r in ts.slot.runs] == [1]
    next(b for b in at.button if b.key == "cnn_tr_play").click().run()
    ts.job.pause()
    at.run()
    assert any(e.label == "Compare runs (1 kept)" for e in at.expander) and not at.exception
    ts.job.stop()


def _sweep_script(chart_first: bool) -> None:
    """A two-point sweep (each point one tiny real run) drawn by the kit's sweep view."""
    import plotly.graph_objects as go

    from core.training.sweep import PointSweep, SweepRun
    from ui.kit import sweep as kit_sweep
    from ui.kit.live import live_area

    class Tick:  # trains one "epoch" per call
        epoch = step_count = 0

        def run(self, max_seconds: float) -> bool:
            self.epoch += 1
            self.step_count += 1
            return True

    def trainable():
        return PointSweep([[SweepRun("a", Tick)], [SweepRun("a", Tick)]], 1, lambda t: {"acc": 0.5},
                          lambda point, r: {"x": float(point), "acc": r["a"]["acc"]}, ("x", "acc"))

    sweep = kit_sweep.state("kit_test_sweep", "spec")
    kit_sweep.ensure(sweep, "spec", trainable, 2)
    view = kit_sweep.SweepView(
        "kts", lambda: kit_sweep.state("kit_test_sweep", "spec"), lambda s: (2, "points", "2 points × 1 run"),
        lambda rows, s: f"So far {len(rows.get('x', []))} of 2 points.",
        lambda rows, s, v: go.Figure(go.Scatter(x=rows["x"], y=rows["acc"])) if len(rows.get("x", [])) else None,
        "kit_test_chart", chart_first=chart_first)
    live_area(kit_sweep.live_sweep(view))


@pytest.mark.parametrize("chart_first", [False, True])
def test_the_kit_s_sweep_view_counts_finished_points_and_draws_the_chart_where_the_lab_asks(monkeypatch,
                                                                                              chart_first):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("NN_JOBS", "thread")
    at = AppTest.from_function(_sweep_script, args=(chart_first,), default_timeout=30).run()
    assert "So far 0 of 2 points." in [m.value for m in at.markdown] and not at.get("plotly_chart")
    assert any(b.label == "Run sweep" for b in at.button)
    job = at.session_state["kit_test_sweep"].slot.job
    job.step(2)
    job.wait(lambda v: v.epoch >= 2 and not v.active, timeout=30)
    at.run()
    assert not at.exception
    assert "So far 2 of 2 points." in [m.value for m in at.markdown]
    assert any("2 of 2 points" in (p.proto.text or "") for p in at.get("progress"))
    kinds = [(el.type, getattr(el, "value", None)) for el in _leaves(at.main)
             if el.type == "plotly_chart" or (el.type == "markdown" and "So far" in str(el.value))]
    assert [k for k, _ in kinds] == (["plotly_chart", "markdown"] if chart_first else ["markdown", "plotly_chart"])
    job.stop()


def _leaves(node):
    """Every element under `node`, in page order."""
    children = getattr(node, "children", None)
    if not children:
        yield node
        return
    for key in sorted(children):
        yield from _leaves(children[key])
