"""Notebook 05: training, the learning rate, and where gradient descent diverges.

:class:`LearningRateExplorer` trains the worked example live: a learning-rate
slider, a number of steps, and a "shown step" that a Play button animates.
Its left panel is the error over the steps (log scale), its right panel a
sweep of many learning rates (final error against learning rate, log-log)
with the three regimes it finds, the stability bound 2/‖∇ŷ‖² and the current
rate marked. :func:`classify_rates` is what finds the regimes.

Also here: the checker of the matrix exercise (:func:`check_matrix_gradients`),
which compares a student's outer products with :func:`helpers.network.backward`.
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import NullLocator

from ..checks import Feedback, array_matches, check_array, is_whole_array, not_done, read_array
from ..examples import WORKED_EXAMPLE
from ..network import (
    backward,
    forward,
    output_gradient,
    stability_bound,
    sweep_learning_rates,
    train,
)
from ..plots import (
    COLORS,
    _decade_label,
    decade_ticks,
    fmt,
    live_figure,
    nice_ceiling,
    pin_axis_labels,
)
from ..widgets import Dashboard, Player, lr_slider

__all__ = [
    "ERROR_FLOOR",
    "LR_GRID",
    "LearningRateExplorer",
    "RATES_TO_TRY",
    "REGIMES",
    "Regimes",
    "check_matrix_gradients",
    "classify_rates",
    "expected_matrix_gradients",
    "gradient_norm_squared",
    "largest_bound_at_target",
    "lr_grid",
    "why_error_after_two",
    "why_just_below_the_bound",
]


#: Errors below this are drawn at it: a log scale has no room for an exact 0.
ERROR_FLOOR = 1e-30

#: The regimes a sweep sorts learning rates into, in the order they appear as lr grows.
REGIMES = ("converges", "neither", "diverges")

_REGIME_COLORS = {
    "converges": COLORS["accent"],
    "neither": COLORS["yellow"],
    "diverges": COLORS["negative"],
}


def lr_grid(lo=0.001, hi=0.1):
    """Round learning rates with two significant figures, from ``lo`` to ``hi``.

    0.001, 0.0011, … 0.0099, 0.01, 0.011, … 0.099, 0.1: dense enough to land
    on 0.016, 0.017, 0.022, 0.029, 0.03 and 0.05 exactly, and evenly spread
    on a logarithmic scale.
    """
    grid = set()
    for exponent in range(int(np.floor(np.log10(lo))) - 1, int(np.ceil(np.log10(hi))) + 1):
        for mantissa in range(10, 100):
            value = round(mantissa * 10.0 ** (exponent - 1), 12)
            if lo <= value <= hi:
                grid.add(value)
    return sorted(grid)


#: The learning rates the explorer's slider offers.
LR_GRID = lr_grid()

#: Rates worth trying on the worked example: each regime and the edges between them.
RATES_TO_TRY = (0.001, 0.01, 0.016, 0.017, 0.02, 0.022, 0.029, 0.03, 0.045, 0.05)


def gradient_norm_squared(layers, x, activation="linear"):
    """‖∇ŷ‖²: the sum of (∂ŷ/∂w)² over every weight and bias, at ``layers``."""
    g = output_gradient(layers, x, activation)
    return sum(float((p**2).sum()) for L in g for p in (L.W, L.b) if p is not None)


def largest_bound_at_target(x, target):
    """The largest bound 2/‖∇ŷ‖² of any weights that hit ``target`` exactly: 1/(‖x‖·|y|).

    For a linear network with one hidden layer, no biases and one output,
    ‖∇ŷ‖² = ‖h‖² + ‖x‖²·‖W_out‖² and ŷ = h·W_out ≤ ‖h‖·‖W_out‖, so
    ‖∇ŷ‖² ≥ 2·‖x‖·‖h‖·‖W_out‖ ≥ 2·‖x‖·|ŷ| (since a² + b² ≥ 2ab). Where ŷ = y,
    the bound 2/‖∇ŷ‖² is therefore at most 1/(‖x‖·|y|), and weights with h
    along W_out and ‖h‖ = ‖x‖·‖W_out‖ reach it. No learning rate above it can
    settle on a solution of the worked example.
    """
    x = np.asarray(x, dtype=float)
    y = float(np.asarray(target, dtype=float).reshape(-1)[0])
    scale = float(np.linalg.norm(x)) * abs(y)
    return 1.0 / scale if scale > 0 else float("inf")


# --------------------------------------------------------------------------
# Regimes of a sweep
# --------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Regimes:
    """Each learning rate of a sweep sorted into converges / neither / diverges.

    ``labels[r]`` is the regime of ``lrs[r]``; ``runs`` lists the stretches of
    consecutive rates with the same regime as ``(regime, first lr, last lr)``.
    """

    lrs: np.ndarray
    labels: np.ndarray
    runs: list
    tiny: float
    epochs: int

    def regime_of(self, lr):
        """The regime of the swept rate closest to ``lr`` (on a log scale)."""
        r = int(np.argmin(np.abs(np.log(self.lrs) - np.log(lr))))
        return str(self.labels[r])

    def first(self, regime):
        """The smallest swept rate in ``regime`` (None if there is none)."""
        hit = self.lrs[self.labels == regime]
        return float(hit.min()) if hit.size else None

    def last(self, regime):
        """The largest swept rate in ``regime`` (None if there is none)."""
        hit = self.lrs[self.labels == regime]
        return float(hit.max()) if hit.size else None

    def describe(self):
        """The stretches in plain words, one per line."""
        words = {
            "converges": f"converges (error below {fmt(self.tiny)})",
            "neither": "neither converges nor diverges",
            "diverges": "diverges",
        }
        lines = [f"{len(self.lrs)} learning rates, {self.epochs} steps each:"]
        for regime, lo, hi in self.runs:
            lines.append(f"  lr {fmt(lo, 4)} to {fmt(hi, 4)}: {words[regime]}")
        return "\n".join(lines)


def classify_rates(sweep, tiny=1e-10):
    """Sort the rates of a :class:`~helpers.network.Sweep` into the three regimes.

    A rate *diverges* if its training diverged (``sweep.diverged``), *converges*
    if its final error is below ``tiny``, and is *neither* otherwise (still
    oscillating, or converging too slowly to get there in the steps given).
    """
    final = sweep.final_errors
    labels = np.where(
        sweep.diverged, "diverges", np.where(final < tiny, "converges", "neither")
    ).astype(object)
    order = np.argsort(sweep.lrs)
    lrs, labels = sweep.lrs[order], labels[order]
    runs = []
    start = 0
    for r in range(1, len(lrs) + 1):
        if r == len(lrs) or labels[r] != labels[start]:
            runs.append((str(labels[start]), float(lrs[start]), float(lrs[r - 1])))
            start = r
    return Regimes(
        lrs=lrs, labels=labels, runs=runs, tiny=float(tiny), epochs=sweep.errors.shape[1] - 1
    )


def spread_out(lrs, decades):
    """The rates among ``lrs`` (sorted) kept at least ``decades`` apart on a log axis,
    first and last included: crosses that do not run into one solid bar."""
    lrs = np.asarray(lrs, dtype=float)
    if lrs.size == 0:
        return lrs
    logs = np.log10(lrs)
    keep = [0]
    for i in range(1, len(lrs)):
        if logs[i] - logs[keep[-1]] >= decades:
            keep.append(i)
    if keep[-1] != len(lrs) - 1:
        if logs[-1] - logs[keep[-1]] < decades and len(keep) > 1:
            keep.pop()
        keep.append(len(lrs) - 1)
    return lrs[keep]


# --------------------------------------------------------------------------
# The explorer
# --------------------------------------------------------------------------


#: Points between the explorer's panels and their titles: room for the "lr" label.
_TITLE_PAD = 13.0


class LearningRateExplorer(Dashboard):
    """Train the worked example live at any learning rate, and see where it sits among all rates.

    Controls: ``lr`` (a logarithmic slider of round values), ``epochs`` (how
    many steps to train) and ``step`` (how much of the run is shown; the Play
    button animates it at the chosen pace, and −1/+1 move it one step; a run
    that diverges ends the shown steps where it diverged).

    Left panel: the error after each step up to the shown step, on a log
    scale, with a marker on the shown step. A run that diverges is drawn up to
    its last sane step and the divergence is said in words.
    Right panel: the final error of ``sweep_rates`` learning rates after
    ``sweep_epochs`` steps (computed once), the regimes found in it, the bound
    2/‖∇ŷ‖² at the starting weights, and the current rate.
    """

    def __init__(
        self,
        example=WORKED_EXAMPLE,
        lr=None,
        epochs=300,
        pace="slow",
        lr_choices=LR_GRID,
        sweep_rates=800,
        sweep_epochs=300,
        tiny=1e-10,
    ):
        self.example = example
        lr = example.lr if lr is None else lr
        self._history = None
        self._history_key = None

        self.norm_squared = gradient_norm_squared(example.layers, example.x, example.activation)
        self.bound = stability_bound(example.layers, example.x, example.activation)
        lo, hi = min(lr_choices), max(lr_choices)
        self.sweep = sweep_learning_rates(
            example.layers,
            example.x,
            example.target,
            np.geomspace(lo, hi, sweep_rates),
            sweep_epochs,
            example.activation,
        )
        self.regimes = classify_rates(self.sweep, tiny)

        lr_control = lr_slider(lr, choices=lr_choices)
        lr_control.layout.width = "380px"
        lr_control.add_class("drives-figure")
        epochs_control = widgets.IntSlider(
            value=epochs,
            min=10,
            max=1000,
            step=10,
            description="steps",
            continuous_update=True,
            style={"description_width": "3em"},
            layout=widgets.Layout(width="300px"),
        )
        step_control = widgets.IntSlider(
            value=epochs,
            min=0,
            max=epochs,
            description="at step",
            continuous_update=True,
            style={"description_width": "4em"},
            layout=widgets.Layout(width="380px"),
        )
        self.player = Player(step_control, pace=pace)

        fig, (self.ax_run, self.ax_sweep) = live_figure(8.0, 3.3, 1, 2)
        fig.subplots_adjust(left=0.09, right=0.98, bottom=0.16, top=0.88, wspace=0.3)
        self._build_run_panel()
        self._build_sweep_panel()
        # Labels placed once: a frame change then renders a fifth faster. The run
        # panel's error axis can reach down to the floor, 10⁻³¹.
        pin_axis_labels(self.ax_run, widest_y_label=_decade_label(ERROR_FLOOR / 10))
        pin_axis_labels(self.ax_sweep)
        super().__init__(
            {"lr": lr_control, "epochs": epochs_control, "step": step_control}, fig, columns=2
        )
        self.live(
            self.curve,
            self.marker,
            self.diverged_line,
            self.diverged_mark,
            self.status,
            self.lr_line,
            self.lr_text,
        )
        self.refresh()

    # -- the figure, made once ------------------------------------------------

    def _build_run_panel(self):
        ax = self.ax_run
        ax.set_yscale("log")
        decade_ticks(ax.yaxis, most=6)
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_xlabel("step")
        ax.set_ylabel("error E")
        # A title at a given height (y=1) is not re-placed at every full render.
        ax.set_title("Training at this learning rate", loc="left", y=1.0, pad=_TITLE_PAD)
        (self.curve,) = ax.plot([], [], color=COLORS["positive"], lw=1.6)
        (self.marker,) = ax.plot([], [], "o", color=COLORS["positive"], ms=6)
        # Where a run diverged: a line at that step and a cross at the top edge.
        self.diverged_line = ax.axvline(0, color=COLORS["negative"], ls=":", lw=1.2)
        (self.diverged_mark,) = ax.plot(
            [0], [0.93], "X", color=COLORS["negative"], ms=9, transform=ax.get_xaxis_transform()
        )
        self.status = ax.text(
            0.98, 0.93, "", transform=ax.transAxes, ha="right", va="top", fontsize="small"
        )

    def _build_sweep_panel(self):
        ax = self.ax_sweep
        sweep, regimes = self.sweep, self.regimes
        ax.set_xscale("log")
        ax.set_yscale("log")
        decade_ticks(ax.xaxis)
        # Few ticks on a log axis that spans 35 decades: every tick is a text to render.
        decade_ticks(ax.yaxis, most=5)
        # A little room at both ends, so that the lr line at the smallest or largest
        # rate is not hidden under the axes' frame.
        span_decades = np.log10(sweep.lrs.max() / sweep.lrs.min())
        pad = 10 ** (0.02 * span_decades)
        ax.set_xlim(sweep.lrs.min() / pad, sweep.lrs.max() * pad)
        ax.set_xlabel("learning rate lr")
        ax.set_ylabel(f"error after {regimes.epochs} steps")
        # Above the "lr" label that rides on the top edge.
        ax.set_title(f"{len(sweep.lrs)} learning rates", loc="left", y=1.0, pad=_TITLE_PAD)

        final = np.maximum(sweep.final_errors, ERROR_FLOOR)
        sane = ~sweep.diverged
        top = float(final[sane].max()) if sane.any() else 1.0
        ax.set_ylim(ERROR_FLOOR / 1e3, top * 1e3)
        ax.yaxis.set_minor_locator(NullLocator())
        self.spans = []
        for regime, lo, hi in regimes.runs:
            span = ax.axvspan(lo, hi, color=_REGIME_COLORS[regime], alpha=0.18, lw=0)
            self.spans.append((regime, span))
        # Label each regime once, on its widest stretch, where no dots are drawn.
        self.regime_text = {}
        for regime in REGIMES:
            stretches = [(np.log10(hi / lo), lo, hi) for r, lo, hi in regimes.runs if r == regime]
            if not stretches:
                continue
            width, lo, hi = max(stretches)
            narrow = width < 0.2 * span_decades
            # Off the centre of a narrow stretch, so the bound's line does not cross it.
            self.regime_text[regime] = ax.text(
                lo * (hi / lo) ** (0.3 if narrow else 0.5),
                0.45,
                regime,
                transform=ax.get_xaxis_transform(),
                ha="center",
                va="center",
                fontsize="small",
                rotation=90 if narrow else 0,
                color=COLORS["neutral"] if regime == "neither" else _REGIME_COLORS[regime],
                zorder=1.5,  # under the current rate's line, which sweeps across them
            )
        (self.sweep_line,) = ax.plot(
            sweep.lrs[sane],
            final[sane],
            ".",
            ms=2,
            color=COLORS["neutral"],
        )
        div_lrs = spread_out(sweep.lrs[sweep.diverged], span_decades / 40)
        (self.sweep_diverged,) = ax.plot(
            div_lrs,
            np.full(div_lrs.shape, 0.96),
            "x",
            ms=3,
            color=COLORS["negative"],
            transform=ax.get_xaxis_transform(),
        )
        # Over the lr line, so that the bound stays in sight when lr sits on it.
        self.bound_line = ax.axvline(self.bound, color="black", ls="--", lw=1, zorder=2.5)
        self.bound_text = ax.text(
            self.bound,
            0.04,
            f" 2/‖∇ŷ‖² = {fmt(self.bound, 3)}",
            transform=ax.get_xaxis_transform(),
            fontsize="small",
            ha="left",
            va="bottom",
            # The lr line passes behind the label, not through its letters.
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.0},
            zorder=self.bound_line.get_zorder() + 1,
        )
        self.lr_line = ax.axvline(self.bound, color=COLORS["positive"], lw=2)
        self.lr_text = ax.text(
            self.bound,
            1.0,
            "lr",
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="bottom",
            fontsize="small",
            color=COLORS["positive"],
        )

    # -- controls and layout ------------------------------------------------

    def _set_step_range(self, last):
        """Let the shown step run from 0 to ``last``; stay at the end if it was there.

        ``last`` is the number of steps, or the step at which the run diverged:
        past it there is nothing new to show, so Play stops there and −1 goes
        back from there.
        """
        step = self.controls["step"] if hasattr(self, "controls") else None
        if step is None or step.max == last:
            return
        at_end = step.value >= step.max
        was_busy = self._busy
        self._busy = True  # these changes are part of one update, not new ones
        try:
            step.max = last
            if at_end:
                step.value = last
        finally:
            self._busy = was_busy

    def prepare(self, values):
        if "epochs" in values:
            self._set_step_range(int(values["epochs"]))

    def load_range(self, name, values):
        if name == "step":  # any step of the run being loaded
            return 0, int(values["epochs"])
        return super().load_range(name, values)

    def control_rows(self):
        c = self.controls
        return [
            [c["lr"], c["epochs"]],
            [*self.player.row, c["step"], self.reset_button],
        ]

    # -- one training run, cached for the animation -------------------------

    def history(self, lr, epochs):
        """``train()`` on the example at ``lr`` for ``epochs`` steps (the last run is kept)."""
        key = (float(lr), int(epochs))
        if key != self._history_key:
            ex = self.example
            self._history = train(ex.layers, ex.x, ex.target, lr, int(epochs), ex.activation)
            self._history_key = key
        return self._history

    # -- redraw ---------------------------------------------------------------

    def redraw(self, lr, epochs, step):
        h = self.history(lr, epochs)
        self._set_step_range(epochs if h.diverged_at is None else h.diverged_at)
        step = min(self.controls["step"].value, epochs)
        errors = h.errors
        last = len(errors) - 1  # the last step with a sane error
        shown = min(step, last)
        drawn = np.maximum(errors, ERROR_FLOOR)

        steps = np.arange(shown + 1)
        self.curve.set_data(steps, drawn[: shown + 1])
        self.marker.set_data([shown], [drawn[shown]])
        # A run that blows up in a few steps would be a dot at the left of 0..epochs:
        # show about twice its length, kept while it fits so nearby rates share the frame.
        d = h.diverged_at
        right = epochs
        if d is not None:
            right = min(epochs, nice_ceiling(max(10, 2 * d)))
            kept = self.ax_run.get_xlim()[1]
            if self.has_steady_frame(self.ax_run) and d < kept <= min(epochs, 2.5 * right):
                right = kept
        self.ax_run.set_xlim(0, right)
        lo, hi = float(drawn.min()), float(drawn.max())
        if d is not None and np.isfinite(h.max_error):
            hi = max(hi, h.max_error)  # every diverging rate shares the top: the threshold
        # Steady whole decades: nearby learning rates share the frame.
        self.steady_log_ylim(
            self.ax_run,
            max(lo / 10, ERROR_FLOOR / 10),
            max(hi * 10, lo * 1e3),
            spare=2,
            slack=6,
            bounds=(ERROR_FLOOR / 10, np.inf),
        )

        diverged_here = d is not None and step >= d
        self.diverged_line.set_xdata([d if d is not None else 0] * 2)
        self.diverged_mark.set_xdata([d if d is not None else 0])
        self.diverged_line.set_visible(diverged_here)
        self.diverged_mark.set_visible(diverged_here)
        if d is not None:
            self.say(
                f"Diverged at step {d}: the error passed {fmt(h.max_error)} (it was "
                f"{fmt(h.final_error)} at step {d - 1}). The curve stops at the last sane step."
            )
        self.status.set_text(f"lr = {lr:g}" + (f"\ndiverged at step {d}" if diverged_here else ""))

        self.lr_line.set_xdata([lr, lr])
        self.lr_text.set_x(lr)
        factor = lr * self.norm_squared
        regime = self.regimes.regime_of(lr)
        shown_error = fmt(errors[shown])
        if errors[shown] < ERROR_FLOOR:
            shown_error += f" (drawn at {fmt(ERROR_FLOOR)})"
        if diverged_here:
            shown_line = (
                f"Shown: step {d} of {epochs}, where the run diverged; the curve stops at "
                f"step {shown}, error {shown_error}."
            )
        else:
            shown_line = f"Shown: step {shown} of {epochs}, error {shown_error}."
        return "\n".join(
            [
                _run_sentence(h),
                shown_line,
                f"At the start ‖∇ŷ‖² = {fmt(self.norm_squared, 6)}, so the bound 2/‖∇ŷ‖² = "
                f"{fmt(self.bound, 4)}; here lr·‖∇ŷ‖² = {fmt(factor, 4)} "
                f"{_first_order_words(factor)}. {_first_step_sentence(h)}",
                f"In the sweep ({self.regimes.epochs} steps) lr = {lr:g} {_regime_words(regime)}.",
            ]
        )


def _first_order_words(factor):
    """What the straight-line picture says one step does, for lr·‖∇ŷ‖² = ``factor``."""
    if factor < 1:
        return "(below 1: in the straight-line picture ŷ moves towards y without reaching it)"
    if factor < 2:
        return (
            "(between 1 and 2: in the straight-line picture ŷ passes y but ends closer "
            "to it than it started)"
        )
    return (
        "(2 or more: in the straight-line picture ŷ passes y and ends farther from it "
        "than it started, so the error grows)"
    )


def _first_step_sentence(h):
    """What the first step really did to the error."""
    if h.epochs == 0 or h.diverged_at == 0:
        return ""
    if h.diverged_at == 1:
        return "The first step alone made the error diverge."
    before, after = h.errors[0], h.errors[1]
    way = "up" if after > before else "down"
    return f"The real first step took E from {fmt(before)} to {fmt(after)}: {way}."


def _run_sentence(h):
    if h.diverged_at is None:
        return (
            f"lr = {h.lr:g}, {h.epochs} steps: the error went from {fmt(h.errors[0])} "
            f"to {fmt(h.final_error)}."
        )
    return (
        f"lr = {h.lr:g}, {h.epochs} steps: diverged at step {h.diverged_at}; the last sane "
        f"error was {fmt(h.final_error)} at step {h.diverged_at - 1}."
    )


def _regime_words(regime):
    return {
        "converges": "converges",
        "neither": "neither converges nor diverges",
        "diverges": "diverges",
    }[regime]


# --------------------------------------------------------------------------
# Checkers for the exercises
# --------------------------------------------------------------------------


def expected_matrix_gradients(example=WORKED_EXAMPLE):
    """(∂E/∂W_hidden, ∂E/∂W_out) for ``example``, from the helpers' backward pass."""
    trace = forward(example.layers, example.x, example.activation)
    grads = backward(example.layers, trace, example.target)
    return grads[0].W, grads[1].W


