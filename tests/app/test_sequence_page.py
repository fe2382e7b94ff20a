"""The Sequence lab through AppTest: the cells train side by side through the kit and the page says what
is seen, the learning rate and clipping change the running job, the gates and predictions show, the
delay sweep runs in the background, attributions and generated text come from the trained weights,
lessons open their presets and bad input gets a clear message without losing the run."""

from tests.conftest import open_page, page_text, train_job


def test_the_cells_train_side_by_side_and_the_page_says_what_is_seen(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = open_page("pages/sequence_lab.py", {"length": "12", "cells": "rnn,lstm"})
    assert at.session_state["seq_view"] == "train" and "Press Play" in page_text(at)
    side, view = train_job(at, "seq_train_state", 3)
    text = page_text(at)
    assert "After 3 epochs: RNN" in text and "LSTM" in text and "Chance is 25%" in text
    assert "gets back to the first step" in text
    keys = {c.key for c in at.get("plotly_chart")}
    assert {"seq_curve_chart", "seq_grads_chart", "seq_hidden_chart", "seq_gates", "seq_probs"} <= keys
    table = at.dataframe[0].value
    assert list(table["cell"]) == ["RNN", "LSTM"]
    assert abs(table["test accuracy"][1] - view.history["lstm_test_acc"][-1]) < 1e-9
    # the learning rate and clipping change in the running job; the task starts a new one (the run kept)
    job = side.slot.job
    at.select_slider(key="seq_learning_rate").set_value(0.01).run()
    assert side.slot.job is job and job.poll().live["learning_rate"] == 0.01
    at.number_input(key="seq_sample").set_value(4).run()
    assert job.poll().live["sample"] == 4
    at.selectbox(key="seq_task").set_value("parens").run()
    assert not at.exception and side.slot.job is not job and len(side.slot.runs) == 1
    side.slot.job.stop()


def test_series_predictions_and_attributions_come_from_the_trained_weights(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = open_page("pages/sequence_lab.py", {"task": "sine", "length": "20", "cells": "gru", "inside": "gru"})
    side, _ = train_job(at, "seq_train_state", 2)
    assert "seq_series" in {c.key for c in at.get("plotly_chart")}
    at.button(key="seq_ig_go").click().run()
    assert not at.exception and "seq_ig_chart" in {c.key for c in at.get("plotly_chart")}
    assert any("add up to" in c.value for c in at.caption)
    side.slot.job.stop()


def test_text_is_generated_and_bad_text_keeps_the_run(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = open_page("pages/sequence_lab.py", {"task": "text", "length": "16", "cells": "lstm"})
    side, _ = train_job(at, "seq_train_state", 1)
    assert "seq_next_chart" in {c.key for c in at.get("plotly_chart")}
    at.button(key="seq_gen_go").click().run()
    assert not at.exception and at.code[0].value.startswith("the ") and len(at.code[0].value) == 4 + 120
    job = side.slot.job
    at.text_area(key="seq_text").set_value("too short").run()
    assert not at.exception and any("too short" in e.value for e in at.error)
    assert side.slot.job is job and job.poll().epoch == 1  # nothing lost
    at.text_input(key="seq_prompt").set_value("Ω").run()
    assert any("never had" in e.value for e in at.error)
    job.stop()


def test_the_delay_sweep_runs_point_by_point(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = open_page("pages/sequence_lab.py", {"view": "delay", "cells": "rnn,gru"})
    assert "Press Run sweep" in page_text(at)
    at.select_slider(key="seq_sweep_epochs").set_value(3).run()
    sweep = at.session_state["seq_delay_state"]
    sweep.slot.job.step(2)
    sweep.slot.job.wait(lambda v: v.epoch >= 2 and not v.active, timeout=120)
    at.run()
    assert not at.exception and "So far 2 of 5 delays" in page_text(at)
    assert "seq_delay_chart" in {c.key for c in at.get("plotly_chart")}
    sweep.slot.job.stop()


def test_lessons_and_hidden_controls(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = open_page("pages/sequence_lab.py", {"lesson": "why_rnn_forgets"})
    assert at.session_state["seq_length"] == 60 and at.button_group(key="seq_cells").value == ["rnn", "lstm"]
    assert any("Why a plain RNN forgets" in m.value for m in at.markdown)
    at.session_state["seq_train_state"].slot.job.stop()
    at = open_page("pages/sequence_lab.py", {"hide": "task", "length": "33"})
    assert not [s for s in at.selectbox if s.key == "seq_task"]
    assert at.session_state["seq_length"] == 32  # an odd length from a link is made even
    at.session_state["seq_train_state"].slot.job.stop()
