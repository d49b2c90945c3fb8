"""Notebook 03's live views and checkers: the tangent, the finite difference, the step.

Every check reads what the figure shows (line data, marker positions, the
arrow's ends, titles) and compares it with the helpers' numbers; the worked
example's numbers are pinned to full precision.
"""

import matplotlib

matplotlib.use("Agg")


import numpy as np  # noqa: E402
import pytest  # noqa: E402
from oracles import (  # noqa: E402
    REL,
    assert_shows,
    error_curve,
    feeding_value,
    gradients_at,
    oracle,
    point_of,
    weights_of,
)

from helpers.examples import WORKED_EXAMPLE  # noqa: E402
from helpers.lessons.l03_chain_rule_output_weights import (  # noqa: E402
    REGIMES,
    SlopeDashboard,
    StepDashboard,
    check_dE_dw5,
    check_new_w6,
    error_along,
    feeding_unit,
    sign_word,
    slice_curvature,
    step_regime,
)
from helpers.network import (  # noqa: E402
    backward,
    error,
    forward,
    from_named,
    numerical_gradient,
    to_named,  # noqa: E402
)
from helpers.plots import (
    broken_artists,  # noqa: E402
)

EX = WORKED_EXAMPLE


def state(**weights):
    """E, the analytic and the central-difference gradients at the example with ``weights``."""
    layers = from_named(weights, EX.layers)
    trace = forward(layers, EX.x)
    E = error(trace.output, EX.target)
    grads = to_named(backward(layers, trace, EX.target))
    numeric = to_named(numerical_gradient(layers, EX.x, EX.target))
    return layers, E, grads, numeric


# -- the pure helpers ----------------------------------------------------------


def test_error_along_matches_error_at_each_point():
    values = np.array([-1.0, 0.16, 0.5, 2.0])
    curve = error_along(EX.layers, EX.x, EX.target, "w6", values)
    for v, E in zip(values, curve):
        layers = from_named({"w6": v}, EX.layers)
        assert E == error(forward(layers, EX.x).output, EX.target)
    assert curve[1] == pytest.approx(1.59561248, rel=1e-12)


def test_slice_curvature_is_the_squared_hidden_value_and_the_second_difference():
    assert slice_curvature(EX.layers, EX.x, "w6") == pytest.approx(1.76**2, rel=1e-12)
    assert slice_curvature(EX.layers, EX.x, "w5") == pytest.approx(8.4**2, rel=1e-12)
    h = 1e-3
    w6 = EX.named["w6"]
    E = error_along(EX.layers, EX.x, EX.target, "w6", [w6 - h, w6, w6 + h])
    second = (E[0] - 2 * E[1] + E[2]) / h**2
    assert second == pytest.approx(slice_curvature(EX.layers, EX.x, "w6"), rel=1e-6)


def test_feeding_unit_and_sign_word():
    assert feeding_unit(EX.layers, "w6") == "h2"
    assert feeding_unit(EX.layers, "w5") == "h1"
    assert feeding_unit(EX.layers, "w1") == "i1"
    assert [sign_word(v) for v in (-3.1, 0.0, 2)] == ["negative", "zero", "positive"]


@pytest.mark.parametrize(
    ("ratio", "kind"),
    [
        (0.01, REGIMES[0]),
        (0.4999, REGIMES[0]),
        (0.5, REGIMES[1]),
        (1.0, REGIMES[1]),
        (1.2, REGIMES[2]),
        (2.0, REGIMES[2]),
        (2.01, REGIMES[3]),
        (30.0, REGIMES[3]),
    ],
)
def test_step_regime_bands(ratio, kind):
    assert step_regime(ratio)[0] == kind


def test_step_regime_matches_what_the_step_does_to_the_error():
    """Below 1 the step lands short, above 1 it passes the lowest point, above 2 E grows."""
    w6 = EX.named["w6"]
    layers, E, grads, _ = state()
    curvature = slice_curvature(layers, EX.x, "w6")
    lowest = w6 - grads["w6"] / curvature
    for lr in (0.01, 0.2, 0.4, 0.5, 0.7, 1.0):
        new = w6 - lr * grads["w6"]
        new_E = error_along(layers, EX.x, EX.target, "w6", [new])[0]
        kind = step_regime(lr * curvature)[0]
        passed = (new - lowest) * (w6 - lowest) < 0
        assert passed == (kind in REGIMES[2:]), lr
        assert (new_E > E) == (kind == REGIMES[3]), lr


# -- SlopeDashboard -------------------------------------------------------------


def test_slope_dashboard_shows_the_worked_example():
    view = SlopeDashboard()
    assert list(view.controls)[0] == "w6"
    text = view.description
    for number in ("2.2136", "1.76", "−1.7864", "−3.144064"):
        assert number in text
    assert "They agree" in text
    assert "−3.1441" in view.title.get_text()


