"""AppTest: the Explain lab's flows: first open, target choice, tables with what-if and summary, the
trust tab's on-demand checks, checkpoints over training, the Playground's network, and refusals."""

import pytest

from tests.conftest import open_page


@pytest.fixture
def at():
    return open_page("pages/explain_lab.py")


def _method_captions(at):
    return [m.value for m in at.markdown if m.value.startswith("**") and " ms" in m.value]


def _button(at, key):
    return next(b for b in at.button if b.key == key)


def test_first_open_explains_the_shipped_cnn_six_ways(at):
    captions = _method_captions(at)
    assert len(captions) == 6, captions
    for label in ("Saliency", "Integrated Gradients", "Grad-CAM", "Occlusion", "SHAP GradientExplainer", "LIME"):
        assert any(c.startswith(f"**{label}**") for c in captions), label
    assert any("convergence delta" in c for c in captions)
    captions = [c for i in at.get("image") for c in i.captions]
    assert any("superpixels" in c for c in captions) and "The input" in captions
    assert len(at.get("image")) == 8  # the input, six maps and LIME's segmentation
    assert not at.warning and not at.error
    assert len(at.tabs) == 3  # images have no what-if or SHAP summary


def test_the_model_box_shows_short_names_and_the_details_under_it(at):
    box = at.selectbox(key="xp_model")
    assert box.value == "tinyvgg" and all(len(o) <= 40 for o in box.options), box.options  # none cut off
    assert any(c.value.startswith("64x64 colour images, ") and "held-out accuracy" in c.value for c in at.caption)


def test_another_target_class_is_explained(at):
    box = next(s for s in at.selectbox if s.key.startswith("xp_target_"))
    other = next(o for o in box.options if "(predicted)" not in o)
    box.set_value(box.options.index(other) if isinstance(box.value, int) else other).run()
    assert not at.exception and len(_method_captions(at)) == 6


def test_methods_that_do_not_apply_say_why_and_the_rest_work(at):
    at.selectbox(key="xp_model").set_value("table:wine").run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "Grad-CAM needs a convolution layer" in text and "needs an image" in text
    assert len(at.tabs) == 5
    assert not at.warning


def test_what_if_edits_move_the_prediction_and_the_explanations(at):
    at.selectbox(key="xp_model").set_value("table:breast_cancer").run()
    before = next(m.value for m in at.markdown if m.value.startswith("**Prediction for this row:**"))
    charts = {c.key for c in at.get("plotly_chart") if c.key}
    assert {"xp_wi_shap", "xp_wi_lime", "xp_beeswarm"} <= charts
    for j in range(6):  # push the most telling measurements far out
        box = at.number_input(key=f"xp_wi_{j}")
        box.set_value(box.max if j % 2 else box.min)
    at.run()
    after = next(m.value for m in at.markdown if m.value.startswith("**Prediction for this row:**"))
    assert not at.exception and after != before
    _button(at, "xp_wi_reset").click().run()
    assert next(m.value for m in at.markdown if m.value.startswith("**Prediction for this row:**")) == before


def test_sanity_check_and_sensitivity_run_on_demand(at):
    at.selectbox(key="xp_model").set_value("lenet").run()
    at.multiselect(key="xp_san_methods").set_value(["saliency", "gradcam"]).run()
    _button(at, "xp_san_go").click().run()
    assert not at.exception
    verdicts = [m.value for m in at.markdown if m.value.startswith("- **Saliency**") or
                m.value.startswith("- **Grad-CAM**")]
    assert len(verdicts) == 2 and all("correlat" in v for v in verdicts)
    _button(at, "xp_sens_go").click().run()
    table = at.dataframe[0].value
    assert "sensitivity (lower is steadier)" in table.columns and table["infidelity (lower is better)"].notna().all()


def test_maps_over_training_for_a_model_trained_here(at):
    at.selectbox(key="xp_model").set_value("table:iris").run()
    slider = next(s for s in at.select_slider if s.key.startswith("xp_tr_i_"))
    assert slider.value == len(slider.options) - 1
    slider.set_value(0).run()
    assert not at.exception
    assert any(m.label.endswith("at this epoch") for m in at.metric)