def _pieces(example):
    """h, x, δ and W_out of a one-hidden-layer ``example``, as the exercise names them."""
    trace = forward(example.layers, example.x, example.activation)
    h = trace.hidden[0]
    delta = trace.output - np.asarray(example.target, dtype=float)
    return h, np.asarray(example.x, dtype=float), delta, example.layers[1].W


def _show(matrix):
    """A small matrix on one line, each entry to 10 significant figures."""
    return str([[float(f"{v:.10g}") for v in row] for row in np.atleast_2d(matrix).tolist()])


def _check_one(name, given, expected, rows, hints):
    """A verdict on one gradient matrix; ``rows`` says what its rows stand for.

    ``hints`` are ``(wrong_matrix, why)`` for common slips, of any shape.
    Entries are judged as :func:`~helpers.checks.check_array` judges them:
    rounded to three significant figures is right.
    """
    if not_done(given):
        return Feedback(None, f"Not done yet: replace the placeholder with {name}.")
    whole = is_whole_array(given)
    arr, wrong_kind = read_array(name, given)
    if wrong_kind:
        return Feedback(False, wrong_kind, odd=True)

    def same(target):
        return array_matches(arr, np.asarray(target, dtype=float), whole=whole)

    if same(expected):
        return Feedback(True, f"Correct: {name} = {_show(expected)}.")
    for wrong, why in hints:
        if same(wrong):
            return Feedback(False, f"Not yet: {name}. {why}")
    if arr.shape != expected.shape:
        if same(expected.T):
            return Feedback(
                False,
                f"Not yet: {name} is transposed: it has shape {arr.shape}, but it must have the "
                f"shape of its weight matrix, {expected.shape} ({rows}). Swap the two arguments "
                "of np.outer.",
            )
        if arr.size == expected.size and same(expected.reshape(arr.shape)):
            return Feedback(
                False,
                f"Not yet: {name} has the right numbers but shape {arr.shape}; it must have the "
                f"shape of its weight matrix, {expected.shape} ({rows}). np.outer(a, b) gives a "
                "matrix with one row per entry of a.",
            )
        return Feedback(
            False,
            f"Not yet: {name} has shape {arr.shape}, but it must have the shape of its weight "
            f"matrix, {expected.shape} ({rows}).",
        )
    if arr.ndim == 2 and arr.shape[0] == arr.shape[1] and same(expected.T):
        return Feedback(
            False,
            f"Not yet: {name} is transposed: entry [i, j] must belong to the weight from unit i "
            f"to unit j ({rows}). Swap the two arguments of np.outer.",
        )
    if same(-expected):
        return Feedback(
            False, f"Not yet: {name} has the right size but the wrong sign; δ is ŷ − y."
        )
    return check_array(name, given, expected)


