"""Notebook 06's dashboards, example network and checkers, against the helpers' numbers."""

import matplotlib

matplotlib.use("Agg")

import itertools

import numpy as np
import pytest
from matplotlib.colors import to_hex
from oracles import (
    REL,
    approx,
    as_shown,
    assert_data,
    assert_text,
    oracle,
)

from helpers import buggy
from helpers.lessons.l06_activations_and_biases import (
    HIDDEN_ERROR_EXAMPLE,
    RELU_EXAMPLE,
    ActivationCurveDashboard,
    ReluNetworkDashboard,
    bias_names,
    check_hidden_error,
    check_output_bias_gradient,
    check_repair,
    dead_units,
    draft_backprop,
    from_values,
    repair_cases,
    training_steps,
    values_of,
    with_dead_units,
)
from helpers.network import (
    Layer,
    activate,
    activation_derivative,
    backward,
    error,
    forward,
    from_named,
    sgd_step,
    to_named,
    weight_names,
)
from helpers.plots import COLORS, fmt, node_names

EX = RELU_EXAMPLE


def assert_all_finite(dashboard):
    """No nan or inf in any artist's data, axes limits or text, in the figure or the diagram."""
    assert dashboard.problems() == []


# -- the example -------------------------------------------------------------


def test_relu_example_numbers():
    trace = forward(EX.layers, EX.x, "relu")
    np.testing.assert_allclose(trace.z[0][0], [0.85, 0.55], rtol=1e-14)
    np.testing.assert_allclose(trace.z[1][0], [0.77, 0.205], rtol=1e-14)
    assert error(trace.output, EX.target) == pytest.approx(0.0699625, rel=1e-13)
    grads = backward(EX.layers, trace, EX.target)
    # ∂E/∂b is δ: (ŷ − y)·relu′(z) at the outputs, (δ_o @ Wo.T)·relu′(z) at the hidden units.
    delta_o = (trace.output - EX.target) * 1.0
    np.testing.assert_allclose(grads[1].b, delta_o, rtol=1e-14)
    np.testing.assert_allclose(grads[1].b, [-0.23, -0.295], rtol=1e-13)
    np.testing.assert_allclose(grads[0].b, delta_o @ EX.layers[1].W.T, rtol=1e-14)
    np.testing.assert_allclose(grads[0].b, [-0.033, -0.2855], rtol=1e-12)
    assert dead_units(EX.layers, trace) == []


def test_example_values_and_biases_by_name():
    values = values_of(EX.layers)
    assert values == {
        "w1": 0.5,
        "w2": 0.3,
        "w3": 0.4,
        "w4": 0.6,
        "w5": -0.2,
        "w6": 0.5,
        "bh1": 0.1,
        "bh2": 0.1,
        "bo1": 0.1,
        "bo2": 0.1,
    }
    assert bias_names(EX.layers) == {"bh1": (0, 0), "bh2": (0, 1), "bo1": (1, 0), "bo2": (1, 1)}
    layers = from_values({"w6": -1.0, "bo1": 0.7}, EX.layers)
    assert values_of(layers) == {**values, "w6": -1.0, "bo1": 0.7}
    assert EX.layers[1].b[0] == 0.1  # the example itself is untouched


def test_training_steps_move_biases_like_sgd_step():
    rows = training_steps(EX, 3)
    layers = EX.layers
    for row in rows:
        trace = forward(layers, EX.x, "relu")
        assert row["E"] == error(trace.output, EX.target)
        assert row == {**row, **values_of(layers)}
        layers = sgd_step(layers, backward(layers, trace, EX.target), EX.lr)
    assert [r["step"] for r in rows] == [0, 1, 2, 3]
    assert rows[1]["bh2"] == pytest.approx(0.1 + 0.1 * 0.2855)
    assert rows[-1]["E"] < rows[0]["E"] / 10


def test_a_dead_unit_stays_dead_in_training():
    dead = EX.with_weights(w2=-0.5)
    rows = training_steps(dead, 10)
    assert {r["w2"] for r in rows} == {-0.5}
    assert {r["bh2"] for r in rows} == {0.1}
    assert all(r["y_hat"][1] == 0 for r in rows)


