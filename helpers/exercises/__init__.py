"""Checkers for the exercises: each says what is right or what is wrong, in words.

An exercise cell leaves a placeholder (``None`` or ``...``) for the student
and calls a checker; the checker then says "not done yet" instead of failing.
Each notebook's checkers live in a module of this package named after it.
"""

from __future__ import annotations

import numpy as np

from ..plots import fmt

__all__ = ["Feedback", "check_array", "check_number", "not_done"]


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


def check_number(name, given, expected, hints=(), rel_tol=1e-6):
    """Compare a number with the expected one and explain the difference.

    ``hints`` is a list of ``(wrong_value, explanation)``: when the answer
    equals a known wrong value (a common slip), the explanation is given.
    """
    if not_done(given):
        return Feedback(None, f"Not done yet: replace the placeholder with your value of {name}.")
    try:
        given = float(given)
    except (TypeError, ValueError):
        return Feedback(False, f"{name} should be a number, got {given!r}.")
    if np.isclose(given, expected, rtol=rel_tol, atol=1e-12):
        return Feedback(True, f"Correct: {name} = {fmt(expected, 10)}.")
    digits, unit = _written_precision(given)
    if digits < 3 and np.isfinite(expected) and expected != 0:
        # Python drops trailing zeros (1.00 is 1.0): maybe three figures were typed.
        three = 10.0 ** (np.floor(np.log10(abs(expected))) - 2)
        digits, unit = (3, three) if _cut_to(expected, three, given) else (digits, unit)
    if _cut_to(expected, unit, given):
        # The exact value, cut to the digits the student wrote.
        if digits >= 3:
            return Feedback(
                True,
                f"Correct to the {digits} figures you gave: {name} = {fmt(expected, 10)}.",
            )
        return Feedback(
            False,
            f"Close, but {fmt(given, 6)} is too rough to judge: give {name} to at least "
            "three significant figures.",
        )
    for wrong, why in hints:
        if np.isclose(given, wrong, rtol=rel_tol, atol=1e-12):
            return Feedback(False, f"Not yet: {name} = {fmt(given, 6)}. {why}")
    if np.isclose(given, -expected, rtol=rel_tol, atol=1e-12):
        return Feedback(False, f"Not yet: {name} has the right size but the wrong sign.")
    return Feedback(
        False, f"Not yet: {name} = {fmt(given, 6)}, which is off by {fmt(given - expected, 3)}."
    )


def _cut_to(exact, unit, given):
    """Whether ``given`` is ``exact`` rounded, or truncated, to a multiple of ``unit``."""
    if not (np.isfinite(exact) and unit > 0):
        return False
    tol = 1e-9 * max(unit, abs(given))
    rounded = abs(given - exact) <= 0.5 * unit + tol
    truncated = abs(given - np.trunc(exact / unit) * unit) <= tol
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
