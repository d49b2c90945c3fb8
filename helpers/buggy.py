"""Backward passes with one bug each, beside a correct one, and the check that finds them.

Notebook 06 ("find the bug") and notebook 07 (gradient checking) use this module.

The 1-2-2 ReLU network of notebook 06 is written here the way a first draft
would write it: plain numpy, parameters in a dict
``{"Wh": (1, 2), "bh": (2,), "Wo": (2, 2), "bo": (2,)}``, one sample ``x`` of
shape ``(1, 1)`` and a target ``y`` of shape ``(1, 2)``. :func:`backprop` is
correct; every other ``backprop_*`` function differs from it in ONE place,
with a mistake that is easy to make (and that a published article made).
Some crash, some run and return wrong numbers, one returns arrays of the
wrong shape.

:func:`gradient_check` runs a backward pass and compares what it returns with
:func:`helpers.network.numerical_gradient`, which never calls any backward
pass: the relative error says whether the backward pass can be trusted.
"""

from __future__ import annotations

import difflib
import inspect
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from .checks import read_array
from .network import Layer, activation_derivative, forward, numerical_gradient
from .text import fmt, fmt_below

__all__ = [
    "BUGGY",
    "Check",
    "MISTAKES",
    "backprop",
    "backprop_layers",
    "backprop_layers_derivative_of_a",
    "crash_message",
    "diff",
    "from_layers",
    "gradient_check",
    "gradient_check_layers",
    "relative_error",
    "relu",
    "relu_prime",
    "to_layers",
    "verdict",
]

#: Relative errors up to FINE are rounding; above WRONG the backward pass is wrong.
FINE = 1e-6
WRONG = 1e-2


# --------------------------------------------------------------------------
# The pieces: activation, its derivative, the forward pass
# --------------------------------------------------------------------------


def relu(z):
    return np.maximum(z, 0.0)


def relu_prime(z):
    return (z > 0).astype(float)


def relu_with_max(z):
    return max(0.0, z)


def relu_prime_with_if(z):
    if z > 0:
        return 1.0
    return 0.0


def feed_forward(x, p, f=relu):
    """Both layers' pre-activations Z and activations, kept for the backward pass."""
    Zh = x @ p["Wh"] + p["bh"]
    H = f(Zh)
    Zo = H @ p["Wo"] + p["bo"]
    Yhat = f(Zo)
    return Zh, H, Zo, Yhat


def feed_forward_output_only(x, p):
    Zh = x @ p["Wh"] + p["bh"]
    H = relu(Zh)
    Zo = H @ p["Wo"] + p["bo"]
    Yhat = relu(Zo)
    return Yhat


def feed_forward_without_biases(x, p):
    Zh = x @ p["Wh"]
    H = relu(Zh)
    Zo = H @ p["Wo"]
    Yhat = relu(Zo)
    return Zh, H, Zo, Yhat


# --------------------------------------------------------------------------
# The correct backward pass, and versions with one mistake each
# --------------------------------------------------------------------------


def backprop(x, y, p):
    """∂E/∂(each parameter) for E = ½·Σ(ŷ − y)², as a dict shaped like ``p``."""
    Zh, H, Zo, Yhat = feed_forward(x, p)
    Eo = (Yhat - y) * relu_prime(Zo)
    Eh = (Eo @ p["Wo"].T) * relu_prime(Zh)
    dWo = H.T @ Eo
    dWh = x.T @ Eh
    return {"Wh": dWh, "bh": Eh.sum(axis=0), "Wo": dWo, "bo": Eo.sum(axis=0)}


def backprop_relu_max(x, y, p):
    Zh, H, Zo, Yhat = feed_forward(x, p, f=relu_with_max)
    Eo = (Yhat - y) * relu_prime(Zo)
    Eh = (Eo @ p["Wo"].T) * relu_prime(Zh)
    dWo = H.T @ Eo
    dWh = x.T @ Eh
    return {"Wh": dWh, "bh": Eh.sum(axis=0), "Wo": dWo, "bo": Eo.sum(axis=0)}


