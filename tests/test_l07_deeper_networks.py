"""Notebook 07's dashboards, problems and checkers, against the helpers' numbers."""

import matplotlib

matplotlib.use("Agg")


import ipywidgets as widgets
import numpy as np
import pytest
from oracles import (
    REL,
    approx,
    assert_data,
    assert_text,
    assert_within,
    oracle,
)

from helpers import buggy
from helpers.examples import XorProblem  # noqa: E402
from helpers.lessons.l07_deeper_networks import (
    DEEP_PROBLEM,
    HUGE,
    RATIO_ALARM,
    RATIO_EVEN,
    TINY,
    XOR,
    GradientFlowDashboard,
    XorDashboard,
    check_forward_passes,
    check_relative_error,
    cost_table,
    gradient_norms,
    gradient_verdict,
)
from helpers.network import (
    Layer,
    backward,
    error,
    forward,
    layers_from_sizes,
    train,
)
from helpers.plots import broken_artists, fmt

P = DEEP_PROBLEM


def assert_all_finite(fig):
    """No nan or inf in any artist's data, axes limits or text of ``fig``."""
    assert broken_artists(fig) == []


def backward_norms(depth, scale, activation):
    layers = P.layers(depth, scale)
    acts = P.activations(depth, activation)
    grads = backward(layers, forward(layers, P.x, acts), P.target)
    return np.array([np.linalg.norm(g.W) for g in grads])


# -- the deep problem ------------------------------------------------------------


def test_deep_problem_is_fixed_and_deeper_networks_share_their_first_layers():
    assert P.x.shape == (16, 4) and P.target.shape == (16, 1)
    np.testing.assert_array_equal(P.x, type(P)().x)
    assert P.sizes(3) == [4, 8, 8, 8, 1]
    shallow, deep = P.layers(2), P.layers(9)
    np.testing.assert_array_equal(shallow[0].W, deep[0].W)
    np.testing.assert_array_equal(shallow[1].W, deep[1].W)
    assert P.activations(2, "tanh") == ["tanh", "tanh", "linear"]


def test_cost_table_counts():
    for row in cost_table([1, 3, 10]):
        layers = P.layers(row["depth"])
        params = sum(L.W.size + L.b.size for L in layers)
        assert row["params"] == params
        assert row["forward"] == sum(L.W.size for L in layers)
        assert row["backprop"] == 3 * row["forward"]
        assert row["numerical"] == 2 * params * row["forward"]
        assert row["ratio"] == pytest.approx(2 * params / 3)
    ratios = [r["ratio"] for r in cost_table(range(1, 13))]
    assert ratios == sorted(ratios)


def test_gradient_verdicts():
    assert gradient_verdict([1e-8, 1e-3, 1.0])[0] == "vanishing"
    assert gradient_verdict([1e-9, 2e-9])[0] == "vanishing"
    assert gradient_verdict([1e4, 10.0])[0] == "exploding"
    assert gradient_verdict([1e6, 1e6])[0] == "exploding"
    assert gradient_verdict([0.3, 0.5])[0] == "healthy"
    # sigmoid at weight scale 4: a 90-fold drop is not healthy, and the rule is stated
    kind, sentence = gradient_verdict([0.0219, 1.98])
    assert kind == "uneven" and "90 times slower" in sentence and "100×" in sentence
    assert gradient_verdict([20.0, 1.0])[0] == "uneven"
    assert "10×" in gradient_verdict([0.3, 0.5])[1]
    np.testing.assert_array_equal(
        gradient_norms(P.layers(3), P.x, P.target, P.activations(3, "tanh")),
        backward_norms(3, 1.0, "tanh"),
    )
    kind, sentence = gradient_verdict([0.0, 0.0, 0.2])
    assert kind == "dead" and "Layers 1, 2" in sentence
    kind, sentence = gradient_verdict([np.inf, np.nan, 1.0])
    assert kind == "overflow" and "layers 1, 2" in sentence


# -- the gradient-flow dashboard ---------------------------------------------------


def test_gradient_flow_default_shows_backwards_norms():
    d = GradientFlowDashboard()
    expected = backward_norms(6, 1.0, "sigmoid")
    np.testing.assert_allclose(d.norms, expected, rtol=1e-12)
    np.testing.assert_allclose(d.line.get_ydata(), expected, rtol=1e-12)
    np.testing.assert_array_equal(d.line.get_xdata(), np.arange(1, 8))
    assert "Vanishing" in d.description
    for k, v in enumerate(expected, start=1):
        assert f"{k}: {fmt(v, 2)}" in d.description
    assert d.verdict.get_text() == "vanishing"
    lo, hi = d.ax.get_ylim()
    assert lo < expected.min() and hi > expected.max()
    assert_all_finite(d.fig)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "linear"])
