"""Notebook 04: the chain rule for the hidden weights, live.

- :class:`BackwardDiagramDashboard`: the backward pass drawn on the network.
  δ = ŷ − y sits at the output, flows back through w5 and w6 to h1 and h2,
  and every edge shows its gradient from :func:`~helpers.network.backward`.
- :class:`SurfaceDashboard`: the error over any two weights as contour lines,
  with the current point and the step that gradient descent would take there.
- :class:`FirstStepDashboard`: the first full step of the worked example,
  revealed one stage at a time with Next / Back / Restart.

These views are drawn for networks with one hidden layer and one output, as
in the worked example.

Also here: the checkers of the exercises: :func:`check_dE_dw4`, and the
"find the bug" exercise, which starts from :func:`buggy_step`, one
gradient-descent step written weight by weight that moves w5 and w6 before it
uses them for the hidden weights (:func:`check_repaired_step`).
"""

from __future__ import annotations

import traceback
import warnings
from collections.abc import Mapping

import ipywidgets as widgets
import numpy as np
from matplotlib.lines import Line2D

from ..checks import (
    NAMES,
    Feedback,
    backward_of,
    chain_rule_parts,
    check_number,
    not_done,
    read_number,
)
from ..diagram import NetworkDiagram, Scene
from ..examples import WORKED_EXAMPLE, Example
from ..network import (  # _forward: the stacked forward pass the helpers train with
    backward,
    error,
    forward,
    from_named,
    numerical_gradient,
    predictions_over,
    sgd_step,
    to_named,
    weight_names,
)
from ..plots import COLORS, fmt, live_figure, step_arrow
from ..widgets import WEIGHT_RANGE, Dashboard, target_slider, weight_scale, weight_slider

__all__ = [
    "BackwardDiagramDashboard",
    "BackwardNotes",
    "FirstStepDashboard",
    "STAGES",
    "SurfaceDashboard",
    "buggy_step",
    "check_dE_dw4",
    "check_repaired_step",
    "error_surface",
    "gradient_used",
    "hidden_signals",
    "reference_step",
    "why_largest_hidden_gradient",
    "why_one_step",
]


_NOTE_BOX = {"fc": "#FFF3E0", "ec": COLORS["gradient"], "lw": 1, "pad": 2.0}


def hidden_signals(layers, trace, target):
    """δ = ∂E/∂ŷ and, for each hidden unit j, ∂E/∂h_j = δ·(the weight from h_j to ŷ).

    For a network with one hidden layer, one output and a linear output unit.
    These are the numbers the backward pass carries from the output to the
    hidden layer; each hidden weight's gradient is ∂E/∂h_j times its input.
    """
    delta = float(trace.output[0] - np.asarray(target, dtype=float).ravel()[0])
    w_out = np.asarray(layers[-1].W[:, 0], dtype=float)
    return delta, [delta * float(w) for w in w_out]


class BackwardNotes:
    """Three notes on a network diagram: δ at the output, ∂E/∂h1 and ∂E/∂h2 at the hidden units."""

    def __init__(self, scene, diagram):
        self.diagram = diagram
        x_out, y_out = diagram.pos[diagram.names[-1][0]]
        self.delta = scene.text(
            x_out, y_out - 0.32, "", ha="center", va="top", size="small", box=_NOTE_BOX
        )
        self.hidden = {}
        for name in diagram.names[1]:
            x, y = diagram.pos[name]
            up = y >= 0
            self.hidden[name] = scene.text(
                x,
                y + (0.3 if up else -0.3),
                "",
                ha="center",
                va="bottom" if up else "top",
                size="small",
                box=_NOTE_BOX,
            )

    def show(self, delta=None, hidden=None, output_weights=(), target=None):
        """Show δ (and the target) if given, and each ∂E/∂h_j if ``hidden`` is given."""
        if delta is None:
            self.delta.set_visible(False)
        else:
            self.delta.set_text(f"y = {fmt(target)}\nδ = ŷ − y = {fmt(delta, 5)}")
            self.delta.set_visible(True)
        for k, (name, note) in enumerate(self.hidden.items()):
            if hidden is None:
                note.set_visible(False)
                continue
            note.set_text(f"∂E/∂{name} = δ·{output_weights[k]} = {fmt(hidden[k], 5)}")
            note.set_visible(True)


def _output_weight_names(layers):
    """The names of the weights into the output, in hidden-unit order (w5, w6)."""
    last = len(layers) - 1
    return [n for n, (layer, _i, _j) in weight_names(layers).items() if layer == last]


