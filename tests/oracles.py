"""What each dashboard's figure must say, recomputed from the helpers' own functions.

An oracle takes a dashboard that has just been updated and checks the text
on its figure (and where its points sit) against numbers computed here, from
scratch, with :mod:`helpers.network` for the dashboard's current control
values. It shares nothing with the dashboard's ``redraw`` but the helpers'
core functions and :func:`~helpers.plots.fmt`, so a view that shows a stale,
swapped or mis-rounded number fails. ``tests/test_figure_agrees.py`` runs every
oracle over random control values.

Register one with ``@oracle("module.ClassName")``; the name is the key of
:func:`helpers.views.all_dashboards`.
"""

from __future__ import annotations

import re

import numpy as np

from helpers.network import backward, error, forward, from_named, to_named

ORACLES = {}


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
    return float(mantissa) * 10.0 ** int(exponent.translate(_FROM_SUPERSCRIPT) or 0)


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