def check_matrix_gradients(dE_dW_hidden, dE_dW_out, example=WORKED_EXAMPLE):
    """Check the two gradient matrices of a 2-2-1 network (one hidden layer, one output).

    ``dE_dW_out`` must equal ``np.outer(h, δ)`` (shape ``(2, 1)``) and
    ``dE_dW_hidden`` must equal ``np.outer(x, W_out @ δ)`` (shape ``(2, 2)``).
    The answer names what is wrong: a placeholder, a shape, a transpose, the
    inputs and hidden values swapped, a missing δ, or a sign.
    """
    expected_hidden, expected_out = expected_matrix_gradients(example)
    h, x, delta, W_out = _pieces(example)
    back = W_out @ delta  # the error carried back to each hidden unit
    lr, W_hidden = example.lr, example.layers[0].W

    def step_slips(weights, gradient):
        """A step's pieces given for the gradient: lr·gradient, and the new weights."""
        return [
            (
                lr * gradient,
                f"That is lr × the gradient (lr = {lr:g}), the size of the step; the exercise "
                "asks for the gradient itself.",
            ),
            (
                weights - lr * gradient,
                "That is the new weight matrix after one step; the exercise asks for the "
                "gradient itself.",
            ),
        ]

    out = _check_one(
        "∂E/∂W_out",
        dE_dW_out,
        expected_out,
        "one row per hidden unit, one column per output",
        [
            (np.outer(x, delta), "It uses the inputs x; the output weights start at h."),
            (np.outer(h, np.ones_like(delta)), "It is missing the factor δ = ŷ − y."),
            *step_slips(W_out, expected_out),
        ],
    )
    hidden = _check_one(
        "∂E/∂W_hidden",
        dE_dW_hidden,
        expected_hidden,
        "one row per input, one column per hidden unit",
        [
            (np.outer(h, back), "It uses h; the hidden weights start at the inputs x."),
            (np.outer(x, W_out[:, 0]), "It is missing the factor δ = ŷ − y."),
            (
                np.outer(x, delta * np.ones(len(h))),
                "It is missing W_out: δ reaches hidden "
                "unit j through the weight W_out[j], so use W_out @ δ.",
            ),
            (
                np.outer(x, delta),
                "It is missing W_out: δ reaches hidden unit j through the weight W_out[j], "
                "so use np.outer(x, W_out @ δ), one column per hidden unit.",
            ),
            *step_slips(W_hidden, expected_hidden),
        ],
    )
    # An answer of the wrong kind (text, complex, …) is all there is to say.
    for part in (out, hidden):
        if part.odd:
            return part
    if out.ok is None and hidden.ok is None:
        return Feedback(
            None, "Not done yet: replace the two placeholders with your ∂E/∂W_out and ∂E/∂W_hidden."
        )
    if out.ok and hidden.ok:
        return Feedback(True, f"Correct: both match backward().\n{out.message}\n{hidden.message}")
    # One wrong answer beside a right one: what is wrong is all there is to say.
    if {out.ok, hidden.ok} == {True, False}:
        return out if out.ok is False else hidden
    # One wrong answer makes the verdict "wrong"; otherwise one part is still to do.
    ok = False if False in (out.ok, hidden.ok) else None
    return Feedback(ok, f"{out.message}\n{hidden.message}")


