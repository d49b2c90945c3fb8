"""Notebook 03: the chain rule for the output weights, live.

:class:`SlopeDashboard` draws the error as a function of one output weight
with its tangent at the current value: the tangent's slope is ∂E/∂w, shown
beside a central finite difference. :class:`StepDashboard` draws one gradient
step ``w ← w − lr·∂E/∂w`` along the same curve and says in words what kind of
step the learning rate gives.

Along one weight of a linear network the prediction is a straight line in
that weight, ŷ(w) = ŷ + s·(w − w_now) with s = ∂ŷ/∂w, so the error is exactly
the parabola ½(ŷ(w) − y)² with curvature s². For an output weight s is the
hidden value feeding it (h2 for w6), so a step moves ``lr·s²`` of the way to
the parabola's lowest point: see :func:`step_regime`.

Also here: the checkers of the exercises (:func:`check_dE_dw5`, :func:`check_new_w6`).
Every expected value is computed from the example with the helpers, and every
hint is a slip a student is likely to make, computed the same way.
"""

from __future__ import annotations

import numpy as np

from ..checks import backward_of, chain_rule_parts, check_number
from ..examples import WORKED_EXAMPLE
from ..network import (
    backward,
    error,
    error_along,
    forward,
    from_named,
    numerical_gradient,
    output_gradient,
    sgd_step,
    to_named,
    weight_names,
)
from ..plots import COLORS, fmt, live_figure, node_names, step_arrow
from ..text import sign_word
from ..widgets import WEIGHT_RANGE, Dashboard, lr_slider, weight_slider

__all__ = [
    "REGIMES",
    "SlopeDashboard",
    "StepDashboard",
    "check_dE_dw5",
    "check_new_w6",
    "feeding_unit",
    "sign_word",
    "slice_curvature",
    "step_regime",
    "why_step_regime",
    "why_w6_gradient_sign",
]


#: The kinds of step :func:`step_regime` names, in order of growing learning rate.
REGIMES = ["small step", "good step", "overshoot", "error grows"]

_CURVE_POINTS = 161


def slice_curvature(layers, x, name):
    """d²E/dw² along the weight ``name`` of a *linear* network: (∂ŷ/∂w)².

    In a linear network ŷ is a straight line in any single weight, so along
    that weight E = ½(ŷ − y)² is a parabola and this is its exact curvature.
    """
    slope = to_named(output_gradient(layers, x))[name]
    return slope * slope


def feeding_unit(layers, name):
    """The unit whose value multiplies weight ``name`` (``"h2"`` for w6 of the 2-2-1 network)."""
    layer, i, _j = weight_names(layers)[name]
    sizes = [layers[0].W.shape[0]] + [L.W.shape[1] for L in layers]
    return node_names(sizes)[layer][i]


def step_regime(ratio):
    """What a gradient step does on a parabola, from ``ratio = lr × curvature``.

    The step covers ``ratio`` of the way to the lowest point: below 1 it lands
    short, at 1 exactly on it, above 1 it passes it (an overshoot), and above 2
    it lands higher than it started. Returns ``(kind, sentence)``, ``kind``
    being one of :data:`REGIMES`.
    """
    r = float(ratio)
    # a whole percent, or two figures when that would read "0 %"
    share = f"{r:.0%}" if r >= 0.1 else f"{fmt(100 * r, 2)}%"
    if r < 0.5:
        return REGIMES[0], f"a small step: it covers {share} of the way to the lowest point"
    if r < 0.995:
        return REGIMES[1], f"a good step: it covers {share} of the way to the lowest point"
    if r <= 1.005:
        return REGIMES[1], "a good step: it lands on the lowest point"
    if r <= 2:
        return (
            REGIMES[2],
            f"an overshoot: it passes the lowest point by {r - 1:.0%} of the distance, "
            "yet the error still falls",
        )
    return (
        REGIMES[3],
        f"an overshoot that grows the error: it passes the lowest point by {r - 1:.0%} "
        "of the distance and lands higher than it started",
    )


def _window(values, pad=0.06):
    lo, hi = float(np.min(values)), float(np.max(values))
    span = hi - lo if hi > lo else max(abs(hi), 1.0)
    return lo - pad * span, hi + pad * span


