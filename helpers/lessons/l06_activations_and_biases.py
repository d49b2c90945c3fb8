"""Notebook 06: activations, biases, the 1-2-2 ReLU network and dead ReLUs, live.

The network is ``RELU_EXAMPLE`` from :mod:`helpers.examples`. Also here: the
checkers of the exercises (a bias gradient with sigmoid, the hidden error, a
repaired backward pass).
"""

from __future__ import annotations

import warnings
from dataclasses import replace

import ipywidgets as widgets
import numpy as np

from .. import buggy
from ..checks import (
    Feedback,
    array_matches,
    check_array,
    check_number,
    is_whole_array,
    not_done,
    read_array,
)
from ..diagram import NetworkDiagram, Scene
from ..examples import RELU_EXAMPLE
from ..network import (
    ACTIVATIONS,
    Layer,
    activate,
    activation_derivative,
    backward,
    error,
    forward,
    from_named,
    sgd_step,
    to_named,
)
from ..plots import COLORS, fmt, live_figure, node_names, place_point_labels
from ..widgets import WEIGHT_RANGE, Dashboard, weight_scale, weight_slider

__all__ = [
    "ActivationCurveDashboard",
    "HIDDEN_ERROR_EXAMPLE",
    "RELU_EXAMPLE",
    "ReluNetworkDashboard",
    "bias_names",
    "check_hidden_error",
    "check_output_bias_gradient",
    "check_repair",
    "dead_units",
    "draft_backprop",
    "from_values",
    "training_steps",
    "values_of",
    "why_switched_off",
    "with_dead_units",
]


#: Activations in the order the dropdowns offer them.
ACTIVATION_CHOICES = ["relu", "sigmoid", "tanh", "linear"]


# --------------------------------------------------------------------------
# Biases by name, and the network's parameters as one dict
# --------------------------------------------------------------------------


def bias_names(layers):
    """``{name: (layer, j)}`` for every bias: bh1, bh2 … (hidden) and bo1, bo2 … (output).

    With several hidden layers the hidden biases are numbered by layer: bh1_1, bh1_2 …
    """
    layers = list(layers)
    names = {}
    hidden = len(layers) - 1
    for n, layer in enumerate(layers):
        if layer.b is None:
            continue
        if n == hidden:
            prefix = "bo"
        else:
            prefix = "bh" if hidden == 1 else f"bh{n + 1}_"
        for j in range(layer.b.shape[0]):
            names[f"{prefix}{j + 1}"] = (n, j)
    return names


def values_of(layers):
    """Every weight and bias by name: ``{"w1": …, …, "bh1": …, …}``."""
    values = to_named(layers)
    for name, (n, j) in bias_names(layers).items():
        values[name] = float(layers[n].b[j])
    return values


def from_values(values, like):
    """Layers shaped like ``like`` with the weights and biases given by name."""
    places = bias_names(like)
    weights = {k: v for k, v in values.items() if k not in places}
    layers = from_named(weights, like)
    bs = [None if L.b is None else np.array(L.b) for L in layers]
    for name, value in values.items():
        if name in places:
            n, j = places[name]
            bs[n][j] = value
    return [Layer(L.W, b) for L, b in zip(layers, bs)]


def dead_units(layers, trace):
    """The names of the ReLU units whose z ≤ 0 (they pass no gradient back)."""
    names = node_names([layers[0].W.shape[0]] + [L.W.shape[1] for L in layers])
    dead = []
    for k, (z, act) in enumerate(zip(trace.z, trace.activations)):
        if act != "relu":
            continue
        for j, value in enumerate(np.asarray(z)[0]):
            if not value > 0:
                dead.append(names[k + 1][j])
    return dead


def training_steps(example, steps):
    """Plain gradient descent on ``example``: one row per step with the error and every value.

    Returns a list of dicts ``{"step", "E", "y_hat", **weights and biases}``,
    row 0 before any step. Each row is one step on the one sample (with one
    sample there is no difference between a step and an epoch, but in
    general an epoch is a pass over ALL the training samples).
    """
    layers = example.layers
    rows = []
    for step in range(steps + 1):
        trace = forward(layers, example.x, example.activation)
        rows.append(
            {
                "step": step,
                "E": error(trace.output, example.target),
                "y_hat": np.array(trace.output),
                **values_of(layers),
            }
        )
        if step < steps:
            grads = backward(layers, trace, example.target)
            layers = sgd_step(layers, grads, example.lr)
    return rows


