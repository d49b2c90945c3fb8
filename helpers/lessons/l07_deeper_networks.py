"""Notebook 07: deep networks: gradient size per layer, the cost of backprop, XOR, live.

The problems are ``DEEP_PROBLEM`` and ``XOR`` from :mod:`helpers.examples`. Also
here: the checkers of the exercises (the cost of a numerical gradient, the
relative error).
"""

from __future__ import annotations

import warnings

import ipywidgets as widgets
import numpy as np
from matplotlib.colors import LinearSegmentedColormap

from .. import buggy
from ..checks import Feedback, check_number, not_done, read_number
from ..examples import DEEP_PROBLEM, XOR
from ..network import backward, forward
from ..plots import COLORS, decade_ticks, fmt, live_figure
from ..widgets import Dashboard, Player

__all__ = [
    "DEEP_PROBLEM",
    "GradientFlowDashboard",
    "XOR",
    "XorDashboard",
    "check_forward_passes",
    "check_relative_error",
    "cost_table",
    "gradient_norms",
    "gradient_verdict",
    "why_gradient_ratio",
    "why_single_layer",
]


# --------------------------------------------------------------------------
# A deep network and the size of its gradients
# --------------------------------------------------------------------------


def gradient_norms(layers, x, target, activations):
    """‖∂E/∂W‖ of every layer (first = nearest the input), from :func:`backward`.

    Computed with floating-point warnings silenced: the caller checks for
    values that are not finite.
    """
    with np.errstate(all="ignore"):
        trace = forward(layers, x, activations)
        grads = backward(layers, trace, target)
        return np.array([np.linalg.norm(g.W) for g in grads])


#: A gradient whose first layer is this many times smaller (or larger) than its last vanishes
#: (or explodes).
RATIO_ALARM = 100.0
#: Within this factor of each other, the first and last layers learn at a similar pace
#: ("healthy"); between it and RATIO_ALARM the gradient is "uneven".
RATIO_EVEN = 10.0
#: The rule, as the verdicts state it.
VERDICT_RULE = (
    f"(The rule used here: first layer within {RATIO_EVEN:g}× of the last is healthy, "
    f"{RATIO_EVEN:g}× to {RATIO_ALARM:g}× uneven, beyond {RATIO_ALARM:g}× vanishing or "
    "exploding.)"
)
#: A gradient norm above this is called exploding whatever the ratio.
HUGE = 1e3
#: When even the largest gradient norm is below this, every layer's gradient has vanished.
TINY = 1e-6


def gradient_verdict(norms):
    """``(kind, sentence)`` for the gradient norms of a network, first layer first.

    ``kind`` is "dead", "overflow", "vanishing", "exploding", "uneven" or "healthy",
    by the ratio of the first layer's norm to the last's (:data:`VERDICT_RULE`).
    """
    norms = np.asarray(norms, dtype=float)
    finite = np.isfinite(norms)
    if not finite.all():
        bad = ", ".join(str(k + 1) for k in np.flatnonzero(~finite))
        return (
            "overflow",
            f"The numbers overflowed (layers {bad}): far too large to compute. "
            "They are drawn at the top edge.",
        )
    zero = np.flatnonzero(norms == 0)
    if zero.size:
        layers = ", ".join(str(k + 1) for k in zero)
        return (
            "dead",
            f"Layers {layers} get no gradient at all: every unit on the way back is a dead "
            "ReLU (or the error is exactly 0). They are drawn at the bottom edge.",
        )
    first, last = norms[0], norms[-1]
    ratio = first / last
    if ratio < 1 / RATIO_ALARM:
        return (
            "vanishing",
            f"Vanishing: the first layer's gradient is {fmt(ratio, 2)} times the last's, "
            "so the first layers barely learn.",
        )
    if ratio > RATIO_ALARM:
        return (
            "exploding",
            f"Exploding: the first layer's gradient is {fmt(ratio, 2)} times the last's.",
        )
    if norms.max() < TINY:
        return (
            "vanishing",
            f"Vanishing everywhere: even the largest gradient is {fmt(norms.max(), 2)}, "
            "so no layer learns much.",
        )
    if norms.max() > HUGE:
        return (
            "exploding",
            f"Exploding: gradients as large as {fmt(norms.max(), 2)}; one step at any "
            "ordinary learning rate throws the weights far away.",
        )
    if ratio < 1 / RATIO_EVEN or ratio > RATIO_EVEN:
        slower = "slower" if ratio < 1 else "faster"
        factor = 1 / ratio if ratio < 1 else ratio
        return (
            "uneven",
            f"Uneven: the first layer's gradient is {fmt(ratio, 2)} times the last's, so the "
            f"first layer learns about {fmt(factor, 2)} times {slower} than the last. Training "
            f"still works, but this is on the way to {'vanishing' if ratio < 1 else 'exploding'}"
            f" gradients. {VERDICT_RULE}",
        )
    return (
        "healthy",
        f"Healthy: the first layer's gradient is {fmt(ratio, 2)} times the last's: every "
        f"layer learns at a similar pace. {VERDICT_RULE}",
    )


