"""Oracles for the dashboards of notebooks 01–04 (see ``tests/oracles.py``).

Each recomputes the forward pass, the error and the gradients with
:mod:`helpers.network` for the dashboard's current values and checks them
against what the figure shows: the values in the units, the weights and
gradients on the edges, the titles and notes, and where the points sit.
"""

from __future__ import annotations

import numpy as np
import pytest
from oracles import as_shown, assert_shows, gradients_at, oracle, point_of, weights_of

from helpers.network import error, forward, from_named, numerical_gradient, to_named, weight_names
from helpers.plots import fmt

REL = 1e-9


def unit_values(trace, names, layers):
    """Every unit's value by name, from the layers of ``trace``, with float
    round-off taken as 0 (:func:`~tests.oracles.as_shown`)."""
    return {
        name: as_shown(trace, layers, layer, j)[1]
        for layer, row in enumerate(names)
        for j, name in enumerate(row)
    }


def feeding_value(layers, trace, name):
    """The value of the unit that weight ``name`` multiplies."""
    layer, i, _j = weight_names(layers)[name]
    return float(np.asarray(trace.a[layer])[0][i])


def error_curve(layers, x, target, name, grid):
    """E with weight ``name`` set to each value of ``grid``, the others kept."""
    return np.array(
        [error(forward(from_named({name: float(w)}, layers), x).output, target) for w in grid]
    )


def check_edges_drawn(diagram, weights):
    """Edge colour follows the sign of the weight, and a larger |w| is never drawn thinner."""
    names = list(diagram.edge_text)
    widths = dict(zip(names, diagram.lines.get_linewidths()))
    colors = dict(zip(names, diagram.lines.get_colors()))
    for a in names:
        positive = colors[a] == colors[names[0]] if weights[names[0]] >= 0 else None
        if positive is not None:
            assert positive == (weights[a] >= 0), f"{a} = {weights[a]} drawn in the wrong colour"
        for b in names:
            if abs(weights[a]) > abs(weights[b]):
                assert widths[a] >= widths[b], f"|{a}| > |{b}| but {a} is drawn thinner"


@oracle("forward.ForwardPassDashboard")
def forward_pass(d):
    values = d.values()
    weights = weights_of(values)
    x = [values[f"i{k + 1}"] for k in range(len(d.example.x))]
    layers = from_named(weights, d.example.layers)
    trace = forward(layers, x)
    shown = unit_values(trace, d.diagram.names, layers)
    for name, value in shown.items():
        assert d.diagram.node_text[name].get_text() == f"{name}\n{fmt(value, 6)}"
    for name, w in weights.items():
        assert d.diagram.edge_text[name].get_text() == f"{name}={fmt(w, 3)}"
    for unit, text in d.sum_texts.items():
        last = text.get_text().splitlines()[-1]
        assert last.strip() == f"= {fmt(shown[unit], 6)}", text.get_text()
    check_edges_drawn(d.diagram, weights)


@oracle("error.ErrorDashboard")
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
    assert (ys[1] - ys[0]) / (xs[1] - xs[0]) == pytest.approx(y_hat - y, rel=1e-6, abs=1e-9)
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


@oracle("output_weights.SlopeDashboard")
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


@oracle("output_weights.StepDashboard")
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


def check_backward_diagram(d, layers, trace, g, names_shown=None):
    """Units show the forward values; edges show each weight and ∂E/∂w (``names_shown``)."""
    diagram = d.diagram
    for name, value in unit_values(trace, diagram.names, layers).items():
        assert diagram.node_text[name].get_text() == f"{name}\n{fmt(value)}"
    weights = to_named(layers)
    for name, w in weights.items():
        label = diagram.edge_text[name].get_text()
        if names_shown is None or name in names_shown:
            assert label == f"{name}={fmt(w, 3)}\n∂E/∂{name}={fmt(g[name], 4)}"
        else:
            assert label == f"{name}={fmt(w, 3)}"


def out_weights(layers):
    last = len(layers) - 1
    return [n for n, (layer, _i, _j) in weight_names(layers).items() if layer == last]


