"""helpers.plots: number formatting, unit names, the course style and the network diagram."""

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl  # noqa: E402
import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers.examples import WORKED_EXAMPLE  # noqa: E402
from helpers.network import Layer, backward, forward, layers_from_sizes  # noqa: E402
from helpers.plots import (  # noqa: E402
    COLORS,
    NetworkDiagram,
    apply_style,
    fmt,
    live_figure,
    node_names,
    sticky_log_limits,
)


@pytest.fixture(autouse=True)
def _clean():
    with mpl.rc_context():
        yield
    plt.close("all")


# -- fmt ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [
        (2.2136, 4, "2.214"),
        (2.2136, 6, "2.2136"),
        (8.4, 4, "8.4"),
        (-1.7864, 6, "−1.7864"),
        (-15.00576, 4, "−15.01"),
        (0.0, 4, "0"),
        (12, 4, "12"),
        (1.366e5, 4, "1.366·10^5"),
        (2.77e15, 3, "2.77·10^15"),
        (-3e-7, 2, "−3·10^−7"),
        (1.59561248, 9, "1.59561248"),
        (np.float64(0.16), 4, "0.16"),
    ],
)
def test_fmt(value, digits, text):
    assert fmt(value, digits) == text


@pytest.mark.parametrize(("value", "text"), [(np.inf, "∞"), (-np.inf, "−∞"), (np.nan, "undefined")])
def test_fmt_non_finite_in_words(value, text):
    assert fmt(value) == text


def test_fmt_never_uses_a_hyphen_for_minus():
    for value in (-1.0, -2.5e-12, -7e40, -0.001):
        assert "-" not in fmt(value)


# -- node_names ----------------------------------------------------------------


def test_node_names_of_the_worked_example():
    assert node_names([2, 2, 1]) == [["i1", "i2"], ["h1", "h2"], ["ŷ"]]


def test_node_names_with_several_outputs():
    assert node_names([1, 2, 2]) == [["i1"], ["h1", "h2"], ["ŷ1", "ŷ2"]]


def test_node_names_with_several_hidden_layers():
    names = node_names([2, 3, 2, 1])
    assert names[1] == ["h1_1", "h1_2", "h1_3"]
    assert names[2] == ["h2_1", "h2_2"]
    assert names[-1] == ["ŷ"]


def test_node_names_without_hidden_layer():
    assert node_names([3, 1]) == [["i1", "i2", "i3"], ["ŷ"]]


# -- apply_style -----------------------------------------------------------------


def test_apply_style_scales_every_text():
    apply_style()
    assert mpl.rcParams["font.size"] == 10.0
    apply_style(1.6)
    assert mpl.rcParams["font.size"] == pytest.approx(16.0)
    assert mpl.rcParams["axes.titlesize"] == pytest.approx(17.6)
    assert mpl.rcParams["axes.labelsize"] == pytest.approx(16.0)
    assert mpl.rcParams["xtick.labelsize"] == pytest.approx(14.4)
    assert mpl.rcParams["legend.fontsize"] == pytest.approx(14.4)
    assert mpl.rcParams["figure.dpi"] == 100


def test_apply_style_uses_the_colour_blind_safe_palette():
    apply_style()
    cycle = [mcolors.to_hex(c) for c in mpl.rcParams["axes.prop_cycle"].by_key()["color"]]
    assert cycle[:2] == [COLORS["positive"].lower(), COLORS["negative"].lower()]


@pytest.mark.parametrize("scale", [0, -1.0, float("nan")])
def test_apply_style_rejects_nonsense(scale):
    with pytest.raises(ValueError, match="scale"):
        apply_style(scale)


