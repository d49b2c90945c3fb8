"""Notebook 02: the squared error, as a function of the prediction and of one weight.

:class:`ErrorDashboard` draws two views of the same number E = ½(ŷ − y)²:
on the left the parabola over ŷ with the current prediction on it (and its
slope ŷ − y), on the right E along one chosen weight with the other weights
fixed, recomputed with the helpers over the slider's whole range.

Also here: the checkers of the exercises (:func:`check_error_for_target`,
:func:`check_slope`), which recognise the usual slips with the squared error:
the ½ forgotten, the square forgotten, the old target used, the 2 of the square
left in, the subtraction turned round.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ..checks import check_number
from ..examples import WORKED_EXAMPLE
from ..network import error, error_along, forward, from_named, weight_names
from ..plots import COLORS, fmt, live_figure, nice_ceiling
from ..widgets import WEIGHT_RANGE, Dashboard, target_slider, weight_slider

__all__ = [
    "ErrorDashboard",
    "OTHER_TARGET",
    "best_along",
    "check_error_for_target",
    "check_slope",
    "error_slope",
    "miss_doubling_misconception",
    "squared_error",
    "why_miss_doubles",
    "why_w5_direction",
]


#: How many weight values the curve on the right is computed at.
CURVE_POINTS = 121


def squared_error(y_hat, target):
    """E = ½(ŷ − y)² for one prediction and one target, by :func:`helpers.network.error`."""
    return error(np.atleast_1d(np.asarray(y_hat, dtype=float)), target)


def error_slope(y_hat, target):
    """dE/dŷ for E = ½(ŷ − y)²: the ½ cancels the 2 from the square, leaving ŷ − y."""
    return float(y_hat) - float(target)


def best_along(layers, x, target, name):
    """The value of weight ``name`` at which E is lowest (zero), the others fixed.

    In a linear network ŷ is a straight line in any one weight, ŷ = a + b·w, so
    E = ½(a + b·w − y)² is a parabola with its lowest point, E = 0, at
    w = (y − a) / b. Returns ``None`` when ŷ does not depend on that weight at
    all (b = 0, e.g. w5 when h1 = 0). Only for linear networks.
    """
    y = float(np.asarray(target, dtype=float).ravel()[0])
    a = float(forward(from_named({name: 0.0}, layers), x).output[0])
    b = float(forward(from_named({name: 1.0}, layers), x).output[0]) - a
    if abs(b) < 1e-12:
        return None
    return (y - a) / b


class ErrorDashboard(Dashboard):
    """Sliders for w1..w6 and the target y, a menu for the weight the right-hand curve varies.

    Left: E against ŷ (the parabola ½(ŷ − y)²), the current point, its tangent
    with slope ŷ − y, and the miss ŷ − y drawn along the bottom. Right: E
    against the chosen weight with every other weight fixed, the current point
    and, dotted, where along that weight the error would be zero.
    """

    def __init__(self, example=WORKED_EXAMPLE, curve="w5", weight_range=WEIGHT_RANGE):
        if example.activation != "linear":
            raise ValueError("ErrorDashboard draws linear networks (its curves assume it)")
        self.example = example
        names = list(weight_names(example.layers))
        if curve not in names:
            raise ValueError(f"curve must be one of {names}, got {curve!r}")
        controls = {
            name: weight_slider(name, value, weight_range) for name, value in example.named.items()
        }
        controls["y"] = target_slider(float(np.ravel(example.target)[0]))
        controls["curve"] = widgets.Dropdown(
            options=names,
            value=curve,
            description="E along",
            style={"description_width": "4em"},
            layout=widgets.Layout(width="12.5em"),  # grows with a projector's larger text
        )

        fig, (ax_y, ax_w) = live_figure(8.0, 3.3, 1, 2)
        fig.subplots_adjust(left=0.08, right=0.98, bottom=0.17, top=0.87, wspace=0.28)
        self.ax_y, self.ax_w = ax_y, ax_w

        (self.parabola,) = ax_y.plot([], [], color=COLORS["positive"], lw=2)
        (self.miss,) = ax_y.plot([], [], color=COLORS["negative"], lw=4, solid_capstyle="butt")
        (self.tangent,) = ax_y.plot([], [], color=COLORS["gradient"], lw=2, ls="--")
        (self.point_y,) = ax_y.plot([], [], "o", color="black", ms=7, zorder=5)
        ax_y.legend(
            [self.miss, self.tangent],
            ["miss ŷ − y", "slope dE/dŷ"],
            loc="upper center",
            fontsize="small",
            frameon=False,
        )
        ax_y.set_xlabel("prediction ŷ")
        ax_y.set_ylabel("error E")

        (self.curve,) = ax_w.plot([], [], color=COLORS["positive"], lw=2)
        self.best = ax_w.axvline(0.0, color=COLORS["accent"], lw=1.5, ls=":")
        (self.point_w,) = ax_w.plot([], [], "o", color="black", ms=7, zorder=5)
        ax_w.set_ylabel("error E")

        super().__init__(controls, fig)
        self.live(self.miss, self.tangent, self.point_y, self.curve, self.best, self.point_w)
        self.refresh()

    def redraw(self, **values):
        names = [n for n in values if n.startswith("w")]
        weights = {n: values[n] for n in names}
        y = float(values["y"])
        chosen = values["curve"]
        layers = from_named(weights, self.example.layers)
        x = self.example.x
        y_hat = float(forward(layers, x).output[0])
        E = squared_error(y_hat, y)
        slope = error_slope(y_hat, y)

        # Left: the parabola, centred on the target and wide enough to show ŷ.
        half = max(6.0, 1.3 * abs(y_hat - y))
        grid = np.linspace(y - half, y + half, 101)
        parabola = np.array([squared_error(v, y) for v in grid])
        if not np.array_equal(self.parabola.get_ydata(), parabola) or not np.array_equal(
            self.parabola.get_xdata(), grid
        ):
            self.parabola.set_data(grid, parabola)  # unchanged, it is not repainted
        self.point_y.set_data([y_hat], [E])
        top = nice_ceiling(parabola.max() * 1.08)
        # The miss just below E = 0, and the tangent stopped where it reaches E = 0:
        # the two never cross, and the tangent never shows a negative error.
        self.miss.set_data([y, y_hat], [-0.025 * top] * 2)
        xs = np.array([y_hat - 0.2 * half, y_hat + 0.2 * half])
        if slope > 0:  # the tangent falls to the left, to E = 0 at ŷ − E/slope
            xs[0] = max(xs[0], y_hat - E / slope)
        elif slope < 0:  # and to the right
            xs[1] = min(xs[1], y_hat - E / slope)
        self.tangent.set_data(xs, E + slope * (xs - y_hat))
        self.ax_y.set_xlim(grid[0], grid[-1])
        self.ax_y.set_ylim(-0.05 * top, top)
        self.ax_y.set_title(f"E = ½(ŷ − y)² = {fmt(E, 5)}   (y = {fmt(y)})")

        # Right: E along the chosen weight, over its slider's range.
        slider = self.controls[chosen]
        ws = np.linspace(slider.min, slider.max, CURVE_POINTS)
        along = error_along(layers, x, y, chosen, ws)
        self.curve.set_data(ws, along)
        self.point_w.set_data([weights[chosen]], [E])
        self.ax_w.set_xlim(ws[0], ws[-1])
        top_w = nice_ceiling(max(along.max(), E, 1e-9) * 1.08)
        self.ax_w.set_ylim(-0.05 * top_w, top_w)
        self.ax_w.set_xlabel(f"{chosen}   (the other weights fixed)")
        best = best_along(layers, x, y, chosen)
        if best is not None and abs(best) < 1e-9 * (slider.max - slider.min):
            best = 0.0  # round-off of 0: a student would read 10⁻¹⁷ as a real number
        if best is None:
            self.best.set_visible(False)
            self.ax_w.set_title(f"E along {chosen}: flat (ŷ ignores {chosen})")
            where = (
                f"Along {chosen} the error cannot change: ŷ does not depend on {chosen} "
                "at these values (what it multiplies is 0)."
            )
        else:
            self.best.set_xdata([best, best])
            inside = slider.min <= best <= slider.max
            self.best.set_visible(inside)
            self.ax_w.set_title(
                f"E along {chosen}, zero at {fmt(best, 4)}" + ("" if inside else " (off chart)")
            )
            where = (
                f"Along {chosen} (the other weights fixed) the error would be 0 at "
                f"{chosen} = {fmt(best, 6)}"
                + (
                    ""
                    if inside
                    else f", outside the slider's range {fmt(slider.min)}…{fmt(slider.max)}"
                )
                + f"; now {chosen} = {fmt(weights[chosen])}."
            )

        return (
            f"ŷ = {fmt(y_hat, 6)}, y = {fmt(y, 6)}, E = ½(ŷ − y)² = {fmt(E, 6)}; "
            f"the miss ŷ − y = {fmt(slope, 6)} is also the slope dE/dŷ.\n"
            + where
            + "\n("
            + ", ".join(f"{n} = {fmt(v)}" for n, v in weights.items())
            + ")"
        )


# --------------------------------------------------------------------------
# Checkers for the exercises
# --------------------------------------------------------------------------


#: The target of exercise 1: the example's prediction, judged against another target.
OTHER_TARGET = 1.0


def _prediction(example):
    return float(forward(example.layers, example.x, example.activation).output[0])


def _target(example):
    return float(example.target.ravel()[0])


def check_error_for_target(E, target=OTHER_TARGET, example=WORKED_EXAMPLE):
    """Check E = ½(ŷ − y)² for the example's prediction ŷ against ``target``."""
    y_hat = _prediction(example)
    miss = y_hat - target
    expected = 0.5 * miss**2
    old_miss = y_hat - _target(example)
    hints = [
        (miss**2, "That is (ŷ − y)²: the squared error has a ½ in front."),
        (0.5 * miss, "That is ½(ŷ − y): the miss has to be squared."),
        (-0.5 * miss, "That is ½(y − ŷ): the miss has to be squared."),
        (abs(miss), "That is the size of the miss, |ŷ − y|: square it and halve it."),
        (
            0.5 * old_miss**2,
            f"That is the error for the example's own target {_target(example):g}; "
            f"use y = {target:g}.",
        ),
        (0.5 * (y_hat**2 - target**2), "Square the difference ŷ − y, not ŷ and y separately."),
        (0.5 * (y_hat**2 + target**2), "Square the difference ŷ − y, not ŷ and y separately."),
    ]
    return check_number("E", E, expected, hints, rel_tol=1e-4)


