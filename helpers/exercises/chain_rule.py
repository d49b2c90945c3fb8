"""Checkers for notebooks 03 and 04: the chain rule for the output and the hidden weights.

Every expected value is computed from the example with the helpers
(:func:`~helpers.network.backward`, :func:`~helpers.network.sgd_step`,
:func:`~helpers.network.numerical_gradient`), and every hint is a slip a
student is likely to make, computed the same way.

Notebook 04's "find the bug" exercise starts from :func:`buggy_step`, one
gradient-descent step written weight by weight that moves w5 and w6 before it
uses them for the hidden weights.
"""

from __future__ import annotations

import traceback
from collections.abc import Mapping

import numpy as np

from ..examples import WORKED_EXAMPLE, Example
from ..network import backward, forward, from_named, numerical_gradient, sgd_step, to_named
from ..plots import fmt
from . import Feedback, check_number, not_done

__all__ = [
    "buggy_step",
    "check_dE_dw4",
    "check_dE_dw5",
    "check_new_w6",
    "check_repaired_step",
    "gradient_used",
    "reference_step",
]

NAMES = ("w1", "w2", "w3", "w4", "w5", "w6")


def _parts(example):
    """The forward pass's numbers and the gradients of ``example``, by name."""
    trace = forward(example.layers, example.x, example.activation)
    h1, h2 = (float(v) for v in trace.hidden[0])
    y_hat = float(trace.output[0])
    y = float(example.target[0])
    grads = to_named(backward(example.layers, trace, example.target))
    return h1, h2, y_hat, y, grads


# --------------------------------------------------------------------------
# Notebook 03: the output weights
# --------------------------------------------------------------------------


def check_dE_dw5(given, example=WORKED_EXAMPLE):
    """Notebook 03: ∂E/∂w5 = δ·h1 at the example's weights."""
    h1, h2, y_hat, y, grads = _parts(example)
    delta = y_hat - y
    w5 = example.named["w5"]
    hints = [
        (delta * h2, "That is ∂E/∂w6. The weight w5 multiplies h1, so ∂ŷ/∂w5 = h1."),
        (delta, "That is only the first factor, ∂E/∂ŷ = δ. Multiply by ∂ŷ/∂w5 = h1."),
        (h1, "That is only the second factor, ∂ŷ/∂w5 = h1. Multiply by ∂E/∂ŷ = δ."),
        (
            2 * delta * h1,
            "The ½ in E = ½(ŷ − y)² cancels the 2 from the square: ∂E/∂ŷ = ŷ − y.",
        ),
        (
            0.5 * delta * h1,
            "The derivative of ½u² is u itself, so the ½ goes away: ∂E/∂ŷ = ŷ − y.",
        ),
        (
            -delta * h1,
            "δ is ŷ − y (prediction minus target); y − ŷ flips the sign of the gradient.",
        ),
        (delta * w5, "∂ŷ/∂w5 is the value that w5 multiplies (h1), not w5 itself."),
    ]
    return check_number("∂E/∂w5", given, grads["w5"], hints=hints)


def check_new_w6(given, example=WORKED_EXAMPLE):
    """Notebook 03: w6 after one step, w6 − lr·∂E/∂w6, at the example's learning rate."""
    _h1, _h2, _y_hat, _y, grads = _parts(example)
    w6, lr, g = example.named["w6"], example.lr, grads["w6"]
    expected = to_named(sgd_step(example.layers, backward_of(example), lr))["w6"]
    hints = [
        (w6 + lr * g, "That step goes uphill: the update subtracts lr·∂E/∂w6."),
        (w6 - g, "The learning rate is missing: the step is lr·∂E/∂w6, not ∂E/∂w6."),
        (-lr * g, "That is the step itself; add it to the old w6."),
        (lr * g, "That is lr·∂E/∂w6; the new weight is w6 − lr·∂E/∂w6."),
        (
            w6 - lr * grads["w5"],
            "That uses ∂E/∂w5; each weight moves by its own gradient, here ∂E/∂w6.",
        ),
    ]
    return check_number(f"the new w6 (lr = {lr:g})", given, expected, hints=hints)


