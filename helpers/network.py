"""The math of the course: fully connected layers, the forward pass, the error,
backpropagation, gradient descent and training.

Everything here is a plain function over numpy arrays. A network is a list of
:class:`Layer` objects; a layer maps ``n_in`` values to ``n_out`` values as
``z = a @ W + b`` followed by an activation ``f(z)``.

The same code serves the 2-2-1 worked example, the 1-2-2 ReLU network of
notebook 06 and the 10-layer networks of notebook 07. Internally every
function also accepts a *stack* of networks (weights with a leading axis, one
network per learning rate), which is how :func:`sweep_learning_rates` trains
a thousand copies of a network at once with exactly the arithmetic that
:func:`train` uses for one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .text import fmt

__all__ = [
    "ACTIVATIONS",
    "DEFAULT_MAX_ERROR",
    "History",
    "Layer",
    "Sweep",
    "Trace",
    "activate",
    "activation_derivative",
    "backward",
    "error",
    "error_along",
    "errors_over",
    "forward",
    "from_named",
    "layers_from_sizes",
    "numerical_gradient",
    "output_gradient",
    "predictions_over",
    "sgd_step",
    "stability_bound",
    "sweep_learning_rates",
    "to_named",
    "train",
    "weight_names",
]

#: An error larger than this counts as diverged (training stops there).
DEFAULT_MAX_ERROR = 1e12


# --------------------------------------------------------------------------
# Activations
# --------------------------------------------------------------------------


def _sigmoid(z):
    # Two branches so that neither exp() can overflow.
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1.0 + ez)
    return out


def _sigmoid_prime(z):
    s = _sigmoid(z)
    return s * (1.0 - s)


ACTIVATIONS = {
    "linear": (lambda z: z, lambda z: np.ones_like(z)),
    "relu": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(z.dtype)),
    "sigmoid": (_sigmoid, _sigmoid_prime),
    "tanh": (np.tanh, lambda z: 1.0 - np.tanh(z) ** 2),
}
"""Each activation's name mapped to ``(f, f_prime)``."""


def _check_activation_name(name):
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise ValueError(
            f"unknown activation {name!r}: expected one of {', '.join(map(repr, ACTIVATIONS))}"
        )
    return name


def activate(z, name="linear"):
    """f(z) for the activation called ``name``."""
    return ACTIVATIONS[_check_activation_name(name)][0](np.asarray(z, dtype=float))


def activation_derivative(z, name="linear"):
    """f'(z) for the activation called ``name`` (relu'(0) is taken as 0)."""
    return ACTIVATIONS[_check_activation_name(name)][1](np.asarray(z, dtype=float))


def _activation_names(activation, n_layers):
    """One activation name per layer, from a single name or a list of names."""
    if isinstance(activation, str):
        return [_check_activation_name(activation)] * n_layers
    try:
        names = [str(n) if isinstance(n, np.str_) else n for n in activation]
    except TypeError:  # neither a name nor a list of names
        _check_activation_name(activation)
    if len(names) != n_layers:
        raise ValueError(
            f"expected one activation per layer ({n_layers} names), got {len(names)}: {names!r}"
        )
    return [_check_activation_name(n) for n in names]


# --------------------------------------------------------------------------
# Layers
# --------------------------------------------------------------------------


def _real(value, what, finite=False):
    """``value`` as a new float array, or a ValueError that names ``what`` and what it
    should hold: real numbers (not None, text, True/False or complex numbers), and
    finite ones when ``finite``."""
    if value is None or isinstance(value, (str, bytes, dict, set)) or callable(value):
        raise ValueError(f"{what} must be numbers (a list or an array), got {_kind(value)}")
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be an array of numbers with rows of equal length") from None
    if raw.dtype.kind == "c":
        raise ValueError(f"{what} must hold real numbers, not complex ones")
    if raw.dtype.kind in "USV":
        raise ValueError(f"{what} must hold numbers, not text")
    if raw.dtype.kind == "O":
        for idx in np.ndindex(raw.shape):
            entry = raw[idx]
            if entry is None or isinstance(entry, (str, bytes, complex, np.complexfloating)):
                at = f" at {list(idx)}" if raw.ndim else ""
                raise ValueError(f"{what} must hold real numbers, got {_kind(entry)}{at}")
    try:
        with np.errstate(all="ignore"):
            array = raw.astype(float)
    except OverflowError:
        raise ValueError(f"{what} holds a number too large for a float") from None
    except (TypeError, ValueError):
        raise ValueError(f"{what} must hold real numbers only") from None
    if finite and not np.isfinite(array).all():
        bad = array[~np.isfinite(array)].flat[0]
        shown = "nan (not a number)" if np.isnan(bad) else fmt(bad)
        raise ValueError(f"{what} must hold finite numbers, got {shown}")
    return array


