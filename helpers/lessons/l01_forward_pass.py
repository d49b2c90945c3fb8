"""Notebook 01: the forward pass, live on the network diagram.

The dashboard draws the 2-2-1 network with every unit's value and every
weight on its edge, and beside it the three sums that make the forward pass,
written out with the current numbers. Move a weight or an input and both the
diagram and the sums change.

Also here: the course map's still drawing of the network (:func:`example_figure`,
:func:`weight_table`, shown in notebook 00) and the checkers of the exercises
(:func:`check_h2`, :func:`check_y_hat`), which name the usual slips in the sums.
"""

from __future__ import annotations

import numpy as np

from ..checks import check_number
from ..diagram import NetworkDiagram, Scene
from ..examples import WORKED_EXAMPLE
from ..network import forward, from_named, weight_names
from ..plots import fmt, node_names
from ..text import sign_word
from ..widgets import WEIGHT_RANGE, Dashboard, input_slider, weight_scale, weight_slider

__all__ = [
    "ForwardPassDashboard",
    "check_h2",
    "check_y_hat",
    "course_diagram",
    "example_figure",
    "predict",
    "show_values",
    "sign_word",
    "sum_text",
    "w5_doubling_misconception",
    "weight_table",
    "why_flipped_input",
    "why_w5_doubles",
]


#: Significant figures of the values written in the nodes and the sums:
#: enough to show the worked example exactly (ŷ = 2.2136).
DIGITS = 6


def _factor(value):
    """A number as a factor in a product: negative numbers in parentheses."""
    text = fmt(value, DIGITS)
    return f"({text})" if text.startswith("−") else text


def sum_text(unit, inputs, weights, values, total):
    """One unit's weighted sum in symbols, with numbers, and its value (three lines).

    >>> sum_text("h1", ["i1", "i2"], ["w1", "w2"], [(8, 0.21), (12, 0.56)], 8.4)
    'h1 = i1·w1 + i2·w2\\n    = 8·0.21 + 12·0.56\\n    = 8.4'
    """
    symbols = " + ".join(f"{a}·{w}" for a, w in zip(inputs, weights))
    numbers = " + ".join(f"{_factor(a)}·{_factor(w)}" for a, w in values)
    pad = " " * (len(unit) + 1)
    return f"{unit} = {symbols}\n{pad}= {numbers}\n{pad}= {fmt(total, DIGITS)}"


def course_diagram(scene, sizes):
    """A :class:`~helpers.diagram.NetworkDiagram` with the look of notebook 01.

    Larger weight labels and units than the default, so that six-figure
    values fit in the circles.
    """
    return NetworkDiagram(scene, sizes, label_position=0.36, radius=24.0, edge_label_size="small")


def show_values(diagram):
    """Write every unit's value into its node, to ``DIGITS`` figures: the values of
    the diagram's last :meth:`~helpers.diagram.NetworkDiagram.update`, with float
    round-off shown as 0 (:func:`~helpers.diagram.shown_values`).

    Returns the values by unit name, ``{"i1": 8.0, …, "ŷ": 2.2136}``.
    """
    shown = {}
    for layer, names in enumerate(diagram.names):
        for j, name in enumerate(names):
            shown[name] = float(diagram.values[layer][j])  # round-off shown as 0
            diagram.node_text[name].set_text(f"{name}\n{fmt(shown[name], DIGITS)}")
    return shown


def example_figure(example=WORKED_EXAMPLE, weight_range=WEIGHT_RANGE):
    """A still drawing of ``example``'s network with its values (no sliders), e.g. for the map.

    ``weight_range`` is the |w| drawn at full width: the weight sliders' end.
    """
    scene = Scene(
        6.0, 3.3, xlim=(-0.1, 1.1), ylim=(-1.3, 1.3), label="The worked example's network"
    )
    layers = example.layers
    diagram = course_diagram(scene, [L.W.shape[0] for L in layers] + [layers[-1].W.shape[1]])
    diagram.update(layers, example.x, example.activation, weight_scale=weight_range)
    show_values(diagram)
    scene.flush()
    return scene