class SlopeDashboard(Dashboard):
    """E as a function of one output weight, with the tangent whose slope is ∂E/∂w.

    The first slider is that weight (w6 by default); the others change the
    rest of the network, and so the curve. The text beside the curve shows
    ∂E/∂w from :func:`~helpers.network.backward` and the central difference
    from :func:`~helpers.network.numerical_gradient`.
    """

    def __init__(
        self, example=WORKED_EXAMPLE, weight="w6", others=("w5", "w4"), weight_range=WEIGHT_RANGE
    ):
        self.example = example
        self.weight = weight
        self.unit = feeding_unit(example.layers, weight)
        named = example.named
        controls = {weight: weight_slider(weight, named[weight], weight_range)}
        controls.update({n: weight_slider(n, named[n], weight_range) for n in others})
        controls[weight].add_class("drives-figure")
        lo, hi = controls[weight].min, controls[weight].max
        self.grid = np.linspace(lo, hi, _CURVE_POINTS)

        fig, ax = live_figure(8.4, 3.2)
        fig.subplots_adjust(left=0.09, right=0.72, bottom=0.16, top=0.9)
        self.ax = ax
        (self.curve,) = ax.plot([], [], color=COLORS["positive"], lw=2, label=f"E({weight})")
        (self.tangent,) = ax.plot(
            [], [], color=COLORS["gradient"], lw=2.5, label="tangent: slope = ∂E/∂" + weight
        )
        (self.point,) = ax.plot(
            [], [], "o", color=COLORS["negative"], ms=8, zorder=5, label=f"now: {weight}, E"
        )
        self.title = ax.set_title("", fontsize="medium")
        ax.set_xlim(*_window(self.grid, 0.02))
        ax.set_xlabel(weight)
        ax.set_ylabel("E = ½(ŷ − y)²")
        # Beside the axes, in one place: a legend that jumps to wherever the
        # curve is not would move under the student's eyes with every step.
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
        self._curve_key = None
        super().__init__(controls, fig)
        self.live(self.curve, self.tangent, self.point, self.title)
        self.refresh()

    def redraw(self, **values):
        w = values[self.weight]
        ex = self.example
        layers = from_named(values, ex.layers)
        others = {k: v for k, v in values.items() if k != self.weight}

        key = tuple(sorted(others.items()))
        if key != self._curve_key:
            curve = error_along(layers, ex.x, ex.target, self.weight, self.grid)
            self.curve.set_data(self.grid, curve)
            lo, hi = _window(np.append(curve, 0.0))
            self.ax.set_ylim(lo, hi)
            self._curve_key = key

        trace = forward(layers, ex.x)
        E = error(trace.output, ex.target)
        grad = to_named(backward(layers, trace, ex.target))[self.weight]
        numeric = to_named(numerical_gradient(layers, ex.x, ex.target))[self.weight]
        delta = float(trace.output[0] - ex.target[0])
        feed = to_named(output_gradient(layers, ex.x))[self.weight]

        half = 0.12 * (self.grid[-1] - self.grid[0])
        xs = np.array([w - half, w + half])
        self.tangent.set_data(xs, E + grad * (xs - w))
        self.point.set_data([w], [E])

        gap = abs(grad - numeric)
        agree = gap <= 1e-6 * max(1.0, abs(grad))
        self.title.set_text(
            f"slope of the tangent ∂E/∂{self.weight} = {fmt(grad, 5)}  ·  "
            f"central difference {fmt(numeric, 5)}"
        )
        verdict = (
            "They agree (the difference is below 10⁻⁶)."
            if agree
            else f"They differ by {fmt(gap, 2)}."
        )
        settings = ", ".join(f"{k} = {fmt(v)}" for k, v in others.items())
        return (
            f"{self.weight} = {fmt(w)} ({settings}): {self.unit} = {fmt(feed, 6)}, "
            f"ŷ = {fmt(trace.output[0], 7)}, E = {fmt(E, 9)}.\n"
            f"Slope of the tangent = ∂E/∂{self.weight} = δ·{self.unit} = "
            f"({fmt(delta, 6)})·({fmt(feed, 6)}) = {fmt(grad, 7)} (backward).\n"
            f"Central difference (numerical_gradient): {fmt(numeric, 7)}. {verdict}"
        )