def test_gradient_flow_sizes_equal_backward_at_the_extremes(activation):
    d = GradientFlowDashboard()
    for depth, scale in [(1, 0.25), (1, 8.0), (12, 0.25), (12, 8.0), (10, 1.0)]:
        d.update(depth=depth, scale=scale, activation=activation)
        assert d.last_error is None, d.last_error
        expected = backward_norms(depth, scale, activation)
        np.testing.assert_allclose(d.norms, expected, rtol=1e-12)
        np.testing.assert_allclose(d.line.get_ydata(), expected, rtol=1e-12)
        assert len(d.line.get_xdata()) == depth + 1
        assert d.verdict.get_text() == gradient_verdict(expected)[0]
        assert_all_finite(d.fig)


def test_vanishing_and_exploding_are_named():
    d = GradientFlowDashboard()
    d.update(depth=10, scale=1.0, activation="sigmoid")
    assert d.description.splitlines()[-1].startswith("Vanishing:")
    d.update(depth=12, scale=8.0, activation="linear")
    assert d.description.splitlines()[-1].startswith("Exploding:")
    assert "Exploding: gradients as large as" in d.message.value  # said above the figure
    d.update(depth=12, scale=8.0, activation="relu")
    assert "Exploding" in d.description
    d.update(depth=2, scale=1.0, activation="tanh")
    assert d.description.splitlines()[-1].startswith("Healthy:")
    assert d.message.value == ""  # nothing to warn about


def test_dead_layers_are_clipped_marked_and_said():
    d = GradientFlowDashboard()
    dead = [Layer(-np.abs(L.W), np.full(L.W.shape[1], -1.0)) for L in P.layers(4)]
    d.layers_for = lambda depth, scale: dead
    d.update(depth=4, activation="relu")
    assert d.last_error is None
    assert np.all(d.norms == 0)
    assert "no gradient at all" in d.description
    assert "no gradient at all" in d.message.value
    np.testing.assert_allclose(d.clipped.get_ydata(), d.FLOOR)
    assert len(d.clipped.get_xdata()) == 5
    assert_all_finite(d.fig)


def test_overflow_is_clipped_marked_and_said():
    d = GradientFlowDashboard()
    huge = [Layer(L.W * 1e80, L.b) for L in P.layers(5)]
    d.layers_for = lambda depth, scale: huge
    d.update(depth=5, activation="linear")
    assert d.last_error is None
    assert not np.all(np.isfinite(d.norms))
    assert "overflowed" in d.description and "overflowed" in d.message.value
    assert np.all(d.clipped.get_ydata() <= d.CEIL)
    assert_all_finite(d.fig)


# -- XOR -------------------------------------------------------------------------


def test_xor_training_is_deterministic_and_learns():
    again = XorProblem()
    for a, b in zip(XOR.history[0][-1], again.history[0][-1]):
        np.testing.assert_array_equal(a.W, b.W)
    net_err, single_err = XOR.errors
    assert len(net_err) == len(single_err) == XOR.epochs + 1
    assert XOR.right(XOR.history[0][-1]) == 4
    assert net_err[-1] < 1e-2
    assert XOR.solved_at is not None and 0 < XOR.solved_at < XOR.epochs
    assert XOR.right(XOR.history[0][XOR.solved_at - 1]) < 4
    # the single layer cannot: it ends undecided at 0.5 everywhere
    np.testing.assert_allclose(XOR.outputs(XOR.history[1][-1]), 0.5, atol=1e-3)
    assert single_err[-1] == pytest.approx(0.125, abs=1e-6)
    assert XOR.right(XOR.history[1][-1]) == 0


def test_xor_epochs_follow_sgd_steps():
    nets, _ = XOR.history
    layers = nets[0]
    for epoch in range(3):
        trace = forward(layers, XOR.x, list(XOR.activations))
        grads = backward(layers, trace, XOR.target)
        layers = [Layer(L.W - XOR.lr * g.W, L.b - XOR.lr * g.b) for L, g in zip(layers, grads)]
        np.testing.assert_allclose(nets[epoch + 1][0].W, layers[0].W, rtol=1e-14)


@pytest.fixture(scope="module")
def xor_dashboard():
    return XorDashboard()