# --------------------------------------------------------------------------
# Dashboards
# --------------------------------------------------------------------------


def _activation_dropdown(value="relu", name="f"):
    return widgets.Dropdown(
        options=ACTIVATION_CHOICES,
        value=value,
        description=name,
        style={"description_width": "3em"},
        layout=widgets.Layout(width="200px"),
    )


class ActivationCurveDashboard(Dashboard):
    """One activation f and its slope f′, with a point that follows z along both curves."""

    Z_RANGE = 6.0

    def __init__(self, z=1.0, activation="sigmoid"):
        controls = {
            "z": widgets.FloatSlider(
                value=z,
                min=-self.Z_RANGE,
                max=self.Z_RANGE,
                step=0.1,
                description="z",
                readout_format=".1f",
                style={"description_width": "3em"},
                layout=widgets.Layout(width="260px"),
            ),
            "activation": _activation_dropdown(activation),
        }
        fig, ax = live_figure(6.4, 3.0)
        fig.subplots_adjust(left=0.1, right=0.97, bottom=0.16, top=0.9)
        self.ax = ax
        self.zs = np.linspace(-self.Z_RANGE, self.Z_RANGE, 241)
        (self.f_line,) = ax.plot(self.zs, self.zs, color=COLORS["positive"], lw=2, label="f(z)")
        (self.slope_line,) = ax.plot(
            self.zs, self.zs, color=COLORS["gradient"], lw=2, ls="--", label="f′(z)"
        )
        self.marker = ax.plot([0, 0], [0, 0], "o", color="#333333", zorder=4)[0]
        self.cursor = ax.axvline(0, color=COLORS["neutral"], lw=0.8, ls=":")
        ax.axhline(0, color="#999999", lw=0.6)
        # a little room beyond the slider's ends, so the dots there show whole
        ax.set_xlim(-1.04 * self.Z_RANGE, 1.04 * self.Z_RANGE)
        ax.set_xlabel("z (what a unit receives)")
        ax.legend(loc="upper left", frameon=False)
        self.title = ax.set_title("")
        super().__init__(controls, fig)
        self.live(self.f_line, self.slope_line, self.cursor, self.marker, self.title)
        self.refresh()

    def redraw(self, z, activation):
        f = activate(self.zs, activation)
        slope = activation_derivative(self.zs, activation)
        self.f_line.set_ydata(f)
        self.slope_line.set_ydata(slope)
        fz = float(activate(z, activation))
        dz = float(activation_derivative(z, activation))
        self.marker.set_data([z, z], [fz, dz])
        self.cursor.set_xdata([z, z])
        lo = min(f.min(), slope.min(), 0.0)
        hi = max(f.max(), slope.max(), 1.0)
        pad = 0.08 * (hi - lo)
        self.ax.set_ylim(lo - pad, hi + pad)
        self.title.set_text(
            f"{activation}: f({fmt(z, 3)}) = {fmt(fz)},  f′({fmt(z, 3)}) = {fmt(dz)}"
        )
        text = f"{activation} at z = {fmt(z, 3)}: f(z) = {fmt(fz)}, f′(z) = {fmt(dz)}."
        if activation == "relu" and not z > 0:
            text += " f′(z) = 0: a unit here passes no gradient back (a dead ReLU)."
        elif activation in ("sigmoid", "tanh") and dz < 0.05:
            text += " The curve is almost flat here: the unit is saturated, f′(z) is tiny."
        return text


