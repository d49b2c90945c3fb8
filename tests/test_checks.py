"""The shared checkers: numbers a student writes by hand, rounded or not."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from helpers.checks import _written_precision, check_number
from helpers.lessons.l02_error import check_error_for_target


def cut(value, figures, how):
    """``value`` rounded (or truncated) to ``figures`` significant figures, as typed."""
    place = figures - 1 - math.floor(math.log10(abs(value)))
    if how == "round":
        return float(f"{round(value, place):.{max(place, 0)}f}")
    scaled = math.trunc(value * 10**place)
    return float(scaled / 10**place)


@settings(max_examples=300, deadline=None)
@given(
    exact=st.floats(1e-6, 1e6) | st.floats(-1e6, -1e-6),
    figures=st.integers(3, 8),
    how=st.sampled_from(["round", "truncate"]),
)
def test_a_value_cut_to_three_or_more_figures_is_right(exact, figures, how):
    typed = cut(exact, figures, how)
    assume(typed != 0.0)
    # A value a hair below a cut (1.0499999999999998) reads as on it: its cut is 1.05.
    place = figures - 1 - math.floor(math.log10(abs(exact)))
    assume(abs(exact * 10**place - round(exact * 10**place)) > 1e-6 or how == "round")
    feedback = check_number("E", typed, exact)
    assert feedback.ok is True, feedback.message
    assert "Correct" in feedback.message


@settings(max_examples=200, deadline=None)
@given(exact=st.floats(1e-6, 1e6), figures=st.integers(3, 5))  # 2 units > the 10⁻⁶ tolerance
def test_two_units_off_in_the_last_figure_is_wrong(exact, figures):
    typed = cut(exact, figures, "round")
    unit = 10.0 ** (math.floor(math.log10(abs(typed))) - figures + 1)
    wrong = float(f"{typed + 2 * unit:.{max(figures - 1 - math.floor(math.log10(typed)), 0)}f}")
    assume(abs(wrong - exact) > 1.5 * unit)
    assume(_written_precision(wrong)[0] == figures)  # no trailing zero lost: 1001.0 is 1001
    assert check_number("E", wrong, exact).ok is False


def test_one_or_two_figures_are_too_rough():
    feedback = check_error_for_target(0.74)  # E = 0.73641248
    assert feedback.ok is False and "three significant figures" in feedback.message
    assert "0.7364" not in feedback.message  # the answer is not given away


def test_the_notebooks_rounded_answer_and_a_slip():
    assert check_error_for_target(0.736).ok is True
    assert check_error_for_target(0.7365).ok is False  # neither rounded nor truncated
    slip = check_error_for_target(1.47282)  # (ŷ − y)², the ½ forgotten
    assert slip.ok is False and "1.47282. That is (ŷ − y)²" in slip.message


@pytest.mark.parametrize("placeholder", [None, ...])
def test_placeholder_is_not_done(placeholder):
    assert check_number("E", placeholder, 1.0).ok is None


def test_infinity_is_never_an_answer():
    for value in (float("inf"), float("-inf")):
        feedback = check_error_for_target(value)
        assert feedback.ok is False and "finite" in feedback.message
    feedback = check_error_for_target(float("nan"))
    assert feedback.ok is False and "nan (not a number)" in feedback.message


def test_slips_and_signs_are_named_at_three_figures():
    # E = 0.73641248 for the other target; (ŷ − y)² = 1.47282496 is the slip.
    assert "½ in front" in check_error_for_target(1.47).message
    assert "wrong sign" in check_error_for_target(-0.736).message


def test_a_count_is_exact():
    feedback = check_number("the count", 390, 386, rounded=False)
    assert feedback.ok is False and "too large" in feedback.message


def test_truncation_is_not_one_unit_short():
    # 1.13 / 0.01 is 112.99999999999999 in floating point: 1.12 is not 1.13 truncated.
    assert check_number("x", 1.12, 1.13).ok is False
    assert check_number("x", 1.13, 1.13).ok is True


def test_close_only_when_the_answer_is_the_right_size():
    assert "too large" in check_number("x", 1, 0.5).message  # 1 is not 0.5 to one figure
    assert "too rough" in check_number("x", 0.5, 0.52).message