def test_importing_the_plots_changes_no_setting():
    code = (
        "import matplotlib as mpl\n"
        "before = dict(mpl.rcParams)\n"
        "import helpers.plots, helpers.widgets, helpers.views.forward, helpers.views.error\n"
        "after = dict(mpl.rcParams)\n"
        "changed = sorted(k for k in before if before[k] != after[k] and k != 'backend')\n"
        "assert not changed, changed\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# -- live_figure --------------------------------------------------------------------


def test_live_figure_size_and_axes():
    fig, axes = live_figure(6.0, 3.0, 1, 2)
    assert tuple(fig.get_size_inches()) == pytest.approx((6.0, 3.0))
    assert len(axes) == 2


# -- NetworkDiagram ------------------------------------------------------------------


def diagram(sizes=(2, 2, 1), **kwargs):
    fig, ax = live_figure(6.4, 3.2)
    return NetworkDiagram(ax, list(sizes), **kwargs)


def hexes(collection):
    return [mcolors.to_hex(c) for c in collection.get_colors()]


def test_diagram_has_a_label_for_every_unit_and_weight():
    d = diagram()
    assert set(d.node_text) == {"i1", "i2", "h1", "h2", "ŷ"}
    assert list(d.edge_text) == ["w1", "w2", "w3", "w4", "w5", "w6"]
    assert len(d.lines.get_segments()) == 6


def test_edges_join_the_units_the_weights_name():
    d = diagram()
    segments = d.lines.get_segments()
    joins = {
        "w1": ("i1", "h1"),
        "w2": ("i2", "h1"),
        "w3": ("i1", "h2"),
        "w4": ("i2", "h2"),
        "w5": ("h1", "ŷ"),
        "w6": ("h2", "ŷ"),
    }
    to_pixels = d.ax.transData.transform
    radius = d.nodes.members[0].get_markersize() * d.ax.figure.dpi / 72 / 2
    for k, (source, target) in enumerate(joins.values()):
        # Each edge runs from the rim of its source unit to the rim of its target,
        # hidden under their outlines: within a unit's radius of its centre.
        (a, b), (p, q) = to_pixels([d.pos[source], d.pos[target]]), to_pixels(segments[k])
        assert np.hypot(*(p - a)) == pytest.approx(radius - 1.5)
        assert np.hypot(*(q - b)) == pytest.approx(radius - 1.5)
        direction = (b - a) / np.hypot(*(b - a))
        assert (p - a) @ direction == pytest.approx(radius - 1.5)  # on the line, facing b
        assert (b - q) @ direction == pytest.approx(radius - 1.5)


def test_edges_that_share_a_unit_do_not_touch():
    """So that moving one weight repaints its own edge, not every edge at that unit."""
    from helpers.painter import Footprint

    d = diagram()
    d.update(WORKED_EXAMPLE.layers, WORKED_EXAMPLE.x, weight_scale=0.2)  # every edge at full width
    to_pixels = d.ax.transData.transform
    width = d.max_width * d.ax.figure.dpi / 72
    prints = [
        Footprint.of_polyline(to_pixels(line.get_xydata()), width / 2 + 2)
        for line in d.lines.members
    ]
    touching = [
        (i, j) for i in range(len(prints)) for j in range(i) if prints[i].overlaps(prints[j])
    ]
    assert touching == [(2, 1)]  # only w3 and w2, where they cross


def test_update_shows_the_forward_pass_of_the_worked_example():
    d = diagram()
    trace = d.update(WORKED_EXAMPLE.layers, WORKED_EXAMPLE.x)
    assert float(trace.output[0]) == pytest.approx(2.2136)
    assert d.node_text["i1"].get_text() == "i1\n8"
    assert d.node_text["h1"].get_text() == "h1\n8.4"
    assert d.node_text["h2"].get_text() == "h2\n1.76"
    assert d.node_text["ŷ"].get_text() == "ŷ\n2.214"
    assert d.edge_text["w1"].get_text() == "w1=0.21"
    assert d.edge_text["w6"].get_text() == "w6=0.16"
    assert not d.glow.get_visible()


def test_edge_width_follows_size_and_colour_follows_sign():
    d = diagram()
    layers = [Layer([[0.1, -0.9], [0.5, 0.0]]), Layer([[-0.3], [2.0]])]
    d.update(layers, [1.0, 1.0])
    w = d.lines.get_linewidths()
    # order w1..w6 = 0.1, 0.5, −0.9, 0.0, −0.3, 2.0
    assert w[2] > w[1] > w[4] > w[0] > w[3]
    assert w[3] == pytest.approx(0.6)  # a zero weight is still drawn, thinly
    assert w[5] == pytest.approx(d.max_width)  # |w| ≥ weight_scale is drawn at full width
    pos, neg = COLORS["positive"].lower(), COLORS["negative"].lower()
    assert hexes(d.lines) == [pos, pos, neg, pos, neg, pos]
    d.update(layers, [1.0, 1.0], weight_scale=4.0)
    assert d.lines.get_linewidths()[5] < d.max_width


def test_gradients_are_labelled_and_drawn_as_a_glow():
    d = diagram(gradients=True)
    trace = forward(WORKED_EXAMPLE.layers, WORKED_EXAMPLE.x)
    grads = backward(WORKED_EXAMPLE.layers, trace, WORKED_EXAMPLE.target)
    d.update(WORKED_EXAMPLE.layers, WORKED_EXAMPLE.x, grads=grads)
    assert d.glow.get_visible()
    assert d.edge_text["w5"].get_text() == "w5=0.23\n∂E/∂w5=−15.01"
    assert d.edge_text["w4"].get_text() == "w4=0.02\n∂E/∂w4=−3.43"
    glow = np.asarray(d.glow.get_linewidths())
    lines = np.asarray(d.lines.get_linewidths())
    # The glow is widest on w5, whose gradient is the largest (−15.00576).
    assert np.argmax(glow - lines) == 4
    assert (glow - lines)[4] == pytest.approx(12.0)
    d.update(WORKED_EXAMPLE.layers, WORKED_EXAMPLE.x)
    assert not d.glow.get_visible()
    assert "∂E" not in d.edge_text["w5"].get_text()


def test_relu_shows_z_and_greys_out_dead_units():
    d = diagram((1, 2, 2), show_z=True)
    layers = [Layer([[1.0, -1.0]], [0.1, 0.1]), Layer([[1.0, 0.5], [0.3, 0.2]], [0.1, 0.1])]
    d.update(layers, [2.0], activation="relu")
    assert d.node_text["h1"].get_text() == "h1\nz=2.1\nf=2.1"
    assert d.node_text["h2"].get_text() == "h2\nz=−1.9\nf=0"
    faces = [mcolors.to_hex(c) for c in d.nodes.get_facecolors()]
    order = ["i1", "h1", "h2", "ŷ1", "ŷ2"]
    assert faces[order.index("h2")] == mcolors.to_hex(COLORS["dead"])
    assert faces[order.index("h1")] == mcolors.to_hex(COLORS["node"])


def test_linear_network_with_show_z_shows_plain_values():
    d = diagram(show_z=True)
    d.update(WORKED_EXAMPLE.layers, WORKED_EXAMPLE.x)
    assert d.node_text["h1"].get_text() == "h1\n8.4"


def test_deep_diagram_fits_its_axes():
    sizes = [2, 4, 4, 3, 1]
    d = diagram(sizes, edge_labels=False)
    assert d.edge_text == {}
    d.update(layers_from_sizes(sizes, bias=None), [1.0, -1.0])
    xs, ys = zip(*d.pos.values())
    lo, hi = d.ax.get_xlim()
    assert lo < min(xs) and max(xs) < hi
    lo, hi = d.ax.get_ylim()
    assert lo < min(ys) and max(ys) < hi
    assert len(d.lines.get_segments()) == 2 * 4 + 4 * 4 + 4 * 3 + 3 * 1


def test_huge_weights_give_finite_widths():
    d = diagram()
    d.update([Layer([[1e6, -1e6], [0.0, 3.0]]), Layer([[1e6], [-1e6]])], [1.0, 1.0])
    assert np.all(np.isfinite(d.lines.get_linewidths()))
    assert d.node_text["ŷ"].get_text() == "ŷ\n2·10^12"


def test_sticky_log_limits_hold_while_the_data_fits():
    first = sticky_log_limits(None, 3e-4, 2.0)
    assert first == pytest.approx((1e-5, 100.0))  # the decades around the data, one spare each
    assert sticky_log_limits(first, 1.5e-4, 5.0) == first  # still inside: the frame stays
    # Out of the frame, or wasting more than two decades: a new frame around the data.
    assert sticky_log_limits(first, 2e-6, 5.0) == pytest.approx((1e-7, 100.0))
    assert sticky_log_limits(first, 0.5, 5.0) == pytest.approx((1e-2, 100.0))
    assert sticky_log_limits(None, 1e-40, 1.0, bounds=(1e-30, 1e3)) == pytest.approx((1e-30, 10.0))


@pytest.mark.parametrize("name", ["deep.GradientFlowDashboard", "training.LearningRateExplorer"])
def test_a_steady_frame_moves_only_when_it_must_and_reset_restores_the_first(name):
    from helpers.views import all_dashboards

    dashboard = all_dashboards()[name]()
    ax = dashboard.fig.axes[0]
    start = ax.get_ylim()
    control = next(iter(dashboard.controls))
    widget = dashboard.controls[control]
    options = [v[1] if isinstance(v, tuple) else v for v in getattr(widget, "options", [])]
    values = options or list(range(widget.min, widget.max + 1))
    frames = []
    for value in values:
        dashboard.update(**{control: value})
        lo, hi = ax.get_ylim()
        line = ax.get_lines()[0].get_ydata()
        shown = np.asarray(line, dtype=float)
        assert lo <= shown.min() and shown.max() <= hi  # the data is always in the frame
        frames.append((lo, hi))
    changes = sum(a != b for a, b in zip(frames, frames[1:]))
    assert changes <= len(values) // 3, f"the frame moved {changes} times in {len(values)} steps"
    dashboard.reset()
    assert ax.get_ylim() == start
