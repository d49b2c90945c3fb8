"""What each dashboard's figure must say, recomputed from the helpers' own functions.

An oracle takes a dashboard that has just been updated and checks the text
on its figure (and where its points sit) against numbers computed here, from
scratch, with :mod:`helpers.network` for the dashboard's current control
values. It shares nothing with the dashboard's ``redraw`` but the helpers'
core functions and :func:`~helpers.plots.fmt`, so a view that shows a stale,
swapped or mis-rounded number fails. ``tests/test_figure_agrees.py`` runs every
oracle over random control values.

Each lesson's oracles sit at the end of its test module,
``tests/test_lNN_*.py``, registered with ``@oracle("lNN_name.ClassName")``;
the name is the key of :func:`helpers.lessons.all_dashboards`.
:func:`load_all` imports those modules. This module holds what they share.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import numpy as np
import pytest

from helpers.network import backward, error, forward, from_named, to_named, weight_names

ORACLES = {}


def load_all():
    """Import every lesson's test module, which registers its oracles; returns ORACLES."""
    for path in sorted(Path(__file__).parent.glob("test_l[0-9][0-9]_*.py")):
        importlib.import_module(path.stem)
    return ORACLES


def oracle(*names):
    """Register the decorated function as the oracle of the dashboards ``names``."""

    def register(fn):
        for name in names:
            assert name not in ORACLES, f"two oracles for {name}"
            ORACLES[name] = fn
        return fn

    return register


def weights_of(values):
    """The ``w…`` entries of a dashboard's values."""
    return {k: float(v) for k, v in values.items() if k.startswith("w") and k[1:].isdigit()}


def point_of(line):
    """The one (x, y) point a marker line shows."""
    xy = np.asarray(line.get_xydata(), dtype=float)
    assert xy.shape == (1, 2), f"expected one point, the line holds {xy.shape[0]}"
    return tuple(xy[0])


def gradients_at(example, weights, x=None, target=None, activation=None):
    """Layers, trace, E and the named gradients of ``example`` at ``weights``."""
    layers = from_named(weights, example.layers)
    x = example.x if x is None else np.asarray(x, dtype=float)
    target = example.target if target is None else np.asarray(target, dtype=float)
    activation = example.activation if activation is None else activation
    trace = forward(layers, x, activation)
    E = error(trace.output, target)
    return layers, trace, E, to_named(backward(layers, trace, target))


def as_shown(trace, layers, layer, j):
    """``(z, value)`` of unit ``j`` of ``layer`` as a diagram must show them: a sum
    within 1e-12 of the size of its terms is float round-off (8·0.43 − 8·0.43
    comes out as about 10⁻¹⁶) and is shown as 0, and so is a value that is only
    that round-off passed on. Inputs have no sum: ``z`` is None."""
    value = float(np.asarray(trace.a[layer])[0][j])
    if layer == 0:
        return None, value
    z = float(np.asarray(trace.z[layer - 1])[0][j])
    below = np.asarray(trace.a[layer - 1])[0]
    L = layers[layer - 1]
    size = sum(abs(float(a * w)) for a, w in zip(below, np.asarray(L.W)[:, j]))
    if L.b is not None:
        size += abs(float(np.asarray(L.b)[j]))
    if abs(z) <= 1e-12 * size:
        z = 0.0
        if abs(value) <= 1e-12 * size:
            value = 0.0
    return z, value


# A number as fmt() writes it: a true minus sign, and ·10ᵏ for large and small ones.
_NUMBER = r"(∞|−∞|undefined|[−-]?\d+(?:\.\d+)?(?:·10[⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)?)"
_FROM_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


def number_after(text, label):
    """The number that follows ``label`` in ``text``, as a float."""
    found = re.search(re.escape(label) + r"\s*" + _NUMBER, text)
    assert found, f"no number after {label!r} in {text!r}"
    word = found.group(1).replace("−", "-")
    if word in ("∞", "-∞", "undefined"):
        return {"∞": np.inf, "-∞": -np.inf, "undefined": np.nan}[word]
    mantissa, _, exponent = word.partition("·10")
    # parsed as one literal: 9.881·10⁻³²⁴ is a subnormal float, while 10.0**-324 is 0
    return float(f"{mantissa}e{exponent.translate(_FROM_SUPERSCRIPT) or 0}")


def assert_shows(text, label, value, digits, noise=0.0):
    """``text`` shows ``value`` after ``label``, rounded to ``digits`` significant figures.

    Compared as numbers, to within one unit of the last figure shown, so that
    two correct roundings of values a hair apart both pass. A value within
    ``noise`` of 0 is float round-off of 0: it may be shown as 0, and 0 may
    come out as such a value.
    """
    shown = number_after(text, label)
    value = float(value)
    if abs(value) <= noise or abs(shown) <= noise:
        assert abs(shown) <= noise and abs(value) <= noise, (
            f"{label} shows {shown}, expected {value} (0 give or take {noise}) in {text!r}"
        )
        return
    if value == 0:
        assert shown == 0, f"{label} shows {shown}, expected 0 in {text!r}"
        return
    unit = 10.0 ** (np.floor(np.log10(abs(value))) - digits + 1)
    assert abs(shown - value) <= unit * 1.0001, (
        f"{label} shows {shown}, expected {value} ({digits} figures) in {text!r}"
    )


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