def cost_table(depths, problem=DEEP_PROBLEM):
    """What one gradient costs, backprop vs numerical_gradient, for networks of ``depths``.

    Counts multiply-adds per sample. A layer with m inputs and n outputs costs
    m·n forward. Backprop runs one forward pass and then, per layer, two
    products of that size (δ @ W.T for the layer below, a.T @ δ for ∂E/∂W):
    about 3× a forward pass in all. numerical_gradient runs two forward passes
    per parameter. Returns dicts with ``depth``, ``params``, ``forward``,
    ``backprop``, ``numerical``, ``ratio``.
    """
    rows = []
    for depth in depths:
        sizes = problem.sizes(depth)
        forward_cost = sum(m * n for m, n in zip(sizes[:-1], sizes[1:]))
        params = sum(m * n + n for m, n in zip(sizes[:-1], sizes[1:]))
        backprop_cost = forward_cost + 2 * forward_cost
        numerical_cost = 2 * params * forward_cost
        rows.append(
            {
                "depth": int(depth),
                "params": params,
                "forward": forward_cost,
                "backprop": backprop_cost,
                "numerical": numerical_cost,
                "ratio": numerical_cost / backprop_cost,
            }
        )
    return rows


class GradientFlowDashboard(Dashboard):
    """‖∂E/∂W‖ of every layer on a log scale, as depth, activation and weight scale change."""

    MAX_DEPTH = 12
    FLOOR = 1e-30
    CEIL = 1e30

    def __init__(self, depth=6, activation="sigmoid", scale=1.0, problem=DEEP_PROBLEM):
        self.problem = problem
        controls = {
            "depth": widgets.IntSlider(
                value=depth,
                min=1,
                max=self.MAX_DEPTH,
                description="depth",
                style={"description_width": "4em"},
                layout=widgets.Layout(width="280px"),
            ),
            "scale": widgets.FloatLogSlider(
                value=scale,
                base=2,
                min=-2,
                max=3,
                step=0.25,
                description="w scale",
                readout_format=".3g",
                style={"description_width": "4em"},
                layout=widgets.Layout(width="280px"),
            ),
            "activation": widgets.Dropdown(
                options=["sigmoid", "tanh", "relu", "linear"],
                value=activation,
                description="f",
                style={"description_width": "2em"},
                layout=widgets.Layout(width="160px"),
            ),
        }
        fig, ax = live_figure(7.0, 3.3)
        fig.subplots_adjust(left=0.12, right=0.97, bottom=0.16, top=0.88)
        self.ax = ax
        ax.set_yscale("log")
        decade_ticks(ax.yaxis)
        ax.set_xlabel("layer (1 = nearest the input, last = output)")
        ax.set_ylabel("‖∂E/∂W‖")
        ax.set_xlim(0.5, self.MAX_DEPTH + 1.5)
        ax.grid(True, which="major", axis="y", color="#DDDDDD", lw=0.6)
        (self.line,) = ax.plot(
            [1], [1], "-o", color=COLORS["positive"], lw=2, ms=6, label="‖∂E/∂W‖"
        )
        (self.clipped,) = ax.plot(
            [], [], "x", color=COLORS["negative"], ms=10, mew=2.5, label="off the scale"
        )
        self.title = ax.set_title("")
        self.verdict = ax.text(
            0.02, 0.96, "", transform=ax.transAxes, ha="left", va="top", fontsize="small"
        )
        self.norms = np.array([])
        super().__init__(controls, fig)
        self.live(self.line, self.clipped, self.title)
        self.refresh()

    def layers_for(self, depth, scale):
        return self.problem.layers(depth, scale)

    def redraw(self, depth, scale, activation):
        p = self.problem
        layers = self.layers_for(depth, scale)
        acts = p.activations(depth, activation)
        norms = gradient_norms(layers, p.x, p.target, acts)
        self.norms = norms
        kind, sentence = gradient_verdict(norms)

        k = np.arange(1, len(norms) + 1)
        finite = np.isfinite(norms)
        shown = np.clip(np.where(finite, norms, self.CEIL), self.FLOOR, self.CEIL)
        off = ~finite | (norms < self.FLOOR) | (norms > self.CEIL)
        self.line.set_data(k, shown)
        self.clipped.set_data(k[off], shown[off])
        good = shown[~off]
        lo = good.min() if good.size else 1e-3
        hi = good.max() if good.size else 1e3
        if off.any():
            lo = min(lo, shown[off].min())
            hi = max(hi, shown[off].max())
        if hi / lo < 1e2:
            mid = np.sqrt(lo * hi)
            lo, hi = mid / 10, mid * 10
        # Steady decades: a depth step moves the curve, not the whole frame.
        self.steady_log_ylim(self.ax, lo, hi, bounds=(self.FLOOR / 10, self.CEIL * 10))
        self.title.set_text(
            f"{activation}, {depth} hidden layer{'s' if depth > 1 else ''} of {p.width}, "
            f"weight scale {scale:g}"
        )
        self.verdict.set_text(kind)
        if kind not in ("healthy", "uneven"):
            self.say(sentence)
        per_layer = ", ".join(f"{i}: {fmt(v, 2)}" for i, v in zip(k, norms))
        return (
            f"{activation}, {depth} hidden layer{'s' if depth > 1 else ''} of {p.width} units, "
            f"weight scale {scale:g}. "
            f"‖∂E/∂W‖ per layer (1 = nearest the input): {per_layer}.\n{sentence}"
        )