class BackwardDiagramDashboard(Dashboard):
    """The backward pass on the network: δ at the output, ∂E/∂h at the hidden units,
    ∂E/∂w on every edge (with an orange glow as wide as the gradient is large).

    The first slider is w5: it scales the signal that reaches h1, and so the
    gradients of w1 and w2. The target slider shows that no gradient flows
    when ŷ = y.
    """

    def __init__(self, example=WORKED_EXAMPLE, weight_range=WEIGHT_RANGE):
        self.example = example
        named = example.named
        order = ["w5", "w6", "w1", "w2", "w3", "w4"]
        controls = {name: weight_slider(name, named[name], weight_range) for name in order}
        controls["y"] = target_slider(float(example.target[0]))
        controls["w5"].add_class("drives-figure")
        # Room under the output unit for the note on δ.
        scene = Scene(7.0, 3.6, xlim=(-0.1, 1.2), ylim=(-1.75, 1.75), label="The backward pass")
        self.diagram = NetworkDiagram(scene, [len(example.x), 2, 1], gradients=True)
        self.notes = BackwardNotes(scene, self.diagram)
        self.out_names = _output_weight_names(example.layers)
        super().__init__(controls, scene)
        self.refresh()

    def redraw(self, **values):
        ex = self.example
        weights = {k: v for k, v in values.items() if k != "y"}
        target = np.array([values["y"]])
        layers = from_named(weights, ex.layers)
        trace = forward(layers, ex.x)
        grads = backward(layers, trace, target)
        # Edges reach full width at the sliders' end, as in notebook 01.
        self.diagram.update(layers, ex.x, grads=grads, weight_scale=weight_scale(self.controls))
        delta, signals = hidden_signals(layers, trace, target)
        self.notes.show(delta, signals, self.out_names, target=values["y"])

        g = to_named(grads)
        h = trace.hidden[0]
        i = [float(v) for v in ex.x]
        w5, w6 = self.out_names
        lines = [
            f"ŷ = {fmt(trace.output[0], 7)}, y = {fmt(values['y'])}: "
            f"δ = ŷ − y = {fmt(delta, 7)}, E = {fmt(error(trace.output, target), 9)}.",
            f"Output weights: ∂E/∂{w5} = δ·h1 = {fmt(g[w5], 7)} (h1 = {fmt(h[0], 6)}), "
            f"∂E/∂{w6} = δ·h2 = {fmt(g[w6], 7)} (h2 = {fmt(h[1], 6)}).",
            f"Back through {w5}: ∂E/∂h1 = δ·{w5} = {fmt(signals[0], 7)}; "
            f"∂E/∂w1 = ∂E/∂h1·i1 = {fmt(g['w1'], 7)}, ∂E/∂w2 = ∂E/∂h1·i2 = {fmt(g['w2'], 7)}.",
            f"Back through {w6}: ∂E/∂h2 = δ·{w6} = {fmt(signals[1], 7)}; "
            f"∂E/∂w3 = ∂E/∂h2·i1 = {fmt(g['w3'], 7)}, ∂E/∂w4 = ∂E/∂h2·i2 = {fmt(g['w4'], 7)}.",
            f"(Inputs i1 = {fmt(i[0])}, i2 = {fmt(i[1])}.)",
        ]
        if delta == 0:
            self.say("ŷ equals the target: δ = 0, so every gradient is zero and nothing moves.")
        return "\n".join(lines)


# --------------------------------------------------------------------------
# The error surface over two weights
# --------------------------------------------------------------------------


def error_surface(layers, x, target, x_name, y_name, xs, ys, activation="linear"):
    """ŷ − y and E on the grid ``xs`` × ``ys`` of two weights, every other weight kept.

    Returns ``(residual, E)``, each of shape ``(len(ys), len(xs))`` (rows follow
    ``ys``, as :func:`matplotlib.axes.Axes.contour` expects). All grid points go
    through one stacked forward pass (:func:`helpers.network.predictions_over`),
    so a 41 × 41 grid costs about a millisecond.
    """
    A, B = np.meshgrid(np.asarray(xs, dtype=float), np.asarray(ys, dtype=float))
    out = predictions_over(layers, x, {x_name: A, y_name: B}, activation)
    t = float(np.asarray(target, dtype=float).ravel()[0])
    residual = out[..., 0] - t
    return residual, 0.5 * residual**2