class ForwardPassDashboard(Dashboard):
    """Sliders for w1..w6 and the inputs; the diagram shows h1, h2 and ŷ as they change.

    Beside the diagram, each unit's sum is written out with the current
    numbers (``sum_texts["h1"]`` etc.), so a student sees which sum a slider
    enters: w1 changes h1 and then ŷ, never h2.
    """

    def __init__(self, example=WORKED_EXAMPLE, weight_range=WEIGHT_RANGE):
        self.example = example
        named = example.named
        controls = {name: weight_slider(name, v, weight_range) for name, v in named.items()}
        for k, value in enumerate(example.x):
            controls[f"i{k + 1}"] = input_slider(f"i{k + 1}", float(value))
        self.weight_scale = weight_scale(controls)
        # The diagram fills the left 1.2 units of x; the sums are written to its right.
        scene = Scene(8.0, 3.3, xlim=(-0.1, 1.75), ylim=(-1.3, 1.3), label="The forward pass")
        sizes = [L.W.shape[0] for L in example.layers] + [example.layers[-1].W.shape[1]]
        self.diagram = course_diagram(scene, sizes)

        # Which inputs and weights feed each unit, from the helpers' own numbering.
        self._feeds = {}
        names = self.diagram.names
        for wname, (layer, i, j) in weight_names(example.layers).items():
            unit = names[layer + 1][j]
            self._feeds.setdefault(unit, []).append((names[layer][i], wname))
        self.sum_texts = {}
        units = list(self._feeds)
        for k, unit in enumerate(units):
            self.sum_texts[unit] = scene.text(
                1.17,
                1.25 - 2.5 * k / len(units),
                unit,
                va="top",
                ha="left",
                size="small",
                family="mono",
            )
        super().__init__(controls, scene)
        self.refresh()

    def redraw(self, **values):
        weights = {k: v for k, v in values.items() if k.startswith("w")}
        layers = from_named(weights, self.example.layers)
        x = [values[f"i{k + 1}"] for k in range(len(self.example.x))]
        trace = self.diagram.update(layers, x, weight_scale=self.weight_scale)

        # The nodes and the sums show the same values, to DIGITS figures.
        shown = show_values(self.diagram)
        for unit, feeds in self._feeds.items():
            pairs = [(shown[src], weights[w]) for src, w in feeds]
            self.sum_texts[unit].set_text(
                sum_text(unit, [s for s, _ in feeds], [w for _, w in feeds], pairs, shown[unit])
            )

        h = trace.hidden[0]
        return (
            f"h1 = {fmt(h[0], 6)}, h2 = {fmt(h[1], 6)}, ŷ = {fmt(trace.output[0], 6)} "
            f"(inputs {fmt(x[0])}, {fmt(x[1])}; "
            + ", ".join(f"{k} = {fmt(v)}" for k, v in weights.items())
            + ")"
        )


def weight_table(example=WORKED_EXAMPLE):
    """Every weight with the units it joins and its value: ``[("w1", "i1", "h1", 0.21), …]``."""
    layers = example.layers
    sizes = [L.W.shape[0] for L in layers] + [layers[-1].W.shape[1]]
    names = node_names(sizes)
    named = example.named
    return [
        (w, names[layer][i], names[layer + 1][j], named[w])
        for w, (layer, i, j) in weight_names(layers).items()
    ]


def predict(example=WORKED_EXAMPLE, x=None, **named):
    """ŷ of ``example``, optionally for another input ``x`` and with some weights changed.

    ``predict(w5=0.46)`` is the prediction with w5 = 0.46 and the other weights
    as they are; ``predict(x=[-8, 12])`` the prediction for another input.
    """
    changed = example.with_weights(**named) if named else example
    x = changed.x if x is None else x
    return float(forward(changed.layers, x, changed.activation).output[0])


# --------------------------------------------------------------------------
# Checkers for the exercises
# --------------------------------------------------------------------------


def _parts(example):
    w = example.named
    i1, i2 = (float(v) for v in example.x)
    trace = forward(example.layers, example.x, example.activation)
    h1, h2 = (float(v) for v in trace.hidden[0])
    return w, i1, i2, h1, h2, float(trace.output[0])