def _kind(value):
    """What a value is, in a few words: ``None``, ``text '1.5'``, ``a complex number``."""
    if value is None:
        return "None"
    if isinstance(value, (str, bytes)):
        return f"text {value!r}"
    if isinstance(value, (complex, np.complexfloating)):
        return "a complex number"
    if callable(value):
        return "a function"
    return f"a {type(value).__name__}"


def _frozen(a, what="W"):
    a = _real(a, what)  # a copy, so the caller's array stays theirs
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False)
class Layer:
    """One fully connected layer: ``W`` of shape ``(n_in, n_out)``, ``b`` of shape ``(n_out,)``.

    ``W[i, j]`` is the weight from input unit ``i`` to output unit ``j``.
    ``b=None`` (the default) means the layer has no bias at all, as in the
    worked example: nothing is added and there is no bias to train. A bias of
    zeros, by contrast, is a real bias that starts at zero and learns.
    A layer never changes: its arrays are read-only copies, and training
    returns new layers.
    """

    W: np.ndarray
    b: np.ndarray = field(default=None)

    def __post_init__(self):
        W = _frozen(self.W, "Layer: W")
        if W.ndim != 2:
            raise ValueError(f"Layer: W must be a 2-D array (n_in, n_out), got shape {W.shape}")
        if self.b is None:
            object.__setattr__(self, "W", W)
            return
        b = _frozen(self.b, "Layer: b")
        if b.shape != (W.shape[1],):
            raise ValueError(
                f"Layer: b must have shape (n_out,) = ({W.shape[1]},) to match W of shape "
                f"{W.shape}, got shape {b.shape}"
            )
        object.__setattr__(self, "W", W)
        object.__setattr__(self, "b", b)

    @property
    def shape(self):
        """``(n_in, n_out)``."""
        return self.W.shape

    def __repr__(self):
        b = None if self.b is None else self.b.tolist()
        return f"Layer(W={self.W.tolist()}, b={b})"


def _check_layers(layers):
    if isinstance(layers, Layer):
        layers = [layers]
    if layers is None or isinstance(layers, (str, bytes)) or not hasattr(layers, "__iter__"):
        raise ValueError(f"expected a list of Layer(W, b), got {_kind(layers)}")
    layers = list(layers)
    if not layers:
        raise ValueError("expected at least one Layer, got an empty list")
    for k, layer in enumerate(layers):
        if not isinstance(layer, Layer):
            raise ValueError(f"layer {k} must be a Layer(W, b), got {type(layer).__name__}")
    for k in range(1, len(layers)):
        if layers[k].W.shape[0] != layers[k - 1].W.shape[1]:
            raise ValueError(
                f"layer {k} takes {layers[k].W.shape[0]} inputs but layer {k - 1} gives "
                f"{layers[k - 1].W.shape[1]} outputs (W shapes {layers[k - 1].W.shape} "
                f"and {layers[k].W.shape})"
            )
    return layers


def _as_batch(x, n_in):
    """``x`` as a 2-D batch ``(n, n_in)`` and whether it was a single sample."""
    x = _real(x, "x", finite=True)
    if x.ndim == 2 and x.shape[0] == 0:
        raise ValueError(f"x has no samples (shape {x.shape}): give at least one")
    if x.ndim == 1 and x.shape[0] == n_in:
        return x[None, :], True
    if x.ndim == 2 and x.shape[1] == n_in:
        return x, False
    raise ValueError(
        f"x must have shape ({n_in},) for one sample or (n, {n_in}) for a batch, "
        f"got shape {x.shape}"
    )


