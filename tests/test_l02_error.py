"""Notebook 02's dashboard, helpers and checkers: what the figure shows after each change."""

import matplotlib

matplotlib.use("Agg")


import numpy as np  # noqa: E402
import pytest  # noqa: E402
from oracles import (  # noqa: E402
    REL,
    assert_shows,
    error_curve,
    gradients_at,
    oracle,
    point_of,
    weights_of,
)

from helpers.examples import WORKED_EXAMPLE  # noqa: E402
from helpers.lessons.l02_error import (  # noqa: E402
    CURVE_POINTS,
    OTHER_TARGET,
    ErrorDashboard,
    best_along,
    check_error_for_target,
    check_slope,
    error_along,
    error_slope,
    squared_error,
)
from helpers.network import (  # noqa: E402
    error,
    forward,
    from_named,
    numerical_gradient,
)

Y_HAT = 2.2136
E_EXAMPLE = 1.59561248
WEIGHTS = ["w1", "w2", "w3", "w4", "w5", "w6"]


@pytest.fixture
def dash():
    return ErrorDashboard()


def xy(line):
    x, y = line.get_data()
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


def prediction(**named):
    ex = WORKED_EXAMPLE.with_weights(**named)
    return float(forward(ex.layers, ex.x).output[0])


# -- the numbers the notebook teaches -----------------------------------------


def test_squared_error_of_the_example():
    assert squared_error(Y_HAT, 4.0) == pytest.approx(E_EXAMPLE, abs=1e-12)
    assert error_slope(Y_HAT, 4.0) == pytest.approx(-1.7864, abs=1e-12)


def test_slope_is_the_derivative_of_the_error():
    for y_hat, y in [(Y_HAT, 4.0), (-3.0, 2.5), (10.0, 10.0)]:
        h = 1e-6
        numeric = (squared_error(y_hat + h, y) - squared_error(y_hat - h, y)) / (2 * h)
        assert error_slope(y_hat, y) == pytest.approx(numeric, abs=1e-6)


def test_doubling_the_miss_quadruples_the_error():
    miss = Y_HAT - 4.0
    assert squared_error(4.0 + 2 * miss, 4.0) / squared_error(Y_HAT, 4.0) == pytest.approx(4.0)
    assert squared_error(4.0 - miss, 4.0) == pytest.approx(E_EXAMPLE)


def test_error_along_matches_separate_forward_passes():
    values = np.array([-1.0, 0.0, 0.23, 0.5])
    along = error_along(WORKED_EXAMPLE.layers, WORKED_EXAMPLE.x, 4.0, "w5", values)
    for v, E in zip(values, along):
        assert E == pytest.approx(0.5 * (8.4 * v + 1.76 * 0.16 - 4.0) ** 2)
    assert along[2] == pytest.approx(E_EXAMPLE)


@pytest.mark.parametrize("name", WEIGHTS)
def test_best_along_zeroes_the_error(name):
    best = best_along(WORKED_EXAMPLE.layers, WORKED_EXAMPLE.x, 4.0, name)
    assert prediction(**{name: best}) == pytest.approx(4.0)
    # ... and its slope there is zero: a central difference of E along the weight.
    layers = from_named({name: best}, WORKED_EXAMPLE.layers)
    grads = numerical_gradient(layers, WORKED_EXAMPLE.x, 4.0)
    assert np.abs(np.concatenate([g.W.ravel() for g in grads])).max() < 1e-5


def test_best_along_for_w5_is_the_hand_value():
    # 8.4·w5 + 1.76·0.16 = 4  →  w5 = (4 − 0.2816) / 8.4
    assert best_along(WORKED_EXAMPLE.layers, WORKED_EXAMPLE.x, 4.0, "w5") == pytest.approx(
        (4 - 0.2816) / 8.4
    )


def test_best_along_is_none_when_the_weight_has_no_effect():
    layers = from_named({"w1": 0.0, "w2": 0.0}, WORKED_EXAMPLE.layers)  # h1 = 0
    assert best_along(layers, WORKED_EXAMPLE.x, 4.0, "w5") is None


# -- the dashboard ---------------------------------------------------------------