class ReluNetworkDashboard(Dashboard):
    """The 1-2-2 network live: sliders for every weight and bias, a dropdown for f.

    The diagram shows each unit's z and f(z), each weight's ∂E/∂w, and beside
    each unit its bias and ∂E/∂b (which equals the unit's δ). A dead ReLU is
    greyed out; the description names it and the gradients it blocks.
    """

    def __init__(self, example=RELU_EXAMPLE, weight_range=WEIGHT_RANGE):
        self.example = example
        controls = {
            name: weight_slider(name, value, weight_range)
            for name, value in values_of(example.layers).items()
        }
        controls["activation"] = _activation_dropdown(example.activation)
        sizes = [example.layers[0].W.shape[0]] + [L.W.shape[1] for L in example.layers]
        # The diagram on the left (drawn by the browser), the activation on the right.
        # Room on the right for the output units' bias labels; with the 2.6-inch
        # activation panel it fits the width JupyterLab gives an output on a
        # 1280-pixel screen with its file browser open (about 850 pixels).
        scene = Scene(5.7, 3.5, xlim=(-0.12, 1.213), ylim=(-1.65, 1.65), label="The 1-2-2 network")
        fig, ax_f = live_figure(2.6, 3.5)
        fig.subplots_adjust(left=0.2, right=0.96, bottom=0.14, top=0.9)
        self.diagram = NetworkDiagram(scene, sizes, gradients=True, show_z=True)
        self.bias_places = bias_names(example.layers)
        self.unit_of_bias = {}
        names = node_names(sizes)
        self.bias_text = {}
        # Bias labels sit just outside the top units' circles and below the bottom ones.
        clear = self.diagram.nodes.get_radii()[0] + 2.0
        for bname, (n, j) in self.bias_places.items():
            unit = names[n + 1][j]
            self.unit_of_bias[bname] = unit
            x, y = self.diagram.pos[unit]
            above = y >= 0
            self.bias_text[bname] = scene.text(
                x,
                y,
                "",
                offset=(0, clear if above else -clear),
                va="bottom" if above else "top",
                size="x-small",
                color="#333333",
            )
        self.error_text = scene.text(0.0, 1.6, "", ha="left", va="top", size="small")

        self.ax_f = ax_f
        self.zs = np.linspace(-3, 3, 121)
        (self.f_line,) = ax_f.plot(self.zs, self.zs, color=COLORS["positive"], lw=2)
        units = [u for layer in names[1:] for u in layer]
        self.units = units
        self.points = ax_f.scatter(
            np.zeros(len(units)), np.zeros(len(units)), s=30, c=COLORS["negative"], zorder=3
        )
        self.points.set_clip_on(False)  # a unit at the edge of the frame shows a whole dot
        self.point_labels = [
            ax_f.annotate(u, (0, 0), xytext=(4, 4), textcoords="offset points", fontsize="x-small")
            for u in units
        ]
        ax_f.axhline(0, color="#999999", lw=0.6)
        ax_f.axvline(0, color="#999999", lw=0.6)
        ax_f.set_xlabel("z")
        self.f_title = ax_f.set_title("")
        super().__init__(controls, [scene, fig], columns=3)
        self.live(self.f_line, self.points, *self.point_labels)
        self.refresh()

    def layers_for(self, values):
        """The layers for the controls' ``values``."""
        numbers = {k: v for k, v in values.items() if k != "activation"}
        return from_values(numbers, self.example.layers)

    def redraw(self, activation, **values):
        ex = self.example
        layers = self.layers_for(values)
        trace = forward(layers, ex.x, activation)
        grads = backward(layers, trace, ex.target)
        self.diagram.update(
            layers, ex.x, activation, grads=grads, weight_scale=weight_scale(self.controls)
        )
        E = error(trace.output, ex.target)
        self.error_text.set_text(f"E = {fmt(E)}")
        for bname, (n, j) in self.bias_places.items():
            self.bias_text[bname].set_text(
                # The same figures as the diagram's edges: 3 for a value, 4 for a gradient.
                f"{bname}={fmt(layers[n].b[j], 3)}\n∂E/∂{bname}={fmt(grads[n].b[j], 4)}"
            )

        zs, fs = self._shown()
        reach = max(3.0, 1.1 * float(np.abs(zs).max()))
        grid = np.linspace(-reach, reach, len(self.zs))
        curve = activate(grid, activation)
        self.f_line.set_data(grid, curve)
        self.points.set_offsets(np.column_stack([zs, fs]))
        lo = min(float(curve.min()), 0.0)
        hi = max(float(curve.max()), 1.0)
        self.ax_f.set_xlim(-reach, reach)
        self.ax_f.set_ylim(lo - 0.08 * (hi - lo), hi + 0.15 * (hi - lo))
        place_point_labels(self.ax_f, self.point_labels, self.units, np.column_stack([zs, fs]))
        self.f_title.set_text(f"f = {activation}")
        return self.describe(layers, trace, grads, activation)

    def describe(self, layers, trace, grads, activation):
        """The plain-text description: values, error, gradients and dead units."""
        ex = self.example
        units = self.units
        zs, fs = self._shown()
        lines = [
            f"{activation}: "
            + ", ".join(f"{u}: z = {fmt(z)}, f = {fmt(f)}" for u, z, f in zip(units, zs, fs)),
            f"E = {fmt(error(trace.output, ex.target), 6)} (targets "
            + ", ".join(fmt(t) for t in ex.target)
            + ")",
            "∂E/∂w: "
            + ", ".join(f"{k} {fmt(v)}" for k, v in to_named(grads).items())
            + "; ∂E/∂b (= δ): "
            + ", ".join(f"{k} {fmt(grads[n].b[j])}" for k, (n, j) in self.bias_places.items()),
        ]
        dead = dead_units(layers, trace)
        if dead:
            lines.append(
                "Dead ReLU: " + "; ".join(self._why_dead(unit, zs, grads) for unit in dead) + "."
            )
        elif activation == "relu":
            lines.append("Dead ReLU: none; every unit has z > 0 and passes its gradient back.")
        else:
            slopes = np.concatenate(
                [
                    np.asarray(activation_derivative(z, name))[0]
                    for z, name in zip(trace.z, trace.activations)
                ]
            )
            flat = [u for u, s in zip(units, slopes) if s < 0.05]
            if flat and activation != "linear":
                lines.append(
                    "Saturated (f′(z) < 0.05, almost no gradient passes): " + ", ".join(flat) + "."
                )
        return "\n".join(lines)

    def _why_dead(self, unit, zs, grads):
        names = {u: k for k, u in enumerate(self.units)}
        blocked = [
            f"∂E/∂{k} = {fmt(v)}"
            for k, v in {**to_named(grads), **self._bias_grads(grads)}.items()
            if self._touches(k, unit)
        ]
        return (
            f"{unit} (z = {fmt(zs[names[unit]])} ≤ 0, so f′(z) = 0): no gradient flows "
            f"through it; " + ", ".join(blocked)
        )

    def _shown(self):
        """Every unit's z and f(z) as the diagram shows them now (a round-off zero is 0)."""
        d = self.diagram
        return np.concatenate(d.zs[1:]), np.concatenate(d.values[1:])

    def _bias_grads(self, grads):
        return {k: float(grads[n].b[j]) for k, (n, j) in self.bias_places.items()}

    def _touches(self, name, unit):
        """Whether weight or bias ``name`` feeds ``unit`` (incoming) or leaves it (outgoing)."""
        if name in self.bias_places:
            return self.unit_of_bias[name] == unit
        for wname, _n, _i, _j, source, target in self.diagram._edges:
            if wname == name:
                return unit in (source, target)
        return False