# --------------------------------------------------------------------------
# XOR
# --------------------------------------------------------------------------


def _two_colour_map():
    return LinearSegmentedColormap.from_list(
        "course_diverging", [COLORS["negative"], "#FFFFFF", COLORS["positive"]]
    )


class XorDashboard(Dashboard):
    """Decision regions of the 2-3-1 network and of a single layer, epoch by epoch."""

    GRID = 61

    def __init__(self, problem=XOR, epoch=0):
        self.problem = problem
        controls = {
            "epoch": widgets.IntSlider(
                value=epoch,
                min=0,
                max=problem.epochs,
                description="epoch",
                style={"description_width": "4em"},
                layout=widgets.Layout(width="320px"),
            )
        }
        self.player = Player(controls["epoch"], pace="fast")
        fig, axes = live_figure(8.0, 3.1, 1, 3, width_ratios=[1, 1, 1.25])
        fig.subplots_adjust(left=0.05, right=0.98, bottom=0.17, top=0.86, wspace=0.35)
        lo, hi = -0.5, 1.5
        g = np.linspace(lo, hi, self.GRID)
        gx, gy = np.meshgrid(g, g)
        self.grid_points = np.column_stack([gx.ravel(), gy.ravel()])
        cmap = _two_colour_map()
        x, t = problem.x, problem.target[:, 0]
        self.images, self.titles = [], []
        for ax in axes[:2]:
            image = ax.imshow(
                np.full((self.GRID, self.GRID), 0.5),
                origin="lower",
                extent=(lo, hi, lo, hi),
                cmap=cmap,
                vmin=0.0,
                vmax=1.0,
                interpolation="bilinear",
            )
            self.images.append(image)
            for value, marker in ((0.0, "s"), (1.0, "o")):
                pick = t == value
                ax.scatter(
                    x[pick, 0],
                    x[pick, 1],
                    marker=marker,
                    s=70,
                    c=COLORS["negative"] if value == 0 else COLORS["positive"],
                    edgecolors="black",
                    linewidths=1.2,
                    zorder=3,
                )
            ax.set_xticks([0, 1])
            ax.set_yticks([0, 1])
            ax.set_xlabel("x1")
            self.titles.append(ax.set_title("", fontsize="small"))
        axes[0].set_ylabel("x2")
        net_errors, single_errors = problem.errors
        epochs = np.arange(problem.epochs + 1)
        ax_e = axes[2]
        # The frame holds every epoch; the curves run up to the one shown, so that
        # epoch 0 does not show how training ends.
        self.curves = [
            ax_e.semilogy(epochs, errs, color=COLORS[colour], lw=2, label=label)[0]
            for errs, colour, label in (
                (net_errors, "positive", f"2-{problem.hidden}-1 network"),
                (single_errors, "negative", "single layer"),
            )
        ]
        ax_e.set_xlim(ax_e.get_xlim())
        ax_e.set_ylim(ax_e.get_ylim())
        self.cursor = ax_e.axvline(epoch, color=COLORS["neutral"], lw=1, ls="--")
        decade_ticks(ax_e.yaxis)
        ax_e.set_xlabel("epoch")
        ax_e.set_ylabel("error E")
        # Above the plot, where the epoch cursor never passes over it (and repaints it).
        ax_e.legend(
            loc="lower left",
            bbox_to_anchor=(0.0, 1.0),
            ncols=2,
            frameon=False,
            fontsize="x-small",
            borderaxespad=1.0,
        )
        self.axes = axes
        super().__init__(controls, fig)
        self.live(*self.images, self.cursor, *self.curves, *self.titles)
        self.refresh()

    def control_rows(self):
        rows = super().control_rows()
        return [[*self.player.row, *rows[0]], *rows[1:]]

    def redraw(self, epoch):
        p = self.problem
        epoch = int(np.clip(epoch, 0, p.epochs))
        nets, singles = p.history
        net_err, single_err = p.errors
        parts = []
        for image, title, layers, err, label in zip(
            self.images,
            self.titles,
            (nets[epoch], singles[epoch]),
            (net_err[epoch], single_err[epoch]),
            (f"2-{p.hidden}-1 network", "single layer"),
        ):
            image.set_data(p.outputs(layers, self.grid_points).reshape(self.GRID, self.GRID))
            right = p.right(layers)
            title.set_text(f"{label}: {right}/4 right")
            outs = ", ".join(fmt(v, 2) for v in p.outputs(layers))
            parts.append(f"the {label} gets {right} of 4 right (E = {fmt(err, 3)}; ŷ = {outs})")
        self.cursor.set_xdata([epoch, epoch])
        for curve, errs in zip(self.curves, (net_err, single_err)):
            curve.set_data(np.arange(epoch + 1), errs[: epoch + 1])
        return f"Epoch {epoch}: " + "; ".join(parts) + "."


