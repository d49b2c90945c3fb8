"""Checkers for notebook 06: a bias gradient with sigmoid, the hidden error, a repaired backprop."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .. import buggy
from ..network import Layer, activate, activation_derivative, backward, forward
from ..views.activations import RELU_EXAMPLE
from . import Feedback, check_array, check_number, not_done

__all__ = [
    "HIDDEN_ERROR_EXAMPLE",
    "check_hidden_error",
    "check_output_bias_gradient",
    "check_repair",
    "draft_backprop",
    "with_dead_units",
]

#: Notebook 06's network with w1 = −0.5: h1 is switched off (z < 0) while both
#: outputs stay on, so a hidden error without relu′(Zh), or sent back along the
#: wrong weights, gives different numbers.
HIDDEN_ERROR_EXAMPLE = RELU_EXAMPLE.with_weights(w1=-0.5)


def with_dead_units(example):
    """``example`` with the last unit of every layer switched off (its z at most −1).

    Each such unit's bias is lowered until no input it can receive lifts its
    z above −1. Where every unit is alive, relu′ is 1 everywhere and a backward
    pass without it gives the same numbers; here it cannot.
    """
    layers = []
    a = np.abs(np.asarray(example.x, dtype=float))  # the largest |input| of each unit
    for L in example.layers:
        W = np.abs(L.W)
        b = np.zeros(W.shape[1]) if L.b is None else np.array(L.b, dtype=float)
        b[-1] = -float(a @ W[:, -1]) - 1.0  # z = Σ x·w + b ≤ −1
        layers.append(Layer(L.W, b))
        reach = a @ W + np.abs(b)
        a = np.maximum(
            np.abs(activate(reach, example.activation)),
            np.abs(activate(-reach, example.activation)),
        )
    return replace(example, layers=layers)


def check_output_bias_gradient(given, example=RELU_EXAMPLE):
    """∂E/∂bo1 of ``example`` when BOTH layers use sigmoid: δ = (ŷ1 − y1)·σ′(z)."""
    trace = forward(example.layers, example.x, "sigmoid")
    grads = backward(example.layers, trace, example.target)
    z = float(np.asarray(trace.z[-1])[0, 0])
    miss = float(trace.output[0] - example.target[0])
    h1 = float(trace.hidden[0][0])
    expected = float(grads[-1].b[0])
    hints = [
        (
            miss,
            "That is ŷ1 − y1 alone: the bias enters before the sigmoid, so the chain "
            "rule gains the factor σ′(z) = σ(z)·(1 − σ(z)).",
        ),
        (
            miss * float(activate(z, "sigmoid")),
            "You multiplied by σ(z), the unit's output; "
            "the chain rule needs its slope σ′(z) = σ(z)·(1 − σ(z)).",
        ),
        (
            expected * h1,
            "That is ∂E/∂w3 = δ·h1. A bias is a weight on an input that is "
            "always 1, so ∂E/∂b is δ times 1.",
        ),
        (
            miss * float(activation_derivative(z, "relu")),
            "That uses relu′, but this exercise switched both layers to sigmoid.",
        ),
    ]
    return check_number("∂E/∂bo1", given, expected, hints=hints)


def check_hidden_error(given, example=HIDDEN_ERROR_EXAMPLE):
    """The hidden error Eh = (Eo @ Wo.T) * relu′(Zh), a (1, 2) array, for ``example`` (ReLU).

    The default example has a hidden unit switched off, so that leaving out
    relu′(Zh) shows in the numbers.
    """
    if not_done(given):
        return Feedback(None, "Not done yet: replace the placeholder with your hidden error Eh.")
    p = buggy.from_layers(example.layers)
    x = np.asarray(example.x, dtype=float).reshape(1, -1)
    y = np.asarray(example.target, dtype=float).reshape(1, -1)
    Zh, _H, Zo, Yhat = buggy.feed_forward(x, p)
    Eo = (Yhat - y) * buggy.relu_prime(Zo)
    expected = (Eo @ p["Wo"].T) * buggy.relu_prime(Zh)
    try:
        arr = np.asarray(given, dtype=float)
    except (TypeError, ValueError):
        return Feedback(False, f"Eh should be an array of numbers, got {given!r}.")
    if arr.shape == expected.shape and np.allclose(arr, expected):
        return Feedback(True, "Correct: Eh matches.")
    if arr.shape == (2, 2) and np.allclose(arr, Eo * p["Wo"] * buggy.relu_prime(Zh)):
        return Feedback(
            False,
            "Not yet: Eo * Wo * relu′(Zh) multiplies element by element and gives a (2, 2) "
            "array. Each hidden unit needs ONE number: the sum of the output errors it "
            "caused, Eo @ Wo.T.",
        )
    if arr.shape == expected.shape and np.allclose(arr, (Eo @ p["Wo"]) * buggy.relu_prime(Zh)):
        return Feedback(
            False,
            "Not yet: Eo @ Wo sends each output's error back along the wrong weights. "
            "Wo[i, j] joins hidden i to output j, so hidden i collects "
            "Σ_j Eo[j]·Wo[i, j]: Eo @ Wo.T.",
        )
    if arr.shape == expected.shape and np.allclose(arr, Eo @ p["Wo"].T):
        return Feedback(
            False,
            "Not yet: multiply by relu′(Zh), the slope of each hidden unit: a unit that "
            "is switched off (z < 0) passes no error back.",
        )
    return check_array("Eh", arr, expected)


def draft_backprop(x, y, p):
    """The draft that exercise 3 of notebook 06 asks to repair (three mistakes)."""
    Zh, H, Zo, Yhat = buggy.feed_forward(x, p)
    Eo = (Yhat - y) * buggy.relu_prime(Zo)
    Eh = (Eo @ p["Wo"]) * buggy.relu_prime(Zh)
    dWo = H * Eo
    dWh = x.T @ Eh
    return {"Wh": dWh, "Wo": dWo}


def _same_as_draft(backprop_fn, example):
    p = buggy.from_layers(example.layers)
    x = np.asarray(example.x, dtype=float).reshape(1, -1)
    y = np.asarray(example.target, dtype=float).reshape(1, -1)
    try:
        with np.errstate(all="raise"):
            given = backprop_fn(x, y, {k: v.copy() for k, v in p.items()})
    except Exception:  # a crash is the gradient check's to report
        return False
    draft = draft_backprop(x, y, p)
    return (
        isinstance(given, dict)
        and set(given) == set(draft)
        and all(np.shape(given[k]) == draft[k].shape for k in draft)
        and all(np.array_equal(given[k], draft[k]) for k in draft)
    )


def check_repair(backprop_fn, example=RELU_EXAMPLE):
    """Gradient-check a repaired backward pass ``backprop_fn(x, y, p)`` on ``example``."""
    if backprop_fn is None:
        return Feedback(None, "Not done yet: write your repaired function first.")
    if _same_as_draft(backprop_fn, example):
        return Feedback(
            None,
            "Not done yet: this still computes what the draft computes. Find its three "
            "mistakes (the table above lists the kinds) and repair them.",
        )
    result = buggy.gradient_check(backprop_fn, example)
    if result.status == "not done":
        return Feedback(
            None,
            "Not done yet: your function returns None; make it return the "
            "dict of gradients {'Wh': …, 'bh': …, 'Wo': …, 'bo': …}.",
        )
    if not result.passed:
        return Feedback(False, f"Not yet. The gradient check says: {result.message}")
    # Every unit of the example may be alive, where relu′ = 1 hides a missing slope.
    dead = buggy.gradient_check(backprop_fn, with_dead_units(example))
    if not dead.passed:
        return Feedback(
            False,
            "Not yet. On this network your function passes, but every unit here is "
            "alive, so relu′ is 1 everywhere. With the last hidden and the last output "
            f"unit switched off (z < 0) the gradient check says: {dead.message} "
            "Does every error pass through its unit's slope, relu′(Z)?",
        )
    return Feedback(
        True,
        f"Correct: the gradient check {result.message} It passes too with a "
        "hidden and an output unit switched off.",
    )