assert set(ACTIVATION_CHOICES) == set(ACTIVATIONS)


# --------------------------------------------------------------------------
# Checkers for the exercises
# --------------------------------------------------------------------------


#: Notebook 06's network with w1 = −0.5: h1 is switched off (z < 0) while both
#: outputs stay on, so a hidden error without relu′(Zh), or sent back along the
#: wrong weights, gives different numbers.
HIDDEN_ERROR_EXAMPLE = RELU_EXAMPLE.with_weights(w1=-0.5)


def with_dead_units(example):
    """``example`` with the last unit of every layer switched off (its z at most −1).

    Each such unit's bias is lowered until no input it can receive lifts its
    z above −1. Where every unit is alive, relu′ is 1 everywhere and a backward
    pass without it gives the same numbers; here it cannot.
    """
    layers = []
    a = np.abs(np.asarray(example.x, dtype=float))  # the largest |input| of each unit
    for L in example.layers:
        W = np.abs(L.W)
        b = np.zeros(W.shape[1]) if L.b is None else np.array(L.b, dtype=float)
        b[-1] = -float(a @ W[:, -1]) - 1.0  # z = Σ x·w + b ≤ −1
        layers.append(Layer(L.W, b))
        reach = a @ W + np.abs(b)
        a = np.maximum(
            np.abs(activate(reach, example.activation)),
            np.abs(activate(-reach, example.activation)),
        )
    return replace(example, layers=layers)


def check_output_bias_gradient(given, example=RELU_EXAMPLE):
    """∂E/∂bo1 of ``example`` when BOTH layers use sigmoid: δ = (ŷ1 − y1)·σ′(z)."""
    trace = forward(example.layers, example.x, "sigmoid")
    grads = backward(example.layers, trace, example.target)
    z = float(np.asarray(trace.z[-1])[0, 0])
    miss = float(trace.output[0] - example.target[0])
    h1 = float(trace.hidden[0][0])
    expected = float(grads[-1].b[0])
    hints = [
        (
            miss,
            "That is ŷ1 − y1 alone: the bias enters before the sigmoid, so the chain "
            "rule gains the factor σ′(z) = σ(z)·(1 − σ(z)).",
        ),
        (
            miss * float(activate(z, "sigmoid")),
            "You multiplied by σ(z), the unit's output; "
            "the chain rule needs its slope σ′(z) = σ(z)·(1 − σ(z)).",
        ),
        (
            expected * h1,
            "That is ∂E/∂w3 = δ·h1. A bias is a weight on an input that is "
            "always 1, so ∂E/∂b is δ times 1.",
        ),
        (
            miss * float(activation_derivative(z, "relu")),
            "That uses relu′, but this exercise switched both layers to sigmoid.",
        ),
        (
            miss * float(activation_derivative(float(trace.output[0]), "sigmoid")),
            "That is σ′(ŷ1), the slope taken at the output; the chain rule needs the slope "
            "at the unit's input, σ′(z) = σ(z)·(1 − σ(z)) = ŷ1·(1 − ŷ1).",
        ),
    ]
    return check_number("∂E/∂bo1", given, expected, hints=hints)