def backprop_relu_prime_if(x, y, p):
    Zh, H, Zo, Yhat = feed_forward(x, p)
    Eo = (Yhat - y) * relu_prime_with_if(Zo)
    Eh = (Eo @ p["Wo"].T) * relu_prime_with_if(Zh)
    dWo = H.T @ Eo
    dWh = x.T @ Eh
    return {"Wh": dWh, "bh": Eh.sum(axis=0), "Wo": dWo, "bo": Eo.sum(axis=0)}


def backprop_z_not_returned(x, y, p):
    Yhat = feed_forward_output_only(x, p)
    Eo = (Yhat - y) * relu_prime(Zo)  # noqa: F821
    Eh = (Eo @ p["Wo"].T) * relu_prime(Zh)  # noqa: F821
    dWo = H.T @ Eo  # noqa: F821
    dWh = x.T @ Eh
    return {"Wh": dWh, "bh": Eh.sum(axis=0), "Wo": dWo, "bo": Eo.sum(axis=0)}


def backprop_hidden_error_elementwise(x, y, p):
    Zh, H, Zo, Yhat = feed_forward(x, p)
    Eo = (Yhat - y) * relu_prime(Zo)
    Eh = Eo * p["Wo"] * relu_prime(Zh)
    dWo = H.T @ Eo
    dWh = x.T @ Eh
    return {"Wh": dWh, "bh": Eh.sum(axis=0), "Wo": dWo, "bo": Eo.sum(axis=0)}


def backprop_hidden_error_no_transpose(x, y, p):
    Zh, H, Zo, Yhat = feed_forward(x, p)
    Eo = (Yhat - y) * relu_prime(Zo)
    Eh = (Eo @ p["Wo"]) * relu_prime(Zh)
    dWo = H.T @ Eo
    dWh = x.T @ Eh
    return {"Wh": dWh, "bh": Eh.sum(axis=0), "Wo": dWo, "bo": Eo.sum(axis=0)}


def backprop_weight_gradient_elementwise(x, y, p):
    Zh, H, Zo, Yhat = feed_forward(x, p)
    Eo = (Yhat - y) * relu_prime(Zo)
    Eh = (Eo @ p["Wo"].T) * relu_prime(Zh)
    dWo = H * Eo
    dWh = x.T @ Eh
    return {"Wh": dWh, "bh": Eh.sum(axis=0), "Wo": dWo, "bo": Eo.sum(axis=0)}


def backprop_biases_not_added(x, y, p):
    Zh, H, Zo, Yhat = feed_forward_without_biases(x, p)
    Eo = (Yhat - y) * relu_prime(Zo)
    Eh = (Eo @ p["Wo"].T) * relu_prime(Zh)
    dWo = H.T @ Eo
    dWh = x.T @ Eh
    return {"Wh": dWh, "bh": Eh.sum(axis=0), "Wo": dWo, "bo": Eo.sum(axis=0)}


def backprop_no_bias_gradient(x, y, p):
    Zh, H, Zo, Yhat = feed_forward(x, p)
    Eo = (Yhat - y) * relu_prime(Zo)
    Eh = (Eo @ p["Wo"].T) * relu_prime(Zh)
    dWo = H.T @ Eo
    dWh = x.T @ Eh
    return {"Wh": dWh, "Wo": dWo}


BUGGY = {
    "relu_max": backprop_relu_max,
    "relu_prime_if": backprop_relu_prime_if,
    "z_not_returned": backprop_z_not_returned,
    "hidden_error_elementwise": backprop_hidden_error_elementwise,
    "hidden_error_no_transpose": backprop_hidden_error_no_transpose,
    "weight_gradient_elementwise": backprop_weight_gradient_elementwise,
    "biases_not_added": backprop_biases_not_added,
    "no_bias_gradient": backprop_no_bias_gradient,
}
"""Each buggy backward pass by a short name. Their mistakes are in :data:`MISTAKES`."""