class SurfaceDashboard(Dashboard):
    """E over two weights (w1 and w2 to start with) as contour lines of equal error.

    The marker is the current point, the arrow the step that gradient descent
    takes there in these two weights, −lr·(∂E/∂a, ∂E/∂b), at the example's
    learning rate. The thick green line is where ŷ = y (E = 0). Moving one of
    the two chosen weights moves only the marker and the arrow; the contour
    lines are recomputed when another weight or the chosen pair changes.
    """

    #: Grid points along each axis.
    resolution = 61
    #: An arrow longer than this fraction of the axis is drawn shortened.
    longest_arrow = 0.35

    def __init__(
        self, example=WORKED_EXAMPLE, x_weight="w1", y_weight="w2", weight_range=WEIGHT_RANGE
    ):
        self.example = example
        self.lr = example.lr
        named = example.named
        choices = list(named)
        controls = {name: weight_slider(name, named[name], weight_range) for name in choices}
        # In em, to grow with a projector's larger text (the label takes 80 px × the scale).
        controls["x_weight"] = widgets.Dropdown(
            options=choices, value=x_weight, description="x axis", layout={"width": "13em"}
        )
        controls["y_weight"] = widgets.Dropdown(
            options=choices, value=y_weight, description="y axis", layout={"width": "13em"}
        )
        controls[choices[0]].add_class("drives-figure")
        lo, hi = controls[choices[0]].min, controls[choices[0]].max
        self.grid = np.linspace(lo, hi, self.resolution)

        fig, ax = live_figure(6.6, 3.6)
        fig.subplots_adjust(left=0.1, right=0.62, bottom=0.14, top=0.9)
        self.ax = ax
        ax.set_xlim(lo, hi)
        ax.set_ylim(lo, hi)
        ax.set_aspect("equal")
        (self.marker,) = ax.plot(
            [], [], "o", color=COLORS["negative"], ms=8, zorder=5, clip_on=False
        )
        self.arrow = step_arrow(ax, shrink_end=0, zorder=6)
        self.title = ax.set_title("", fontsize="medium")
        ax.legend(
            handles=[
                Line2D([], [], ls="", marker="o", color=COLORS["negative"], label="now"),
                Line2D([], [], color=COLORS["neutral"], lw=0.8, label="equal E"),
                Line2D([], [], color=COLORS["accent"], lw=2.5, label="E = 0 (ŷ = y)"),
                Line2D([], [], color=COLORS["gradient"], lw=2.5, label=f"step at lr {self.lr:g}"),
            ],
            loc="upper left",
            bbox_to_anchor=(1.04, 1.0),
            fontsize="small",
            frameon=False,
        )
        self.side_text = ax.text(
            1.06, 0.38, "", transform=ax.transAxes, va="top", ha="left", fontsize="small"
        )
        self._contours = []
        self._surface_key = None
        self.surface_computations = 0  # how often the contours were recomputed (tests read it)
        self.arrow_scale = 1.0
        super().__init__(controls, fig)
        self.live(self.marker, self.arrow, self.side_text)
        self.refresh()

    def _draw_surface(self, layers, a_name, b_name):
        for artist in self._contours:
            artist.remove()
        self._contours = []
        residual, _E = error_surface(
            layers, self.example.x, self.example.target, a_name, b_name, self.grid, self.grid
        )
        self.surface_computations += 1
        lo, hi = float(residual.min()), float(residual.max())
        if hi - lo < 1e-9 * max(1.0, abs(hi)):
            return False
        # Lines of equal E = ½(ŷ − y)² are lines of equal |ŷ − y|: space them evenly in ŷ − y.
        reach = max(abs(lo), abs(hi))
        steps = reach * np.arange(-8, 9) / 8
        levels = [r for r in steps if lo < r < hi and r != 0]
        if levels:
            self._contours.append(
                self.ax.contour(
                    self.grid,
                    self.grid,
                    residual,
                    levels=levels,
                    colors=COLORS["neutral"],
                    linewidths=0.8,
                    linestyles="solid",
                )
            )
        if lo < 0 < hi:
            self._contours.append(
                self.ax.contour(
                    self.grid,
                    self.grid,
                    residual,
                    levels=[0.0],
                    colors=COLORS["accent"],
                    linewidths=2.5,
                )
            )
        return True

    def redraw(self, **values):
        a_name, b_name = values["x_weight"], values["y_weight"]
        weights = {k: v for k, v in values.items() if k.startswith("w")}
        ex = self.example
        layers = from_named(weights, ex.layers)
        if a_name == b_name:
            for artist in self._contours:
                artist.remove()
            self._contours = []
            self._surface_key = None
            self.marker.set_visible(False)
            self.arrow.set_visible(False)
            self.title.set_text("choose two different weights")
            self.side_text.set_text("")
            self.say("Choose two different weights for the x axis and the y axis.")
            return f"Both axes show {a_name}: choose two different weights."

        others = tuple((k, v) for k, v in sorted(weights.items()) if k not in (a_name, b_name))
        key = (a_name, b_name, others)
        if key != self._surface_key:
            self._varies = self._draw_surface(layers, a_name, b_name)
            self._surface_key = key
            self.ax.set_xlabel(a_name)
            self.ax.set_ylabel(b_name)

        trace = forward(layers, ex.x)
        E = error(trace.output, ex.target)
        g = to_named(backward(layers, trace, ex.target))
        a, b = weights[a_name], weights[b_name]
        da, db = -self.lr * g[a_name], -self.lr * g[b_name]
        length = float(np.hypot(da, db))
        longest = self.longest_arrow * (self.grid[-1] - self.grid[0])
        self.arrow_scale = 1.0 if length <= longest else longest / length
        self.marker.set_data([a], [b])
        self.marker.set_visible(True)
        self.arrow.set_position((a, b))
        self.arrow.xy = (a + self.arrow_scale * da, b + self.arrow_scale * db)
        self.arrow.set_visible(length > 1e-3 * (self.grid[-1] - self.grid[0]))
        self.title.set_text(f"E over ({a_name}, {b_name}), other weights fixed")
        self.side_text.set_text(
            f"E = {fmt(E, 5)}\n∂E/∂{a_name} = {fmt(g[a_name], 4)}\n"
            f"∂E/∂{b_name} = {fmt(g[b_name], 4)}"
            + ("\n(arrow shortened)" if self.arrow_scale < 1.0 else "")
        )

        others_text = ", ".join(f"{k} = {fmt(v)}" for k, v in others)
        lines = [
            f"At {a_name} = {fmt(a)}, {b_name} = {fmt(b)} ({others_text}): "
            f"E = {fmt(E, 9)}, ∂E/∂{a_name} = {fmt(g[a_name], 7)}, "
            f"∂E/∂{b_name} = {fmt(g[b_name], 7)}.",
            f"One step at lr {self.lr:g} moves ({a_name}, {b_name}) to "
            f"({fmt(a + da, 7)}, {fmt(b + db, 7)}).",
        ]
        if self.arrow_scale < 1.0:
            lines.append(
                f"The arrow is drawn at {self.arrow_scale:.0%} of its length: the full step is "
                f"{fmt(length, 3)} long, off the edge of the plot."
            )
        if not self._varies:
            lines.append(f"E does not change with {a_name} and {b_name} here: no contour lines.")
        return "\n".join(lines)