# -- the 1-2-2 dashboard -----------------------------------------------------


def test_dashboard_shows_the_helpers_numbers():
    d = ReluNetworkDashboard()
    trace = forward(EX.layers, EX.x, "relu")
    grads = backward(EX.layers, trace, EX.target)
    assert d.last_error is None
    assert d.diagram.node_text["h1"].get_text() == "h1\nz=0.85\nf=0.85"
    assert d.diagram.node_text["ŷ2"].get_text() == "ŷ2\nz=0.205\nf=0.205"
    for name, value in to_named(grads).items():
        assert f"∂E/∂{name}={fmt(value, 4)}" in d.diagram.edge_text[name].get_text()
    assert d.bias_text["bh2"].get_text() == f"bh2=0.1\n∂E/∂bh2={fmt(grads[0].b[1], 4)}"
    assert d.error_text.get_text() == f"E = {fmt(0.0699625)}"
    assert "E = 0.0699625" in d.description
    assert "Dead ReLU: none" in d.description
    assert "bo2 −0.295" in d.description
    faces = [to_hex(c) for c in d.diagram.nodes.get_facecolors()]
    assert to_hex(COLORS["dead"]) not in faces
    np.testing.assert_allclose(d.points.get_offsets()[:, 0], [0.85, 0.55, 0.77, 0.205])
    assert_all_finite(d)


def test_dead_relu_is_greyed_named_and_blocks_its_gradients():
    d = ReluNetworkDashboard()
    d.update(w2=-0.5)
    layers = from_values({"w2": -0.5}, EX.layers)
    trace = forward(layers, EX.x, "relu")
    grads = to_named(backward(layers, trace, EX.target))
    assert dead_units(layers, trace) == ["h2", "ŷ2"]
    faces = [to_hex(c) for c in d.diagram.nodes.get_facecolors()]
    # order of the nodes: i1, h1, h2, ŷ1, ŷ2
    assert faces[2] == to_hex(COLORS["dead"]) and faces[4] == to_hex(COLORS["dead"])
    assert faces[1] == to_hex(COLORS["node"]) and faces[3] == to_hex(COLORS["node"])
    for name in ("w2", "w4", "w6", "w5"):
        assert grads[name] == 0
        assert d.diagram.edge_text[name].get_text().endswith(f"∂E/∂{name}=0")
    assert grads["w1"] != 0 and grads["w3"] != 0
    assert "Dead ReLU: h2 (z = −0.65 ≤ 0" in d.description
    assert "ŷ2 (z = −0.07 ≤ 0" in d.description
    assert "∂E/∂w2 = 0, ∂E/∂w4 = 0, ∂E/∂w6 = 0, ∂E/∂bh2 = 0" in d.description
    assert "−0" not in d.description.replace("−0.", "")  # no negative zero shown
    assert d.bias_text["bh2"].get_text().endswith("∂E/∂bh2=0")
    d.reset()
    assert "Dead ReLU: none" in d.description


def test_no_dead_units_with_sigmoid_but_saturation_is_named():
    d = ReluNetworkDashboard()
    d.update(activation="sigmoid", w2=2.0, bh2=2.0)
    assert "Dead ReLU" not in d.description
    assert "Saturated" in d.description and "h2" in d.description.split("Saturated")[1]
    assert to_hex(COLORS["dead"]) not in [to_hex(c) for c in d.diagram.nodes.get_facecolors()]


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh", "linear"])
def test_dashboard_extremes_are_sane(activation):
    d = ReluNetworkDashboard()
    names = [n for n in d.controls if n != "activation"]
    for lo_hi in itertools.product([-2.0, 2.0], repeat=2):
        values = {n: lo_hi[k % 2] for k, n in enumerate(names)}
        d.update(activation=activation, **values)
        assert d.last_error is None, d.last_error
        assert_all_finite(d)
        layers = from_values(values, EX.layers)
        trace = forward(layers, EX.x, activation)
        assert f"E = {fmt(error(trace.output, EX.target), 6)}" in d.description