def test_starts_on_the_worked_example(dash):
    assert dash.description.splitlines()[0] == (
        "ŷ = 2.2136, y = 4, E = ½(ŷ − y)² = 1.59561; "
        "the miss ŷ − y = −1.7864 is also the slope dE/dŷ."
    )
    assert "error would be 0 at w5 = 0.442667; now w5 = 0.23" in dash.description
    assert dash.last_error is None
    (px,), (py,) = xy(dash.point_y)
    assert px == pytest.approx(Y_HAT) and py == pytest.approx(E_EXAMPLE)
    (wx,), (wy,) = xy(dash.point_w)
    assert wx == pytest.approx(0.23) and wy == pytest.approx(E_EXAMPLE)
    assert "1.5956" in dash.ax_y.get_title()
    assert dash.ax_w.get_xlabel().startswith("w5")
    assert dash._repr_mimebundle_()["text/plain"] == dash.description


def test_parabola_is_the_helpers_error_centred_on_the_target(dash):
    x, E = xy(dash.parabola)
    assert np.allclose(E, [error(np.array([v]), 4.0) for v in x])
    assert x[0] + x[-1] == pytest.approx(2 * 4.0)
    assert x[0] <= Y_HAT <= x[-1]
    assert dash.ax_y.get_xlim() == pytest.approx((x[0], x[-1]))


def test_miss_bar_and_tangent(dash):
    mx, my = xy(dash.miss)
    assert list(mx) == pytest.approx([4.0, Y_HAT])
    # just under E = 0, inside the frame
    assert my[0] == my[1] and dash.ax_y.get_ylim()[0] < my[0] < 0
    tx, ty = xy(dash.tangent)
    assert (ty[1] - ty[0]) / (tx[1] - tx[0]) == pytest.approx(Y_HAT - 4.0)
    # through the point, and stopped at E = 0: it never crosses the miss bar
    assert np.interp(Y_HAT, tx, ty) == pytest.approx(E_EXAMPLE)
    assert min(ty) == pytest.approx(0.0, abs=1e-12) and min(ty) > my[0]


def test_the_tangent_never_goes_below_zero(dash):
    for y_hat_target in (-15.0, 3.9, 4.0, 4.1, 19.0):
        dash.update(y=y_hat_target)
        tx, ty = xy(dash.tangent)
        assert min(ty) >= -1e-9 and tx[0] <= tx[1]


def test_weight_curve_is_recomputed_with_the_helpers(dash):
    ws, E = xy(dash.curve)
    assert len(ws) == CURVE_POINTS
    assert ws[0] == dash.controls["w5"].min and ws[-1] == dash.controls["w5"].max
    expected = [0.5 * (prediction(w5=w) - 4.0) ** 2 for w in ws[::20]]
    assert E[::20] == pytest.approx(expected)
    assert dash.best.get_visible()
    assert dash.best.get_xdata()[0] == pytest.approx((4 - 0.2816) / 8.4)


def test_moving_the_chosen_weight_moves_the_point_along_the_curve(dash):
    before = xy(dash.curve)[1].copy()
    dash.update(w5=0.4)
    assert np.allclose(xy(dash.curve)[1], before)  # same curve: only w5 moved
    (wx,), (wy,) = xy(dash.point_w)
    E = 0.5 * (prediction(w5=0.4) - 4.0) ** 2
    assert wx == pytest.approx(0.4) and wy == pytest.approx(E)
    (px,), (py,) = xy(dash.point_y)
    assert px == pytest.approx(prediction(w5=0.4)) and py == pytest.approx(E)
    assert E < E_EXAMPLE


def test_moving_another_weight_moves_the_whole_curve(dash):
    before = xy(dash.curve)[1].copy()
    dash.update(w1=0.5)
    after = xy(dash.curve)[1]
    assert not np.allclose(after, before)
    ws = xy(dash.curve)[0]
    expected = [0.5 * (prediction(w1=0.5, w5=w) - 4.0) ** 2 for w in ws[::30]]
    assert after[::30] == pytest.approx(expected)
    (wx,), _ = xy(dash.point_w)
    assert wx == pytest.approx(0.23)