def check_slope(dE_dy_hat, target=OTHER_TARGET, example=WORKED_EXAMPLE):
    """Check dE/dŷ = ŷ − y at the example's prediction, for the other ``target``
    of exercise 1 (the slope at the example's own target is printed above it)."""
    y_hat = _prediction(example)
    y = target
    expected = y_hat - y
    hints = [
        (
            y_hat - _target(example),
            f"That is the slope for the example's own target {_target(example):g}; "
            f"use y = {target:g}.",
        ),
        (
            2 * expected,
            "That is 2(ŷ − y), the slope of (ŷ − y)². With the ½ in front, the 2 cancels.",
        ),
        (
            -expected,
            "That is y − ŷ: the derivative of ½(ŷ − y)² with respect to ŷ is ŷ − y "
            "(the prediction first). The sign matters: it says which way to move ŷ.",
        ),
        (0.5 * expected**2, "That is E itself; the question asks for its slope."),
        (0.5 * expected, "The derivative of ½u² is u, not ½u."),
        (y_hat, "That is ŷ; subtract the target."),
    ]
    return check_number("dE/dŷ", dE_dy_hat, expected, hints, rel_tol=1e-4)


# --------------------------------------------------------------------------
# Why the predict-first answers are what they are (shown after Reveal)
# --------------------------------------------------------------------------