def test_dashboard_state_round_trip():
    d = ReluNetworkDashboard()
    d.load("w1=-1 activation=tanh bo2=0.5")
    assert d.values()["activation"] == "tanh"
    assert "tanh:" in d.description
    assert d.state().startswith("w1=-1 w2=0.3")


# -- the activation-curve dashboard ------------------------------------------


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh", "linear"])
@pytest.mark.parametrize("z", [-6.0, -0.5, 0.0, 1.0, 6.0])
def test_activation_curve_follows_the_helpers(activation, z):
    d = ActivationCurveDashboard()
    d.update(z=z, activation=activation)
    assert d.last_error is None
    fz = float(activate(z, activation))
    dz = float(activation_derivative(z, activation))
    np.testing.assert_allclose(d.marker.get_ydata(), [fz, dz])
    np.testing.assert_allclose(d.f_line.get_ydata(), activate(d.zs, activation))
    assert f"f(z) = {fmt(fz)}, f′(z) = {fmt(dz)}" in d.description
    if activation == "relu" and z <= 0:
        assert "dead ReLU" in d.description
    assert_all_finite(d)


# -- checkers ------------------------------------------------------------------


def sigmoid_values():
    trace = forward(EX.layers, EX.x, "sigmoid")
    z = float(trace.z[-1][0, 0])
    miss = float(trace.output[0] - EX.target[0])
    return z, miss, backward(EX.layers, trace, EX.target)


def test_check_output_bias_gradient():
    z, miss, grads = sigmoid_values()
    assert check_output_bias_gradient(None).ok is None
    assert "Not done yet" in repr(check_output_bias_gradient(None))
    good = check_output_bias_gradient(miss * float(activation_derivative(z, "sigmoid")))
    assert good.ok and "Correct" in good.message
    assert float(grads[1].b[0]) == pytest.approx(-0.06913040683, rel=1e-9)
    assert "σ′(z)" in check_output_bias_gradient(miss).message
    assert "slope" in check_output_bias_gradient(miss * float(activate(z, "sigmoid"))).message
    h1 = float(forward(EX.layers, EX.x, "sigmoid").hidden[0][0])
    assert "always 1" in check_output_bias_gradient(float(grads[1].b[0]) * h1).message
    assert "wrong sign" in check_output_bias_gradient(-float(grads[1].b[0])).message


def test_check_hidden_error():
    ex = HIDDEN_ERROR_EXAMPLE
    p = buggy.from_layers(ex.layers)
    x = ex.x.reshape(1, -1)
    Zh, _H, Zo, Yhat = buggy.feed_forward(x, p)
    Eo = (Yhat - ex.target) * buggy.relu_prime(Zo)
    # A hidden unit is off and both outputs are on: every mistake shows in the numbers.
    assert (Zh[0] < 0).sum() == 1 and (Zo[0] > 0).all()
    assert check_hidden_error(None).ok is None
    right = (Eo @ p["Wo"].T) * buggy.relu_prime(Zh)
    assert check_hidden_error(right).ok
    assert right[0][Zh[0] < 0] == 0.0
    no_slope = check_hidden_error(Eo @ p["Wo"].T)
    assert not no_slope.ok and "relu′(Zh)" in no_slope.message
    assert "(2, 2)" in check_hidden_error(Eo * p["Wo"] * buggy.relu_prime(Zh)).message
    assert "Wo.T" in check_hidden_error((Eo @ p["Wo"]) * buggy.relu_prime(Zh)).message
    assert "shape" in check_hidden_error(np.zeros(3)).message
    assert not check_hidden_error([[0.0, 0.0]]).ok


def _backprop_without_slope(at):
    """buggy.backprop with relu′ left out of the hidden error (``at="hidden"``) or of both."""

    def backprop(x, y, p):
        Zh, H, Zo, Yhat = buggy.feed_forward(x, p)
        Eo = (Yhat - y) * (buggy.relu_prime(Zo) if at == "hidden" else 1.0)
        Eh = Eo @ p["Wo"].T
        return {"Wh": x.T @ Eh, "bh": Eh.sum(axis=0), "Wo": H.T @ Eo, "bo": Eo.sum(axis=0)}

    return backprop


