"""Checkers for the exercises: each says what is right or what is wrong, in words.

An exercise cell leaves a placeholder (``None`` or ``...``) for the student
and calls a checker; the checker then says "not done yet" instead of failing.
Each notebook's checkers live in its lesson module (:mod:`helpers.lessons`).
"""

from __future__ import annotations

import html
import warnings

import numpy as np

from .network import backward, forward, to_named
from .text import fmt

__all__ = [
    "NAMES",
    "MARKS",
    "Feedback",
    "Reading",
    "array_matches",
    "backward_of",
    "chain_rule_parts",
    "is_whole_array",
    "check_array",
    "check_number",
    "not_done",
    "read_array",
    "read_number",
]


#: How each verdict is marked: a symbol that reads without colour, and a colour.
MARKS = {True: ("✓", "#1a7f37"), False: ("✗", "#c62828"), None: ("…", "#6e6e6e")}


class Feedback:
    """A checker's verdict: ``ok`` is True, False, or None for "not done yet".

    Shown in a notebook with a mark in front of the message: ✓ (green) when
    right, ✗ (red) when not yet, … (grey) when not done yet. The mark and the
    words say it without the colour.
    """

    def __init__(self, ok, message, odd=False):
        self.ok = ok
        self.message = message
        #: True when the answer was of the wrong kind (text, a list, nan, …), not a wrong value.
        self.odd = odd

    @property
    def mark(self):
        """The symbol in front of the message: ✓, ✗ or …."""
        return MARKS[self._key][0]

    @property
    def _key(self):
        return None if self.ok is None else bool(self.ok)

    def __repr__(self):
        return f"{self.mark} {self.message}"

    def _repr_html_(self):
        symbol, colour = MARKS[self._key]
        lines = "<br>".join(html.escape(line) for line in str(self.message).splitlines())
        return (
            f'<div class="bp-feedback" role="status" style="border-left:4px solid {colour};'
            f'padding:0.2em 0.6em;margin:0.2em 0"><span style="color:{colour};font-weight:bold"'
            f' aria-hidden="true">{symbol}</span> {lines}</div>'
        )

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
    answers such as a count. A whole number has as many figures as it has
    digits: −15 for −15.00576 is two figures, too rough to judge.

    An answer of the wrong kind (text, a list, nan, a function, …) gets one
    sentence saying what kind of answer is expected. A wrong number is told
    too large or too small, never how far off it is: that would give the
    answer away.
    """
    if not_done(given):
        return Feedback(None, f"Not done yet: replace the placeholder with your value of {name}.")
    value, wrong_kind = read_number(name, given)
    if wrong_kind:
        return Feedback(False, wrong_kind, odd=True)
    reading = Reading(value, expected, rel_tol, rounded, whole=_is_whole(given))
    if reading.exact(expected):
        return Feedback(True, f"Correct: {name} = {fmt(expected, 10)}.")
    if reading.matches(expected):
        return Feedback(
            True,
            f"Correct to the {reading.digits} figures you gave: {name} = {fmt(expected, 10)}.",
        )
    if reading.rough(expected):
        return Feedback(
            False,
            f"Close, but {fmt(value, 6)} is too rough to judge: give {name} to at least "
            "three significant figures.",
        )
    for wrong, why in hints:
        if reading.matches(wrong):
            return Feedback(False, f"Not yet: {name} = {fmt(value, 6)}. {why}")
    if reading.matches(-expected):
        return Feedback(False, f"Not yet: {name} has the right size but the wrong sign.")
    # How far off would give the answer away; the direction does not.
    size = "too large" if value > expected else "too small"
    return Feedback(False, f"Not yet: {name} = {fmt(value, 6)} is {size}.")


def _is_whole(given):
    """Whether the student wrote a whole number (an int, not 15.0)."""
    return isinstance(given, (int, np.integer)) and not isinstance(given, (bool, np.bool_))


class Reading:
    """How precisely a number was written, and what it can be the rounding of.

    ``digits`` is how many significant figures ``value`` was written with and
    ``unit`` the place of its last figure: ``0.736`` has 3 figures in the
    0.001s. A whole number (``whole=True``, the student typed an int) has as
    many figures as it has digits, trailing zeros included: ``390`` is three
    figures in the 1s. A float has lost its trailing zeros (1.00 is 1.0): when
    it is ``expected`` rounded to three figures, it is read as three figures.
    With ``rounded=False`` only an exact match counts.
    """

    def __init__(self, value, expected, rel_tol=1e-6, rounded=True, whole=False):
        self.value = float(value)
        self.rel_tol = rel_tol
        self.rounded = rounded
        if not rounded:
            self.digits, self.unit = 0, 0.0
        elif whole:
            text = str(abs(int(value)))
            self.digits, self.unit = (0, 0.0) if text == "0" else (len(text), 1.0)
        else:
            self.digits, self.unit = _written_precision(self.value)
            if self.digits < 3 and _three_figures_of(expected, self.value):
                self.digits, self.unit = 3, _three_figure_unit(expected)
        # a float that may have lost trailing zeros: 0.0710 arrives as 0.071
        self._short_float = rounded and not whole and self.digits < 3

    def exact(self, value):
        """``value`` itself, to within the tolerance."""
        return bool(np.isclose(self.value, value, rtol=self.rel_tol, atol=1e-12))

    def matches(self, value):
        """``value`` itself, or ``value`` cut to the three or more figures given
        (for a float, also the three figures it may have lost trailing zeros from)."""
        return (
            self.exact(value)
            or (self.digits >= 3 and _cut_to(value, self.unit, self.value))
            or (self._short_float and _three_figures_of(value, self.value))
        )

    def rough(self, value):
        """``value`` cut to one or two figures: right, but too rough to tell from a slip."""
        return bool(
            0 < self.digits < 3
            and value != 0
            and np.isfinite(value)
            and _cut_to(value, self.unit, self.value)
            and self.unit <= 10.0 ** np.floor(np.log10(abs(value)))
        )

    def kind(self, expected):
        """One word for how this value stands to ``expected``: "exact", "rounded",
        "rough", "sign", "large" or "small"."""
        if self.exact(expected):
            return "exact"
        if self.matches(expected):
            return "rounded"
        if self.rough(expected):
            return "rough"
        if expected != 0 and self.matches(-expected):
            return "sign"
        return "large" if self.value > expected else "small"


def _three_figure_unit(value):
    return 10.0 ** (np.floor(np.log10(abs(value))) - 2)


def _three_figures_of(value, written):
    """Whether ``written`` is ``value`` cut to three significant figures."""
    if not np.isfinite(value) or value == 0:
        return False
    return bool(_cut_to(value, _three_figure_unit(value), written))


def read_number(name, given):
    """``(value, None)`` for an answer that is one real, finite number, else
    ``(None, message)`` with one sentence saying what kind of answer is expected."""
    kind = None
    if isinstance(given, (str, bytes)):
        kind = f"Not yet: {name} should be a number, not text: write it without quotes."
    elif isinstance(given, (bool, np.bool_)):
        kind = f"Not yet: {name} should be a number, not {given}."
    elif isinstance(given, (complex, np.complexfloating)):
        kind = f"Not yet: {name} should be a real number, not a complex one."
    elif callable(given):
        kind = f"Not yet: {name} should be a number, not a function: give the value it computes."
    elif isinstance(given, (dict, set)):
        kind = f"Not yet: {name} should be a single number, not a {type(given).__name__}."
    elif isinstance(given, np.ndarray) and given.ndim == 0:
        return read_number(name, given.item())
    elif isinstance(given, (list, tuple, np.ndarray)):
        size = np.size(np.asarray(given, dtype=object))
        what = "an array" if isinstance(given, np.ndarray) else f"a {type(given).__name__}"
        if size == 1:
            kind = (
                f"Not yet: {name} should be a single number, not {what} of one: take element [0]."
            )
        else:
            kind = f"Not yet: {name} should be a single number, not {what} of {size}."
    if kind:
        return None, kind
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            value = float(given)
    except OverflowError:
        return None, f"Not yet: {name} should be a finite number; this one is far too large."
    except (TypeError, ValueError, ArithmeticError, Warning):
        return None, f"Not yet: {name} should be a number, not a {type(given).__name__}."
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


def check_array(name, given, expected, rel_tol=1e-6, hints=(), rounded=True):
    """Compare an array with the expected one: its kind, its shape, then its entries.

    Each entry is judged as :func:`check_number` judges a number: written to
    three or more significant figures, the rounded (or truncated) value
    counts. ``hints`` is a list of ``(wrong_array, explanation)`` for common
    slips. A wrong answer is told what is wrong (the shape, a transpose, a
    sign, which entry, too rough, too large or too small), never the expected
    entries: they would give the answer away.
    """
    if not_done(given):
        return Feedback(None, f"Not done yet: replace the placeholder with your {name}.")
    whole = _is_whole_array(given)
    given, wrong_kind = read_array(name, given)
    if wrong_kind:
        return Feedback(False, wrong_kind, odd=True)
    expected = np.asarray(expected, dtype=float)
    for wrong, why in hints:
        wrong = np.asarray(wrong, dtype=float)
        if wrong.shape == given.shape and _all_match(given, wrong, rel_tol, rounded, whole):
            return Feedback(False, f"Not yet: {name}. {why}")
    if given.shape != expected.shape:
        if given.shape == expected.T.shape and _all_match(
            given, expected.T, rel_tol, rounded, whole
        ):
            return Feedback(
                False, f"Not yet: {name} is transposed; it should have shape {expected.shape}."
            )
        return Feedback(
            False,
            f"Not yet: {name} has shape {given.shape}, but it should have shape {expected.shape}.",
        )
    kinds = _kinds(given, expected, rel_tol, rounded, whole)
    if all(k in ("exact", "rounded") for k in kinds.flat):
        if all(k == "exact" for k in kinds.flat):
            return Feedback(True, f"Correct: {name} matches.")
        return Feedback(True, f"Correct to the figures you gave: {name} matches.")
    if (
        given.ndim == 2
        and given.shape[0] == given.shape[1]
        and _all_match(given, expected.T, rel_tol, rounded, whole)
    ):
        return Feedback(False, f"Not yet: {name} is transposed: swap its rows and columns.")
    if _all_match(given, -expected, rel_tol, rounded, whole):
        return Feedback(False, f"Not yet: {name} has the right sizes but the wrong sign.")
    if all(k in ("exact", "rounded", "rough") for k in kinds.flat):
        return Feedback(
            False,
            f"Close, but some entries of {name} are too rough to judge: give each to at least "
            "three significant figures.",
        )
    wrong = [idx for idx in np.ndindex(kinds.shape) if kinds[idx] not in ("exact", "rounded")]
    first = wrong[0]
    what = {
        "rough": "is too rough to judge (give three significant figures)",
        "sign": "has the wrong sign",
        "large": "is too large",
        "small": "is too small",
    }[kinds[first]]
    where = f"entry {_index(first)}"
    if len(wrong) == 1:
        return Feedback(False, f"Not yet: one entry of {name} is wrong: {where} {what}.")
    return Feedback(
        False,
        f"Not yet: {len(wrong)} of {kinds.size} entries of {name} are wrong; the first, "
        f"{where}, {what}.",
    )


def array_matches(given, target, rel_tol=1e-6, rounded=True, whole=False):
    """Whether every entry of the array ``given`` is the entry of ``target`` (same shape),
    to the figures it was written with (see :class:`Reading`)."""
    return _all_match(given, target, rel_tol, rounded, whole)


def is_whole_array(given):
    """Whether every entry of ``given`` was written as a whole number (ints, not floats)."""
    return _is_whole_array(given)


def _is_whole_array(given):
    """Whether every entry of ``given`` was written as a whole number (ints, not floats)."""
    if isinstance(given, np.ndarray):
        return given.dtype.kind in "iu"
    if isinstance(given, (list, tuple)):
        return all(
            _is_whole_array(g) if isinstance(g, (list, tuple, np.ndarray)) else _is_whole(g)
            for g in given
        )
    return _is_whole(given)


def _kinds(given, expected, rel_tol, rounded, whole):
    """:meth:`Reading.kind` of every entry, as an array of words."""
    kinds = np.empty(given.shape, dtype=object)
    for idx in np.ndindex(given.shape):
        kinds[idx] = Reading(given[idx], expected[idx], rel_tol, rounded, whole).kind(expected[idx])
    return kinds


def _all_match(given, target, rel_tol, rounded, whole):
    """Every entry of ``given`` is the entry of ``target``, to the figures written."""
    return given.shape == target.shape and all(
        Reading(given[idx], target[idx], rel_tol, rounded, whole).matches(target[idx])
        for idx in np.ndindex(given.shape)
    )


def _index(idx):
    """An entry's index as numpy writes it: ``[0, 1]``."""
    return "[" + ", ".join(str(int(i)) for i in idx) + "]"


