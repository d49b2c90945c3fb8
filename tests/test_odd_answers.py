"""Every checker answers an answer of the wrong kind with a sentence: never an
exception, never a warning, never "correct"."""

import importlib
import inspect
import pkgutil
import re
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import helpers.lessons
from helpers.checks import check_array, check_number

ODD = [
    "1.76",
    "-0.0691",
    np.complex128(1.76 + 2j),
    1.76 + 0j,
    True,
    False,
    [1.76],
    np.array([1.76]),
    (1.0, 2.0),
    float("nan"),
    float("inf"),
    -float("inf"),
    10**400,
    -(10**400),
    print,
    {"w1": 1.0},
    {},
]


def lesson_checkers():
    found = []
    for info in pkgutil.iter_modules(helpers.lessons.__path__):
        module = importlib.import_module(f"helpers.lessons.{info.name}")
        for name, fn in vars(module).items():
            if (
                name.startswith("check_")
                and inspect.isfunction(fn)
                and fn.__module__ == module.__name__
            ):
                found.append(fn)
    return found


NUMBER_CHECKERS = [
    fn
    for fn in lesson_checkers()
    if "check_number" in inspect.getsource(fn) and len(inspect.signature(fn).parameters) <= 2
]


def test_the_number_checkers_are_found():
    assert len(NUMBER_CHECKERS) >= 5, [f.__name__ for f in NUMBER_CHECKERS]


@pytest.mark.parametrize("checker", NUMBER_CHECKERS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("odd", ODD, ids=repr)
def test_a_number_checker_answers_every_odd_kind(checker, odd):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        feedback = checker(odd)
    assert feedback.ok is False, f"{checker.__name__}({odd!r}) says {feedback.message!r}"
    assert feedback.message.strip() and "\n" not in feedback.message


@settings(max_examples=60, deadline=None)
@given(
    expected=st.floats(-1e6, 1e6, allow_nan=False).filter(lambda v: abs(v) > 1e-3),
    given_=st.floats(-1e6, 1e6, allow_nan=False),
)
def test_a_wrong_number_never_tells_how_far_it_is(expected, given_):
    feedback = check_number("x", given_, expected)
    if feedback.ok:
        return
    message = feedback.message
    assert "off by" not in message and "expected" not in message
    # The answer itself, to the figures a student would copy, is not in the message.
    shown = f"{abs(expected):.6g}"
    if sum(ch.isdigit() for ch in shown.lstrip("0.")) >= 3 and shown not in f"{abs(given_):.6g}":
        assert not re.search(rf"(?<![\d.]){re.escape(shown)}(?![\d])", message), message


ODD_ARRAYS = [
    "[[1, 2], [3, 4]]",
    np.array([[1 + 1j, 2], [3, 4]]),
    np.array([[True, False], [True, True]]),
    [[1.0, 2.0], [3.0]],
    [[10**400, 1.0], [1.0, 1.0]],
    np.array([[np.nan, 1.0], [1.0, 1.0]]),
    print,
    {"W": 1.0},
    np.ones(3),
    np.array([[1.0, 3.0], [2.0, 4.0]]),  # transposed
]


@pytest.mark.parametrize("odd", ODD_ARRAYS, ids=repr)
def test_the_array_checker_answers_every_odd_kind(odd):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        feedback = check_array("W", odd, np.array([[1.0, 2.0], [3.0, 4.0]]))
    assert feedback.ok is False and feedback.message.strip() and "\n" not in feedback.message