def _as_target(target, output):
    """``target`` broadcast to the shape of ``output`` when that is unambiguous."""
    t = _real(target, "target", finite=True)
    if t.shape == output.shape:
        return t
    if t.ndim == 0 and output.shape[-1] == 1:
        return np.full(output.shape, float(t))
    if output.ndim == 2 and t.shape == output.shape[1:] and output.shape[0] == 1:
        return t[None, :]
    raise ValueError(
        f"target must have the shape of the output {output.shape}, got shape {t.shape}"
    )


# --------------------------------------------------------------------------
# Forward pass and error
# --------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Trace:
    """What the forward pass computed, kept for the backward pass.

    ``z[k]`` is layer k's pre-activation and ``a[k + 1] = f(z[k])`` its
    activation; ``a[0]`` is the input. All are 2-D ``(n, units)``; ``output``
    has the shape of the input's batch: ``(n_out,)`` for one sample.
    """

    a: list
    z: list
    activations: list
    single: bool

    @property
    def output(self):
        out = self.a[-1]
        return out[..., 0, :] if self.single else out

    @property
    def hidden(self):
        """The activations of the hidden layers, shaped like ``output``."""
        return [h[..., 0, :] if self.single else h for h in self.a[1:-1]]


def _forward(Ws, bs, x2d, names):
    a, z = [x2d], []
    for W, b, name in zip(Ws, bs, names):
        zk = a[-1] @ W
        if b is not None:
            zk = zk + b[..., None, :]
        z.append(zk)
        a.append(ACTIVATIONS[name][0](zk))
    return a, z


def forward(layers, x, activation="linear"):
    """Run ``x`` through ``layers``; return a :class:`Trace`.

    ``x`` is one sample of shape ``(n_in,)`` or a batch ``(n, n_in)``.
    ``activation`` is one name for every layer or a list with one per layer:
    ``"linear"``, ``"relu"``, ``"sigmoid"`` or ``"tanh"``.
    """
    layers = _check_layers(layers)
    names = _activation_names(activation, len(layers))
    x2d, single = _as_batch(x, layers[0].W.shape[0])
    a, z = _forward([L.W for L in layers], [L.b for L in layers], x2d, names)
    return Trace(a=a, z=z, activations=names, single=single)


def _error(output2d, target2d):
    """½·Σ(output − target)² per sample, averaged over the batch (last two axes).

    Quiet: an error too large for a float is inf (nan where the output itself
    overflowed to inf − inf), without a RuntimeWarning."""
    with np.errstate(over="ignore", invalid="ignore"):
        return (0.5 * ((output2d - target2d) ** 2).sum(axis=-1)).mean(axis=-1)


def error(output, target):
    """The squared error ½·Σ(output − target)², averaged over the batch for a batch.

    For one sample ``output`` has shape ``(n_out,)``; for a batch ``(n, n_out)``.
    ``target`` has the same shape (a plain number is fine when ``n_out`` is 1)
    and holds finite numbers. An error too large for a float is ``inf``, with
    no warning.
    """
    output = _real(output, "output")
    if output.ndim not in (1, 2):
        raise ValueError(f"output must have shape (n_out,) or (n, n_out), got shape {output.shape}")
    if output.size == 0:
        raise ValueError(f"output has no values (shape {output.shape}): give at least one sample")
    t = _as_target(target, output)
    # Quietly inf for an output too large (an overflowed run), nan for a nan output.
    return float(_error(np.atleast_2d(output), np.atleast_2d(t)))


def _finite_or_inf(E):
    """An error computed from finite numbers that overflowed (inf, or nan from inf − inf
    inside the network) is inf: too large for a float. Computed without a warning."""
    E = np.asarray(E, dtype=float)
    return np.where(np.isnan(E), np.inf, E)


# --------------------------------------------------------------------------
# Backward pass
# --------------------------------------------------------------------------


def _T(m):
    return np.swapaxes(m, -1, -2)