# --------------------------------------------------------------------------
# Checkers for the exercises
# --------------------------------------------------------------------------


def check_forward_passes(given, depth=3, problem=DEEP_PROBLEM):
    """How many forward passes numerical_gradient needs for the network of ``depth`` layers."""
    sizes = problem.sizes(depth)
    weights = sum(m * n for m, n in zip(sizes[:-1], sizes[1:]))
    biases = sum(sizes[1:])
    params = weights + biases
    hints = [
        (
            params,
            "That is the number of parameters. Central differences nudge each one "
            "twice, up and down: E(w + ε) and E(w − ε).",
        ),
        (
            2 * weights,
            "That counts the weights only; every bias is a parameter too, "
            "and needs its own two passes.",
        ),
        (
            weights,
            "That counts the weights only, once each. Count the biases too, "
            "and each parameter needs two passes (w + ε and w − ε).",
        ),
        (
            params + 1,
            "That is a one-sided difference (E(w + ε) − E(w)) / ε. "
            "numerical_gradient uses central differences: two passes per parameter.",
        ),
    ]
    return check_number(
        "the number of forward passes", given, 2 * params, hints=hints, rounded=False
    )


_CASES = [
    ("equal gradients", [0.5, -2.0, 3.0], [0.5, -2.0, 3.0], 0.0),
    ("opposite gradients", [1.0, 2.0], [-1.0, -2.0], 1.0),
    ("a gradient against a zero one", [0.3, 0.4], [0.0, 0.0], 1.0),
    ("two zero gradients", [0.0, 0.0], [0.0, 0.0], 0.0),
    ("tiny gradients", [1e-9, 2e-9], [1.1e-9, 2e-9], None),
    ("large gradients", [1e6, 2e6], [1.1e6, 2e6], None),
]


def _pair(g, n):
    """Two gradients written for the student: ``[1·10⁻⁹, 2·10⁻⁹] vs [1.1·10⁻⁹, 2·10⁻⁹]``."""
    return " vs ".join("[" + ", ".join(fmt(x, 3) for x in v) + "]" for v in (g, n))