# --------------------------------------------------------------------------
# The first full step, stage by stage
# --------------------------------------------------------------------------

#: The stages of :class:`FirstStepDashboard`, in order.
STAGES = [
    "the starting point",
    "the forward pass",
    "the error",
    "the output-weight gradients",
    "the hidden-weight gradients",
    "the update",
]


class FirstStepDashboard(Dashboard):
    """One full step of backpropagation on the network, one stage at a time.

    Next / Back / Restart (or :meth:`next`, :meth:`back`, :meth:`restart` in
    code) walk through :data:`STAGES`; the diagram reveals each stage's
    numbers and the text with it spells them out. ``stage`` is the current
    stage's number and ``description`` its text.
    """

    def __init__(self, example=WORKED_EXAMPLE, weight_range=WEIGHT_RANGE):
        self.example = example
        # Edges at full width where |w| reaches the weight sliders' end, as in the other diagrams.
        self.weight_range = weight_range
        last = len(STAGES) - 1
        controls = {
            "stage": widgets.IntSlider(
                value=0,
                min=0,
                max=last,
                description="stage",
                readout=True,
                continuous_update=True,
                layout={"width": "260px"},
            )
        }
        # The diagram as in BackwardDiagramDashboard, with a line above it for the title.
        scene = Scene(7.0, 3.9, xlim=(-0.1, 1.2), ylim=(-1.75, 2.05), label="The first step")
        self.diagram = NetworkDiagram(scene, [len(example.x), 2, 1], gradients=True)
        self.notes = BackwardNotes(scene, self.diagram)
        self.title = scene.text(0.55, 2.0, "", va="top", size="medium")
        self.order = list(weight_names(example.layers))
        self.out_names = _output_weight_names(example.layers)
        self._compute()
        super().__init__(controls, scene)
        self.reset_button.description = "Restart"
        self.back_button = widgets.Button(description="Back", icon="arrow-left")
        self.next_button = widgets.Button(description="Next", icon="arrow-right")
        self.back_button.on_click(lambda _button: self.back())
        self.next_button.on_click(lambda _button: self.next())
        self.refresh()

    # -- stepping ------------------------------------------------------------

    @property
    def stage(self):
        """The number of the stage shown, 0 … len(STAGES) − 1."""
        return int(self.controls["stage"].value)

    def next(self):
        """Reveal the next stage (stays on the last one)."""
        self.update(stage=min(self.stage + 1, len(STAGES) - 1))
        return self.description

    def back(self):
        """Go back one stage (stays on the first one)."""
        self.update(stage=max(self.stage - 1, 0))
        return self.description

    def restart(self):
        """Back to the starting point."""
        self.reset()
        return self.description

    def stage_texts(self):
        """The text of every stage, in order (what Next reveals, one after another)."""
        return [self._text(k) for k in range(len(STAGES))]

    def control_rows(self):
        return [[self.back_button, self.next_button, self.reset_button, self.controls["stage"]]]

    # -- the numbers -----------------------------------------------------------

    def _compute(self):
        ex = self.example
        self.trace = forward(ex.layers, ex.x)
        self.grads = backward(ex.layers, self.trace, ex.target)
        self.g = to_named(self.grads)
        self.E = error(self.trace.output, ex.target)
        self.delta, self.signals = hidden_signals(ex.layers, self.trace, ex.target)
        self.new_layers = sgd_step(ex.layers, self.grads, ex.lr)
        self.new_named = to_named(self.new_layers)
        self.new_trace = forward(self.new_layers, ex.x)
        self.new_E = error(self.new_trace.output, ex.target)

    def _text(self, k):
        ex = self.example
        w = ex.named
        i1, i2 = (float(v) for v in ex.x)
        h1, h2 = (float(v) for v in self.trace.hidden[0])
        y_hat = float(self.trace.output[0])
        y = float(ex.target[0])
        g = self.g
        w5, w6 = self.out_names
        head = f"Stage {k} of {len(STAGES) - 1} · {STAGES[k]}.\n"
        if k == 0:
            weights = ", ".join(f"{n} = {fmt(v)}" for n, v in w.items())
            return (
                head + f"Weights {weights}; inputs i1 = {fmt(i1)}, i2 = {fmt(i2)}; "
                f"target y = {fmt(y)}; learning rate {ex.lr:g}.\nPress Next for the forward pass."
            )
        if k == 1:
            return (
                head + f"h1 = w1·i1 + w2·i2 = {fmt(w['w1'])}·{fmt(i1)} + {fmt(w['w2'])}·{fmt(i2)} "
                f"= {fmt(h1, 10)}\nh2 = w3·i1 + w4·i2 = {fmt(w['w3'])}·{fmt(i1)} + "
                f"{fmt(w['w4'])}·{fmt(i2)} = {fmt(h2, 10)}\nŷ = {w5}·h1 + {w6}·h2 = "
                f"{fmt(w[w5])}·{fmt(h1, 10)} + {fmt(w[w6])}·{fmt(h2, 10)} = {fmt(y_hat, 10)}."
            )
        if k == 2:
            return (
                head + f"E = ½(ŷ − y)² = ½({fmt(y_hat, 10)} − {fmt(y)})² = {fmt(self.E, 10)}\n"
                f"δ = ∂E/∂ŷ = ŷ − y = {fmt(self.delta, 10)}."
            )
        if k == 3:
            return (
                head + f"∂E/∂{w5} = δ·h1 = ({fmt(self.delta, 10)})·{fmt(h1, 10)} = "
                f"{fmt(g[w5], 10)}\n∂E/∂{w6} = δ·h2 = ({fmt(self.delta, 10)})·{fmt(h2, 10)} = "
                f"{fmt(g[w6], 10)}."
            )
        if k == 4:
            return (
                head + f"δ goes back through the old {w5} = {fmt(w[w5])} to h1: ∂E/∂h1 = "
                f"δ·{w5} = {fmt(self.signals[0], 10)}\n"
                f"∂E/∂w1 = ∂E/∂h1·i1 = {fmt(g['w1'], 10)}, ∂E/∂w2 = ∂E/∂h1·i2 = "
                f"{fmt(g['w2'], 10)}\n"
                f"δ goes back through the old {w6} = {fmt(w[w6])} to h2: ∂E/∂h2 = "
                f"δ·{w6} = {fmt(self.signals[1], 10)}\n"
                f"∂E/∂w3 = ∂E/∂h2·i1 = {fmt(g['w3'], 10)}, ∂E/∂w4 = ∂E/∂h2·i2 = "
                f"{fmt(g['w4'], 10)}"
            )
        moves = "\n".join(
            f"{n} = {fmt(w[n])} − {ex.lr:g}·({fmt(g[n], 10)}) = {fmt(self.new_named[n], 10)}"
            for n in self.order
        )
        new_y = float(self.new_trace.output[0])
        verdict = "The step overshot: the error grew." if self.new_E > self.E else "The error fell."
        return (
            head + f"All six weights move together by −lr·gradient (lr = {ex.lr:g}):\n{moves}\n"
            f"New forward pass: ŷ = {fmt(new_y, 10)} (target {fmt(y)}), E = "
            f"{fmt(self.new_E, 10)}, was {fmt(self.E, 10)}. {verdict}"
        )

    # -- drawing -----------------------------------------------------------------

    def redraw(self, stage):
        k = int(stage)
        ex = self.example
        d = self.diagram
        # Nothing before the first stage or after the last: those buttons are off there.
        self.back_button.disabled = k == 0
        self.next_button.disabled = k == len(STAGES) - 1
        if k < len(STAGES) - 1:
            d.update(ex.layers, ex.x, grads=self.grads, weight_scale=self.weight_range)
        else:
            d.update(self.new_layers, ex.x, weight_scale=self.weight_range)
        names = [n for layer in d.names for n in layer]
        if k == 0:  # nothing computed yet: the units show only their names (inputs are given)
            for name in names:
                if name not in d.names[0]:
                    d.node_text[name].set_text(name)
        weights = self.example.named if k < len(STAGES) - 1 else self.new_named
        glow = np.array(d.glow.get_linewidths(), dtype=float)
        if glow.size != len(self.order):
            glow = np.resize(glow, len(self.order))
        for idx, name in enumerate(self.order):
            revealed = k >= 4 or (k == 3 and name in self.out_names)
            if not revealed or k == len(STAGES) - 1:
                d.edge_text[name].set_text(f"{name}={fmt(weights[name], 3)}")
                glow[idx] = 0.0
        d.glow.set_linewidths(glow)
        d.glow.set_visible(3 <= k < len(STAGES) - 1)
        if k in (2, 3):
            self.notes.show(self.delta, None, target=float(ex.target[0]))
        elif k == 4:
            self.notes.show(self.delta, self.signals, self.out_names, target=float(ex.target[0]))
        else:
            self.notes.show(None, None)
        if k == len(STAGES) - 1:
            self.notes.delta.set_text(
                f"new ŷ = {fmt(self.new_trace.output[0], 6)}\n(target y = {fmt(ex.target[0])})"
            )
            self.notes.delta.set_visible(True)
        self.title.set_text(f"Stage {k} of {len(STAGES) - 1}: {STAGES[k]}")
        return self._text(k)


