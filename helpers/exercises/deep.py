"""Checkers for notebook 07: the cost of a numerical gradient, and the relative error."""

from __future__ import annotations

import numpy as np

from .. import buggy
from ..text import fmt
from ..views.deep import DEEP_PROBLEM
from . import Feedback, check_number, not_done

__all__ = ["check_forward_passes", "check_relative_error"]


def check_forward_passes(given, depth=3, problem=DEEP_PROBLEM):
    """How many forward passes numerical_gradient needs for the network of ``depth`` layers."""
    sizes = problem.sizes(depth)
    weights = sum(m * n for m, n in zip(sizes[:-1], sizes[1:]))
    biases = sum(sizes[1:])
    params = weights + biases
    hints = [
        (
            params,
            "That is the number of parameters. Central differences nudge each one "
            "twice, up and down: E(w + ε) and E(w − ε).",
        ),
        (
            2 * weights,
            "That counts the weights only; every bias is a parameter too, "
            "and needs its own two passes.",
        ),
        (
            weights,
            "That counts the weights only, once each. Count the biases too, "
            "and each parameter needs two passes (w + ε and w − ε).",
        ),
        (
            params + 1,
            "That is a one-sided difference (E(w + ε) − E(w)) / ε. "
            "numerical_gradient uses central differences: two passes per parameter.",
        ),
    ]
    return check_number(
        "the number of forward passes", given, 2 * params, hints=hints, rounded=False
    )


_CASES = [
    ("equal gradients", [0.5, -2.0, 3.0], [0.5, -2.0, 3.0], 0.0),
    ("opposite gradients", [1.0, 2.0], [-1.0, -2.0], 1.0),
    ("a gradient against a zero one", [0.3, 0.4], [0.0, 0.0], 1.0),
    ("two zero gradients", [0.0, 0.0], [0.0, 0.0], 0.0),
    ("tiny gradients", [1e-9, 2e-9], [1.1e-9, 2e-9], None),
    ("large gradients", [1e6, 2e6], [1.1e6, 2e6], None),
]


def _pair(g, n):
    """Two gradients written for the student: ``[1·10⁻⁹, 2·10⁻⁹] vs [1.1·10⁻⁹, 2·10⁻⁹]``."""
    return " vs ".join("[" + ", ".join(fmt(x, 3) for x in v) + "]" for v in (g, n))


def check_relative_error(fn):
    """Test a student's ``fn(g, g_num)`` against the course's relative error on a few cases."""
    if fn is None:
        return Feedback(None, "Not done yet: write your function first.")
    results = []
    for label, g, n, _ in _CASES:
        try:
            with np.errstate(all="raise"):
                value = fn(np.array(g), np.array(n))
        except (FloatingPointError, ZeroDivisionError):
            return Feedback(
                False,
                f"Not yet: your function divides by zero for {label} ({_pair(g, n)}). "
                "Divide by ‖g‖ + ‖g_num‖ and return 0 when both are zero.",
            )
        except Exception as exc:  # the student's code: say what happened, do not raise
            return Feedback(False, f"Not yet: your function raised {type(exc).__name__}: {exc}")
        if not_done(value):
            return Feedback(None, "Not done yet: your function returns None.")
        try:
            value = float(value)
        except (TypeError, ValueError):
            return Feedback(
                False, f"Not yet: the relative error should be one number, got {value!r}."
            )
        results.append((label, g, n, value))
    for label, g, n, value in results:
        expected = buggy.relative_error(g, n)
        if np.isclose(value, expected, rtol=1e-9, atol=1e-15):
            continue
        absolute = float(np.linalg.norm(np.subtract(g, n)))
        if np.isclose(value, absolute, rtol=1e-9, atol=1e-15):
            return Feedback(
                False,
                f"Not yet: for {label} you give {fmt(value, 3)}, the ABSOLUTE difference "
                "‖g − g_num‖. Divide by ‖g‖ + ‖g_num‖, so that tiny and huge gradients are "
                "judged alike.",
            )
        return Feedback(
            False,
            f"Not yet: for {label} ({_pair(g, n)}) you give {fmt(value, 6)}, "
            f"expected {fmt(expected, 6)}.",
        )
    # Both pairs matched the course's value, which is the same for both: they differ only in scale.
    tiny = results[4][3]
    return Feedback(
        True,
        f"Correct: your relative error matches on all {len(_CASES)} cases. A tiny pair of "
        f"gradients and a large pair that differ only in scale get the same relative error, "
        f"{fmt(tiny, 3)}.",
    )
