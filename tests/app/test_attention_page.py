"""The Attention lab through AppTest: the Transformer trains through the kit and the page says what is seen,
the learning rate and followed sequence change the running job, the checkpoint maps, one query's steps,
positions and embeddings draw from the trained weights, attributions and generation run on demand, the
race against the LSTM runs in the background, lessons open their presets and bad input keeps the run."""

import numpy as np

from core.attention.model import attention_maps
from tests.conftest import chart_keys, open_page, page_text, train_job


def test_the_transformer_trains_and_its_attention_and_insides_are_drawn(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = open_page("pages/attention_lab.py", {"length": "5", "width": "32", "lr": "0.003"})
    assert at.session_state["att_view"] == "train" and "Press Play" in page_text(at)
    side, view = train_job(at, "att_train_state", 3)
    text = page_text(at)
    assert "After 3 epochs" in text and "of whole answers" in text and "attention on average" in text
    assert {"att_grid", "att_preds", "att_ckpt_grid", "att_steps_fig", "att_pos_fig", "att_embed_fig"} <= chart_keys(at)
    # one query's table: the softmax column is the model's own attention row for that place
    table = at.dataframe[0].value
    place = int(at.selectbox(key="att_q_place").value)
    maps = attention_maps(side.slot.job.model_copy(), side.slot.job.dataset.test_tokens[0])
    assert np.allclose(table["softmax"].to_numpy(), maps[0, 0, place], atol=1e-5)
    job = side.slot.job
    at.select_slider(key="att_learning_rate").set_value(0.01).run()
    assert side.slot.job is job and job.poll().live["learning_rate"] == 0.01
    at.number_input(key="att_sample").set_value(4).run()
    assert job.poll().live["sample"] == 4
    at.selectbox(key="att_task").set_value("sort").run()
    assert not at.exception and side.slot.job is not job and len(side.slot.runs) == 1
    side.slot.job.stop()


def test_attributions_and_generation_come_from_the_trained_weights(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = open_page("pages/attention_lab.py", {"length": "4", "width": "32"})
    side, _ = train_job(at, "att_train_state", 1)
    at.button(key="att_ig_go").click().run()
    assert not at.exception and "att_ig_fig" in chart_keys(at)
    assert any("add up to" in c.value for c in at.caption) and any("not an explanation" in i.value for i in at.info)
    at.button(key="att_gen_go").click().run()
    assert not at.exception and "att_gen_fig" in chart_keys(at)
    written = at.code[0].value
    prompt = at.text_input(key="att_prompt_reverse").value
    assert written.startswith(prompt) and len(written) == 5 + 4  # 4 digits, "=", then 4 written
    at.text_input(key="att_prompt_reverse").set_value("12x=").run()
    at.button(key="att_gen_go").click().run()
    assert any("not in the model's vocabulary" in e.value for e in at.error)
    side.slot.job.stop()


def test_bad_text_keeps_the_run_and_bert_style_fills_blanks(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = open_page("pages/attention_lab.py", {"task": "text", "length": "16", "width": "32"})
    side, _ = train_job(at, "att_train_state", 1)
    job = side.slot.job
    at.text_area(key="att_text").set_value("too short").run()
    assert not at.exception and any("too short" in e.value for e in at.error)
    assert side.slot.job is job and job.poll().epoch == 1  # nothing lost
    job.stop()
    at = open_page("pages/attention_lab.py", {"causal": "false", "length": "4", "width": "32"})
    side, _ = train_job(at, "att_train_state", 1)
    assert any("GPT style" in c.value for c in at.caption)  # generation needs the causal mask
    side.slot.job.stop()


def test_the_race_against_the_lstm_runs_length_by_length(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = open_page("pages/attention_lab.py", {"view": "race", "width": "16", "layers": "1"})
    assert "Press Run sweep" in page_text(at)
    at.select_slider(key="att_race_epochs").set_value(2).run()
    at.select_slider(key="att_race_hidden").set_value(16).run()
    race = at.session_state["att_race_state"]
    race.slot.job.step(2)
    race.slot.job.wait(lambda v: v.epoch >= 2 and not v.active, timeout=180)
    at.run()
    assert not at.exception and "So far 2 of 4 lengths" in page_text(at)
    assert "att_race_chart" in chart_keys(at)
    race.slot.job.stop()


def test_lessons_and_hidden_controls(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = open_page("pages/attention_lab.py", {"lesson": "heads_specialize"})
    assert at.session_state["att_task"] == "sort" and at.session_state["att_heads"] == 4
    assert any("Heads that specialize" in m.value for m in at.markdown)
    at.session_state["att_train_state"].slot.job.stop()
    at = open_page("pages/attention_lab.py", {"hide": "task", "task": "add", "length": "40"})
    assert not [s for s in at.selectbox if s.key == "att_task"]
    assert at.session_state["att_length"] == 6  # a length out of the task's range is clamped
    at.session_state["att_train_state"].slot.job.stop()