def check_relative_error(fn):
    """Test a student's ``fn(g, g_num)`` against the course's relative error on a few cases.

    A wrong value is told too large or too small, never the expected one; the
    usual slips are named: the absolute difference, a division by zero, a
    constant such as ``+ 1e-12`` added to the denominator, None returned for
    some pairs only.
    """
    if not_done(fn):
        return Feedback(None, "Not done yet: write your function first.")
    if not callable(fn):
        return Feedback(
            False,
            "Not yet: give your function itself (its name, without brackets), "
            f"not a {type(fn).__name__}.",
            odd=True,
        )
    results, nones = [], []
    for label, g, n, _ in _CASES:
        try:
            with warnings.catch_warnings(), np.errstate(all="raise"):
                warnings.simplefilter("error")
                value = fn(np.array(g), np.array(n))
        except (FloatingPointError, ZeroDivisionError):
            return Feedback(
                False,
                f"Not yet: your function divides by zero for {label} ({_pair(g, n)}). "
                "Divide by ‖g‖ + ‖g_num‖ and return 0 when both are zero.",
            )
        except Exception as exc:  # the student's code: say what happened, do not raise
            return Feedback(False, f"Not yet: your function raised {type(exc).__name__}: {exc}")
        if not_done(value):
            nones.append(label)
            continue
        number, wrong_kind = read_number("the relative error your function returns", value)
        if wrong_kind:
            return Feedback(False, wrong_kind, odd=True)
        results.append((label, g, n, number))
    if nones and not results:
        return Feedback(None, "Not done yet: your function returns None.")
    if nones:
        return Feedback(
            False,
            f"Not yet: your function returns None for {' and '.join(nones)}; it should "
            "return a number for every pair (0 when both gradients are zero).",
        )
    for label, g, n, value in results:
        expected = buggy.relative_error(g, n)
        if np.isclose(value, expected, rtol=1e-9, atol=1e-15):
            continue
        diff = float(np.linalg.norm(np.subtract(g, n)))
        size = float(np.linalg.norm(g) + np.linalg.norm(n))
        if np.isclose(value, diff, rtol=1e-9, atol=1e-15):
            return Feedback(
                False,
                f"Not yet: for {label} you give {fmt(value, 3)}, the ABSOLUTE difference "
                "‖g − g_num‖. Divide by ‖g‖ + ‖g_num‖, so that tiny and huge gradients are "
                "judged alike.",
            )
        if value > 0 and diff > 0 and 0 < diff / value - size <= 1e-6 * max(size, 1.0):
            return Feedback(
                False,
                f"Not yet: for {label} ({_pair(g, n)}) your value is too small: a constant "
                "added to ‖g‖ + ‖g_num‖ (such as + 1e-12) is not small next to gradients this "
                "size. Divide by ‖g‖ + ‖g_num‖ alone and return 0 when both are zero.",
            )
        size_word = "too large" if value > expected else "too small"
        return Feedback(
            False,
            f"Not yet: for {label} ({_pair(g, n)}) your value {fmt(value, 6)} is {size_word}.",
        )
    # Both pairs matched the course's value, which is the same for both: they differ only in scale.
    tiny = results[4][3]
    return Feedback(
        True,
        f"Correct: your relative error matches on all {len(_CASES)} cases. A tiny pair of "
        f"gradients and a large pair that differ only in scale get the same relative error, "
        f"{fmt(tiny, 3)}.",
    )


# --------------------------------------------------------------------------
# Why the predict-first answers are what they are (shown after Reveal)
# --------------------------------------------------------------------------


def why_gradient_ratio(ratio):
    """One line on the first layer's gradient as a fraction ``ratio`` of the last one's."""
    return (
        f"The first layer's gradient is {fmt(ratio, 2)} times the last one's: on its way back "
        "the error passes through every layer's σ′(z), which is at most 0.25, so it shrinks "
        "layer after layer."
    )


def why_single_layer(outputs):
    """One line on the single layer's four XOR outputs ``outputs``."""
    shown = ", ".join(fmt(v, 2) for v in outputs)
    return (
        f"Its outputs end at {shown}: a single layer splits its inputs with one straight "
        "line, and no straight line puts XOR's two 1s on one side and its two 0s on the other."
    )