def test_turning_auto_off_stops_and_explain_now_runs(at):
    at.toggle(key="xp_auto").set_value(False).run()
    assert len(_method_captions(at)) == 6  # what finished is kept
    at.selectbox(key="xp_model").set_value("lenet").run()
    assert not _method_captions(at)
    _button(at, "xp_go").click().run()
    assert len(_method_captions(at)) == 6


def test_the_playground_network_can_be_explained(monkeypatch):
    monkeypatch.setenv("NN_JOBS", "thread")
    at = open_page("pages/playground.py")
    next(b for b in at.button if b.key == "pg_step").click().run()
    job = at.session_state["pg"].job
    job.wait(lambda v: v.epoch == 1 and not v.active, timeout=20)
    at.switch_page("pages/explain_lab.py").run()
    at.selectbox(key="xp_model").set_value("playground").run()
    assert not at.exception and len(_method_captions(at)) == 0  # tables draw bar charts
    assert any((c.key or "").startswith("xp_bar_") for c in at.get("plotly_chart"))
    assert any(s.key.startswith("xp_tr_i_") for s in at.select_slider)  # its checkpoints
    job.stop()


def test_the_target_class_travels_in_the_link_and_a_hidden_target_stays_fixed():
    from core.explain.fields import EXPLAIN_LAB
    from core.share import parse

    at = open_page("pages/explain_lab.py")
    names = at.session_state["xp_sources"][("tinyvgg", id(at.session_state["cnn_model_tinyvgg"].model))].output_names
    star = names.index("star")
    at.slider(key="cnn_sample_tinyvgg").set_value(5).run()
    at.selectbox(key="xp_target_tinyvgg").set_value(star).run()
    assert not at.exception
    link = {k: at.query_params[k][-1] if isinstance(at.query_params[k], list) else at.query_params[k]
            for k in at.query_params}
    assert parse(EXPLAIN_LAB, link)[0]["target"] == star and link.get("sample") == "5"
    again = open_page("pages/explain_lab.py", link)  # a new browser
    assert again.selectbox(key="xp_target_tinyvgg").value == star
    fixed = open_page("pages/explain_lab.py", {**link, "hide": "target"})
    assert not any(s.key == "xp_target_tinyvgg" for s in fixed.selectbox)
    assert any("Explaining the class: **star**" in c.value for c in fixed.caption)
    fixed.slider(key="cnn_sample_tinyvgg").set_value(6).run()  # another input: still star
    assert any("Explaining the class: **star**" in c.value for c in fixed.caption)


def test_tables_speak_in_their_own_units_and_name_the_baseline_for_tables(at):
    at.selectbox(key="xp_model").set_value("table:iris").run()
    assert not at.exception
    radio = at.radio(key="xp_baseline_table")
    assert "zero (the average)" in radio.options and "black" not in radio.options
    src = at.session_state["xp_sources"]["table:iris"]
    row = src.inputs[0].numpy()
    raw = src.raw(row)
    assert 4.0 < raw[0] < 8.5 and abs(row[0]) < 4  # sepal length in cm, not standardized
    wf = next(c for c in at.get("plotly_chart") if c.key == "xp_wi_shap")
    assert f"= {raw[0]:.3g}" in wf.proto.spec or f"= {raw[2]:.3g}" in wf.proto.spec


def test_images_default_to_the_blurred_baseline_with_a_deletion_curve_under_each_baseline_map(at):
    assert at.radio(key="xp_baseline_image").value == "blurred"
    charts = {c.key for c in at.get("plotly_chart")}
    assert {"xp_del_integrated_gradients", "xp_del_occlusion"} <= charts  # the methods that use a baseline
    assert "xp_del_saliency" not in charts and "xp_del_gradcam" not in charts
    spec = next(c for c in at.get("plotly_chart") if c.key == "xp_del_occlusion").proto.spec
    assert "blurred baseline" in spec and "random" in spec
    assert any("Sturmfels" in c.value for c in at.caption)
    assert any("blurred baseline" in m for m in _method_captions(at))
    black = open_page("pages/explain_lab.py", {"baseline": "black"})  # a link still chooses black
    assert black.radio(key="xp_baseline_image").value == "black"
    spec = next(c for c in black.get("plotly_chart") if c.key == "xp_del_occlusion").proto.spec
    assert "black baseline" in spec


def test_tables_default_to_zero_the_average(at):
    at.selectbox(key="xp_model").set_value("table:iris").run()
    assert at.radio(key="xp_baseline_table").value == "black" and not at.exception