@pytest.mark.parametrize("values", [{}, {"w6": 1.5}, {"w6": -2.0, "w5": 1.1}, {"w4": -0.13}])
def test_tangent_slope_is_backwards_gradient_and_touches_the_curve(values):
    view = SlopeDashboard()
    view.update(**values)
    current = {**EX.named, **view.values()}
    w6 = current["w6"]
    _, E, grads, numeric = state(**current)
    xs, ys = view.tangent.get_data()
    slope = (ys[1] - ys[0]) / (xs[1] - xs[0])
    assert slope == pytest.approx(grads["w6"], rel=1e-9, abs=1e-12)
    assert xs[0] < w6 < xs[1]
    assert np.interp(w6, xs, ys) == pytest.approx(E, rel=1e-9, abs=1e-12)
    assert view.point.get_data()[0][0] == w6
    assert view.point.get_data()[1][0] == pytest.approx(E)
    # the curve is E along w6 with the other weights as set
    cx, cy = view.curve.get_data()
    layers = from_named(current, EX.layers)
    np.testing.assert_allclose(cy, error_along(layers, EX.x, EX.target, "w6", cx))
    # the finite difference shown is close to the analytic gradient
    assert numeric["w6"] == pytest.approx(grads["w6"], rel=1e-6, abs=1e-8)
    assert "They agree" in view.description


def test_slope_dashboard_keeps_the_curve_when_only_w6_moves():
    view = SlopeDashboard()
    before = view.curve.get_data()[1].copy()
    view.update(w6=0.9)
    np.testing.assert_array_equal(view.curve.get_data()[1], before)
    view.update(w5=0.5)
    assert not np.array_equal(view.curve.get_data()[1], before)


def test_slope_dashboard_extremes_draw_sound_figures():
    view = SlopeDashboard()
    for values in ({"w6": -2, "w5": -2, "w4": -2}, {"w6": 2, "w5": 2, "w4": 2}):
        view.update(**values)
        view.fig.canvas.draw()
        assert view.last_error is None
        assert broken_artists(view.fig) == []


# -- StepDashboard --------------------------------------------------------------


def arrow_ends(view):
    return tuple(view.arrow.xyann), tuple(view.arrow.xy)


def test_step_dashboard_at_the_example():
    view = StepDashboard()
    assert list(view.controls)[0] == "lr"
    (x0, y0), (x1, y1) = arrow_ends(view)
    assert x0 == pytest.approx(0.16)
    assert y0 == pytest.approx(1.59561248, rel=1e-12)
    assert x1 == pytest.approx(0.3172032, rel=1e-12)
    assert "0.3172032" in view.description
    assert "small step" in view.title.get_text()
    assert "lr·h2² = 0.1549" in view.description


@pytest.mark.parametrize(
    "values",
    [
        {},
        {"lr": 0.3},
        {"lr": 0.5},
        {"lr": 1.0},
        {"lr": 0.9, "w6": 2.0, "w5": 2.0},
        {"lr": 0.02, "w6": -1.3, "w5": -0.4},
    ],
)
def test_step_arrow_ends_at_w_minus_lr_g_on_the_curve(values):
    view = StepDashboard()
    view.update(**values)
    current = view.values()
    lr, w6 = current["lr"], current["w6"]
    weights = {k: v for k, v in current.items() if k != "lr"}
    layers, E, grads, _ = state(**weights)
    new = w6 - lr * grads["w6"]
    new_E = error_along(layers, EX.x, EX.target, "w6", [new])[0]
    (x0, y0), (x1, y1) = arrow_ends(view)
    assert (x0, y0) == pytest.approx((w6, E), rel=1e-12)
    assert (x1, y1) == pytest.approx((new, new_E), rel=1e-12)
    assert tuple(view.landing.get_xydata()[0]) == pytest.approx((new, new_E), rel=1e-12)
    # both ends are inside the view
    lo, hi = view.ax.get_xlim()
    assert lo <= min(w6, new) and max(w6, new) <= hi
    lo, hi = view.ax.get_ylim()
    assert lo <= min(E, new_E) and max(E, new_E) <= hi
    # the words follow lr·h2², with h2 from the forward pass
    h2 = forward(layers, EX.x).hidden[0][1]
    kind = step_regime(lr * h2**2)[0]
    assert view.title.get_text().endswith(kind)


def test_lowest_point_marker_is_where_the_gradient_vanishes():
    view = StepDashboard()
    view.update(w5=0.4)
    x = view.lowest.get_xdata()[0]
    _, _, grads, _ = state(w5=0.4, w6=x)
    assert grads["w6"] == pytest.approx(0.0, abs=1e-9)


def test_tiny_step_hides_the_arrow_but_not_the_landing_point():
    view = StepDashboard()
    view.update(lr=0.0001)
    assert not view.arrow.get_visible()
    assert "too short to see" in view.description
    view.update(lr=0.05)
    assert view.arrow.get_visible()