# --------------------------------------------------------------------------
# Checkers for the exercises
# --------------------------------------------------------------------------


def check_dE_dw4(given, example=WORKED_EXAMPLE):
    """Notebook 04: ∂E/∂w4 = δ·w6·i2 at the example's weights."""
    _h1, h2, y_hat, y, grads = chain_rule_parts(example)
    delta = y_hat - y
    named = example.named
    i1, i2 = (float(v) for v in example.x)
    w6_after = to_named(sgd_step(example.layers, backward_of(example), example.lr))["w6"]
    hints = [
        (
            delta * named["w5"] * i2,
            "That is ∂E/∂w2. The weight w4 feeds h2, and h2 reaches ŷ through w6, not w5.",
        ),
        (delta * named["w6"] * i1, "That is ∂E/∂w3. The weight w4 carries i2, not i1."),
        (delta * i2, "The middle factor is missing: ∂ŷ/∂h2 = w6."),
        (delta * named["w6"], "The last factor is missing: ∂h2/∂w4 = i2."),
        (delta * h2 * i2, "The middle factor ∂ŷ/∂h2 is the weight w6, not the value h2."),
        (
            delta * w6_after * i2,
            "That uses w6 after its update. Every gradient is taken at the old weights.",
        ),
    ]
    return check_number("∂E/∂w4", given, grads["w4"], hints=hints)