@pytest.mark.parametrize("name", WEIGHTS)
def test_the_menu_chooses_the_weight(dash, name):
    dash.update(curve=name)
    ws, E = xy(dash.curve)
    assert dash.ax_w.get_xlabel().startswith(name)
    assert name in dash.ax_w.get_title()
    value = WORKED_EXAMPLE.named[name]
    (wx,), (wy,) = xy(dash.point_w)
    assert wx == pytest.approx(value) and wy == pytest.approx(E_EXAMPLE)
    # The point lies on the curve (the curve passes through the current weights).
    assert np.interp(value, ws, E) == pytest.approx(E_EXAMPLE, rel=1e-2)
    assert f"Along {name}" in dash.description
    # The left picture does not depend on the menu.
    (px,), _ = xy(dash.point_y)
    assert px == pytest.approx(Y_HAT)


def test_target_moves_the_parabola_and_the_best_weight(dash):
    dash.update(y=1.0)
    x, _ = xy(dash.parabola)
    assert x[0] + x[-1] == pytest.approx(2.0)
    assert dash.description.startswith("ŷ = 2.2136, y = 1, E = ½(ŷ − y)² = 0.736412")
    assert dash.best.get_xdata()[0] == pytest.approx((1 - 0.2816) / 8.4)


def test_a_best_weight_that_is_round_off_of_zero_is_shown_as_zero(dash):
    """With these slider values the error is zero at w6 = 0 on paper; in floating
    point the formula gives about −10⁻¹⁷, which the title must not show."""
    w = {"w1": 1.32, "w2": -0.88, "w3": 1.68, "w4": 1.52, "w5": 0.09, "w6": -0.18}
    w = {k: -2 + round((v + 2) / 0.01) * 0.01 for k, v in w.items()}  # as the sliders hold them
    layers = from_named(w, WORKED_EXAMPLE.layers)
    assert 0 < abs(best_along(layers, WORKED_EXAMPLE.x, [0.0], "w6")) < 1e-15
    dash.update(y=0.0, curve="w6", **w)
    assert dash.ax_w.get_title() == "E along w6, zero at 0"
    assert dash.best.get_xdata()[0] == 0.0


def test_best_outside_the_range_is_hidden_and_said(dash):
    dash.update(y=-20.0, curve="w2")
    assert not dash.best.get_visible()
    assert "outside the slider's range" in dash.description
    assert "off chart" in dash.ax_w.get_title()


def test_flat_curve_is_explained(dash):
    dash.update(w1=0.0, w2=0.0, curve="w5")
    assert not dash.best.get_visible()
    assert "cannot change" in dash.description
    _, E = xy(dash.curve)
    assert np.allclose(E, E[0])
    lo, hi = dash.ax_w.get_ylim()
    assert lo < E[0] < hi


def all_numbers_finite(dash):
    for line in (dash.parabola, dash.miss, dash.tangent, dash.point_y, dash.curve, dash.point_w):
        x, y = xy(line)
        assert np.all(np.isfinite(x)) and np.all(np.isfinite(y))
    texts = " ".join(t.get_text() for t in dash.fig.findobj(matplotlib.text.Text))
    for bad in ("nan", "inf", "∞", "undefined"):
        assert bad not in texts + dash.description


@pytest.mark.parametrize(
    "extreme",
    [
        {**{w: 2.0 for w in WEIGHTS}, "y": -20.0},
        {**{w: -2.0 for w in WEIGHTS}, "y": 20.0},
        {**{w: 0.0 for w in WEIGHTS}, "y": 0.0},
        {**{w: 2.0 for w in WEIGHTS}, "y": 20.0, "curve": "w1"},
    ],
)
def test_slider_extremes_give_a_sane_picture(dash, extreme):
    dash.update(**extreme)
    assert dash.last_error is None
    all_numbers_finite(dash)
    (px,), (py,) = xy(dash.point_y)
    lo, hi = dash.ax_y.get_xlim()
    assert lo <= px <= hi
    assert dash.ax_y.get_ylim()[0] < py < dash.ax_y.get_ylim()[1]
    _, (wy,) = xy(dash.point_w)
    assert dash.ax_w.get_ylim()[0] < wy < dash.ax_w.get_ylim()[1]


def test_reset_state_and_load(dash):
    dash.update(w3=-1.0, y=2.5, curve="w3")
    line = dash.state()
    assert line == "w1=0.21 w2=0.56 w3=-1 w4=0.02 w5=0.23 w6=0.16 y=2.5 curve=w3"
    other = ErrorDashboard()
    other.load(line)
    assert other.description == dash.description
    dash.reset()
    assert dash.values() == {**WORKED_EXAMPLE.named, "y": 4.0, "curve": "w5"}
    assert dash.description == ErrorDashboard().description