def _backward(Ws, a, z, names, d_output):
    """Gradients (dW, db) for every layer, given ∂E/∂output of shape (…, n, n_out)."""
    grads = []
    delta = d_output * ACTIVATIONS[names[-1]][1](z[-1])
    for k in range(len(Ws) - 1, -1, -1):
        grads.append((_T(a[k]) @ delta, delta.sum(axis=-2)))
        if k:
            delta = (delta @ _T(Ws[k])) * ACTIVATIONS[names[k - 1]][1](z[k - 1])
    return grads[::-1]


def _target_for(target, x2d, single, n_out):
    """``target`` as a 2-D ``(n, n_out)`` array for the batch ``x2d``."""
    shape = (n_out,) if single else (x2d.shape[0], n_out)
    return np.atleast_2d(_as_target(target, np.empty(shape)))


def backward(layers, trace, target, activation=None):
    """The gradient of :func:`error` with respect to every weight and bias.

    Returns a list of :class:`Layer` with the shapes of ``layers``: ``.W`` holds
    ∂E/∂W and ``.b`` holds ∂E/∂b. ``trace`` comes from :func:`forward` on the
    same layers; ``activation`` defaults to the one the trace was made with.
    """
    layers = _check_layers(layers)
    if not isinstance(trace, Trace):
        raise ValueError(
            f"trace must be the Trace that forward() returned, got {type(trace).__name__}"
        )
    if activation is not None:
        names = _activation_names(activation, len(layers))
        if names != trace.activations:
            raise ValueError(
                f"activation {names} differs from the forward pass's {trace.activations}"
            )
    if (
        len(trace.z) != len(layers)
        or trace.a[0].shape[-1] != layers[0].W.shape[0]
        or any(zk.shape[-1] != L.W.shape[1] for zk, L in zip(trace.z, layers))
    ):
        raise ValueError("trace was made by a forward pass through different layers")
    out2d = trace.a[-1]
    t2d = _target_for(target, trace.a[0], trace.single, out2d.shape[-1])
    d_output = (out2d - t2d) / out2d.shape[-2]
    grads = _backward([L.W for L in layers], trace.a, trace.z, trace.activations, d_output)
    return _as_layers(grads, layers)


def _as_layers(grads, like):
    """Gradients as Layers, with no bias gradient where a layer has no bias."""
    return [Layer(gW, None if L.b is None else gb) for (gW, gb), L in zip(grads, like)]


def output_gradient(layers, x, activation="linear"):
    """∂ŷ/∂(every weight and bias) for one sample of a network with one output."""
    layers = _check_layers(layers)
    trace = forward(layers, x, activation)
    if not trace.single or layers[-1].W.shape[1] != 1:
        raise ValueError(
            f"output_gradient needs one sample and one output, got x of shape "
            f"{np.shape(x)} and {layers[-1].W.shape[1]} outputs"
        )
    grads = _backward([L.W for L in layers], trace.a, trace.z, trace.activations, np.ones((1, 1)))
    return _as_layers(grads, layers)