def buggy_step(w, x, y, lr):
    """One gradient-descent step on the 2-2-1 linear network, weight by weight. It has a bug.

    ``w`` maps "w1".."w6" to numbers, ``x`` is (i1, i2), ``y`` the target.
    Returns the new weights as a new dictionary. Notebook 04 asks you to find
    what is wrong, with a gradient check.
    """
    i1, i2 = x
    h1 = w["w1"] * i1 + w["w2"] * i2
    h2 = w["w3"] * i1 + w["w4"] * i2
    y_hat = w["w5"] * h1 + w["w6"] * h2
    delta = y_hat - y

    new = dict(w)
    # The output layer: each weight moves against δ times the value it multiplies.
    new["w5"] -= lr * delta * h1
    new["w6"] -= lr * delta * h2
    # The hidden layer: δ comes back through w5 (to h1) and w6 (to h2).
    new["w1"] -= lr * delta * new["w5"] * i1
    new["w2"] -= lr * delta * new["w5"] * i2
    new["w3"] -= lr * delta * new["w6"] * i1
    new["w4"] -= lr * delta * new["w6"] * i2
    return new


def reference_step(w, x, y, lr, example=WORKED_EXAMPLE):
    """The right step for named weights ``w``: all gradients from :func:`backward`, then
    :func:`sgd_step`. Returns the new weights by name."""
    layers = from_named({k: float(v) for k, v in w.items()}, example.layers)
    trace = forward(layers, np.asarray(x, dtype=float), example.activation)
    grads = backward(layers, trace, np.array([float(y)]))
    return to_named(sgd_step(layers, grads, lr))