def test_controls_weights_first_then_target_then_menu(dash):
    assert list(dash.controls) == [*WEIGHTS, "y", "curve"]


def test_rejects_an_unknown_curve():
    with pytest.raises(ValueError, match="curve must be one of"):
        ErrorDashboard(curve="w9")


# -- checkers ----------------------------------------------------------------------


def test_check_error_for_target():
    expected = 0.5 * (Y_HAT - OTHER_TARGET) ** 2
    assert check_error_for_target(None).ok is None
    assert "Not done yet" in check_error_for_target(None).message
    assert check_error_for_target(expected).ok is True


@pytest.mark.parametrize(
    ("wrong", "says"),
    [
        ((Y_HAT - OTHER_TARGET) ** 2, "has a ½ in front"),
        (0.5 * (Y_HAT - OTHER_TARGET), "has to be squared"),
        (0.5 * (OTHER_TARGET - Y_HAT), "has to be squared"),
        (abs(Y_HAT - OTHER_TARGET), "size of the miss"),
        (E_EXAMPLE, "example's own target"),
        (0.5 * (Y_HAT**2 - OTHER_TARGET**2), "not ŷ and y separately"),
    ],
)
def test_check_error_for_target_names_slips(wrong, says):
    fb = check_error_for_target(wrong)
    assert fb.ok is False and says in fb.message


def test_check_slope():
    y = OTHER_TARGET
    assert check_slope(None).ok is None
    assert check_slope(Y_HAT - y).ok is True
    assert "2 cancels" in check_slope(2 * (Y_HAT - y)).message
    assert "prediction first" in check_slope(y - Y_HAT).message
    assert "E itself" in check_slope(0.5 * (Y_HAT - y) ** 2).message
    assert "subtract the target" in check_slope(Y_HAT).message
    assert "own target" in check_slope(Y_HAT - 4.0).message
    assert "too " in check_slope(5.0).message and "off by" not in check_slope(5.0).message


# --------------------------------------------------------------------------
# What the figures must say (run by test_figure_agrees.py)
# --------------------------------------------------------------------------


@oracle("l02_error.ErrorDashboard")
def error_view(d):
    values = d.values()
    weights = weights_of(values)
    y = float(values["y"])
    layers, trace, E, _g = gradients_at(d.example, weights, target=[y])
    y_hat = float(trace.output[0])
    title = d.ax_y.get_title()
    assert_shows(title, "E = ½(ŷ − y)² =", E, 5)
    assert_shows(title, "(y =", y, 4)
    assert point_of(d.point_y) == pytest.approx((y_hat, E), rel=REL, abs=1e-12)
    xs, ys = np.asarray(d.tangent.get_xydata(), dtype=float).T
    if xs[1] > xs[0]:
        assert (ys[1] - ys[0]) / (xs[1] - xs[0]) == pytest.approx(y_hat - y, rel=1e-6, abs=1e-9)
    assert min(ys) >= -1e-9 * max(1.0, E)
    assert list(d.miss.get_xdata()) == pytest.approx([y, y_hat], rel=REL)

    chosen = values["curve"]
    assert point_of(d.point_w) == pytest.approx((weights[chosen], E), rel=REL, abs=1e-12)
    ws, along = np.asarray(d.curve.get_xydata(), dtype=float).T
    assert along == pytest.approx(error_curve(layers, d.example.x, [y], chosen, ws), rel=1e-9)
    # ŷ is a straight line in one weight: it reaches y where the line crosses it.
    moved = from_named({chosen: weights[chosen] + 1.0}, layers)
    slope = float(forward(moved, d.example.x).output[0]) - y_hat
    title = d.ax_w.get_title()
    if abs(slope) < 1e-12:
        assert "flat" in title, title
    elif "zero at" in title:
        # Round-off of 0 (under a billionth of the slider's range) is shown as 0.
        control = d.controls[chosen]
        noise = 1e-9 * (control.max - control.min)
        assert_shows(title, "zero at", weights[chosen] - (y_hat - y) / slope, 4, noise)