@pytest.mark.parametrize("at", ["hidden", "both"])
def test_check_repair_catches_a_missing_slope_where_every_unit_is_on(at):
    fn = _backprop_without_slope(at)
    # On the notebook's network every unit is on: the gradient check alone passes it...
    assert buggy.gradient_check(fn, EX).passed
    # ...the checker does not.
    feedback = check_repair(fn)
    assert feedback.ok is False
    assert "switched off" in feedback.message and "relu′" in feedback.message


@pytest.mark.parametrize("seed", range(20))
def test_with_dead_units_switches_off_the_last_unit_of_every_layer(seed):
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 5, size=3)
    layers = [
        Layer(rng.normal(0, 3, (m, n)), rng.normal(0, 3, n)) for m, n in zip(sizes, sizes[1:])
    ]
    ex = EX.__class__(layers, rng.normal(0, 5, sizes[0]), np.zeros(sizes[-1]), 0.1, "relu")
    off = with_dead_units(ex)
    trace = forward(off.layers, off.x, "relu")
    for z, before, after in zip(trace.z, ex.layers, off.layers):
        assert np.asarray(z).ravel()[-1] <= -1.0
        assert np.array_equal(before.W, after.W)
        assert np.array_equal(before.b[:-1], after.b[:-1])


def _repair(hidden_slope="Zh", outer_slope=True, transpose=True):
    """A repaired backward pass, or one with one of the usual wrong repairs."""

    def backprop(x, y, p):
        Zh, H, Zo, Yhat = buggy.feed_forward(x, p)
        Eo = (Yhat - y) * (buggy.relu_prime(Zo) if outer_slope else 1.0)
        back = Eo @ (p["Wo"].T if transpose else p["Wo"])
        slope = {"Zh": buggy.relu_prime(Zh), "Zo": buggy.relu_prime(Zo), None: 1.0}[hidden_slope]
        Eh = back * slope
        return {"Wh": x.T @ Eh, "bh": Eh.sum(axis=0), "Wo": H.T @ Eo, "bo": Eo.sum(axis=0)}

    return backprop


@pytest.mark.parametrize(
    "wrong",
    [
        {"hidden_slope": "Zo"},  # the output's slope at the hidden layer
        {"hidden_slope": None},  # no slope at the hidden layer
        {"outer_slope": False},  # no slope at the outputs
        {"outer_slope": False, "hidden_slope": None},
        {"transpose": False},  # back along Wo instead of Wo.T
    ],
)
def test_check_repair_tells_every_usual_wrong_repair_from_the_right_one(wrong):
    assert check_repair(_repair()).ok is True
    feedback = check_repair(_repair(**wrong))
    assert feedback.ok is False, feedback.message
    assert "Correct" not in feedback.message


def test_repair_cases_differ_in_which_units_are_on():
    cases = repair_cases(EX)
    patterns = set()
    for _what, net in cases:
        trace = forward(net.layers, net.x, "relu")
        patterns.add(tuple(bool(v) for z in trace.z for v in np.asarray(z).ravel() > 0))
        assert all(np.abs(np.asarray(z)).min() > 0.05 for z in trace.z) or _what.startswith("the")
    assert len(patterns) >= 3
    # on some case the two layers' slopes differ where they line up
    assert any(p[:2] != p[2:] for p in patterns)


def test_check_repair():
    assert check_repair(None).ok is None
    assert "returns None" in check_repair(lambda x, y, p: None).message
    assert check_repair(buggy.backprop).ok
    wrong = check_repair(buggy.backprop_hidden_error_no_transpose)
    assert not wrong.ok and "wrong" in wrong.message and "Wh" in wrong.message
    crash = check_repair(buggy.backprop_relu_max)
    assert not crash.ok and "crashed" in crash.message and "np.maximum" in crash.message
    draft = check_repair(draft_backprop)
    assert draft.ok is None and "Not done yet" in draft.message

    def half_repaired(x, y, p):
        grads = draft_backprop(x, y, p)
        Zh, H, Zo, Yhat = buggy.feed_forward(x, p)
        grads["Wo"] = H.T @ ((Yhat - y) * buggy.relu_prime(Zo))
        return grads

    assert "no gradient for bh" in check_repair(half_repaired).message
    missing = check_repair(buggy.backprop_no_bias_gradient)
    assert "no gradient for bh" in missing.message