class StepDashboard(Dashboard):
    """One gradient step ``w ← w − lr·∂E/∂w`` drawn along the curve E(w).

    The first slider is the learning rate. The arrow runs from the current
    point to where the step lands, on the curve; the title says whether that
    is a small step, a good step or an overshoot, from ``lr × curvature``
    (:func:`step_regime`, :func:`slice_curvature`).
    """

    def __init__(
        self, example=WORKED_EXAMPLE, weight="w6", others=("w5",), weight_range=WEIGHT_RANGE
    ):
        self.example = example
        self.weight = weight
        self.unit = feeding_unit(example.layers, weight)
        named = example.named
        controls = {"lr": lr_slider(example.lr)}
        controls[weight] = weight_slider(weight, named[weight], weight_range)
        controls.update({n: weight_slider(n, named[n], weight_range) for n in others})
        controls["lr"].add_class("drives-figure")
        self.slider_range = (controls[weight].min, controls[weight].max)

        fig, ax = live_figure(8.0, 3.3)
        fig.subplots_adjust(left=0.08, right=0.78, bottom=0.16, top=0.86)
        self.ax = ax
        (self.curve,) = ax.plot([], [], color=COLORS["positive"], lw=2, label=f"E({weight})")
        (self.lowest,) = ax.plot(
            [], [], ls=":", color=COLORS["neutral"], lw=1.5, label="lowest point"
        )
        (self.start,) = ax.plot([], [], "o", color=COLORS["negative"], ms=8, zorder=5, label="now")
        (self.landing,) = ax.plot(
            [], [], "o", color=COLORS["accent"], ms=8, zorder=5, label="after the step"
        )
        self.arrow = step_arrow(ax, shrink_end=4, zorder=4)
        self.title = ax.set_title("", fontsize="medium")
        ax.set_xlabel(weight)
        ax.set_ylabel("E = ½(ŷ − y)²")
        # Beside the axes, in one place: a legend that jumps to wherever the
        # curve is not would move under the student's eyes with every step.
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
        super().__init__(controls, fig)
        self.live(self.curve, self.lowest, self.start, self.landing, self.arrow)
        self.refresh()

    def redraw(self, **values):
        lr = float(values["lr"])
        w = values[self.weight]
        ex = self.example
        weights = {k: v for k, v in values.items() if k != "lr"}
        layers = from_named(weights, ex.layers)

        trace = forward(layers, ex.x)
        E = error(trace.output, ex.target)
        grad = to_named(backward(layers, trace, ex.target))[self.weight]
        feed = to_named(output_gradient(layers, ex.x))[self.weight]
        curvature = feed * feed  # = slice_curvature(layers, ex.x, self.weight)
        new_w = w - lr * grad
        new_E = error(forward(from_named({self.weight: new_w}, layers), ex.x).output, ex.target)

        lo, hi = self.slider_range
        points = [lo, hi, w, new_w]
        lowest = None
        if curvature > 1e-12:
            lowest = w - grad / curvature  # the parabola's vertex: one Newton step
            if abs(lowest) < 50 * (hi - lo):
                points.append(lowest)
        x0, x1 = _window(points, 0.04)
        xs = np.linspace(x0, x1, _CURVE_POINTS)
        curve = error_along(layers, ex.x, ex.target, self.weight, xs)
        self.curve.set_data(xs, curve)
        y0, y1 = _window(np.append(curve, [0.0, E, new_E]))
        self.ax.set_xlim(x0, x1)
        self.ax.set_ylim(y0, y1)

        if lowest is not None and x0 <= lowest <= x1:
            self.lowest.set_data([lowest, lowest], [y0, y1])
            self.lowest.set_visible(True)
        else:
            self.lowest.set_visible(False)
        self.start.set_data([w], [E])
        self.landing.set_data([new_w], [new_E])
        # A zero-length arrow has no direction to draw its head in.
        visible = abs(new_w - w) > 1e-3 * (x1 - x0)
        self.arrow.xy = (new_w, new_E)
        self.arrow.set_position((w, E))
        self.arrow.set_visible(visible)

        u = self.unit
        step_text = (
            f"{self.weight} moves from {fmt(w, 6)} to {fmt(new_w, 7)} "
            f"(∂E/∂{self.weight} = {fmt(grad, 7)}, step −lr·∂E/∂{self.weight} = "
            f"{fmt(-lr * grad, 5)}); E goes from {fmt(E, 9)} to {fmt(new_E, 6)}."
        )
        if curvature <= 1e-12:
            self.title.set_text(f"lr = {lr:g}: {u} = 0, so E does not depend on {self.weight}")
            self.say(
                f"{u} is zero, so {self.weight} has no effect on ŷ: the curve is flat and "
                "there is nothing to step along."
            )
            return f"lr = {lr:g}, {u} = 0: E does not change with {self.weight}. " + step_text
        ratio = lr * curvature
        kind, sentence = step_regime(ratio)
        self.title.set_text(f"lr = {lr:g}, lr·{u}² = {fmt(ratio, 4)}: {kind}")
        where = (
            f"The lowest point of this curve is at {self.weight} = {fmt(lowest, 6)}."
            if lowest is not None
            else ""
        )
        if not visible:
            step_text += " (The step is too short to see.)"
        return (
            f"lr = {lr:g}, {u} = {fmt(feed, 6)}, "
            f"lr·{u}² = {fmt(ratio, 4)}: {sentence}.\n{step_text}\n{where}"
        )


