"""Numbers written for students: significant figures, a true minus sign, powers of ten."""

from __future__ import annotations

import numpy as np

__all__ = ["fmt", "superscript"]

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