def gradient_used(step, w, x, y, lr):
    """The gradient a step function really used for each weight: (old − new) / lr."""
    new = step(dict(w), x, y, lr)
    return {name: (float(w[name]) - float(new[name])) / lr for name in NAMES}


def _central_difference(w, x, y, example=WORKED_EXAMPLE):
    layers = from_named({k: float(v) for k, v in w.items()}, example.layers)
    return to_named(numerical_gradient(layers, np.asarray(x, dtype=float), np.array([float(y)])))


def _cases():
    """The worked example, then a second network with other signs, so that a function
    written for the first one's numbers alone does not pass."""
    ex = WORKED_EXAMPLE
    yield dict(ex.named), tuple(float(v) for v in ex.x), float(ex.target[0]), ex.lr
    other = Example(
        from_named(
            {"w1": -0.4, "w2": 0.3, "w3": 0.7, "w4": -0.2, "w5": 0.5, "w6": -0.8}, ex.layers
        ),
        np.array([1.5, -2.0]),
        np.array([0.7]),
        0.1,
    )
    yield dict(other.named), tuple(float(v) for v in other.x), float(other.target[0]), other.lr


def _used_vs_check(new, w, x, y, lr, names):
    reference = _central_difference(w, x, y)
    lines = []
    for name in names:
        used = (float(w[name]) - float(new[name])) / lr
        lines.append(
            f"{name}: your step used ∂E/∂{name} = {fmt(used, 6)}; "
            f"a central difference at the old weights gives {fmt(reference[name], 6)}."
        )
    return " ".join(lines)


