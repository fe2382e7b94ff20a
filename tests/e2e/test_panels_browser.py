"""The browser-drawn charts' axes (assets/live_panels.js), drawn by Chromium on a blank page from payloads built
by core/viz/panels.py: no server. At epoch 0 (one point) a curve's x axis runs over whole epochs from 0, and an
accuracy axis stays within 0-100% (issue 32: it showed -1..1 with fractional epochs, and "102%")."""

import json
from pathlib import Path

import numpy as np
import pytest

from core.viz.panels import lines

pytestmark = pytest.mark.browser


ASSETS = Path(__file__).resolve().parents[2] / "assets"
SOURCE = (ASSETS / "canvas_kit.js").read_text() + (ASSETS / "live_panels.js").read_text()  # as ui/kit/panels.py


def _axes(chrome, panels: list[dict]) -> list[dict]:
    """Draw `panels` as the component would and return each canvas's axes (range and tick labels)."""
    page = chrome.new_page(viewport={"width": 800, "height": 600})
    try:
        page.set_content('<div class="lp" style="width:600px"><div class="lp-grid"></div><div class="lp-tip">'
                         '</div></div>')
        page.evaluate("""async ([src, data]) => {
            const url = URL.createObjectURL(new Blob([src], { type: "text/javascript" }));
            (await import(url)).default({ data, parentElement: document.body });
        }""", [SOURCE, {"panels": panels, "cols": 1, "stamp": 0, "text_px": 13}])
        canvases = page.locator(".lp-grid canvas")
        return [json.loads(canvases.nth(i).get_attribute("data-axes")) for i in range(canvases.count())]
    finally:
        page.close()


def test_one_point_at_epoch_zero_gets_whole_epochs_from_zero_and_a_percent_axis_within_0_100(chrome):
    loss = lines(np.array([0.0]), [("train", np.array([0.735]), "#1f77b4"), ("test", np.array([0.74]), "#ff7f0e")],
                 "Loss")
    accuracy = lines(np.array([0.0]), [("train", np.array([0.5]), "#1f77b4")], "Accuracy", percent=True)
    loss_axes, accuracy_axes = _axes(chrome, [loss, accuracy])
    for axes in (loss_axes, accuracy_axes):
        assert axes["x"] == [0, 1]  # not -1..1
        assert axes["xticks"] and all(float(t).is_integer() and 0 <= t <= 1 for t in axes["xticks"])
    assert loss_axes["y"][0] == 0 and loss_axes["y"][1] >= 0.74  # from zero, so two dots are not a cliff
    assert accuracy_axes["y"] == [0, 1]
    assert accuracy_axes["yticks"][0] == "0%" and accuracy_axes["yticks"][-1] == "100%"
    assert all(int(t.rstrip("%")) <= 100 for t in accuracy_axes["yticks"])


def test_a_longer_run_spans_its_epochs_and_a_log_axis_labels_powers_of_ten(chrome):
    epochs = np.arange(0, 41, dtype=float)
    loss = lines(epochs, [("train", np.exp(-epochs / 10), "#1f77b4")], "Loss", log=True)
    (axes,) = _axes(chrome, [loss])
    assert axes["x"] == [0, 40] and axes["xticks"][0] == 0 and axes["xticks"][-1] == 40
    assert all(t == "" or t.startswith("1e") for t in axes["yticks"])
    assert axes["y"][0] < np.log10(np.exp(-4.0)) and axes["y"][1] >= 0