MISTAKES = {
    "relu_max": "relu uses Python's max(0, z), which compares the whole array with 0 at "
    "once and fails; np.maximum(z, 0) works element by element.",
    "relu_prime_if": "relu′ uses `if z > 0`, which needs ONE true/false value and fails on an "
    "array; (z > 0).astype(float) gives one 0 or 1 per unit.",
    "z_not_returned": "the forward pass returns only ŷ, so Zh, H and Zo, which the backward "
    "pass needs, do not exist there: the forward pass must return what it computed.",
    "hidden_error_elementwise": "the hidden error is Eo * Wo * relu′(Zh) (element by element); "
    "each hidden unit must add up the errors of ALL output units it feeds: Eo @ Wo.T.",
    "hidden_error_no_transpose": "the hidden error uses Eo @ Wo instead of Eo @ Wo.T; with a "
    "square Wo the shapes still fit, so nothing crashes, but each hidden unit receives "
    "the wrong weights' share of the error.",
    "weight_gradient_elementwise": "∂E/∂Wo is H * Eo (element by element), a (1, 2) array, "
    "instead of the outer product H.T @ Eo, a (2, 2) array: one gradient per weight.",
    "biases_not_added": "the forward pass never adds the biases, so every gradient is taken "
    "for a different network than the one being trained.",
    "no_bias_gradient": "no gradient is computed for the biases, so they are never updated.",
}


# --------------------------------------------------------------------------
# The same network as the helpers' Layers
# --------------------------------------------------------------------------


def to_layers(p):
    """The parameter dict ``p`` as the helpers' two :class:`~helpers.network.Layer`."""
    return [Layer(p["Wh"], p["bh"]), Layer(p["Wo"], p["bo"])]


def from_layers(layers):
    """Two Layers (with biases) as the parameter dict ``{"Wh", "bh", "Wo", "bo"}``."""
    hidden, out = layers
    return {
        "Wh": np.array(hidden.W),
        "bh": np.array(hidden.b),
        "Wo": np.array(out.W),
        "bo": np.array(out.b),
    }


# --------------------------------------------------------------------------
# Gradient checking
# --------------------------------------------------------------------------


def relative_error(given, reference):
    """‖given − reference‖ / (‖given‖ + ‖reference‖): 0 when equal, 1 when one is zero.

    Scale-free, so the same rule of thumb works for tiny and huge gradients.
    Both are first divided by their largest entry, so that gradients near the
    largest float (1e308) do not overflow; a non-finite entry gives nan.
    """
    given = np.asarray(given, dtype=float)
    reference = np.asarray(reference, dtype=float)
    with np.errstate(all="ignore"):
        scale = max(np.abs(given).max(initial=0.0), np.abs(reference).max(initial=0.0))
        if scale == 0:
            return 0.0
        if not np.isfinite(scale):
            return float("nan")
        given, reference = given / scale, reference / scale
        size = np.linalg.norm(given) + np.linalg.norm(reference)
        return float(np.linalg.norm(given - reference) / size)


def verdict(rel):
    """The rule of thumb for a relative error: "fine", "suspicious" or "wrong"."""
    if rel <= FINE:
        return "fine"
    if rel <= WRONG:
        return "suspicious"
    return "wrong"


#: A crash's message → what it means; a list of (words in the failing line, meaning)
#: when the meaning depends on the line.
_CRASH_HINTS = [
    (
        "truth value of an array",
        [
            (
                "max(",
                "Python's `max` compares its two arguments as ONE pair, so it needs one "
                "true/false answer to 'which is larger?', but comparing a number with an "
                "array gives one answer per unit. np.maximum(z, 0.0) compares element by "
                "element.",
            ),
            (
                "if ",
                "`if` needs ONE true/false value, but `z > 0` on an array gives one per "
                "unit. (z > 0).astype(float) gives one 0 or 1 per unit.",
            ),
            (
                "",
                "Python needs ONE true/false answer here, but a comparison on an array "
                "gives one answer per unit. Use numpy's element-wise tools instead.",
            ),
        ],
    ),
    (
        "is not defined",
        "the function uses a name it never received nor computed. A forward pass must "
        "return everything the backward pass needs.",
    ),
    (
        "mismatch in its core dimension",
        "a matrix product whose shapes do not fit: (a, b) @ (c, d) needs b = c. "
        "Write the shape of every array next to its line.",
    ),
    (
        "could not be broadcast",
        "two arrays whose shapes do not fit together. Write the shape of every array "
        "next to its line.",
    ),
]


