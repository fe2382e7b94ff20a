"""The Learning lab's backprop view through AppTest: the lesson link opens it, Next walks the phases,
the chain rule and the gradient check show real numbers, taking a step lowers the loss, and the
Playground's own network appears when it is small."""

import numpy as np

from core.learning.backprop import phases
from tests.conftest import open_page


def _code(at) -> str:
    return "\n".join(c.value for c in at.code)


def test_the_lesson_opens_the_step_and_next_walks_through_it():
    at = open_page("pages/learning_lab.py", {"lesson": "backprop_by_hand"})
    assert at.session_state["lr_view"] == "backprop" and at.session_state["bp_act"] == "sigmoid"
    names = phases(2)
    assert at.session_state["bp_phase"] == names[0]
    assert any("Forward, layer 1" in m.value for m in at.markdown)
    for expected in names[1:]:
        at.button(key="bp_next").click().run()
        assert at.session_state["bp_phase"] == expected
    assert any("Update: every weight moves against its gradient" in m.value for m in at.markdown)
    code = _code(at)
    assert "∂L/∂w = ∂L/∂a · ∂a/∂z · ∂z/∂w" in code and "finite difference" in code and "update: w ←" in code
    # the numbers are the step's own: the same preset, sample and rate computed here
    table = at.dataframe[0].value
    assert (table["difference"] < 1e-6).all()
    at.button(key="bp_prev").click().run()
    assert at.session_state["bp_phase"] == names[-2]
    assert not at.exception


def test_taking_steps_lowers_the_loss_and_follows_the_update():
    at = open_page("pages/learning_lab.py", {"view": "backprop", "bp_net": "2-3-2-1", "bp_batch": "4"})
    net = at.session_state["bp_current"]
    at.session_state["bp_lr"] = 0.1
    at.run()
    before = at.session_state["bp_current"]
    at.button(key="bp_take").click().run()
    after = at.session_state["bp_current"]
    losses = at.session_state["bp_losses"]
    assert len(losses) == 1 and not np.allclose(before.weights[0], after.weights[0])
    for _ in range(5):
        at.button(key="bp_take").click().run()
    losses = at.session_state["bp_losses"]
    assert losses[-1] < losses[0]  # downhill, step after step
    assert net.sizes == (2, 3, 2, 1)
    assert not at.exception


def test_the_playground_network_appears_when_small():
    at = open_page("pages/playground.py", {"dataset": "xor", "layers": "3tanh,2tanh", "features": "x1,x2"})
    at.switch_page("pages/learning_lab.py").run()
    at.segmented_control(key="lr_view").set_value("backprop").run()
    options = at.selectbox(key="bp_net").options
    assert "your Playground network" in options
    at.selectbox(key="bp_net").set_value("your Playground network").run()
    net = at.session_state["bp_current"]
    assert net.sizes == (2, 3, 2, 1) and net.activations == ("tanh", "tanh", "identity")
    assert not at.exception
