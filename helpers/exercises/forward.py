"""Checkers for notebook 01 (the forward pass).

Each checker knows the slips students typically make in the sums and says
which one it sees: the wrong weight, the weights swapped, a product instead
of a sum, the other hidden unit.
"""

from __future__ import annotations

from ..examples import WORKED_EXAMPLE
from ..network import forward
from . import check_number

__all__ = ["check_h2", "check_y_hat"]


def _parts(example):
    w = example.named
    i1, i2 = (float(v) for v in example.x)
    trace = forward(example.layers, example.x, example.activation)
    h1, h2 = (float(v) for v in trace.hidden[0])
    return w, i1, i2, h1, h2, float(trace.output[0])


def check_h2(h2, example=WORKED_EXAMPLE):
    """Check a hand-computed h2 = i1·w3 + i2·w4 and name the slip if there is one."""
    w, i1, i2, h1, expected, y_hat = _parts(example)
    hints = [
        (i1 * w["w3"] + i2 * w["w2"], "i2 reaches h2 through w4; w2 goes from i2 to h1."),
        (i1 * w["w2"] + i2 * w["w4"], "i1 reaches h2 through w3; w2 goes from i2 to h1."),
        (i1 * w["w4"] + i2 * w["w3"], "w3 and w4 are swapped: w3 carries i1, w4 carries i2."),
        (i1 * w["w1"] + i2 * w["w3"], "h2 collects w3 (from i1) and w4 (from i2), not w1 and w3."),
        (i1 * w["w3"], "That is only i1·w3: add what i2 brings through w4."),
        (i2 * w["w4"], "That is only i2·w4: add what i1 brings through w3."),
        ((i1 * w["w3"]) * (i2 * w["w4"]), "The two contributions are added, not multiplied."),
        ((i1 + i2) * (w["w3"] + w["w4"]), "Multiply each input by its own weight, then add."),
        (h1, "That is h1 (through w1 and w2); h2 goes through w3 and w4."),
        (y_hat, "That is ŷ, the network's output; h2 is a hidden unit."),
    ]
    return check_number("h2", h2, expected, hints, rel_tol=1e-4)


def check_y_hat(y_hat, example=WORKED_EXAMPLE):
    """Check a hand-computed ŷ = h1·w5 + h2·w6 and name the slip if there is one."""
    w, i1, i2, h1, h2, expected = _parts(example)
    hints = [
        (h1 * w["w6"] + h2 * w["w5"], "w5 and w6 are swapped: w5 carries h1, w6 carries h2."),
        (h1 * w["w5"], "That is only h1·w5: add what h2 brings through w6."),
        (h2 * w["w6"], "That is only h2·w6: add what h1 brings through w5."),
        (h1 + h2, "The hidden values are weighted by w5 and w6 before they are added."),
        (
            i1 * w["w5"] + i2 * w["w6"],
            "The output weights take the hidden values h1 and h2, not the inputs.",
        ),
        ((h1 * w["w5"]) * (h2 * w["w6"]), "The two contributions are added, not multiplied."),
    ]
    return check_number("ŷ", y_hat, expected, hints, rel_tol=1e-4)
