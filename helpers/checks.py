"""Checkers for the exercises: each says what is right or what is wrong, in words.

An exercise cell leaves a placeholder (``None`` or ``...``) for the student
and calls a checker; the checker then says "not done yet" instead of failing.
Each notebook's checkers live in its lesson module (:mod:`helpers.lessons`).
"""

from __future__ import annotations

import numpy as np

from .network import backward, forward, to_named
from .text import fmt

__all__ = [
    "NAMES",
    "Feedback",
    "backward_of",
    "chain_rule_parts",
    "check_array",
    "check_number",
    "not_done",
]


class Feedback:
    """A checker's verdict: ``ok`` is True, False, or None for "not done yet"."""

    def __init__(self, ok, message):
        self.ok = ok
        self.message = message

    def __repr__(self):
        return self.message

    def __bool__(self):
        return bool(self.ok)


def not_done(value):
    """True when the student has not replaced the placeholder yet."""
    return value is None or value is Ellipsis


def check_number(name, given, expected, hints=(), rel_tol=1e-6, rounded=True):
    """Compare a number with the expected one and explain the difference.

    ``hints`` is a list of ``(wrong_value, explanation)``: when the answer
    equals a known wrong value (a common slip), the explanation is given.
    With ``rounded=True`` an answer written to three or more significant
    figures counts when it is the value rounded (or truncated) to the figures
    given, and so does a slip or a wrong sign; ``rounded=False`` is for exact
    answers such as a count.
    """
    if not_done(given):
        return Feedback(None, f"Not done yet: replace the placeholder with your value of {name}.")
    try:
        given = float(given)
    except (TypeError, ValueError):
        return Feedback(False, f"{name} should be a number, got {given!r}.")
    if not np.isfinite(given):
        return Feedback(False, f"Not yet: {name} should be a finite number, got {fmt(given)}.")
    if np.isclose(given, expected, rtol=rel_tol, atol=1e-12):
        return Feedback(True, f"Correct: {name} = {fmt(expected, 10)}.")
    digits, unit = _written_precision(given) if rounded else (0, 0.0)
    if rounded and digits < 3 and np.isfinite(expected) and expected != 0:
        # Python drops trailing zeros (1.00 is 1.0): maybe three figures were typed.
        three = 10.0 ** (np.floor(np.log10(abs(expected))) - 2)
        digits, unit = (3, three) if _cut_to(expected, three, given) else (digits, unit)

    def matches(value):
        """``given`` is ``value``, or ``value`` cut to the three or more figures given."""
        return bool(
            np.isclose(given, value, rtol=rel_tol, atol=1e-12)
            or (digits >= 3 and _cut_to(value, unit, given))
        )

    if matches(expected):
        return Feedback(
            True,
            f"Correct to the {digits} figures you gave: {name} = {fmt(expected, 10)}.",
        )
    if (
        0 < digits < 3
        and _cut_to(expected, unit, given)
        and unit <= 10.0 ** np.floor(np.log10(abs(expected)))
    ):
        return Feedback(
            False,
            f"Close, but {fmt(given, 6)} is too rough to judge: give {name} to at least "
            "three significant figures.",
        )
    for wrong, why in hints:
        if matches(wrong):
            return Feedback(False, f"Not yet: {name} = {fmt(given, 6)}. {why}")
    if matches(-expected):
        return Feedback(False, f"Not yet: {name} has the right size but the wrong sign.")
    return Feedback(
        False, f"Not yet: {name} = {fmt(given, 6)}, which is off by {fmt(given - expected, 3)}."
    )


def _cut_to(exact, unit, given):
    """Whether ``given`` is ``exact`` rounded, or truncated, to a multiple of ``unit``."""
    if not (np.isfinite(exact) and np.isfinite(given) and unit > 0):
        return False
    tol = 1e-9 * max(unit, abs(given))
    rounded = abs(given - exact) <= 0.5 * unit + tol
    q = exact / unit
    # Truncated: cut after the last figure given. 1.13 / 0.01 is 112.999… in floating
    # point, whose cut 112 is not what anyone reading 1.13 would write.
    cut = np.round(q) if abs(q - np.round(q)) < 1e-9 else np.trunc(q)
    truncated = abs(given - cut * unit) <= tol
    return bool(rounded or truncated)


def _written_precision(value):
    """How many significant figures ``value`` was written with, and its last digit's place.

    ``0.736`` has 3 figures and its last digit is in the 0.001s; Python keeps a
    number as its shortest decimal, which is what the student typed.
    """
    text = np.format_float_positional(abs(value), unique=True, trim="-")
    whole, _, decimals = text.partition(".")
    figures = (whole + decimals).lstrip("0")
    if not figures:
        return 0, 0.0
    if decimals:
        return len(figures), 10.0 ** -len(decimals)
    trailing = len(whole) - len(whole.rstrip("0"))
    return len(figures) - trailing, 10.0**trailing


def check_array(name, given, expected, rel_tol=1e-6):
    """Compare an array with the expected one: its shape first, then its entries."""
    if not_done(given):
        return Feedback(None, f"Not done yet: replace the placeholder with your {name}.")
    given = np.asarray(given, dtype=float)
    expected = np.asarray(expected, dtype=float)
    if given.shape != expected.shape:
        if given.shape == expected.shape[::-1] and np.allclose(given.T, expected):
            return Feedback(False, f"Not yet: {name} is transposed; it should be {expected.shape}.")
        return Feedback(
            False, f"{name} has shape {given.shape}, but it should have shape {expected.shape}."
        )
    wrong = ~np.isclose(given, expected, rtol=rel_tol, atol=1e-12)
    if not wrong.any():
        return Feedback(True, f"Correct: {name} matches.")
    if given.ndim == 2 and np.allclose(given.T, expected):
        return Feedback(False, f"Not yet: {name} looks transposed.")
    first = tuple(int(i) for i in np.argwhere(wrong)[0])
    return Feedback(
        False,
        f"Not yet: {int(wrong.sum())} of {wrong.size} entries of {name} differ; "
        f"entry {first} is {fmt(given[first], 6)}, expected {fmt(expected[first], 6)}.",
    )


# The worked example's numbers that the chain-rule checkers of notebooks 03 and 04 use

NAMES = ("w1", "w2", "w3", "w4", "w5", "w6")


def chain_rule_parts(example):
    """The forward pass's numbers and the gradients of ``example``, by name."""
    trace = forward(example.layers, example.x, example.activation)
    h1, h2 = (float(v) for v in trace.hidden[0])
    y_hat = float(trace.output[0])
    y = float(example.target[0])
    grads = to_named(backward(example.layers, trace, example.target))
    return h1, h2, y_hat, y, grads


def backward_of(example):
    """The gradient of ``example`` at its weights, as layers (what :func:`sgd_step` takes)."""
    trace = forward(example.layers, example.x, example.activation)
    return backward(example.layers, trace, example.target)