# --------------------------------------------------------------------------
# Why the predict-first answers are what they are (shown after Reveal)
# --------------------------------------------------------------------------


def why_error_after_two(errors):
    """One line on the errors after 0, 1 and 2 steps: the miss grows by a factor each step."""
    e0, e1, e2 = (float(e) for e in errors[:3])
    return (
        f"E went {fmt(e0, 2)} → {fmt(e1, 2)} → {fmt(e2, 2)}: step 1 multiplied the miss by "
        f"about {fmt(np.sqrt(e1 / e0), 2)} and step 2 by about {fmt(np.sqrt(e2 / e1), 2)}, "
        "and E grows with the square of the miss."
    )


def why_just_below_the_bound(regime, lr, bound, epochs):
    """One line on what the error does at ``lr`` just below the stability ``bound``."""
    if regime == "converges":
        return (
            f"Below the bound {fmt(bound, 4)} every step shrinks the miss, so over {epochs} "
            "steps the error falls to zero."
        )
    if regime == "neither":
        return (
            f"Just below the bound {fmt(bound, 4)} each step overshoots by almost as much as "
            f"it was off: the miss shrinks so slowly that over {epochs} steps the error keeps "
            "jumping up and down."
        )
    return (
        f"The bound {fmt(bound, 4)} holds at the starting weights only: as the weights move "
        f"the safe rate falls below lr = {lr:g}, and the error blows up."
    )