def test_a_round_off_zero_is_written_as_zero():
    # With bh1 = 0 and w2 = 0, ŷ2's z = 0.75·(−0.2) + 0.1·0.5 + 0.1 is 0 on paper and
    # about −1.4·10⁻¹⁷ in floating point: the readout and the panel show 0, as the diagram does.
    dash = ReluNetworkDashboard()
    dash.update(bh1=0.0, w2=0.0)
    assert "ŷ2: z = 0, f = 0" in dash.description
    assert "ŷ2 (z = 0 ≤ 0" in dash.description
    assert "10⁻¹" not in dash.description
    assert np.asarray(dash.points.get_offsets())[-1].tolist() == [0.0, 0.0]


# --------------------------------------------------------------------------
# What the figures must say (run by test_figure_agrees.py)
# --------------------------------------------------------------------------


# --------------------------------------------------------------------------
# Notebook 06: activations and the 1-2-2 ReLU network
# --------------------------------------------------------------------------


@oracle("l06_activations_and_biases.ActivationCurveDashboard")
def activation_curve(d):
    """f and f′ over the whole z range, the two points at z, the cursor, the title, the frame."""
    values = d.values()
    z, name = float(values["z"]), values["activation"]
    fz = float(activate(z, name))
    dz = float(activation_derivative(z, name))

    zs = np.asarray(d.f_line.get_xdata(), dtype=float)
    assert (zs[0], zs[-1]) == (-d.Z_RANGE, d.Z_RANGE)
    f = activate(zs, name)
    slope = activation_derivative(zs, name)
    assert_data(d.f_line, zs, f)
    assert_data(d.slope_line, zs, slope)
    assert_data(d.marker, [z, z], [fz, dz])
    assert np.asarray(d.cursor.get_xdata(), dtype=float) == approx([z, z])
    assert_text(d.title, f"{name}: f({fmt(z, 3)}) = {fmt(fz)},  f′({fmt(z, 3)}) = {fmt(dz)}")
    # Both curves fit, with 0 and 1 always in view.
    lo = min(f.min(), slope.min(), 0.0)
    hi = max(f.max(), slope.max(), 1.0)
    pad = 0.08 * (hi - lo)
    assert d.ax.get_ylim() == pytest.approx((lo - pad, hi + pad), rel=REL)
    assert [t.get_text() for t in d.ax.get_legend().get_texts()] == ["f(z)", "f′(z)"]


def named_biases(layers):
    """``{name: (layer, j)}``: bh1, bh2 … for the hidden layer, bo1, bo2 … for the output."""
    places = {}
    for n, layer in enumerate(layers):
        prefix = "bo" if n == len(layers) - 1 else "bh"
        for j in range(len(layer.b)):
            places[f"{prefix}{j + 1}"] = (n, j)
    return places


