"""helpers.plots: number formatting, unit names, the course style and steady frames."""

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl  # noqa: E402
import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from helpers.plots import (  # noqa: E402
    COLORS,
    DECADE_STRIDES,
    DecadeLocator,
    apply_style,
    decade_ticks,
    fmt,
    live_figure,
    node_names,
    page_style,
    pin_axis_labels,
    place_point_labels,
    projector_scale,
    smallest_text_px,
    sticky_log_limits,
    text_scale,
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
        (1.366e5, 4, "1.366·10⁵"),
        (2.77e15, 3, "2.77·10¹⁵"),
        (-3e-7, 2, "−3·10⁻⁷"),
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


def test_projector_variable_sets_the_scale(monkeypatch):
    monkeypatch.delenv("PROJECTOR", raising=False)
    assert projector_scale() == 1.0
    monkeypatch.setenv("PROJECTOR", "1.6")
    assert projector_scale() == 1.6
    apply_style()
    assert text_scale() == pytest.approx(1.6)
    monkeypatch.setenv("PROJECTOR", "")
    assert projector_scale() == 1.0
    apply_style()


@pytest.mark.parametrize("raw", ["big", "0", "16", "nan", "-1"])
def test_projector_variable_that_is_not_a_scale_is_named(monkeypatch, raw):
    monkeypatch.setenv("PROJECTOR", raw)
    with pytest.raises(ValueError, match=r"PROJECTOR=.*such as 1\.6"):
        projector_scale()


def test_page_style_scales_prose_code_and_controls():
    style = page_style(1.5)
    assert "--jp-content-font-size1: 21.0px" in style
    assert "--jp-code-font-size: 19.5px" in style
    assert "--jp-widgets-font-size: 19.5px" in style


@pytest.mark.parametrize("scale", [0, -1.0, float("nan")])
def test_apply_style_rejects_nonsense(scale):
    with pytest.raises(ValueError, match="scale"):
        apply_style(scale)


def test_importing_the_plots_changes_no_setting():
    code = (
        "import matplotlib as mpl\n"
        "before = dict(mpl.rcParams)\n"
        "import helpers.plots, helpers.widgets\n"
        "import helpers.lessons.l01_forward_pass, helpers.lessons.l02_error\n"
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


def test_a_live_figure_tells_the_page_its_size_before_it_is_shown():
    """With ipympl, the page sizes the figure's canvas from the start (ipympl itself
    does so only for a figure shown on its own; in a dashboard its canvas stays
    0 × 0 until the kernel answers the page)."""
    code = (
        "import matplotlib\n"
        "matplotlib.use('module://ipympl.backend_nbagg')\n"
        "from helpers.plots import live_figure\n"
        "fig, ax = live_figure(8.0, 3.3)\n"
        "print(*fig.canvas._size, fig.dpi)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    width, height, dpi = map(float, out.split())
    assert (width, height) == pytest.approx((8.0 * dpi, 3.3 * dpi))


def test_smallest_text_is_the_smallest_font_on_the_figure_hidden_or_not():
    apply_style(1.0)
    fig, ax = live_figure(4.0, 3.0)
    ax.plot([0, 1], [0, 1])
    fig.canvas.draw()
    tick_px = 9.0 * fig.dpi / 72.0  # the style's tick labels: 0.9 of 10 pt
    assert smallest_text_px(fig) == pytest.approx(tick_px)
    note = ax.text(0.5, 0.5, "", fontsize="x-small")  # filled in later
    note.set_visible(False)
    assert smallest_text_px(fig) == pytest.approx(10.0 * 0.694 * fig.dpi / 72.0, rel=1e-3)
    plt.close(fig)
    apply_style(1.4)
    try:
        fig, ax = live_figure(4.0, 3.0)
        fig.canvas.draw()
        assert smallest_text_px(fig) == pytest.approx(1.4 * tick_px)
        plt.close(fig)
    finally:
        apply_style(1.0)
    fig = plt.figure()
    assert smallest_text_px(fig) is None  # no text at all
    plt.close(fig)


# -- sticky_log_limits --------------------------------------------------------------


def test_sticky_log_limits_hold_while_the_data_fits():
    first = sticky_log_limits(None, 3e-4, 2.0)
    assert first == pytest.approx((1e-5, 100.0))  # the decades around the data, one spare each
    assert sticky_log_limits(first, 1.5e-4, 5.0) == first  # still inside: the frame stays
    # Out of the frame, or wasting more than two decades: a new frame around the data.
    assert sticky_log_limits(first, 2e-6, 5.0) == pytest.approx((1e-7, 100.0))
    assert sticky_log_limits(first, 0.5, 5.0) == pytest.approx((1e-2, 100.0))
    assert sticky_log_limits(None, 1e-40, 1.0, bounds=(1e-30, 1e3)) == pytest.approx((1e-30, 10.0))


@pytest.mark.parametrize(
    "name", ["l07_deeper_networks.GradientFlowDashboard", "l05_matrix_form.LearningRateExplorer"]
)
def test_a_steady_frame_moves_only_when_it_must_and_reset_restores_the_first(name):
    from helpers.lessons import all_dashboards

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


# -- log axes: plain-text decades, labels placed once -------------------------------------


def tick_texts(axis):
    lo, hi = sorted(axis.get_view_interval())
    return [
        t.get_text()
        for loc, t in zip(axis.get_majorticklocs(), axis.get_majorticklabels())
        if lo <= loc <= hi
    ]


def test_decade_ticks_are_plain_text_powers_of_ten():
    fig, ax = live_figure(4.0, 3.0)
    ax.set_yscale("log")
    decade_ticks(ax.yaxis)
    ax.set_ylim(1e-31, 1e4)
    ax.yaxis.set_major_locator(mpl.ticker.LogLocator(numticks=50))
    fig.canvas.draw()
    texts = tick_texts(ax.yaxis)
    assert "10⁻³¹" in texts and "10⁰" in texts and "10⁴" in texts
    assert not any("$" in t for t in texts)  # nothing for mathtext to typeset
    formatter = ax.yaxis.get_major_formatter()
    assert formatter(2e-3) == "" and formatter(1e-3) == "10⁻³" and formatter(10.0) == "10¹"


def test_decade_ticks_a_round_number_of_decades_apart():
    fig, ax = live_figure(4.0, 3.0)
    ax.set_yscale("log")
    decade_ticks(ax.yaxis, most=5)
    ax.set_ylim(1e-31, 1e4)
    fig.canvas.draw()
    assert tick_texts(ax.yaxis) == ["10⁻³⁰", "10⁻²⁰", "10⁻¹⁰", "10⁰"]
    ax.set_ylim(1e-7, 1e4)
    fig.canvas.draw()
    # 2 decades apart would need 6 labels: 3 apart, with 10⁰ among them
    assert tick_texts(ax.yaxis) == ["10⁻⁶", "10⁻³", "10⁰", "10³"]
    with pytest.raises(ValueError, match="most=1"):
        DecadeLocator(1)


@settings(max_examples=300, deadline=None)
@given(
    lo=st.floats(-300.0, 300.0),
    width=st.floats(0.0, 600.0),
    most=st.integers(2, 9),
)
def test_decade_locator_picks_the_finest_round_stride_that_fits(lo, width, most):
    vmin, vmax = 10.0**lo, 10.0 ** min(lo + width, 300.0)
    ticks = DecadeLocator(most).tick_values(vmin, vmax)
    exponents = np.log10(ticks)
    assert np.allclose(exponents, np.round(exponents))  # whole powers of ten
    inside = ticks[(ticks >= vmin * (1 - 1e-9)) & (ticks <= vmax * (1 + 1e-9))]
    assert len(inside) <= most
    if len(ticks) == 1:  # a stride so wide that only 10⁰ is a float
        assert ticks[0] == 1.0 and vmin <= 1.0 <= vmax
        return
    steps = np.diff(np.round(exponents)).astype(int)
    assert len(set(steps)) == 1  # evenly spaced
    stride = int(steps[0])
    assert stride in DECADE_STRIDES
    assert np.all(np.round(exponents) % stride == 0)  # 10⁰ is always on the grid
    # the view is covered: ticks reach past it on both sides, as far as floats go
    assert ticks[0] <= vmin or exponents[0] - stride < -323
    assert ticks[-1] >= vmax or exponents[-1] + stride > 308
    # no finer round stride would have fitted
    finer = [s for s in DECADE_STRIDES if s < stride]
    if finer:
        k_lo, k_hi = np.ceil(np.log10(vmin) - 1e-9), np.floor(np.log10(vmax) + 1e-9)
        s = finer[-1]
        count = np.floor(k_hi / s) - np.ceil(k_lo / s) + 1
        assert count > most


def label_gaps(fig, ax):
    """Pixels between each axis label and the tick labels next to it."""
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    lo, hi = sorted(ax.get_ylim())
    ticks = [
        t.get_window_extent(r)
        for loc, t in zip(ax.yaxis.get_majorticklocs(), ax.get_yticklabels())
        if lo <= loc <= hi and t.get_text()
    ]
    y_gap = min(t.x0 for t in ticks) - ax.yaxis.label.get_window_extent(r).x1
    x_ticks = [t.get_window_extent(r) for t in ax.get_xticklabels() if t.get_text()]
    x_gap = min(t.y0 for t in x_ticks) - ax.xaxis.label.get_window_extent(r).y1
    return y_gap, x_gap


def test_pinned_labels_clear_the_widest_tick_labels():
    fig, ax = live_figure(4.0, 3.0)
    fig.subplots_adjust(left=0.25)  # room for the widest labels
    ax.set_yscale("log")
    decade_ticks(ax.yaxis)
    ax.set_xlabel("step")
    ax.set_ylabel("error")
    ax.set_ylim(1, 1e3)
    ax.set_xlim(0, 300)
    pad = ax.yaxis.labelpad * fig.dpi / 72
    auto = label_gaps(fig, ax)
    assert auto == pytest.approx((pad, pad))
    pin_axis_labels(ax, widest_y_label="10⁻³¹")
    y_gap, x_gap = label_gaps(fig, ax)
    assert x_gap == pytest.approx(pad)
    assert y_gap > pad  # room left for wider labels
    ax.set_ylim(1e-31, 1e4)  # the widest labels: the gap is what matplotlib leaves
    ax.set_xlim(0, 25)
    assert label_gaps(fig, ax) == pytest.approx((pad, pad), abs=0.5)
    assert ax.yaxis.label.get_window_extent(fig.canvas.get_renderer()).x0 >= 0


# -- point labels ---------------------------------------------------------------


def _labelled_panel(points, names=None):
    fig, ax = live_figure(2.6, 3.5)
    ax.set_xlim(-3, 3)
    ax.set_ylim(-0.5, 3.5)
    names = names or [f"u{k}" for k in range(len(points))]
    labels = [
        ax.annotate(n, (0, 0), xytext=(4, 4), textcoords="offset points", fontsize="x-small")
        for n in names
    ]
    place_point_labels(ax, labels, names, points)
    fig.canvas.draw()
    return fig, ax, labels


def test_points_on_top_of_each_other_share_one_label():
    _fig, _ax, labels = _labelled_panel(
        [(-1, 0), (-1, 0), (2, 2), (0.5, 1)], ["h1", "h2", "ŷ1", "ŷ2"]
    )
    shown = [t.get_text() for t in labels if t.get_visible()]
    assert sorted(shown) == ["h1, h2", "ŷ1", "ŷ2"]
    assert not labels[1].get_visible()


def test_a_label_near_the_right_edge_turns_left_and_stays_inside():
    fig, ax, labels = _labelled_panel([(2.9, 1.0)], ["ŷ2"])
    assert labels[0].get_horizontalalignment() == "right"
    box = labels[0].get_window_extent(fig.canvas.get_renderer())
    assert box.x1 <= ax.get_window_extent().x1


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(-2.9, 2.9), st.floats(-0.4, 2.6)),
        min_size=1,
        max_size=4,
    )
)
def test_point_labels_never_cover_each_other(points):
    fig, _ax, labels = _labelled_panel(points)
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in labels if t.get_visible()]
    named = [n for t in labels if t.get_visible() for n in t.get_text().split(", ")]
    assert sorted(named) == sorted(f"u{k}" for k in range(len(points)))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), (a, b)
    plt.close(fig)


def test_point_labels_need_one_label_and_name_per_point():
    fig, ax = live_figure(2.6, 3.5)
    label = ax.annotate("a", (0, 0))
    with pytest.raises(ValueError, match="1 labels, 1 names and 2 points"):
        place_point_labels(ax, [label], ["a"], [(0, 0), (1, 1)])


def test_decade_ticks_autoscale_a_flat_line_to_a_whole_decade():
    fig, ax = live_figure(4.0, 3.0)
    ax.set_yscale("log")
    decade_ticks(ax.yaxis)
    ax.plot([0, 1], [3.0, 3.0])
    fig.canvas.draw()
    lo, hi = ax.get_ylim()
    assert 0 < lo <= 1.0 and hi >= 10.0  # a decade either side, as matplotlib's own log axis
    assert tick_texts(ax.yaxis)  # at least one power of ten is labelled
