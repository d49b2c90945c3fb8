"""Checkers for notebook 05: the two matrix updates of the 2-2-1 network.

The expected gradients come from :func:`helpers.network.backward`, so a
student's outer products are compared with the helpers' backward pass, not
with a copy of the same formula.
"""

from __future__ import annotations

import numpy as np

from ..examples import WORKED_EXAMPLE
from ..network import backward, forward
from . import Feedback, check_array, not_done

__all__ = ["check_matrix_gradients", "expected_matrix_gradients"]


def expected_matrix_gradients(example=WORKED_EXAMPLE):
    """(∂E/∂W_hidden, ∂E/∂W_out) for ``example``, from the helpers' backward pass."""
    trace = forward(example.layers, example.x, example.activation)
    grads = backward(example.layers, trace, example.target)
    return grads[0].W, grads[1].W


def _pieces(example):
    """h, x, δ and W_out of a one-hidden-layer ``example``, as the exercise names them."""
    trace = forward(example.layers, example.x, example.activation)
    h = trace.hidden[0]
    delta = trace.output - np.asarray(example.target, dtype=float)
    return h, np.asarray(example.x, dtype=float), delta, example.layers[1].W


def _show(matrix):
    """A small matrix on one line, each entry to 10 significant figures."""
    return str([[float(f"{v:.10g}") for v in row] for row in np.atleast_2d(matrix).tolist()])


def _same(a, b):
    return a.shape == b.shape and np.allclose(a, b, rtol=1e-6, atol=1e-12)


def _check_one(name, given, expected, rows, hints):
    """A verdict on one gradient matrix; ``rows`` says what its rows stand for."""
    if not_done(given):
        return Feedback(None, f"Not done yet: replace the placeholder with {name}.")
    try:
        given = np.asarray(given, dtype=float)
    except (TypeError, ValueError):
        return Feedback(False, f"{name} should be an array of numbers, got {given!r}.")
    if given.shape != expected.shape:
        if given.shape == expected.T.shape and np.allclose(given, expected.T):
            return Feedback(
                False,
                f"{name} is transposed: it has shape {given.shape}, but it must have the shape "
                f"of its weight matrix, {expected.shape} ({rows}). Swap the two arguments "
                "of np.outer.",
            )
        if given.size == expected.size and np.allclose(given.ravel(), expected.ravel()):
            return Feedback(
                False,
                f"{name} has the right numbers but shape {given.shape}; it must have the shape "
                f"of its weight matrix, {expected.shape} ({rows}). np.outer(a, b) gives a "
                "matrix with one row per entry of a.",
            )
        return Feedback(
            False,
            f"{name} has shape {given.shape}, but it must have the shape of its weight "
            f"matrix, {expected.shape} ({rows}).",
        )
    if _same(given, expected):
        return Feedback(True, f"Correct: {name} = {_show(expected)}.")
    if given.ndim == 2 and given.shape[0] == given.shape[1] and _same(given.T, expected):
        return Feedback(
            False,
            f"{name} is transposed: entry [i, j] must belong to the weight from unit i to "
            f"unit j ({rows}). Swap the two arguments of np.outer.",
        )
    for wrong, why in hints:
        if wrong.shape == given.shape and _same(given, wrong):
            return Feedback(False, f"Not yet: {name}. {why}")
    if _same(given, -expected):
        return Feedback(
            False, f"Not yet: {name} has the right size but the wrong sign; δ is ŷ − y."
        )
    return check_array(name, given, expected)


def check_matrix_gradients(dE_dW_hidden, dE_dW_out, example=WORKED_EXAMPLE):
    """Check the two gradient matrices of a 2-2-1 network (one hidden layer, one output).

    ``dE_dW_out`` must equal ``np.outer(h, δ)`` (shape ``(2, 1)``) and
    ``dE_dW_hidden`` must equal ``np.outer(x, W_out @ δ)`` (shape ``(2, 2)``).
    The answer names what is wrong: a placeholder, a shape, a transpose, the
    inputs and hidden values swapped, a missing δ, or a sign.
    """
    expected_hidden, expected_out = expected_matrix_gradients(example)
    h, x, delta, W_out = _pieces(example)
    back = W_out @ delta  # the error carried back to each hidden unit
    out = _check_one(
        "∂E/∂W_out",
        dE_dW_out,
        expected_out,
        "one row per hidden unit, one column per output",
        [
            (np.outer(x, delta), "It uses the inputs x; the output weights start at h."),
            (np.outer(h, np.ones_like(delta)), "It is missing the factor δ = ŷ − y."),
        ],
    )
    hidden = _check_one(
        "∂E/∂W_hidden",
        dE_dW_hidden,
        expected_hidden,
        "one row per input, one column per hidden unit",
        [
            (np.outer(h, back), "It uses h; the hidden weights start at the inputs x."),
            (np.outer(x, W_out[:, 0]), "It is missing the factor δ = ŷ − y."),
            (
                np.outer(x, delta * np.ones(len(h))),
                "It is missing W_out: δ reaches hidden "
                "unit j through the weight W_out[j], so use W_out @ δ.",
            ),
        ],
    )
    if out.ok is None and hidden.ok is None:
        return Feedback(
            None, "Not done yet: replace the two placeholders with your ∂E/∂W_out and ∂E/∂W_hidden."
        )
    if out.ok and hidden.ok:
        return Feedback(True, f"Correct: both match backward().\n{out.message}\n{hidden.message}")
    # One wrong answer makes the verdict "wrong"; otherwise one part is still to do.
    ok = False if False in (out.ok, hidden.ok) else None
    return Feedback(ok, f"{out.message}\n{hidden.message}")