def check_h2(h2, example=WORKED_EXAMPLE):
    """Check a hand-computed h2 = i1·w3 + i2·w4 and name the slip if there is one."""
    w, i1, i2, h1, expected, y_hat = _parts(example)
    hints = [
        (i1 * w["w3"] + i2 * w["w2"], "i2 reaches h2 through w4; w2 goes from i2 to h1."),
        (i1 * w["w2"] + i2 * w["w4"], "i1 reaches h2 through w3; w2 goes from i2 to h1."),
        (i1 * w["w4"] + i2 * w["w3"], "w3 and w4 are swapped: w3 carries i1, w4 carries i2."),
        (i1 * w["w1"] + i2 * w["w3"], "h2 collects w3 (from i1) and w4 (from i2), not w1 and w3."),
        (i1 * w["w3"], "That is only i1·w3: add what i2 brings through w4."),
        (i2 * w["w4"], "That is only i2·w4: add what i1 brings through w3."),
        ((i1 * w["w3"]) * (i2 * w["w4"]), "The two contributions are added, not multiplied."),
        ((i1 + i2) * (w["w3"] + w["w4"]), "Multiply each input by its own weight, then add."),
        (h1, "That is h1 (through w1 and w2); h2 goes through w3 and w4."),
        (y_hat, "That is ŷ, the network's output; h2 is a hidden unit."),
    ]
    return check_number("h2", h2, expected, hints, rel_tol=1e-4)


def check_y_hat(y_hat, example=WORKED_EXAMPLE):
    """Check a hand-computed ŷ = h1·w5 + h2·w6 and name the slip if there is one."""
    w, i1, i2, h1, h2, expected = _parts(example)
    hints = [
        (h1 * w["w6"] + h2 * w["w5"], "w5 and w6 are swapped: w5 carries h1, w6 carries h2."),
        (h1 * w["w5"], "That is only h1·w5: add what h2 brings through w6."),
        (h2 * w["w6"], "That is only h2·w6: add what h1 brings through w5."),
        (h1 + h2, "The hidden values are weighted by w5 and w6 before they are added."),
        (
            i1 * w["w5"] + i2 * w["w6"],
            "The output weights take the hidden values h1 and h2, not the inputs.",
        ),
        ((h1 * w["w5"]) * (h2 * w["w6"]), "The two contributions are added, not multiplied."),
    ]
    return check_number("ŷ", y_hat, expected, hints, rel_tol=1e-4)


# --------------------------------------------------------------------------
# Why the predict-first answers are what they are (shown after Reveal)
# --------------------------------------------------------------------------


def w5_doubling_misconception(example=WORKED_EXAMPLE):
    """``(2ŷ, why)``: the answer "ŷ doubles" to "if w5 doubles, what is ŷ?", and why not."""
    return (
        2 * predict(example),
        "ŷ does not double: ŷ = h1·w5 + h2·w6, and doubling w5 doubles only h1·w5; "
        "h2·w6 stays as it was.",
    )


def why_w5_doubles(example=WORKED_EXAMPLE):
    """One line on the value of ŷ once w5 doubles."""
    w = example.named
    doubled = predict(example, w5=2 * w["w5"])
    _w, _i1, _i2, h1, h2, _y_hat = _parts(example)
    return (
        f"Only h1·w5 doubles: ŷ = h1·(2·w5) + h2·w6 = {fmt(h1, 4)}·{fmt(2 * w['w5'])} + "
        f"{fmt(h2, 4)}·{fmt(w['w6'])} = {fmt(doubled, 5)}."
    )


def why_flipped_input(x, example=WORKED_EXAMPLE):
    """One line on the sign of ŷ for the input ``x``, from the hidden values it makes."""
    trace = forward(example.layers, np.asarray(x, dtype=float), example.activation)
    h1, h2 = (float(v) for v in trace.hidden[0])
    y_hat = float(trace.output[0])
    return (
        f"With i1 = {fmt(x[0])} and i2 = {fmt(x[1])}: h1 = i1·w1 + i2·w2 = {fmt(h1, 4)}, "
        f"h2 = i1·w3 + i2·w4 = {fmt(h2, 4)}, so ŷ = h1·w5 + h2·w6 = {fmt(y_hat, 4)}."
    )