@oracle("l06_activations_and_biases.ReluNetworkDashboard")
def relu_network(d):
    """Every unit's z and f(z), every weight and ∂E/∂w, every bias and ∂E/∂b, E, the dead
    units greyed, and the units' points on the curve of f: forward and backward recomputed."""
    values = d.values()
    name = values["activation"]
    ex = d.example
    like = ex.layers
    assert len(like) == 2, "the bias names below assume one hidden layer"
    places = named_biases(like)
    weights = {k: float(v) for k, v in values.items() if k not in places and k != "activation"}
    layers = from_named(weights, like)
    biases = [np.array(L.b, dtype=float) for L in layers]
    for b, (n, j) in places.items():
        biases[n][j] = float(values[b])
    layers = [Layer(L.W, b) for L, b in zip(layers, biases)]

    trace = forward(layers, ex.x, name)
    grads = backward(layers, trace, ex.target)
    E = error(trace.output, ex.target)
    names = node_names([like[0].W.shape[0]] + [L.W.shape[1] for L in like])
    diagram = d.diagram

    # The units: the input's value; z and f(z) of the others (just the value if f is linear).
    zs, fs, units, dead = [], [], [], []
    for layer, row in enumerate(names):
        for j, unit in enumerate(row):
            z, a = as_shown(trace, layers, layer, j)
            if layer == 0:
                expected = f"{unit}\n{fmt(a)}"
            else:
                zs.append(z)
                fs.append(a)
                units.append(unit)
                expected = (
                    f"{unit}\n{fmt(a)}"
                    if name == "linear"
                    else f"{unit}\nz={fmt(z, 3)}\nf={fmt(a, 3)}"
                )
            dead.append(layer > 0 and name == "relu" and not zs[-1] > 0)
            assert_text(diagram.node_text[unit], expected)
    faces = [to_hex(c) for c in diagram.nodes.get_facecolors()]
    assert faces == [to_hex(COLORS["dead"] if x else COLORS["node"]) for x in dead]

    # The edges: each weight and its gradient, coloured by the weight's sign.
    g = to_named(grads)
    for w, (n, i, j) in weight_names(layers).items():
        value = float(layers[n].W[i, j])
        assert value == weights[w]
        assert_text(diagram.edge_text[w], f"{w}={fmt(value, 3)}\n∂E/∂{w}={fmt(g[w], 4)}")
    colors = [to_hex(c) for c in diagram.lines.get_colors()]
    signs = [
        COLORS["positive"] if weights[w] >= 0 else COLORS["negative"] for w in diagram.edge_text
    ]
    assert colors == [to_hex(c) for c in signs]

    # The biases: beside their own unit, with ∂E/∂b.
    for b, (n, j) in places.items():
        text = d.bias_text[b]
        assert_text(text, f"{b}={fmt(biases[n][j], 3)}\n∂E/∂{b}={fmt(grads[n].b[j], 4)}")
        # one precision per quantity: as the diagram's edges and the description write it
        assert f"∂E/∂{b}={fmt(grads[n].b[j])}" in text.get_text()
        assert text.get_position() == diagram.node_text[names[n + 1][j]].get_position()
    assert not d.points.get_clip_on()
    assert_text(d.error_text, f"E = {fmt(E)}")

    # The right panel: f over a range that holds every z, and each unit at (z, f(z)).
    assert_text(d.f_title, f"f = {name}")
    reach = max(3.0, 1.1 * max(abs(z) for z in zs))
    grid = np.linspace(-reach, reach, len(d.f_line.get_xdata()))
    assert_data(d.f_line, grid, activate(grid, name))
    assert d.ax_f.get_xlim() == pytest.approx((-reach, reach), rel=REL)
    # A z that is 0 on paper may come out as ±1e-17, differently summed here and there.
    points = np.column_stack([zs, fs])
    spread = REL * max(1.0, float(np.max(np.abs(points))))
    assert np.asarray(d.points.get_offsets(), dtype=float) == pytest.approx(
        points, rel=REL, abs=spread
    )
    # Each unit is named once; a label that names several sits on the first's point,
    # and the others' points lie within a few pixels of it.
    shown = [t for t in d.point_labels if t.get_visible()]
    named = [name for t in shown for name in t.get_text().split(", ")]
    assert sorted(named) == sorted(units)
    point = dict(zip(units, zip(zs, fs)))
    for label in shown:
        first, *others = label.get_text().split(", ")
        assert tuple(label.xy) == pytest.approx(point[first], rel=REL)
        pixels = d.ax_f.transData.transform([point[first]] + [point[o] for o in others])
        assert np.all(np.abs(pixels - pixels[0]) <= 6.0)


@pytest.mark.parametrize("z", [-6.0, 6.0])
def test_the_curve_dots_show_whole_at_the_sliders_ends(z):
    d = ActivationCurveDashboard()
    d.update(z=z)
    d.fig.canvas.draw()
    dots = d.marker.get_window_extent(d.fig.canvas.get_renderer())
    frame = d.ax.get_window_extent()
    assert frame.x0 <= dots.x0 and dots.x1 <= frame.x1, (dots, frame)


def test_the_output_slope_slip_is_named_at_three_figures_too():
    # σ′(ŷ1) instead of σ′(z1), typed to three figures (Python keeps -0.071)
    assert "σ′(ŷ1)" in check_output_bias_gradient(-0.0710).message