def crash_message(exc):
    """A crash explained in words: where it happened, what Python said, what it means."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = ""
    if frames:
        last = frames[-1]
        where = f" in {last.name}(), at `{_code(last.line or '').strip()}`"
    said = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    text = f"crashed{where}. Python says {said}"
    line = (frames[-1].line or "") if frames else ""
    for needle, hint in _CRASH_HINTS:
        if needle in str(exc):
            if isinstance(hint, list):
                hint = next(h for words, h in hint if words in line)
            return f"{text}. That means {hint}"
    return text + "."


@dataclass(frozen=True)
class Check:
    """What :func:`gradient_check` found.

    ``status`` is "fine", "suspicious" or "wrong" (from the largest relative
    error), "shape" (an array of the wrong shape or a missing one) or
    "crashed". ``errors`` maps each parameter's name to its relative error.
    """

    name: str
    status: str
    message: str
    errors: dict = field(default_factory=dict)
    worst: float = float("nan")

    @property
    def passed(self):
        return self.status == "fine"

    def __repr__(self):
        return f"{self.name}: {self.message}"


def _compare(name, given, reference):
    """Check a dict of gradients against the reference dict (same names and shapes)."""
    if not isinstance(given, Mapping):
        keys = ", ".join(f"'{k}': …" for k in reference)
        return Check(
            name,
            "shape",
            f"returned a {type(given).__name__}, not a dict: return {{{keys}}}, "
            "one gradient per parameter, by name.",
        )
    problems, errors = [], {}
    for key, ref in reference.items():
        got = given.get(key)
        if got is None:
            problems.append(f"no gradient for {key} (so {key} would never be updated)")
            continue
        got, wrong_kind = read_array(f"∂E/∂{key}", np.asarray(got) if _is_number(got) else got)
        if wrong_kind:
            problems.append(wrong_kind.removeprefix("Not yet: ").rstrip("."))
            continue
        if got.shape != ref.shape:
            problems.append(f"∂E/∂{key} has shape {got.shape}, but {key} has shape {ref.shape}")
            continue
        errors[key] = relative_error(got, ref)
    if problems:
        return Check(name, "shape", "; ".join(problems) + ".", errors)
    worst_key = max(errors, key=errors.get)
    worst = errors[worst_key]
    status = verdict(worst)
    # Below "wrong", the relative error is mostly rounding: only its size is worth showing.
    shown = fmt(worst, 2) if status == "wrong" else fmt_below(worst)
    if status == "fine":
        text = f"passes: largest relative error {shown} (rounding only)."
    else:
        wrong = [k for k, e in errors.items() if verdict(e) != "fine"]
        text = (
            f"{status}: largest relative error {shown} (in ∂E/∂{worst_key}); "
            f"off: {', '.join(wrong)}."
        )
    return Check(name, status, text, errors, worst)


def _is_number(value):
    """A plain number (an int or float of Python or numpy), which a 0-d array holds."""
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )


def gradient_check(backprop_fn, example, name=None):
    """Run ``backprop_fn(x, y, p)`` on ``example`` and compare it with numerical_gradient.

    ``example`` has ``layers`` (two Layers with biases), ``x`` and ``target``
    (one sample) and a ReLU activation. Never raises: a crash is reported in
    the returned :class:`Check`.
    """
    name = name or getattr(backprop_fn, "__name__", "backprop")
    p = from_layers(example.layers)
    x = np.asarray(example.x, dtype=float).reshape(1, -1)
    y = np.asarray(example.target, dtype=float).reshape(1, -1)
    numeric = numerical_gradient(example.layers, example.x, example.target, "relu")
    reference = {"Wh": numeric[0].W, "bh": numeric[0].b, "Wo": numeric[1].W, "bo": numeric[1].b}
    if backprop_fn is None:
        return Check(name, "not done", "no function given yet.")
    try:
        with np.errstate(all="raise"):
            given = backprop_fn(x, y, {k: v.copy() for k, v in p.items()})
    except Exception as exc:  # reported, never raised: finding it is the lesson
        return Check(name, "crashed", crash_message(exc))
    if given is None:
        return Check(name, "not done", "returned None: nothing to check yet.")
    return _compare(name, given, reference)


def diff(name):
    """The lines where the buggy version ``name`` differs from :func:`backprop`."""
    fn = BUGGY[name]
    lines = difflib.unified_diff(_body(backprop), _body(fn), lineterm="", n=0)
    return "\n".join(line for line in lines if not line.startswith(("---", "+++", "@@")))


def _body(fn):
    """A function's lines without its def line, docstring and lint comments."""
    lines = inspect.getsource(fn).splitlines()[1:]
    return [_code(line) for line in lines if not line.strip().startswith('"""')]