def check_repaired_step(step):
    """Notebook 04: does ``step(w, x, y, lr)`` move all six weights as gradient descent does?

    It is run on the worked example and on a second network. A function that
    returns ``None`` has not been written yet.
    """
    if not_done(step):
        return Feedback(None, "Not done yet: write repaired_step, then run this cell again.")
    if not callable(step):
        return Feedback(False, f"repaired_step should be a function, got {type(step).__name__}.")
    for k, (w, x, y, lr) in enumerate(_cases()):
        given = dict(w)
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")  # what comes out is judged below
                new = step(given, x, y, lr)
        except Exception as exc:  # the student's code: explain, never raise
            where = traceback.extract_tb(exc.__traceback__)[-1]
            return Feedback(
                False,
                f"Not yet: your function raised {type(exc).__name__}: {exc} (line {where.lineno}).",
            )
        changed = [name for name in NAMES if not _unchanged(given, w, name)]
        if new is not None and (changed or set(given) != set(w)):
            return Feedback(
                False,
                "Not yet: your function changed the dictionary it was given "
                f"({', '.join(changed) or 'its keys'}). Leave the old weights alone (start "
                "with new = dict(w)) so that every gradient is taken at the old weights.",
            )
        verdict = _read_step_result(new, first=k == 0)
        if verdict is not None:
            return verdict
        new = {name: float(new[name]) for name in NAMES}
        expected = reference_step(w, x, y, lr)
        wrong = [
            name
            for name in NAMES
            if not np.isclose(float(new[name]), expected[name], rtol=1e-9, atol=1e-12)
        ]
        if not wrong:
            continue
        which = "the worked example" if k == 0 else "a second network (other weights and inputs)"
        buggy = buggy_step(dict(w), x, y, lr)
        if all(np.isclose(float(new[n]), buggy[n], rtol=1e-9, atol=1e-12) for n in NAMES):
            return Feedback(
                False,
                "Not yet: this is still the bug. w1 … w4 move by a gradient taken with the "
                "new w5 and w6. " + _used_vs_check(new, w, x, y, lr, ["w1"]),
            )
        return Feedback(
            False,
            f"Not yet: on {which} these weights are wrong: {', '.join(wrong)}. "
            + _used_vs_check(new, w, x, y, lr, wrong),
        )
    w, x, y, lr = next(_cases())
    expected = reference_step(w, x, y, lr)
    shown = ", ".join(f"{n} = {fmt(expected[n], 7)}" for n in NAMES)
    return Feedback(
        True,
        "Correct: every gradient is taken at the old weights, then all six move together. "
        f"On the worked example: {shown}.",
    )


def _unchanged(given, w, name):
    """Whether the student's step left ``given[name]`` as it was in ``w``."""
    if name not in given:
        return False
    value = given[name]
    if value is w[name]:
        return True
    try:
        return isinstance(value, (int, float)) and bool(value == w[name])
    except Exception:  # an object whose == misbehaves: it was not the old weight
        return False


def _read_step_result(new, first):
    """None when ``new`` holds six real, finite new weights, else the verdict on it."""
    if new is None:
        if first:
            return Feedback(
                None, "Not done yet: repaired_step returns None; make it return new weights."
            )
        return Feedback(False, "Not yet: repaired_step returned None for the second network.")
    if not isinstance(new, Mapping):
        return Feedback(
            False,
            f"Not yet: repaired_step returns a {type(new).__name__}; it should return a "
            "dictionary with the keys w1 … w6, as new = dict(w) gives.",
            odd=True,
        )
    missing = [name for name in NAMES if name not in new]
    if missing:
        keys = ", ".join(repr(name) for name in missing)
        return Feedback(
            False,
            f"Not yet: the dictionary repaired_step returns has no key {keys}; it needs "
            "all six, w1 … w6.",
            odd=True,
        )
    values = [new[name] for name in NAMES]
    if all(not_done(v) for v in values):
        return Feedback(
            None,
            "Not done yet: repaired_step returns w1 … w6 still set to None; compute each "
            "new weight.",
        )
    for name in NAMES:
        if not_done(new[name]):
            return Feedback(
                False, f"Not yet: repaired_step leaves new['{name}'] at {new[name]!r}.", odd=True
            )
        _value, wrong_kind = read_number(f"new['{name}']", new[name])
        if wrong_kind:
            return Feedback(False, wrong_kind, odd=True)
    return None


# --------------------------------------------------------------------------
# Why the predict-first answers are what they are (shown after Reveal)
# --------------------------------------------------------------------------


def why_largest_hidden_gradient(example=WORKED_EXAMPLE):
    """One line with the four hidden gradients and the rule that sizes them."""
    _h1, _h2, _y_hat, _y, grads = chain_rule_parts(example)
    listed = ", ".join(f"∂E/∂{n} = {fmt(grads[n], 4)}" for n in ("w1", "w2", "w3", "w4"))
    return f"Each is δ × the output weight on its path × its input: {listed}."


def why_one_step(example=WORKED_EXAMPLE):
    """One line on where ŷ lands after one full step at the example's learning rate."""
    trace = forward(example.layers, example.x, example.activation)
    after = sgd_step(example.layers, backward_of(example), example.lr)
    y_hat = float(trace.output[0])
    new = float(forward(after, example.x, example.activation).output[0])
    y = float(example.target[0])
    return (
        f"The step takes ŷ from {fmt(y_hat, 5)} to {fmt(new, 5)}: {fmt(abs(new - y), 4)} from "
        f"the target {fmt(y)}, against {fmt(abs(y_hat - y), 4)} before."
    )
