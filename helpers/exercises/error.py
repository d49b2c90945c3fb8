"""Checkers for notebook 02 (the error).

They recognise the usual slips with the squared error: the ½ forgotten, the
square forgotten, the old target used, and, for the slope, the 2 of the
square left in or the subtraction turned round.
"""

from __future__ import annotations

from ..examples import WORKED_EXAMPLE
from ..network import forward
from . import check_number

__all__ = ["OTHER_TARGET", "check_error_for_target", "check_slope"]

#: The target of exercise 1: the example's prediction, judged against another target.
OTHER_TARGET = 1.0


def _prediction(example):
    return float(forward(example.layers, example.x, example.activation).output[0])


def _target(example):
    return float(example.target.ravel()[0])


def check_error_for_target(E, target=OTHER_TARGET, example=WORKED_EXAMPLE):
    """Check E = ½(ŷ − y)² for the example's prediction ŷ against ``target``."""
    y_hat = _prediction(example)
    miss = y_hat - target
    expected = 0.5 * miss**2
    old_miss = y_hat - _target(example)
    hints = [
        (miss**2, "That is (ŷ − y)²: the squared error has a ½ in front."),
        (0.5 * miss, "That is ½(ŷ − y): the miss has to be squared."),
        (-0.5 * miss, "That is ½(y − ŷ): the miss has to be squared."),
        (abs(miss), "That is the size of the miss, |ŷ − y|: square it and halve it."),
        (
            0.5 * old_miss**2,
            f"That is the error for the example's own target {_target(example):g}; "
            f"use y = {target:g}.",
        ),
        (0.5 * (y_hat**2 - target**2), "Square the difference ŷ − y, not ŷ and y separately."),
        (0.5 * (y_hat**2 + target**2), "Square the difference ŷ − y, not ŷ and y separately."),
    ]
    return check_number("E", E, expected, hints, rel_tol=1e-4)


def check_slope(dE_dy_hat, example=WORKED_EXAMPLE):
    """Check dE/dŷ = ŷ − y at the example's prediction."""
    y_hat = _prediction(example)
    y = _target(example)
    expected = y_hat - y
    hints = [
        (
            2 * expected,
            "That is 2(ŷ − y), the slope of (ŷ − y)². With the ½ in front, the 2 cancels.",
        ),
        (
            -expected,
            "That is y − ŷ: the derivative of ½(ŷ − y)² with respect to ŷ is ŷ − y "
            "(the prediction first). The sign matters: it says which way to move ŷ.",
        ),
        (0.5 * expected**2, "That is E itself; the question asks for its slope."),
        (0.5 * expected, "The derivative of ½u² is u, not ½u."),
        (y_hat, "That is ŷ; subtract the target."),
    ]
    return check_number("dE/dŷ", dE_dy_hat, expected, hints, rel_tol=1e-4)
