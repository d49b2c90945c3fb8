"""Oracles for the dashboards of notebooks 05–07 (see ``tests/oracles.py``).

Each recomputes from scratch, with :mod:`helpers.network`, what the dashboard
should show for its current control values (training runs, sweeps, forward
and backward passes, gradient norms) and checks it against the figure: the
titles and labels, the texts on the network diagram, the data of the curves
and where the markers sit. Texts are compared exactly, as
:func:`~helpers.plots.fmt` writes the recomputed numbers; raw point data is
compared to within a relative 1e-9.
"""

from __future__ import annotations

import html

import numpy as np
import pytest
from matplotlib.colors import to_hex
from oracles import as_shown, oracle, point_of

from helpers.network import (
    Layer,
    activate,
    activation_derivative,
    backward,
    error,
    forward,
    from_named,
    layers_from_sizes,
    stability_bound,
    sweep_learning_rates,
    to_named,
    train,
    weight_names,
)
from helpers.plots import COLORS, fmt, nice_ceiling, node_names
from helpers.views.deep import HUGE, RATIO_ALARM, TINY
from helpers.views.training import ERROR_FLOOR

REL = 1e-9


def approx(values):
    return pytest.approx(np.asarray(values, dtype=float), rel=REL, abs=0)


def assert_data(line, x, y):
    """``line`` holds exactly the points (x, y), to within a relative 1e-9."""
    got_x, got_y = (np.asarray(v, dtype=float) for v in line.get_data())
    assert got_x.shape == np.shape(x), f"{line}: {got_x.shape[0]} points, expected {len(x)}"
    assert got_x == approx(x)
    assert got_y == approx(y)


def assert_text(artist, expected):
    assert artist.get_text() == expected, f"shows {artist.get_text()!r}, expected {expected!r}"


def assert_within(ax, ys):
    """Every value of ``ys`` lies inside the y limits of ``ax``."""
    lo, hi = sorted(ax.get_ylim())
    ys = np.asarray(ys, dtype=float)
    assert np.all((ys >= lo * (1 - REL)) & (ys <= hi * (1 + REL))), (lo, hi, ys)


# --------------------------------------------------------------------------
# Notebook 05: the learning-rate explorer
# --------------------------------------------------------------------------


def last_sane_errors(errors):
    """Each row's last finite error (training stops a diverged row at nan)."""
    finite = np.isfinite(errors)
    last = np.array([np.flatnonzero(row)[-1] for row in finite])
    return errors[np.arange(len(errors)), last]


def check_sweep_panel(d):
    """The sweep of learning rates (right panel), recomputed with sweep_learning_rates."""
    ex = d.example
    choices = [value for _label, value in d.controls["lr"].options]
    n_rates, sweep_epochs = len(d.sweep.lrs), d.sweep.errors.shape[1] - 1
    lrs = np.geomspace(min(choices), max(choices), n_rates)
    sweep = sweep_learning_rates(ex.layers, ex.x, ex.target, lrs, sweep_epochs, ex.activation)
    diverged = sweep.diverged_at >= 0
    final = last_sane_errors(sweep.errors)
    ax = d.ax_sweep

    assert ax.get_title(loc="left") == f"{n_rates} learning rates"
    assert ax.get_ylabel() == f"error after {sweep_epochs} steps"
    assert_data(d.sweep_line, lrs[~diverged], np.maximum(final, ERROR_FLOOR)[~diverged])
    assert np.asarray(d.sweep_diverged.get_xdata(), dtype=float) == approx(lrs[diverged])

    # The regimes: diverged, final error below `tiny`, or neither; one span per stretch.
    tiny = d.regimes.tiny
    labels = np.where(diverged, "diverges", np.where(final < tiny, "converges", "neither"))
    stretches, start = [], 0
    for r in range(1, len(lrs) + 1):
        if r == len(lrs) or labels[r] != labels[start]:
            stretches.append((str(labels[start]), lrs[start], lrs[r - 1]))
            start = r
    drawn = [(regime, s.get_x(), s.get_x() + s.get_width()) for regime, s in d.spans]
    assert [r for r, *_ in drawn] == [r for r, *_ in stretches]
    for (_r, lo, hi), (_s, x0, x1) in zip(stretches, drawn):
        assert (x0, x1) == pytest.approx((lo, hi), rel=REL)
    assert sorted(d.regime_text) == sorted(set(labels))
    for regime, text in d.regime_text.items():
        assert_text(text, regime)
        x = text.get_position()[0]
        assert any(r == regime and lo <= x <= hi for r, lo, hi in stretches), (regime, x)

    bound = stability_bound(ex.layers, ex.x, ex.activation)
    assert_text(d.bound_text, f" 2/‖∇ŷ‖² = {fmt(bound, 3)}")
    assert d.bound_text.get_position()[0] == pytest.approx(bound, rel=REL)
    assert np.asarray(d.bound_line.get_xdata(), dtype=float) == approx([bound, bound])