@oracle("hidden_weights.BackwardDiagramDashboard")
def backward_diagram(d):
    values = d.values()
    y = float(values["y"])
    layers, trace, E, g = gradients_at(d.example, weights_of(values), target=[y])
    check_backward_diagram(d, layers, trace, g)
    delta = float(trace.output[0]) - y
    note = d.notes.delta.get_text()
    assert_shows(note, "y =", y, 4)
    assert_shows(note, "δ = ŷ − y =", delta, 5)
    weights = to_named(layers)
    for unit, w_out in zip(d.diagram.names[1], out_weights(layers)):
        assert_shows(d.notes.hidden[unit].get_text(), f"= δ·{w_out} =", delta * weights[w_out], 5)
    # The widest orange glow is on the edge with the largest gradient.
    sizes = np.abs([g[n] for n in d.diagram.edge_text])
    if sizes.max() > 0 and np.isfinite(sizes).all():
        extra = d.diagram.glow.get_linewidths() - d.diagram.lines.get_linewidths()
        assert sizes[np.argmax(extra)] == pytest.approx(sizes.max(), rel=1e-9)


@oracle("hidden_weights.FirstStepDashboard")
def first_step(d):
    from helpers.network import sgd_step
    from helpers.views.hidden_weights import STAGES

    k = int(d.values()["stage"])
    ex = d.example
    last = len(STAGES) - 1
    assert d.title.get_text() == f"Stage {k} of {last}: {STAGES[k]}"
    layers, trace, E, g = gradients_at(ex, ex.named)
    outputs = out_weights(layers)
    if k == last:
        new = sgd_step(layers, [_grads_of(layers, g, n) for n in range(len(layers))], ex.lr)
        new_trace = forward(new, ex.x)
        check_backward_diagram(d, new, new_trace, g, names_shown=())
        assert_shows(d.notes.delta.get_text(), "new ŷ =", new_trace.output[0], 6)
        return
    shown = () if k < 3 else (outputs if k == 3 else None)
    if k == 0:
        for row in d.diagram.names[1:]:
            for name in row:
                assert d.diagram.node_text[name].get_text() == name
    else:
        check_backward_diagram(d, layers, trace, g, names_shown=shown)
    delta = float(trace.output[0] - ex.target[0])
    if k in (2, 3, 4):
        assert_shows(d.notes.delta.get_text(), "δ = ŷ − y =", delta, 5)
    else:
        assert not d.notes.delta.get_visible()


def _grads_of(layers, g, n):
    """The gradient of layer ``n`` as a Layer, from the named gradients ``g``."""
    from helpers.network import Layer

    W = np.zeros_like(np.asarray(layers[n].W, dtype=float))
    for name, (layer, i, j) in weight_names(layers).items():
        if layer == n:
            W[i, j] = g[name]
    return Layer(W, None if layers[n].b is None else np.zeros_like(layers[n].b))


@oracle("hidden_weights.SurfaceDashboard")
def surface(d):
    values = d.values()
    a_name, b_name = values["x_weight"], values["y_weight"]
    if a_name == b_name:
        assert not d.marker.get_visible() and not d.arrow.get_visible()
        assert "different" in d.title.get_text()
        return
    weights = weights_of(values)
    layers, trace, E, g = gradients_at(d.example, weights)
    a, b = weights[a_name], weights[b_name]
    assert point_of(d.marker) == pytest.approx((a, b), rel=REL, abs=1e-12)
    assert d.title.get_text() == f"E over ({a_name}, {b_name}), other weights fixed"
    side = d.side_text.get_text()
    assert_shows(side, "E =", E, 5)
    assert_shows(side, f"∂E/∂{a_name} =", g[a_name], 4)
    assert_shows(side, f"∂E/∂{b_name} =", g[b_name], 4)
    # The arrow starts at the point and points down the gradient, at most one step long.
    tail = np.array(d.arrow.xyann, dtype=float)
    head = np.array(d.arrow.xy, dtype=float)
    assert tuple(tail) == pytest.approx((a, b), rel=REL, abs=1e-12)
    step = -d.lr * np.array([g[a_name], g[b_name]])
    if d.arrow.get_visible():
        drawn = head - tail
        assert np.hypot(*drawn) <= np.hypot(*step) * (1 + 1e-9)
        cos = drawn @ step / (np.hypot(*drawn) * np.hypot(*step))
        assert cos == pytest.approx(1.0, abs=1e-9)
