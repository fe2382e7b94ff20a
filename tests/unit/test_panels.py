"""The browser-drawn live charts' numbers (core/viz/panels.py and the labs' panel builders): what the browser
draws is the data it was given, read back from the payload."""

from __future__ import annotations

import numpy as np

from core.attention.viz import attention_panels
from core.generalization.viz import boundary_panel
from core.generative.viz import gan_panel
from core.sequence.viz import state_panel
from core.viz.embedding import PALETTE, code_panel
from core.viz.panels import POINTS, from_b64, lines, point_set, raster


def _floats(s: str) -> np.ndarray:
    return from_b64(s, np.float32, (-1,))


def test_lines_thin_long_runs_keep_the_last_epoch_and_take_logs():
    ep = np.arange(1, 1001)
    loss = 1 / ep
    p = lines(ep, [("loss", loss, "#333333"), ("short", loss[:500], "#ff0000")], "Loss", log=True)
    x = _floats(p["x"])
    assert len(x) <= POINTS + 1 and x[0] == 1 and x[-1] == 500  # cut to the shortest series, last point kept
    y = _floats(p["series"][0]["y"])
    assert np.allclose(y, np.log10(1 / x), atol=1e-6)  # log10 of the values at the kept epochs
    assert [s["name"] for s in p["series"]] == ["loss", "short"] and p["log"] and not p["percent"]


def test_lines_leave_gaps_for_runs_that_stopped():
    y = np.array([0.5, 0.4, np.nan, np.nan])
    p = lines(np.arange(4), [("early stop", y, "#000000")], "Test loss")
    assert np.isnan(_floats(p["series"][0]["y"])[2:]).all()


def test_raster_pixels_and_hover_values_round_trip():
    rgb = np.random.default_rng(0).integers(0, 255, (3, 5, 3), dtype=np.uint8)
    hover = np.arange(15, dtype=float).reshape(3, 5)
    p = raster(rgb, "t", hover=hover, hover_rows=list("abc"), hover_cols=list("vwxyz"), aspect=0.5)
    assert (from_b64(p["rgb"], np.uint8, (3, 5, 3)) == rgb).all()
    assert (from_b64(p["hover"]["values"], np.float32, (3, 5)) == hover).all()
    assert p["hover"]["rows"] == 3 and p["hover"]["cols"] == 5 and p["aspect"] == 0.5


def test_point_sets_carry_their_rings():
    s = point_set(np.array([[0, 1], [2, 3]]), "#123456", ring=np.array([True, False]))
    assert s["n"] == 2 and (from_b64(s["ring"], np.uint8, (2,)) == [1, 0]).all()
    assert (from_b64(s["xy"], np.float32, (2, 2)) == [[0, 1], [2, 3]]).all()


def test_boundary_points_split_by_class_with_flipped_ringed():
    pts = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]])
    labels, flipped = np.array([0, 1, 1]), np.array([False, True, False])
    p = boundary_panel(np.full((8, 8), 0.5), pts, labels, 2, (-6.0, 6.0), "L2", flipped=flipped)
    a, b = p["points"]
    assert (a["n"], b["n"]) == (1, 2) and p["domain"] == [-6.0, 6.0]
    assert (from_b64(b["ring"], np.uint8, (2,)) == [1, 0]).all()
    assert (from_b64(b["xy"], np.float32, (2, 2)) == pts[1:]).all()


def test_attention_panels_one_per_head_with_the_weights_under_the_mouse():
    maps = np.random.default_rng(1).random((2, 3, 4, 4))
    panels = attention_panels(maps, list("abcd"))
    assert len(panels) == 6 and panels[4]["title"] == "layer 2, head 2"
    assert np.allclose(from_b64(panels[4]["hover"]["values"], np.float32, (4, 4)), maps[1, 1])
    assert panels[0]["hover"]["row_labels"] == ["a·0", "b·1", "c·2", "d·3"]


def test_gan_panel_shows_p_real_with_the_top_row_first():
    d = np.zeros((5, 5))
    d[0, :] = 20.0  # row 0 of the plane is its bottom (y = -3): D says real there
    plane = {"d": d, "prob": False, "real": np.zeros((3, 2)), "fake": np.ones((4, 2))}
    p = gan_panel(plane)
    v = from_b64(p["hover"]["values"], np.float32, (5, 5))
    assert np.allclose(v[-1], 1.0) and np.allclose(v[0], 0.5)  # sigmoid, drawn top row first
    assert [s["n"] for s in p["points"]] == [3, 4] and p["domain"] == [-3.0, 3.0]


def test_code_panel_fits_the_codes_in_a_unit_square_with_a_legend_of_the_classes_present():
    codes = np.array([[10.0, -5.0], [12.0, 5.0], [11.0, 0.0]])
    p = code_panel(codes, np.array([0, 2, 2]), ["zero", "one", "two"], "codes")
    assert p["legend"] == [["zero", PALETTE[0]], ["two", PALETTE[2]]]
    xy = np.concatenate([from_b64(s["xy"], np.float32, (-1, 2)) for s in p["points"]])
    assert (xy > 0).all() and (xy < 1).all()


def test_state_panel_hovers_the_unit_and_step():
    h = np.random.default_rng(2).normal(size=(6, 3))  # T = 6 steps, 3 units
    p = state_panel(h, "RNN", [str(t) for t in range(6)])
    assert np.allclose(from_b64(p["hover"]["values"], np.float32, (3, 6)), h.T)
    assert p["w"] == 6 and p["h"] == 3