@oracle("training.LearningRateExplorer")
def explorer(d):
    """The run panel shows train() at the current lr up to the shown step; the sweep panel
    shows sweep_learning_rates() with its regimes and the bound 2/‖∇ŷ‖²."""
    values = d.values()
    lr, epochs = float(values["lr"]), int(values["epochs"])
    step = min(int(values["step"]), epochs)
    ex = d.example
    h = train(ex.layers, ex.x, ex.target, lr, epochs, ex.activation)
    diverged_at = h.diverged_at
    shown = min(step, len(h.errors) - 1)  # a diverged run is drawn up to its last sane step
    drawn = np.maximum(h.errors, ERROR_FLOOR)  # a log axis shows an exact 0 at the floor

    # The curve, the marker on the shown step, and a frame that shows them.
    assert_data(d.curve, np.arange(shown + 1), drawn[: shown + 1])
    assert point_of(d.marker) == pytest.approx((shown, drawn[shown]), rel=REL)
    assert_within(d.ax_run, drawn[: shown + 1])
    left, right = d.ax_run.get_xlim()
    assert left == 0
    if diverged_at is None:
        assert right == pytest.approx(epochs, rel=REL)
    else:  # about twice the run, kept while it shows the run and is not 2.5x too wide
        assert diverged_at < right <= min(epochs, 2.5 * nice_ceiling(max(10, 2 * diverged_at)))
    assert d.ax_run.get_title(loc="left") == "Training at this learning rate"

    # Divergence: a dotted line, a cross and the words, once the shown step reaches it.
    here = diverged_at is not None and step >= diverged_at
    assert d.diverged_line.get_visible() == here
    assert d.diverged_mark.get_visible() == here
    if here:
        assert np.asarray(d.diverged_line.get_xdata(), dtype=float) == approx([diverged_at] * 2)
        assert float(d.diverged_mark.get_xdata()[0]) == diverged_at
    status = f"lr = {lr:g}" + (f"\ndiverged at step {diverged_at}" if here else "")
    assert_text(d.status, status)
    if diverged_at is None:
        assert d.message.value == ""
    else:
        said = (
            f"Diverged at step {diverged_at}: the error passed {fmt(h.max_error)} (it was "
            f"{fmt(h.errors[-1])} at step {diverged_at - 1})."
        )
        assert html.escape(said) in d.message.value, d.message.value

    # The current rate on the sweep panel.
    assert np.asarray(d.lr_line.get_xdata(), dtype=float) == approx([lr, lr])
    assert d.lr_text.get_position()[0] == pytest.approx(lr, rel=REL)
    assert_text(d.lr_text, "lr")
    check_sweep_panel(d)


# --------------------------------------------------------------------------
# Notebook 06: activations and the 1-2-2 ReLU network
# --------------------------------------------------------------------------


@oracle("activations.ActivationCurveDashboard")
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


@oracle("activations.ReluNetworkDashboard")
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
        assert_text(text, f"{b}={fmt(biases[n][j], 3)}\n∂E/∂{b}={fmt(grads[n].b[j], 3)}")
        assert text.get_position() == diagram.node_text[names[n + 1][j]].get_position()
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
    return "healthy"


@oracle("deep.GradientFlowDashboard")
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
    assert (d.message.value != "") == (kind != "healthy"), d.message.value


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


@oracle("deep.XorDashboard")
def xor(d):
    """The decision regions and the "n/4 right" titles at the shown epoch, the two error
    curves over all epochs and the cursor, from train() on XOR; the E and outputs said."""
    p = d.problem
    epoch = int(np.clip(int(d.values()["epoch"]), 0, p.epochs))
    whole = xor_runs(p, p.epochs)
    now = xor_runs(p, epoch)
    acts = list(p.activations)

    ax_e = d.axes[2]
    curves = {line.get_label(): line for line in ax_e.get_lines()}
    for label, run in zip((f"2-{p.hidden}-1 network", "single layer"), whole):
        assert run.diverged_at is None
        assert_data(curves[label], np.arange(p.epochs + 1), run.errors)
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