def test_step_dashboard_extremes_draw_sound_figures():
    view = StepDashboard()
    for values in (
        {"lr": 1.0, "w6": 2.0, "w5": 2.0},
        {"lr": 1.0, "w6": -2.0, "w5": -2.0},
        {"lr": 0.0001, "w6": -2.0, "w5": 2.0},
    ):
        view.update(**values)
        view.fig.canvas.draw()
        assert view.last_error is None
        assert broken_artists(view.fig) == []
        assert "nan" not in view.description.lower()


def test_flat_curve_gives_a_message_not_a_broken_figure():
    flat = WORKED_EXAMPLE.with_weights(w3=0.0, w4=0.0)  # h2 = 0: w6 has no effect
    view = StepDashboard(flat)
    view.fig.canvas.draw()
    assert view.last_error is None
    assert "no effect" in view.message.value
    assert broken_artists(view.fig) == []


# -- checkers -------------------------------------------------------------------


def test_check_dE_dw5():
    assert check_dE_dw5(None).ok is None
    assert "Not done yet" in check_dE_dw5(None).message
    right = check_dE_dw5(-15.00576)
    assert right.ok and "Correct" in right.message
    assert "∂E/∂w6" in check_dE_dw5(-3.144064).message
    assert "½" in check_dE_dw5(-30.01152).message
    assert "sign" in check_dE_dw5(15.00576).message
    assert "first factor" in check_dE_dw5(-1.7864).message
    assert "not w5 itself" in check_dE_dw5(-1.7864 * 0.23).message
    assert check_dE_dw5("a number").ok is False


def test_check_new_w6():
    assert check_new_w6(None).ok is None
    assert check_new_w6(0.3172032).ok
    assert "uphill" in check_new_w6(0.16 - 0.05 * 3.144064).message
    assert "learning rate is missing" in check_new_w6(0.16 + 3.144064).message
    assert "step itself" in check_new_w6(0.1572032).message
    assert "∂E/∂w5" in check_new_w6(0.16 + 0.05 * 15.00576).message


# --------------------------------------------------------------------------
# What the figures must say (run by test_figure_agrees.py)
# --------------------------------------------------------------------------


@oracle("l03_chain_rule_output_weights.SlopeDashboard")
def slope_view(d):
    weights = weights_of(d.values())
    ex = d.example
    layers, trace, E, g = gradients_at(ex, weights)
    name = d.weight
    title = d.title.get_text()
    assert_shows(title, f"∂E/∂{name} =", g[name], 5)
    numeric = to_named(numerical_gradient(layers, ex.x, ex.target))[name]
    assert numeric == pytest.approx(g[name], rel=1e-5, abs=1e-6)
    assert_shows(title, "central difference", numeric, 5)
    assert point_of(d.point) == pytest.approx((weights[name], E), rel=REL, abs=1e-12)
    xs, ys = np.asarray(d.tangent.get_xydata(), dtype=float).T
    assert (ys[1] - ys[0]) / (xs[1] - xs[0]) == pytest.approx(g[name], rel=1e-6, abs=1e-9)
    ws, curve = np.asarray(d.curve.get_xydata(), dtype=float).T
    assert curve == pytest.approx(error_curve(layers, ex.x, ex.target, name, ws), rel=1e-9)


@oracle("l03_chain_rule_output_weights.StepDashboard")
def step_view(d):
    values = d.values()
    lr = float(values["lr"])
    weights = weights_of(values)
    ex = d.example
    name = d.weight
    layers, trace, E, g = gradients_at(ex, weights)
    new_w = weights[name] - lr * g[name]
    new_E = error(forward(from_named({name: new_w}, layers), ex.x).output, ex.target)
    assert point_of(d.start) == pytest.approx((weights[name], E), rel=REL, abs=1e-12)
    assert point_of(d.landing) == pytest.approx((new_w, new_E), rel=1e-9, abs=1e-12)
    feed = feeding_value(layers, trace, name)
    title = d.title.get_text()
    assert title.startswith(f"lr = {lr:g}"), title
    if feed * feed <= 1e-12:
        assert "does not depend" in title, title
        return
    ratio = lr * feed * feed
    assert_shows(title, "² =", ratio, 3)
    # What kind of step it is, from how far along the parabola it lands.
    bounds = [(0.5, "small step"), (1.005, "good step"), (2.0, "overshoot")]
    if all(abs(ratio - edge) > 1e-9 for edge, _ in bounds):
        kind = next((word for edge, word in bounds if ratio < edge), "error grows")
        assert title.endswith(kind), (ratio, title)
        assert (new_E > E) == (ratio > 2 + 1e-9) or abs(new_E - E) < 1e-9 * max(E, 1)


def test_the_step_title_and_text_give_the_same_figures_and_never_zero_percent():
    view = StepDashboard()
    for lr in (0.0001, 0.001, 0.05, 0.3):
        view.update(lr=lr)
        title_ratio = view.title.get_text().split("² = ", 1)[1].split(":")[0]
        assert f"² = {title_ratio}:" in view.description.splitlines()[0], (title_ratio, lr)
        assert " 0% of the way" not in view.description, view.description