def backward_of(example):
    """The gradient of ``example`` at its weights, as layers (what :func:`sgd_step` takes)."""
    trace = forward(example.layers, example.x, example.activation)
    return backward(example.layers, trace, example.target)


# --------------------------------------------------------------------------
# Notebook 04: the hidden weights
# --------------------------------------------------------------------------


def check_dE_dw4(given, example=WORKED_EXAMPLE):
    """Notebook 04: ∂E/∂w4 = δ·w6·i2 at the example's weights."""
    _h1, h2, y_hat, y, grads = _parts(example)
    delta = y_hat - y
    named = example.named
    i1, i2 = (float(v) for v in example.x)
    w6_after = to_named(sgd_step(example.layers, backward_of(example), example.lr))["w6"]
    hints = [
        (
            delta * named["w5"] * i2,
            "That is ∂E/∂w2. The weight w4 feeds h2, and h2 reaches ŷ through w6, not w5.",
        ),
        (delta * named["w6"] * i1, "That is ∂E/∂w3. The weight w4 carries i2, not i1."),
        (delta * i2, "The middle factor is missing: ∂ŷ/∂h2 = w6."),
        (delta * named["w6"], "The last factor is missing: ∂h2/∂w4 = i2."),
        (delta * h2 * i2, "The middle factor ∂ŷ/∂h2 is the weight w6, not the value h2."),
        (
            delta * w6_after * i2,
            "That uses w6 after its update. Every gradient is taken at the old weights.",
        ),
    ]
    return check_number("∂E/∂w4", given, grads["w4"], hints=hints)


def buggy_step(w, x, y, lr):
    """One gradient-descent step on the 2-2-1 linear network, weight by weight. It has a bug.

    ``w`` maps "w1".."w6" to numbers, ``x`` is (i1, i2), ``y`` the target.
    Returns the new weights as a new dictionary. Notebook 04 asks you to find
    what is wrong, with a gradient check.
    """
    i1, i2 = x
    h1 = w["w1"] * i1 + w["w2"] * i2
    h2 = w["w3"] * i1 + w["w4"] * i2
    y_hat = w["w5"] * h1 + w["w6"] * h2
    delta = y_hat - y

    new = dict(w)
    # The output layer: each weight moves against δ times the value it multiplies.
    new["w5"] -= lr * delta * h1
    new["w6"] -= lr * delta * h2
    # The hidden layer: δ comes back through w5 (to h1) and w6 (to h2).
    new["w1"] -= lr * delta * new["w5"] * i1
    new["w2"] -= lr * delta * new["w5"] * i2
    new["w3"] -= lr * delta * new["w6"] * i1
    new["w4"] -= lr * delta * new["w6"] * i2
    return new


def reference_step(w, x, y, lr, example=WORKED_EXAMPLE):
    """The right step for named weights ``w``: all gradients from :func:`backward`, then
    :func:`sgd_step`. Returns the new weights by name."""
    layers = from_named({k: float(v) for k, v in w.items()}, example.layers)
    trace = forward(layers, np.asarray(x, dtype=float), example.activation)
    grads = backward(layers, trace, np.array([float(y)]))
    return to_named(sgd_step(layers, grads, lr))


def gradient_used(step, w, x, y, lr):
    """The gradient a step function really used for each weight: (old − new) / lr."""
    new = step(dict(w), x, y, lr)
    return {name: (float(w[name]) - float(new[name])) / lr for name in NAMES}


def _central_difference(w, x, y, example=WORKED_EXAMPLE):
    layers = from_named({k: float(v) for k, v in w.items()}, example.layers)
    return to_named(numerical_gradient(layers, np.asarray(x, dtype=float), np.array([float(y)])))


