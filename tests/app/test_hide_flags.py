"""Hide flags in the CNN and Explain labs' links: hidden controls are not drawn, their values are the
link's and stay so over reruns, hidden tabs are gone, and a teacher can hide controls from the page."""

from streamlit.testing.v1 import AppTest

from tests.conftest import open_page, unfold


def _open(page: str, params: dict[str, str]) -> AppTest:
    return open_page(page, params, timeout=120)


def _keys(widgets) -> set[str]:
    return {w.key for w in widgets}


def test_a_cnn_link_hides_the_model_the_input_and_tabs_and_keeps_their_values():
    at = _open("pages/cnn_lab.py", {"model": "lenet", "sample": "5", "hide": "model,input,filters,train"})
    for _ in range(2):  # values outlive the widgets that are not drawn
        assert "cnn_model" not in _keys(at.selectbox) and "cnn_source" not in _keys(at.radio)
        assert "cnn_sample_lenet" not in _keys(at.slider)
        assert at.session_state["cnn_model"] == "lenet" and at.session_state["cnn_sample_lenet"] == 5
        labels = [t.label for t in at.tabs]
        assert "Filters" not in labels and "Feature maps" in labels
        assert "cnn_view" not in _keys(at.button_group)  # training hidden: no view to switch to
        assert "LeNet" in " ".join(m.value for m in at.markdown)
        assert at.query_params["hide"] == "model,input,filters,train"  # the page's own link keeps them
        at.run()
        assert not at.exception


def test_a_teacher_hides_controls_from_the_page_and_the_link_says_so():
    at = _open("pages/cnn_lab.py", {"model": "lenet"})
    assert "cnn_model" in _keys(at.selectbox)
    unfold(at, "share_open").multiselect(key="_hide_cnn_lab_widget").set_value(["model", "operations"]).run()
    assert "cnn_model" not in _keys(at.selectbox) and at.session_state["cnn_model"] == "lenet"
    assert "Operations" not in [t.label for t in at.tabs]
    assert at.query_params["hide"] == "model,operations"
    at.multiselect(key="_hide_cnn_lab_widget").set_value([]).run()  # and brings them back, value kept
    assert at.selectbox(key="cnn_model").value == "lenet"


def test_a_link_that_hides_every_tab_keeps_the_feature_maps():
    at = _open("pages/cnn_lab.py", {"hide": "maps,hierarchy,filters,operations,featureviz,train"})
    assert [t.label for t in at.tabs] == ["Feature maps"]


def test_a_link_that_hides_every_look_inside_tab_opens_the_training_view_alone():
    at = _open("pages/cnn_lab.py", {"hide": "maps,hierarchy,filters,operations,featureviz"})
    assert not at.tabs and "cnn_view" not in _keys(at.button_group)
    assert any(b.key == "cnn_tr_play" for b in at.button)


def test_an_explain_link_fixes_hidden_methods_settings_and_target():
    at = _open("pages/explain_lab.py", {"model": "table:iris", "methods": "saliency,lime", "steps": "120",
                                        "hide": "model,methods,settings,target,trust,tables"})
    for _ in range(2):
        assert "xp_model" not in _keys(at.selectbox) and "xp_methods_table" not in _keys(at.button_group)
        assert "xp_steps" not in _keys(at.slider) and not any(k.startswith("xp_target") for k in _keys(at.selectbox))
        assert at.session_state["xp_methods_table"] == ["saliency", "lime"] and at.session_state["xp_steps"] == 120
        assert "Methods: Saliency, LIME." in [c.value for c in at.caption]
        assert any(c.value.startswith("Explaining the predicted class") for c in at.caption)
        assert [t.label for t in at.tabs] == ["Side by side", "Over training"]
        at.run()
        assert not at.exception


def test_the_trust_lesson_hides_the_model_and_the_training_tab():
    at = _open("pages/explain_lab.py", {"lesson": "trust_saliency"})
    assert "xp_model" not in _keys(at.selectbox)
    assert "Over training" not in [t.label for t in at.tabs] and "Can we trust it?" in [t.label for t in at.tabs]
    assert at.button_group(key="xp_methods_image").value == ["saliency", "guided_backprop", "gradcam",
                                                            "integrated_gradients"]