def check_hidden_error(given, example=HIDDEN_ERROR_EXAMPLE):
    """The hidden error Eh = (Eo @ Wo.T) * relu′(Zh), a (1, 2) array, for ``example`` (ReLU).

    The default example has a hidden unit switched off, so that leaving out
    relu′(Zh) shows in the numbers.
    """
    if not_done(given):
        return Feedback(None, "Not done yet: replace the placeholder with your hidden error Eh.")
    p = buggy.from_layers(example.layers)
    x = np.asarray(example.x, dtype=float).reshape(1, -1)
    y = np.asarray(example.target, dtype=float).reshape(1, -1)
    Zh, _H, Zo, Yhat = buggy.feed_forward(x, p)
    Eo = (Yhat - y) * buggy.relu_prime(Zo)
    expected = (Eo @ p["Wo"].T) * buggy.relu_prime(Zh)
    arr, wrong_kind = read_array("Eh", given)
    if wrong_kind:
        return Feedback(False, wrong_kind, odd=True)
    whole = is_whole_array(given)

    def same(target):
        return array_matches(arr, np.asarray(target, dtype=float), whole=whole)

    if same(expected):
        return Feedback(True, "Correct: Eh matches.")
    if same(Eo * p["Wo"] * buggy.relu_prime(Zh)):
        return Feedback(
            False,
            "Not yet: Eo * Wo * relu′(Zh) multiplies element by element and gives a (2, 2) "
            "array. Each hidden unit needs ONE number: the sum of the output errors it "
            "caused, Eo @ Wo.T.",
        )
    if same((Eo @ p["Wo"]) * buggy.relu_prime(Zh)):
        return Feedback(
            False,
            "Not yet: Eo @ Wo sends each output's error back along the wrong weights. "
            "Wo[i, j] joins hidden i to output j, so hidden i collects "
            "Σ_j Eo[j]·Wo[i, j]: Eo @ Wo.T.",
        )
    if same(Eo @ p["Wo"].T):
        return Feedback(
            False,
            "Not yet: multiply by relu′(Zh), the slope of each hidden unit: a unit that "
            "is switched off (z < 0) passes no error back.",
        )
    if same((Eo @ p["Wo"].T) * buggy.relu_prime(Zo)):
        return Feedback(
            False,
            "Not yet: relu′(Zo) is the slope of the output units; each hidden unit's error "
            "passes through its own slope, relu′(Zh).",
        )
    if same(((Yhat - y) @ p["Wo"].T) * buggy.relu_prime(Zh)):
        return Feedback(
            False,
            "Not yet: start from the output error Eo = (Ŷ − y) * relu′(Zo), which already "
            "went through the output units' slope, not from Ŷ − y.",
        )
    if arr.shape == (expected.size,) and array_matches(arr, expected.ravel(), whole=whole):
        return Feedback(
            False,
            f"Not yet: Eh has the right numbers but shape {arr.shape}; it should have shape "
            f"{expected.shape}, one row per sample as Eo @ Wo.T gives.",
        )
    return check_array("Eh", given, expected)


def draft_backprop(x, y, p):
    """The draft that exercise 3 of notebook 06 asks to repair (three mistakes)."""
    Zh, H, Zo, Yhat = buggy.feed_forward(x, p)
    Eo = (Yhat - y) * buggy.relu_prime(Zo)
    Eh = (Eo @ p["Wo"]) * buggy.relu_prime(Zh)
    dWo = H * Eo
    dWh = x.T @ Eh
    return {"Wh": dWh, "Wo": dWo}