@pytest.mark.parametrize("epoch", [0, 5, 125, 300, XOR.epochs])
def test_xor_dashboard_shows_each_epoch(xor_dashboard, epoch):
    d = xor_dashboard
    d.update(epoch=epoch)
    assert d.last_error is None
    nets, singles = XOR.history
    for image, layers in zip(d.images, (nets[epoch], singles[epoch])):
        expected = XOR.outputs(layers, d.grid_points).reshape(d.GRID, d.GRID)
        np.testing.assert_allclose(image.get_array(), expected)
    np.testing.assert_array_equal(d.cursor.get_xdata(), [epoch, epoch])
    right = XOR.right(nets[epoch])
    assert d.titles[0].get_text() == f"2-3-1 network: {right}/4 right"
    assert d.description.startswith(f"Epoch {epoch}: the 2-3-1 network gets {right} of 4 right")
    assert f"E = {fmt(XOR.errors[0][epoch], 3)}" in d.description
    assert_all_finite(d.fig)


def test_xor_dashboard_widget_has_play_linked_to_the_epoch(xor_dashboard):
    d = xor_dashboard
    box = d.widget
    first_row = box.children[0]
    assert isinstance(first_row.children[0], widgets.Play)
    assert list(first_row.children[:5]) == [*d.player.row, d.controls["epoch"]]
    assert d.player.play.max == d.controls["epoch"].max == XOR.epochs
    d.player.play.value = 120  # what Play does in the browser
    assert d.controls["epoch"].value == 120 and d.description.startswith("Epoch 120:")
    assert list(d.controls) == ["epoch"]


# -- checkers ----------------------------------------------------------------------


def test_check_forward_passes():
    sizes = P.sizes(3)
    weights = sum(m * n for m, n in zip(sizes[:-1], sizes[1:]))
    params = weights + sum(sizes[1:])
    assert check_forward_passes(None).ok is None
    assert check_forward_passes(2 * params).ok
    assert "twice" in check_forward_passes(params).message
    assert "bias" in check_forward_passes(2 * weights).message
    assert "one-sided" in check_forward_passes(params + 1).message
    assert "too small" in check_forward_passes(7).message


def test_check_relative_error():
    assert check_relative_error(None).ok is None
    assert check_relative_error(lambda g, n: None).ok is None
    assert check_relative_error(buggy.relative_error).ok
    absolute = check_relative_error(lambda g, n: np.linalg.norm(g - n))
    assert not absolute.ok and "ABSOLUTE" in absolute.message
    by_reference = check_relative_error(lambda g, n: np.linalg.norm(g - n) / np.linalg.norm(n))
    assert not by_reference.ok and "divides by zero" in by_reference.message
    no_guard = check_relative_error(
        lambda g, n: np.linalg.norm(g - n) / (np.linalg.norm(g) + np.linalg.norm(n))
    )
    assert not no_guard.ok and "both are zero" in no_guard.message
    raising = check_relative_error(lambda g, n: g.nope)
    assert not raising.ok and "AttributeError" in raising.message
    half = check_relative_error(lambda g, n: 0.5).message
    assert "too large" in half and "expected" not in half


def test_check_relative_error_writes_numbers_as_on_paper():
    # Right everywhere except the tiny pair: the message names that pair with powers of ten.
    def off_on_tiny(g, n):
        if 0 < np.max(np.abs(g)) < 1e-6:
            return 0.5
        return buggy.relative_error(g, n)

    message = check_relative_error(off_on_tiny).message
    assert "tiny gradients ([1·10⁻⁹, 2·10⁻⁹] vs [1.1·10⁻⁹, 2·10⁻⁹])" in message
    assert "e-0" not in message and "-" not in message


# --------------------------------------------------------------------------
# What the figures must say (run by test_figure_agrees.py)
# --------------------------------------------------------------------------


# --------------------------------------------------------------------------
# Notebook 07: gradient size per layer, and XOR
# --------------------------------------------------------------------------


def verdict_of(norms):
    """What the gradient norms are called: overflow, dead, vanishing, exploding or healthy."""
    if not np.all(np.isfinite(norms)):
        return "overflow"
    if np.any(norms == 0):
        return "dead"
    ratio = norms[0] / norms[-1]
    if ratio < 1 / RATIO_ALARM:
        return "vanishing"
    if ratio > RATIO_ALARM:
        return "exploding"
    if norms.max() < TINY:
        return "vanishing"
    if norms.max() > HUGE:
        return "exploding"
    if ratio < 1 / RATIO_EVEN or ratio > RATIO_EVEN:
        return "uneven"
    return "healthy"


