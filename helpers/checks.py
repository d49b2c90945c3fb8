"""Checkers for the exercises: each says what is right or what is wrong, in words.

An exercise cell leaves a placeholder (``None`` or ``...``) for the student
and calls a checker; the checker then says "not done yet" instead of failing.
Each notebook's checkers live in its lesson module (:mod:`helpers.lessons`).
"""

from __future__ import annotations

import warnings

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
    "read_array",
    "read_number",
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
    given, wrong_kind = read_number(name, given)
    if wrong_kind:
        return Feedback(False, wrong_kind)
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
    # How far off would give the answer away; the direction does not.
    size = "too large" if given > expected else "too small"
    return Feedback(False, f"Not yet: {name} = {fmt(given, 6)} is {size}.")


def read_number(name, given):
    """``(value, None)`` for an answer that is one real, finite number, else
    ``(None, message)`` saying what kind of answer is expected."""
    kind = None
    if isinstance(given, (str, bytes)):
        kind = f"{name} should be a number, not text: write it without quotes."
    elif isinstance(given, (bool, np.bool_)):
        kind = f"{name} should be a number, not {given}."
    elif isinstance(given, (complex, np.complexfloating)):
        kind = f"{name} should be a real number, not a complex one."
    elif callable(given):
        kind = f"{name} should be a number, not a function: give the value it computes."
    elif isinstance(given, (dict, set)):
        kind = f"{name} should be a single number, not a {type(given).__name__}."
    elif isinstance(given, np.ndarray) and given.ndim == 0:
        return read_number(name, given.item())
    elif isinstance(given, (list, tuple, np.ndarray)):
        size = np.size(np.asarray(given, dtype=object))
        what = "an array" if isinstance(given, np.ndarray) else f"a {type(given).__name__}"
        if size == 1:
            kind = f"{name} should be a single number, not {what} of one: take element [0]."
        else:
            kind = f"{name} should be a single number, not {what} of {size}."
    if kind:
        return None, kind
    try:
        value = float(given)
    except OverflowError:
        return None, f"Not yet: {name} should be a finite number; this one is far too large."
    except (TypeError, ValueError):
        return None, f"{name} should be a number, got a {type(given).__name__}."
    if np.isnan(value):
        return None, f"Not yet: {name} should be a number, got nan (not a number)."
    if not np.isfinite(value):
        return None, f"Not yet: {name} should be a finite number, got {fmt(value)}."
    return value, None


def _cut_to(exact, unit, given):
    """Whether ``given`` is ``exact`` rounded, or truncated, to a multiple of ``unit``."""
    if not (np.isfinite(exact) and np.isfinite(given) and unit > 0):
        return False
    tol = 1e-9 * max(unit, abs(given))
    rounded = abs(given - exact) <= 0.5 * unit + tol
    with np.errstate(over="ignore"):
        q = exact / unit
    if not np.isfinite(q):  # a unit far below the answer's own size
        return bool(rounded)
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
    given, wrong_kind = read_array(name, given)
    if wrong_kind:
        return Feedback(False, wrong_kind)
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


def read_array(name, given):
    """``(array, None)`` for an answer that is an array of real, finite numbers,
    else ``(None, message)`` saying what kind of answer is expected."""
    if isinstance(given, (str, bytes, dict, set)) or callable(given):
        return None, f"{name} should be an array of numbers, not a {type(given).__name__}."
    try:
        raw = np.asarray(given)
    except (TypeError, ValueError):
        return None, f"{name} should be an array of numbers with rows of equal length."
    if raw.dtype.kind == "c":
        return None, f"{name} should hold real numbers, not complex ones."
    if raw.dtype.kind in "bUSV":
        return (
            None,
            f"{name} should hold numbers, not {'True/False' if raw.dtype.kind == 'b' else 'text'}.",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            array = raw.astype(float)
    except (TypeError, ValueError, OverflowError, Warning):
        return None, f"{name} should hold plain, finite numbers only."
    if not np.isfinite(array).all():
        return (
            None,
            f"Not yet: {name} holds nan or infinite entries; each should be a finite number.",
        )
    return array, None


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