def miss_doubling_misconception():
    """``(2, why)``: the answer "E doubles" to "the miss doubles: how much larger is E?"."""
    return (
        2.0,
        "E does not grow like the miss: it grows like its square, ½(ŷ − y)², so twice "
        "the miss gives 2² times the error.",
    )


def why_miss_doubles(ratio):
    """One line on the factor ``ratio`` by which E grows when the miss doubles."""
    return (
        f"E = ½(ŷ − y)² grows with the square of the miss: twice the miss gives "
        f"2² = {fmt(ratio, 3)} times the error."
    )


def why_w5_direction(target, example=WORKED_EXAMPLE):
    """One line on which way w5 should move to bring ŷ to ``target``."""
    trace = forward(example.layers, example.x, example.activation)
    y_hat = float(trace.output[0])
    h1 = float(trace.hidden[0][0])
    if np.isclose(y_hat, target) or h1 == 0:
        return f"ŷ = {fmt(y_hat, 5)} is already on the target: any move of w5 raises E."
    where = "below" if y_hat < target else "above"
    up = (y_hat < target) == (h1 > 0)  # a larger w5 moves ŷ toward the target
    return (
        f"ŷ = {fmt(y_hat, 5)} is {where} the target {fmt(target)}; w5 multiplies "
        f"h1 = {fmt(h1, 4)}, which is {'positive' if h1 > 0 else 'negative'}, so a "
        f"{'larger' if up else 'smaller'} w5 moves ŷ toward the target."
    )