@oracle("l07_deeper_networks.GradientFlowDashboard")
def gradient_flow(d):
    """‖∂E/∂W‖ of every layer (clipped to the axis, the clipped ones crossed), the title and
    the verdict, from a backward pass through freshly seeded layers."""
    values = d.values()
    depth, scale, name = int(values["depth"]), float(values["scale"]), values["activation"]
    p = d.problem
    sizes = [p.n_in] + [p.width] * depth + [1]
    layers = layers_from_sizes(sizes, scale=scale, bias=0.0, seed=p.weights_seed)
    acts = [name] * depth + ["linear"]
    with np.errstate(all="ignore"):
        trace = forward(layers, p.x, acts)
        norms = np.array([np.linalg.norm(g.W) for g in backward(layers, trace, p.target)])

    k = np.arange(1, depth + 2)
    finite = np.isfinite(norms)
    shown = np.clip(np.where(finite, norms, d.CEIL), d.FLOOR, d.CEIL)
    off = ~finite | (norms < d.FLOOR) | (norms > d.CEIL)
    assert_data(d.line, k, shown)
    assert_data(d.clipped, k[off], shown[off])
    assert_within(d.ax, shown)
    assert_text(
        d.title,
        f"{name}, {depth} hidden layer{'s' if depth > 1 else ''} of {p.width}, "
        f"weight scale {scale:g}",
    )
    kind = verdict_of(norms)
    assert_text(d.verdict, kind)
    assert (d.message.value != "") == (kind not in ("healthy", "uneven")), d.message.value


_XOR_RUNS = {}


def xor_runs(problem, epochs):
    """train() on XOR for ``epochs`` epochs: (2-h-1 network, single layer), cached."""
    key = (problem, epochs)
    if key not in _XOR_RUNS:
        net = layers_from_sizes([2, problem.hidden, 1], scale=1.0, bias=0.0, seed=problem.seed)
        single = layers_from_sizes([2, 1], scale=1.0, bias=0.0, seed=problem.seed)
        acts = list(problem.activations)
        _XOR_RUNS[key] = (
            train(net, problem.x, problem.target, problem.lr, epochs, acts),
            train(single, problem.x, problem.target, problem.lr, epochs, acts[-1:]),
        )
    return _XOR_RUNS[key]


@oracle("l07_deeper_networks.XorDashboard")
def xor(d):
    """The decision regions and the "n/4 right" titles at the shown epoch, the two error
    curves up to it and the cursor, from train() on XOR; the E and outputs said."""
    p = d.problem
    epoch = int(np.clip(int(d.values()["epoch"]), 0, p.epochs))
    whole = xor_runs(p, p.epochs)
    now = xor_runs(p, epoch)
    acts = list(p.activations)

    ax_e = d.axes[2]
    curves = {line.get_label(): line for line in ax_e.get_lines()}
    for label, run in zip((f"2-{p.hidden}-1 network", "single layer"), whole):
        assert run.diverged_at is None
        assert_data(curves[label], np.arange(epoch + 1), run.errors[: epoch + 1])
    assert np.asarray(d.cursor.get_xdata(), dtype=float) == approx([epoch, epoch])

    assert d.description.startswith(f"Epoch {epoch}: "), d.description
    for image, title, run, label, run_acts in zip(
        d.images,
        d.titles,
        now,
        (f"2-{p.hidden}-1 network", "single layer"),
        (acts, acts[-1:]),
    ):
        # The regions: the output over a grid of the image's extent, row by row from the bottom.
        x0, x1, y0, y1 = image.get_extent()
        size = np.asarray(image.get_array()).shape[0]
        gx, gy = np.meshgrid(np.linspace(x0, x1, size), np.linspace(y0, y1, size))
        grid = np.column_stack([gx.ravel(), gy.ravel()])
        regions = forward(run.layers, grid, run_acts).output[:, 0].reshape(size, size)
        assert np.asarray(image.get_array(), dtype=float) == approx(regions)

        outputs = forward(run.layers, p.x, run_acts).output[:, 0]
        right = int((np.abs(outputs - p.target[:, 0]) < 0.5 - p.UNDECIDED).sum())
        assert_text(title, f"{label}: {right}/4 right")
        # The error and the outputs at this epoch are said in the description.
        E = error(outputs[:, None], p.target)
        assert E == pytest.approx(run.errors[epoch], rel=REL)
        said = f"{label} gets {right} of 4 right (E = {fmt(E, 3)}; ŷ = "
        said += ", ".join(fmt(v, 2) for v in outputs) + ")"
        assert said in d.description, d.description