def read_array(name, given):
    """``(array, None)`` for an answer that is an array of real, finite numbers,
    else ``(None, message)`` with one sentence saying what kind of answer is expected."""
    if isinstance(given, (str, bytes)):
        return None, f"Not yet: {name} should be an array of numbers, not text: drop the quotes."
    if isinstance(given, (dict, set)) or callable(given):
        what = (
            "a function: give the array it computes"
            if callable(given)
            else (f"a {type(given).__name__}")
        )
        return None, f"Not yet: {name} should be an array of numbers, not {what}."
    if given is None or given is Ellipsis:
        return None, f"Not yet: {name} should be an array of numbers, not {given!r}."
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            raw = np.asarray(given)
    except (TypeError, ValueError, Warning):
        return None, f"Not yet: {name} should be an array of numbers with rows of equal length."
    if raw.dtype.kind == "c":
        return None, f"Not yet: {name} should hold real numbers, not complex ones."
    if raw.dtype.kind in "bUSV":
        what = "True/False" if raw.dtype.kind == "b" else "text"
        return None, f"Not yet: {name} should hold numbers, not {what}."
    if raw.dtype.kind == "O" and any(
        isinstance(v, (bool, np.bool_, str, bytes, complex, np.complexfloating))
        or v is None
        or callable(v)
        for v in raw.flat
    ):
        return None, f"Not yet: {name} should hold plain numbers only."
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            array = raw.astype(float)
    except OverflowError:
        return None, f"Not yet: {name} holds a number far too large; each should be finite."
    except (TypeError, ValueError, ArithmeticError, Warning):
        return None, f"Not yet: {name} should hold plain numbers only."
    if raw.ndim == 0:
        return None, f"Not yet: {name} should be an array of numbers, not a single number."
    if np.isnan(array).any():
        return None, f"Not yet: {name} holds nan (not a number); each entry should be a number."
    if not np.isfinite(array).all():
        return None, f"Not yet: {name} holds an infinite entry; each should be a finite number."
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