# --------------------------------------------------------------------------
# Checkers for the exercises
# --------------------------------------------------------------------------


def check_dE_dw5(given, example=WORKED_EXAMPLE):
    """Notebook 03: ∂E/∂w5 = δ·h1 at the example's weights."""
    h1, h2, y_hat, y, grads = chain_rule_parts(example)
    delta = y_hat - y
    w5 = example.named["w5"]
    hints = [
        (delta * h2, "That is ∂E/∂w6. The weight w5 multiplies h1, so ∂ŷ/∂w5 = h1."),
        (delta, "That is only the first factor, ∂E/∂ŷ = δ. Multiply by ∂ŷ/∂w5 = h1."),
        (h1, "That is only the second factor, ∂ŷ/∂w5 = h1. Multiply by ∂E/∂ŷ = δ."),
        (
            2 * delta * h1,
            "The ½ in E = ½(ŷ − y)² cancels the 2 from the square: ∂E/∂ŷ = ŷ − y.",
        ),
        (
            0.5 * delta * h1,
            "The derivative of ½u² is u itself, so the ½ goes away: ∂E/∂ŷ = ŷ − y.",
        ),
        (
            -delta * h1,
            "δ is ŷ − y (prediction minus target); y − ŷ flips the sign of the gradient.",
        ),
        (delta * w5, "∂ŷ/∂w5 is the value that w5 multiplies (h1), not w5 itself."),
    ]
    return check_number("∂E/∂w5", given, grads["w5"], hints=hints)


def check_new_w6(given, example=WORKED_EXAMPLE):
    """Notebook 03: w6 after one step, w6 − lr·∂E/∂w6, at the example's learning rate."""
    _h1, _h2, _y_hat, _y, grads = chain_rule_parts(example)
    w6, lr, g = example.named["w6"], example.lr, grads["w6"]
    expected = to_named(sgd_step(example.layers, backward_of(example), lr))["w6"]
    hints = [
        (w6 + lr * g, "That step goes uphill: the update subtracts lr·∂E/∂w6."),
        (w6 - g, "The learning rate is missing: the step is lr·∂E/∂w6, not ∂E/∂w6."),
        (-lr * g, "That is the step itself; add it to the old w6."),
        (lr * g, "That is lr·∂E/∂w6; the new weight is w6 − lr·∂E/∂w6."),
        (
            w6 - lr * grads["w5"],
            "That uses ∂E/∂w5; each weight moves by its own gradient, here ∂E/∂w6.",
        ),
    ]
    return check_number(f"the new w6 (lr = {lr:g})", given, expected, hints=hints)


# --------------------------------------------------------------------------
# Why the predict-first answers are what they are (shown after Reveal)
# --------------------------------------------------------------------------


def why_w6_gradient_sign(example=WORKED_EXAMPLE):
    """One line on the sign of ∂E/∂w6 = (ŷ − y)·h2."""
    _h1, h2, y_hat, y, grads = chain_rule_parts(example)
    return (
        f"∂E/∂w6 = (ŷ − y)·h2 = ({fmt(y_hat - y, 4)})·({fmt(h2, 4)}) = {fmt(grads['w6'], 4)}: "
        f"ŷ is {'below' if y_hat < y else 'above'} the target and h2 is "
        f"{sign_word(h2)}, so E {'falls' if grads['w6'] < 0 else 'rises'} as w6 grows."
    )


def why_step_regime(ratio):
    """One line on what a step does at ``ratio = lr × curvature`` (:func:`step_regime`)."""
    return f"lr × the curvature h2² = {fmt(ratio, 4)}: {step_regime(ratio)[1]}."