def _code(line):
    return line.split("  # noqa")[0]


# --------------------------------------------------------------------------
# Any depth: the backward pass over a list of Layers
# --------------------------------------------------------------------------


def backprop_layers(layers, x, target, activation="sigmoid"):
    """∂E/∂W and ∂E/∂b of every layer, written out as a loop over the layers.

    The forward pass keeps each layer's z and a (the Trace); going back, each
    layer costs one step: multiply by f′(z) (kept), take the gradient, pass
    the error on through W.T. Returns a list of Layers like
    :func:`helpers.network.backward`.
    """
    trace = forward(layers, x, activation)
    f_primes = [_derivative(name) for name in trace.activations]
    delta = (trace.a[-1] - np.atleast_2d(target)) / len(trace.a[0])
    grads = []
    for k in range(len(layers) - 1, -1, -1):
        delta = delta * f_primes[k](trace.z[k])
        grads.append(Layer(trace.a[k].T @ delta, None if layers[k].b is None else delta.sum(0)))
        delta = delta @ layers[k].W.T
    return grads[::-1]


def backprop_layers_derivative_of_a(layers, x, target, activation="sigmoid"):
    trace = forward(layers, x, activation)
    f_primes = [_derivative(name) for name in trace.activations]
    delta = (trace.a[-1] - np.atleast_2d(target)) / len(trace.a[0])
    grads = []
    for k in range(len(layers) - 1, -1, -1):
        delta = delta * f_primes[k](trace.a[k + 1])
        grads.append(Layer(trace.a[k].T @ delta, None if layers[k].b is None else delta.sum(0)))
        delta = delta @ layers[k].W.T
    return grads[::-1]


def _derivative(name):
    return lambda z: activation_derivative(z, name)


def gradient_check_layers(backward_fn, layers, x, target, activation="sigmoid", name=None):
    """Compare ``backward_fn(layers, x, target, activation)`` with numerical_gradient.

    Reports the relative error of each layer's ∂E/∂W (named W1, W2, …) and
    ∂E/∂b (b1, b2, …). Never raises.
    """
    name = name or getattr(backward_fn, "__name__", "backward")
    numeric = numerical_gradient(layers, x, target, activation)
    try:
        with np.errstate(all="raise"):
            given = backward_fn(layers, x, target, activation)
    except Exception as exc:
        return Check(name, "crashed", crash_message(exc))
    if given is None:
        return Check(name, "not done", "returned None: nothing to check yet.")
    try:
        given = _as_dict(given)
    except (TypeError, AttributeError):
        return Check(
            name,
            "shape",
            f"returned a {type(given).__name__}: return one Layer(∂E/∂W, ∂E/∂b) per layer, "
            "as backward() does.",
        )
    return _compare(name, given, _as_dict(numeric))


def _as_dict(grads):
    out = {}
    for k, g in enumerate(grads, start=1):
        out[f"W{k}"] = g.W
        if g.b is not None:
            out[f"b{k}"] = g.b
    return out
