"""Numbers written for students: significant figures, a true minus sign, powers of ten."""

from __future__ import annotations

import numpy as np

__all__ = ["ROUNDING_FLOOR", "fmt", "fmt_below", "fmt_error", "sign_word", "superscript"]

_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def superscript(k):
    """The whole number ``k`` in superscript digits: ``superscript(-6)`` is ``"⁻⁶"``."""
    return str(int(k)).translate(_SUPERSCRIPT)


def fmt(value, digits=4):
    """A number as a student reads it: ``digits`` significant figures and a true minus sign.

    Very large and very small numbers are written with a power of ten, as on
    paper: ``fmt(-3e-7, 2)`` is ``"−3·10⁻⁷"``.
    """
    value = float(value)
    if not np.isfinite(value):
        return "∞" if value > 0 else ("−∞" if value < 0 else "undefined")
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}·10{superscript(exponent)}"
    return text.replace("-", "−")


def sign_word(value):
    """``"positive"``, ``"zero"`` or ``"negative"``: the answer to a predict-first question."""
    value = float(value)
    if value > 0:
        return "positive"
    if value < 0:
        return "negative"
    return "zero"


def fmt_below(value):
    """A small positive number known only to its order of magnitude: ``"< 10⁻³"``.

    For round-off noise (a gradient check's relative error, say), whose
    digits change from one processor to the next: 0.00045 and 0.00047 are
    both ``"< 10⁻³"``, the smallest power of ten above the value.
    """
    value = abs(float(value))
    if value == 0:
        return "0"
    if not np.isfinite(value):
        return fmt(value)
    return f"< 10{superscript(int(np.floor(np.log10(value))) + 1)}"


#: An error E = ½(ŷ − y)² below this is 0 as far as floats can tell: ŷ and y
#: then differ only in their last few binary digits.
ROUNDING_FLOOR = 1e-28


def fmt_error(E, digits=4):
    """An error as :func:`fmt` writes it, but 0 once it is below :data:`ROUNDING_FLOOR`."""
    E = float(E)
    return "0" if 0 <= E < ROUNDING_FLOOR else fmt(E, digits)