def stability_bound(layers, x, activation="linear"):
    """The learning rate past which a step makes the error grow: 2 / ‖∇ŷ‖².

    Near the current weights a step of ``lr`` changes ŷ by about
    ``−lr·‖∇ŷ‖²·(ŷ − y)``. With ``lr·‖∇ŷ‖² = 1`` the step lands on the target
    (to first order); between 1 and 2 it overshoots but the miss shrinks; past
    2 it overshoots by more than it was off, so the error grows step after step.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        g = output_gradient(layers, x, activation)
        sq = sum(float((p**2).sum()) for L in g for p in (L.W, L.b) if p is not None)
    if np.isnan(sq):
        raise ValueError(
            "the output's gradient overflowed at these weights (too large for floats), "
            "so no learning rate is stable here"
        )
    if np.isinf(sq):
        return 0.0  # every step, however small, overshoots
    return 2.0 / sq if sq > 0 else float("inf")


def numerical_gradient(layers, x, target, activation="linear", eps=1e-6):
    """∂E/∂(every weight and bias) by central differences, (E(w+eps) − E(w−eps)) / 2eps.

    Slow (two forward passes per parameter) and approximate, but independent of
    :func:`backward`: the reference a gradient check compares against.
    """
    layers = _check_layers(layers)
    names = _activation_names(activation, len(layers))

    x2d, single = _as_batch(x, layers[0].W.shape[0])
    t2d = _target_for(target, x2d, single, layers[-1].W.shape[1])

    def E(Ws, bs):
        a, _z = _forward(Ws, bs, x2d, names)
        return float(_error(a[-1], t2d))

    Ws = [L.W.copy() for L in layers]
    bs = [None if L.b is None else L.b.copy() for L in layers]
    grads = []
    for params in zip(Ws, bs):
        g = []
        for p in params:
            if p is None:
                g.append(None)
                continue
            gp = np.zeros_like(p)
            for idx in np.ndindex(p.shape):
                old = p[idx]
                p[idx] = old + eps
                up = E(Ws, bs)
                p[idx] = old - eps
                down = E(Ws, bs)
                p[idx] = old
                gp[idx] = (up - down) / (2 * eps)
            g.append(gp)
        grads.append(Layer(*g))
    return grads


def sgd_step(layers, grads, lr):
    """New layers ``W − lr·∂E/∂W`` and ``b − lr·∂E/∂b``; nothing is changed in place."""
    layers = _check_layers(layers)
    grads = list(grads)
    if len(grads) != len(layers):
        raise ValueError(f"expected {len(layers)} gradients, one per layer, got {len(grads)}")
    for k, (L, g) in enumerate(zip(layers, grads)):
        if not isinstance(g, Layer) or g.W.shape != L.W.shape:
            shape = getattr(getattr(g, "W", None), "shape", type(g).__name__)
            raise ValueError(
                f"gradient {k} must be a Layer with W of shape {L.W.shape}, got {shape}"
            )
        if (L.b is None) != (g.b is None):
            raise ValueError(
                f"gradient {k} must have a bias gradient exactly when layer {k} has a bias"
            )
    return [
        Layer(L.W - lr * g.W, None if L.b is None else L.b - lr * g.b)
        for L, g in zip(layers, grads)
    ]


# --------------------------------------------------------------------------
# Training: one learning rate, or many at once
# --------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class History:
    """What :func:`train` did.

    ``errors[k]`` is the error after ``k`` steps (``errors[0]`` before any
    step). When training diverged, ``diverged_at`` is the step whose error was
    not finite or passed ``max_error``; ``errors`` stops just before it and
    ``layers`` are the last layers with a sane error, and ``diverged_error``
    is the error at that step (``inf`` or ``nan`` if it overflowed). Otherwise
    ``diverged_at`` and ``diverged_error`` are ``None`` and
    ``len(errors) == epochs + 1``.
    """

    errors: np.ndarray
    layers: list
    diverged_at: int | None
    lr: float
    epochs: int
    max_error: float
    diverged_error: float | None = None

    @property
    def diverged(self):
        return self.diverged_at is not None

    @property
    def final_error(self):
        return float(self.errors[-1]) if len(self.errors) else float("nan")

    def describe(self):
        """One plain sentence about how training went."""
        if np.isnan(self.lr):
            return (
                "lr = nan: the learning rate is not a number, so a step makes every weight "
                "nan; choose a number such as 0.01."
            )
        if self.diverged_at is None:
            return (
                f"lr = {self.lr:g}: after {self.epochs} steps the error is {fmt(self.final_error)}."
            )
        if np.isinf(self.lr) and self.diverged_at == 1:
            return (
                f"lr = {fmt(self.lr)}: an infinite learning rate throws the weights to infinity "
                "at the first step; choose a finite number such as 0.01."
            )
        bad = self.diverged_error
        if bad is not None and np.isfinite(bad):
            why = f"the error reached {fmt(bad)}, past the limit {fmt(self.max_error)}"
        elif bad is not None or np.isinf(self.max_error):
            why = "the error overflowed"
        else:  # a History made without the error at that step
            why = f"the error passed {fmt(self.max_error)} or overflowed"
        if self.diverged_at == 0:
            if bad is not None and np.isfinite(bad):
                return (
                    f"lr = {self.lr:g}: the starting error, {fmt(bad)}, is already past "
                    f"the limit {fmt(self.max_error)}."
                )
            return f"lr = {self.lr:g}: the starting error is already too large to compute."
        return (
            f"lr = {self.lr:g}: training diverged at step {self.diverged_at} ({why}); "
            f"the last sane error was {fmt(self.final_error)} at step {self.diverged_at - 1}."
        )


@dataclass(frozen=True, eq=False)
class Sweep:
    """What :func:`sweep_learning_rates` did, one row per learning rate.

    ``errors[r, k]`` is the error after ``k`` steps at ``lrs[r]``, ``nan`` from
    the step at which that rate diverged (``diverged_at[r]``, or ``-1`` if it
    never did).
    """

    lrs: np.ndarray
    errors: np.ndarray
    diverged_at: np.ndarray
    max_error: float

    @property
    def final_errors(self):
        """The last sane error of each rate (for a diverged rate, the one before it blew up)."""
        finite = np.isfinite(self.errors)
        last = finite.shape[1] - 1 - np.argmax(finite[:, ::-1], axis=1)
        return self.errors[np.arange(len(self.lrs)), last]

    @property
    def diverged(self):
        return self.diverged_at >= 0


def _descend(layers, x, target, lrs, epochs, activation, max_error):
    """Gradient descent on a stack of copies of ``layers``, one per learning rate.

    Returns (errors (R, epochs + 1) with nan after divergence, diverged_at (R,),
    the error at the step that diverged (R,: inf or nan if it overflowed, nan
    if the row never diverged), last sane weights and biases). Every row sees
    exactly the arithmetic it would see alone.
    """
    layers = _check_layers(layers)
    names = _activation_names(activation, len(layers))
    x2d, single = _as_batch(x, layers[0].W.shape[0])
    t = _target_for(target, x2d, single, layers[-1].W.shape[1])
    if not isinstance(epochs, (int, np.integer)) or isinstance(epochs, bool) or epochs < 0:
        raise ValueError(f"epochs must be a whole number ≥ 0, got {epochs!r}")
    lrs = _real(lrs, "the learning rates")
    if lrs.ndim != 1:
        raise ValueError(f"learning rates must be a 1-D array, got shape {lrs.shape}")
    R, n = len(lrs), x2d.shape[0]
    Ws = [np.repeat(L.W[None], R, axis=0) for L in layers]
    bs = [None if L.b is None else np.repeat(L.b[None], R, axis=0) for L in layers]
    errors = np.full((R, epochs + 1), np.nan)
    diverged_at = np.full(R, -1)
    diverged_error = np.full(R, np.nan)
    alive = np.ones(R, dtype=bool)
    step_lr = lrs[:, None, None]
    prev_Ws, prev_bs = Ws, bs
    with np.errstate(all="ignore"):
        for k in range(epochs + 1):
            a, z = _forward(Ws, bs, x2d, names)
            E = _error(a[-1], t)
            bad = alive & ~(np.isfinite(E) & (E <= max_error))
            diverged_at[bad] = k
            diverged_error[bad] = E[bad]
            if bad.any() and k:
                # Those rows go back to the last weights whose error was sane.
                back = bad[:, None, None]
                Ws = [np.where(back, P, W) for P, W in zip(prev_Ws, Ws)]
                bs = [_where(back[:, 0], P, b) for P, b in zip(prev_bs, bs)]
            alive &= ~bad
            errors[alive, k] = E[alive]
            if k == epochs or not alive.any():
                break
            grads = _backward(Ws, a, z, names, (a[-1] - t) / n)
            keep = ~alive[:, None, None]
            prev_Ws, prev_bs = Ws, bs
            Ws = [np.where(keep, W, W - step_lr * gW) for W, (gW, _) in zip(Ws, grads)]
            bs = [
                None if b is None else np.where(keep[:, 0], b, b - step_lr[:, 0] * gb)
                for b, (_, gb) in zip(bs, grads)
            ]
    return errors, diverged_at, diverged_error, Ws, bs


def _where(cond, a, b):
    """np.where for biases, which may be absent (None)."""
    return None if a is None else np.where(cond, a, b)


def train(layers, x, target, lr, epochs, activation="linear", max_error=DEFAULT_MAX_ERROR):
    """Plain gradient descent for ``epochs`` steps at learning rate ``lr``.

    Returns a :class:`History`. Divergence (an error that overflows, turns
    into nan, or passes ``max_error``) stops training cleanly: no exception,
    no warning, and the history says at which step it happened.
    """
    if isinstance(lr, (bool, np.bool_, str, bytes)) or lr is None or np.ndim(_real(lr, "lr")) != 0:
        raise ValueError(f"lr must be one number, such as 0.01, got {_kind(lr)}")
    errors, diverged_at, diverged_error, Ws, bs = _descend(
        layers, x, target, [lr], epochs, activation, max_error
    )
    d = int(diverged_at[0])
    return History(
        errors=errors[0, : d if d >= 0 else epochs + 1],
        layers=[Layer(W[0], None if b is None else b[0]) for W, b in zip(Ws, bs)],
        diverged_at=None if d < 0 else d,
        lr=float(lr),
        epochs=int(epochs),
        max_error=float(max_error),
        diverged_error=None if d < 0 else float(diverged_error[0]),
    )


def sweep_learning_rates(
    layers, x, target, lrs, epochs, activation="linear", max_error=DEFAULT_MAX_ERROR
):
    """Train the same starting ``layers`` at every learning rate in ``lrs`` at once.

    Vectorised over the rates (one stack of networks), so a thousand rates cost
    little more than one; each row gives the same errors as :func:`train`.
    Returns a :class:`Sweep`.
    """
    errors, diverged_at, _, _, _ = _descend(layers, x, target, lrs, epochs, activation, max_error)
    return Sweep(
        lrs=np.asarray(lrs, dtype=float),
        errors=errors,
        diverged_at=diverged_at,
        max_error=float(max_error),
    )


def layers_from_sizes(sizes: Sequence[int], scale=1.0, bias=0.0, seed=0):
    """Random layers for the unit counts ``sizes`` (e.g. ``[2, 2, 1]``), reproducibly.

    Weights are normal with standard deviation ``scale / sqrt(n_in)``; every
    bias starts at ``bias`` (``None`` for layers without biases).
    """
    problem = ValueError(f"sizes must list at least two positive unit counts, got {sizes!r}")
    if sizes is None or isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__iter__"):
        raise problem
    sizes = list(sizes)
    if len(sizes) < 2 or not all(
        isinstance(s, (int, np.integer)) and not isinstance(s, (bool, np.bool_)) and s >= 1
        for s in sizes
    ):
        raise ValueError(f"sizes must list at least two positive unit counts, got {sizes!r}")
    rng = np.random.default_rng(seed)
    return [
        Layer(
            scale * rng.standard_normal((m, n)) / np.sqrt(m),
            None if bias is None else np.full(n, float(bias)),
        )
        for m, n in zip(sizes[:-1], sizes[1:])
    ]


# --------------------------------------------------------------------------
# Named weights: w1, w2, … as the articles number them
# --------------------------------------------------------------------------


def weight_names(layers):
    """``{name: (layer, i, j)}`` for every weight, numbered as the course numbers them.

    Numbering runs layer by layer and, within a layer, unit by unit of the
    layer's output: all weights into the first unit, then all into the second.
    For the 2-2-1 example that gives w1 = i1→h1, w2 = i2→h1, w3 = i1→h2,
    w4 = i2→h2, w5 = h1→ŷ, w6 = h2→ŷ, i.e. ``W_hidden = [[w1, w3], [w2, w4]]``.
    """
    names, k = {}, 1
    for n, layer in enumerate(_check_layers(layers)):
        n_in, n_out = layer.W.shape
        for j in range(n_out):
            for i in range(n_in):
                names[f"w{k}"] = (n, i, j)
                k += 1
    return names


def to_named(layers):
    """The weights of ``layers`` as ``{"w1": …, "w2": …}`` (see :func:`weight_names`)."""
    layers = _check_layers(layers)
    return {name: float(layers[n].W[i, j]) for name, (n, i, j) in weight_names(layers).items()}


def from_named(named, like):
    """New layers shaped like ``like`` with the weights given by name.

    ``named`` may give any subset of the names; the others (and all biases)
    are taken from ``like``. Unknown names raise a ``ValueError``.
    """
    like = _check_layers(like)
    places = weight_names(like)
    unknown = sorted(set(named) - set(places))
    if unknown:
        raise ValueError(f"unknown weight names {unknown}: this network has w1..w{len(places)}")
    Ws = [L.W.copy() for L in like]
    for name, value in named.items():
        n, i, j = places[name]
        Ws[n][i, j] = value
    return [Layer(W, L.b) for W, L in zip(Ws, like)]


# --------------------------------------------------------------------------
# Many weight settings at once: curves and surfaces of the error
# --------------------------------------------------------------------------


def _stacked_over(layers, x, settings):
    layers = _check_layers(layers)
    places = weight_names(layers)
    unknown = sorted(set(settings) - set(places))
    if unknown:
        raise ValueError(f"unknown weight names {unknown}: this network has w1..w{len(places)}")
    if not settings:
        raise ValueError("settings must give values for at least one weight, e.g. {'w1': [0, 1]}")
    values = [_real(v, f"the values of {name}", finite=True) for name, v in settings.items()]
    try:
        arrays = np.broadcast_arrays(*values)
    except ValueError:
        shapes = ", ".join(f"{name}: {v.shape}" for name, v in zip(settings, values))
        raise ValueError(
            f"the settings' arrays must broadcast to one shape, got {shapes}"
        ) from None
    shape = arrays[0].shape
    n = max(arrays[0].size, 1)
    Ws = [np.repeat(L.W[None], n, axis=0) for L in layers]
    bs = [None if L.b is None else np.repeat(L.b[None], n, axis=0) for L in layers]
    for name, values in zip(settings, arrays):
        layer, i, j = places[name]
        Ws[layer][:, i, j] = values.ravel()
    x2d, single = _as_batch(x, layers[0].W.shape[0])
    return layers, Ws, bs, x2d, single, shape


def predictions_over(layers, x, settings, activation="linear"):
    """The network's output for many settings of some named weights at once.

    ``settings`` maps weight names (``"w1"``, … as :func:`weight_names` numbers
    them) to arrays of values that broadcast to one shape S; every other
    weight and bias keeps its value. Returns the outputs, of shape S + (n_out,)
    for one sample (S + (n, n_out) for a batch). All settings go through one
    stacked forward pass, with the arithmetic of :func:`forward`.
    """
    layers, Ws, bs, x2d, single, shape = _stacked_over(layers, x, settings)
    names = _activation_names(activation, len(layers))
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is inf or nan, quietly
        a, _z = _forward(Ws, bs, x2d, names)
    out = a[-1][:, 0, :] if single else a[-1]
    return out.reshape(shape + out.shape[1:])


def errors_over(layers, x, target, settings, activation="linear"):
    """:func:`error` for many settings of some named weights at once; shape S.

    See :func:`predictions_over`: e.g. ``errors_over(layers, x, y, {"w6": ws})``
    is the error along w6, and ``{"w1": A, "w2": B}`` with meshgrids ``A, B``
    the error surface over w1 and w2.
    """
    layers, Ws, bs, x2d, single, shape = _stacked_over(layers, x, settings)
    names = _activation_names(activation, len(layers))
    t2d = _target_for(target, x2d, single, layers[-1].W.shape[1])
    with np.errstate(over="ignore", invalid="ignore"):
        a, _z = _forward(Ws, bs, x2d, names)
    # Every number given is finite: an error that is not overflowed (inf).
    return _finite_or_inf(_error(a[-1], t2d)).reshape(shape)


def error_along(layers, x, target, name, values, activation="linear"):
    """E with weight ``name`` set to each of ``values`` in turn, every other weight fixed.

    Each point is a full forward pass and error, all at once
    (:func:`errors_over`), so the curve is exactly what the
    network would give.
    """
    return errors_over(layers, x, target, {name: np.asarray(values, dtype=float)}, activation)
