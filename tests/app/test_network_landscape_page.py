"""The Learning lab's landscape view through AppTest: the lesson opens it, mapping computes every
picture and says what they show, and the Playground's trained network can be mapped."""

from tests.conftest import open_page


def test_the_lesson_maps_a_network_trained_here():
    at = open_page("pages/learning_lab.py", {"lesson": "lr_real_landscape"})
    assert at.session_state["lr_view"] == "landscape" and at.session_state["nl_lr"] == 3.0
    assert any("Map the landscape" in i.value for i in at.info)
    at.selectbox(key="nl_grid").set_value(21).run()
    at.button(key="nl_go").click().run(timeout=120)
    assert not at.exception
    key, res = at.session_state["nl_result"]
    assert res["random"].loss.shape == (21, 21) and "path" in res and res["range"].suggestion > 0
    text = " ".join(m.value for m in at.markdown)
    assert "At the star the loss is" in text and "range test" in text
    assert len(at.get("plotly_chart")) == 5


def test_the_playground_network_is_mapped_with_its_checkpoints(monkeypatch):
    at = open_page("pages/playground.py", {"dataset": "circle", "layers": "4tanh,2tanh", "features": "x1,x2"})
    pg = at.session_state["pg"]
    pg.job.step(20)
    pg.job.wait(lambda v: v.epoch >= 20 and not v.active, timeout=60)
    at.switch_page("pages/learning_lab.py").run()
    at.segmented_control(key="lr_view").set_value("landscape").run()
    assert at.selectbox(key="nl_source").value == "your Playground network"
    at.selectbox(key="nl_grid").set_value(21).run()
    at.button(key="nl_go").click().run(timeout=120)
    assert not at.exception
    _, res = at.session_state["nl_result"]
    model_loss = pg.job.poll().latest["train_loss"]
    assert abs(res["random"].centre_loss - model_loss) < 0.05 * model_loss + 1e-3  # the trained network's loss
