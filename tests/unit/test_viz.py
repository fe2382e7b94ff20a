"""Figure builders: pure functions from arrays to plotly figures and images, checked without a browser."""

import numpy as np
import plotly.graph_objects as go
import pytest

from core.playground.maps import decision_map
from core.viz.colors import diverging_rgb
from core.viz.curves import (
    compare_runs,
    confusion_matrix,
    confusion_matrix_chart,
    dead_units_chart,
    distribution_chart,
    downsample,
    grad_norm_chart,
    histogram_chart,
)
from core.viz.raster import image_bytes, map_rgb

HISTORY = {"epoch": np.arange(1000.0), "train_loss": np.linspace(1, 0.1, 1000), "test_loss": np.linspace(1, 0.2, 1000),
           "train_acc": np.linspace(0.5, 1, 1000), "test_acc": np.linspace(0.5, 0.9, 1000)}


def _valid(fig: go.Figure) -> go.Figure:
    """Figures built without validation must still pass plotly's validation; returns the figure."""
    go.Figure(fig.to_dict())
    return fig


def test_curves_are_downsampled_but_keep_the_last_point():
    x, y = downsample(HISTORY["epoch"], HISTORY["train_loss"])
    assert len(x) <= 401 and x[-1] == 999 and y[-1] == pytest.approx(0.1)
    x, y = downsample(np.arange(10), np.arange(10) * 2, n=4)
    assert x[-1] == 9 and y[-1] == 18 and len(x) <= 5


def test_decision_map_marks_misclassified_points_as_crosses():
    pts = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, -1.0]])
    fig = _valid(decision_map(np.linspace(-6, 6, 5), np.linspace(-6, 6, 5), np.zeros((5, 5)), pts, np.array([0, 1, 1]),
                              wrong=np.array([False, True, False])))
    symbols = {t.marker.symbol: len(t.x) for t in fig.data}
    assert symbols == {"circle": 2, "x": 1}
    assert len(fig.layout.images) == 1 and fig.layout.images[0].source.startswith("data:image/png;base64,")


def test_other_charts_validate():
    snaps = np.tile(np.linspace(-1, 1, 9), (20, 1))
    noise = np.random.default_rng(0).normal(size=100)
    for fig in (distribution_chart(np.arange(20), snaps, "w"), histogram_chart(noise, "h"),
                grad_norm_chart(np.arange(5), {"dense_1": np.full(5, 1e-6), "dense_2": np.ones(5)}),
                dead_units_chart({"relu_1": 0.25, "relu_2": 0.75}),
                compare_runs([{"label": "a", "history": HISTORY}, {"label": "b", "history": HISTORY}])):
        _valid(fig)


def test_confusion_matrix_counts():
    cm = confusion_matrix(np.array([0, 0, 1, 2, 2]), np.array([0, 1, 1, 2, 0]), 3)
    assert cm.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 1]]
    fig = _valid(confusion_matrix_chart(cm, ["a", "b", "c"]))
    assert fig.data[0].z[0][0] == 1


def test_diverging_colors_put_orange_below_zero_and_blue_above():
    rgb = diverging_rgb(np.array([-1.0, 0.0, 1.0]), scale=1.0)
    assert tuple(rgb[0]) == (245, 147, 34) and tuple(rgb[2]) == (8, 119, 189) and rgb[1].min() > 220


def test_map_colours_put_row_zero_on_top_and_follow_the_sign():
    values = np.full((10, 10), -1.0)
    values[0] = 1.0  # the bottom row of the plane is blue
    rgb = map_rgb(values, "binary")
    assert rgb.shape == (10, 10, 3) and rgb.dtype == np.uint8
    assert rgb[-1, 0, 2] > rgb[-1, 0, 0] and rgb[0, 0, 0] > rgb[0, 0, 2]  # blue drawn last (bottom), orange on top
    assert (map_rgb(values * 0.1, "binary", discretize=True) == rgb).all()  # discretized: the sign only


def test_image_bytes_encode_a_jpeg():
    assert image_bytes(map_rgb(np.zeros((4, 4)), "binary"))[:3] == b"\xff\xd8\xff"


def test_one_meaning_per_colour_in_the_explain_charts():
    from core.explain.trust import Curve
    from core.explain.viz import faithfulness_curves
    from core.viz.colors import ORANGE, TRUE_CLASS
    from core.viz.images import probability_bars

    fig = probability_bars(np.array([0.1, 0.7, 0.2]), ["a", "b", "c"], target=2)
    colors = fig.data[0].marker.color if hasattr(fig, "data") else fig["data"][0]["marker"]["color"]
    assert ORANGE not in colors and TRUE_CLASS in colors  # orange means "against" in every map
    curve = Curve(np.linspace(0, 1, 3), np.ones(3), 1.0)
    lines = faithfulness_curves({f"method {i}": curve for i in range(12)}, "t")
    assert len({t.line.color for t in lines.data}) == 12  # twelve methods, twelve colours
    # readable in the trust tab's half columns: the legend under the plot (not beside it), text >= 12 px
    assert lines.layout.legend.orientation == "h" and lines.layout.legend.y < 0
    assert min(lines.layout.legend.font.size, lines.layout.font.size, lines.layout.title.font.size) >= 12


def test_small_feature_bars_keep_their_labels_short_and_the_full_name_in_the_hover():
    from core.explain.viz import feature_bars

    names = ["od280/od315_of_diluted_wines", "alcohol", "proline"]
    fig = feature_bars(np.array([0.3, -0.2, 0.1]), names, "t", top=2, label_chars=14)
    assert list(fig.data[0].y) == ["od280/od315_o…", "alcohol"] and fig.data[0].customdata[0] == names[0]
    assert all(len(label) <= 14 for label in fig.data[0].y)


def _legend_above(fig: go.Figure) -> bool:
    legend = fig.layout.legend
    return legend.y is not None and legend.y >= 1 and legend.yanchor == "bottom"


def test_legends_sit_above_the_plot_not_on_the_epoch_axis_title():
    """A horizontal legend below the plot covered the x axis's "epoch" (Playground, Generative, Transfer)."""
    from core.generative.viz import gan_curves
    from core.transfer.viz import accuracy_curves
    from core.viz.embedding import code_figure

    h = {"epoch": np.arange(1.0, 6), "train_acc": np.full(5, 0.5), "test_acc": np.full(5, 0.4),
         "ns_d_loss": np.ones(5), "ns_g_loss": np.ones(5), "ns_distance": np.ones(5),
         "frozen_test_acc": np.full(5, 0.7), "frozen_train_acc": np.full(5, 0.9)}
    figs = [gan_curves(h, ("ns",), {"ns": "Non-saturating"}),
            accuracy_curves(h, ("frozen",), {"frozen": "frozen"}),
            code_figure(np.random.default_rng(0).normal(size=(20, 2)), np.arange(20) % 3, ("a", "b", "c"), "codes")]
    for fig in figs:
        assert _legend_above(fig), fig.layout.title.text