def _cases():
    """The worked example, then a second network with other signs, so that a function
    written for the first one's numbers alone does not pass."""
    ex = WORKED_EXAMPLE
    yield dict(ex.named), tuple(float(v) for v in ex.x), float(ex.target[0]), ex.lr
    other = Example(
        from_named(
            {"w1": -0.4, "w2": 0.3, "w3": 0.7, "w4": -0.2, "w5": 0.5, "w6": -0.8}, ex.layers
        ),
        np.array([1.5, -2.0]),
        np.array([0.7]),
        0.1,
    )
    yield dict(other.named), tuple(float(v) for v in other.x), float(other.target[0]), other.lr


def _used_vs_check(new, w, x, y, lr, names):
    reference = _central_difference(w, x, y)
    lines = []
    for name in names:
        used = (float(w[name]) - float(new[name])) / lr
        lines.append(
            f"{name}: your step used ∂E/∂{name} = {fmt(used, 6)}; "
            f"a central difference at the old weights gives {fmt(reference[name], 6)}."
        )
    return " ".join(lines)


def check_repaired_step(step):
    """Notebook 04: does ``step(w, x, y, lr)`` move all six weights as gradient descent does?

    It is run on the worked example and on a second network. A function that
    returns ``None`` has not been written yet.
    """
    if not_done(step):
        return Feedback(None, "Not done yet: write repaired_step, then run this cell again.")
    if not callable(step):
        return Feedback(False, f"repaired_step should be a function, got {type(step).__name__}.")
    for k, (w, x, y, lr) in enumerate(_cases()):
        given = dict(w)
        try:
            new = step(given, x, y, lr)
        except Exception as exc:  # the student's code: explain, never raise
            where = traceback.extract_tb(exc.__traceback__)[-1]
            return Feedback(
                False,
                f"Your function raised {type(exc).__name__}: {exc} (line {where.lineno}).",
            )
        if new is None:
            if k == 0:
                return Feedback(
                    None, "Not done yet: repaired_step returns None; make it return new weights."
                )
            return Feedback(False, "repaired_step returned None for the second network.")
        if not isinstance(new, Mapping) or any(name not in new for name in NAMES):
            return Feedback(
                False, "repaired_step should return a dictionary with the keys w1 … w6."
            )
        if given != w:
            changed = [name for name in NAMES if given.get(name) != w[name]]
            return Feedback(
                False,
                "Your function changed the dictionary it was given "
                f"({', '.join(changed)}). Leave the old weights alone (start with "
                "new = dict(w)) so that every gradient is taken at the old weights.",
            )
        expected = reference_step(w, x, y, lr)
        wrong = [
            name
            for name in NAMES
            if not np.isclose(float(new[name]), expected[name], rtol=1e-9, atol=1e-12)
        ]
        if not wrong:
            continue
        which = "the worked example" if k == 0 else "a second network (other weights and inputs)"
        buggy = buggy_step(dict(w), x, y, lr)
        if all(np.isclose(float(new[n]), buggy[n], rtol=1e-9, atol=1e-12) for n in NAMES):
            return Feedback(
                False,
                "Not yet: this is still the bug. w1 … w4 move by a gradient taken with the "
                "new w5 and w6. " + _used_vs_check(new, w, x, y, lr, ["w1"]),
            )
        return Feedback(
            False,
            f"Not yet: on {which} these weights are wrong: {', '.join(wrong)}. "
            + _used_vs_check(new, w, x, y, lr, wrong),
        )
    w, x, y, lr = next(_cases())
    expected = reference_step(w, x, y, lr)
    shown = ", ".join(f"{n} = {fmt(expected[n], 7)}" for n in NAMES)
    return Feedback(
        True,
        "Correct: every gradient is taken at the old weights, then all six move together. "
        f"On the worked example: {shown}.",
    )