def _same_as_draft(backprop_fn, example):
    p = buggy.from_layers(example.layers)
    x = np.asarray(example.x, dtype=float).reshape(1, -1)
    y = np.asarray(example.target, dtype=float).reshape(1, -1)
    try:
        with warnings.catch_warnings(), np.errstate(all="raise"):
            warnings.simplefilter("error")
            given = backprop_fn(x, y, {k: v.copy() for k, v in p.items()})
            draft = draft_backprop(x, y, p)
            return (
                isinstance(given, dict)
                and set(given) == set(draft)
                and all(np.shape(given[k]) == draft[k].shape for k in draft)
                and all(np.array_equal(given[k], draft[k]) for k in draft)
            )
    except Exception:  # a crash, or odd gradients: the gradient check's to report
        return False


def check_repair(backprop_fn, example=RELU_EXAMPLE):
    """Gradient-check a repaired backward pass ``backprop_fn(x, y, p)`` on ``example``."""
    if not_done(backprop_fn):
        return Feedback(None, "Not done yet: write your repaired function first.")
    if not callable(backprop_fn):
        return Feedback(
            False,
            f"Not yet: give your repaired function itself (its name, without brackets), "
            f"not a {type(backprop_fn).__name__}.",
            odd=True,
        )
    if _same_as_draft(backprop_fn, example):
        return Feedback(
            None,
            "Not done yet: this still computes what the draft computes. Find its three "
            "mistakes (the table above lists the kinds) and repair them.",
        )
    result = buggy.gradient_check(backprop_fn, example)
    if result.status == "not done":
        return Feedback(
            None,
            "Not done yet: your function returns None; make it return the "
            "dict of gradients {'Wh': …, 'bh': …, 'Wo': …, 'bo': …}.",
        )
    if not result.passed:
        return Feedback(False, f"Not yet: the gradient check says {result.message}")
    # On one network a wrong backward pass can give the right numbers: where every
    # unit is alive relu′ is 1, and where the same units are on in both layers
    # relu′(Zo) equals relu′(Zh). The networks below differ in which units are on.
    for what, other in repair_cases(example):
        check = buggy.gradient_check(backprop_fn, other)
        if not check.passed:
            return Feedback(
                False,
                f"Not yet. On this network your function passes, but on {what} the "
                f"gradient check says: {check.message} Does every error pass through the "
                "slope of its own layer, relu′(Zo) at the outputs and relu′(Zh) at the "
                "hidden units?",
            )
    return Feedback(
        True,
        f"Correct: the gradient check {result.message} It passes too on "
        f"{len(repair_cases(example))} other networks, with other units switched off.",
    )


def repair_cases(example, random=4):
    """Networks on which a repaired backward pass must pass too, as ``(what, network)``:
    ``example`` with units switched off in different places, and ``random`` seeded
    networks of its shape whose every z is clear of ReLU's kink at 0."""
    cases = [
        (
            "the same network with its last hidden and output units switched off",
            with_dead_units(example),
        ),
        ("the same network with h1 switched off (w1 = −0.5)", example.with_weights(w1=-0.5)),
    ]
    rng = np.random.default_rng(6)
    x = np.asarray(example.x, dtype=float)
    while len(cases) < 2 + random:
        layers = [
            Layer(rng.normal(0, 1, L.W.shape), rng.normal(0, 0.5, L.W.shape[1]))
            for L in example.layers
        ]
        trace = forward(layers, x, example.activation)
        if all(np.abs(np.asarray(z)).min() > 0.05 for z in trace.z):
            cases.append(
                (
                    f"a random network (seed 6, draw {len(cases) - 1})",
                    replace(example, layers=layers),
                )
            )
    return cases


# --------------------------------------------------------------------------
# Why the predict-first answers are what they are (shown after Reveal)
# --------------------------------------------------------------------------


def why_switched_off(example, weight="w2", unit=1):
    """One line on ∂E/∂``weight`` when hidden unit ``unit`` (0-based) may be switched off."""
    trace = forward(example.layers, example.x, "relu")
    z = float(np.asarray(trace.z[0])[0, unit])
    grad = float(backward(example.layers, trace, example.target)[0].W[0, unit])
    name = f"h{unit + 1}"
    if z < 0:
        return (
            f"{name} receives z = {fmt(z, 3)}, below 0, so relu′(z) = 0: no error passes back "
            f"through {name}, and ∂E/∂{weight} = {fmt(grad, 3)}."
        )
    return (
        f"{name} receives z = {fmt(z, 3)}, so relu′(z) = {1 if z > 0 else 0} and "
        f"∂E/∂{weight} = {fmt(grad, 3)}."
    )
