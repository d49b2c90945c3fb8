"""The worked example pinned number by number, as the notebooks teach it.

Every literal below is a hand-worked value from the content brief. Where the
brief gives only a prefix (``13.924443489…``, ``49.2472892847…``) the test
first checks that prefix and then pins the remaining float64 digits. Two
independent references back the pins: the article's scalar formulas evaluated
with plain Python floats, and exact rational arithmetic (``fractions``).
"""

import sys
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.examples import WORKED_EXAMPLE
from helpers.network import (
    Layer,
    backward,
    error,
    forward,
    from_named,
    output_gradient,
    sgd_step,
    stability_bound,
    to_named,
    train,
    weight_names,
)

EX = WORKED_EXAMPLE
NAMES = ["w1", "w2", "w3", "w4", "w5", "w6"]
START = {"w1": 0.21, "w2": 0.56, "w3": 0.19, "w4": 0.02, "w5": 0.23, "w6": 0.16}


def assert_close(actual, desired):
    np.testing.assert_allclose(actual, desired, rtol=1e-15, atol=0)


def pinned(value, content_prefix, full_repr):
    """Check ``value`` starts with the example's published digits, then pin the rest.

    Pinned to within 4 units in the last place: numpy's matrix products may
    use fused multiply-adds or not, depending on the processor, which moves
    the last bit or two.
    """
    assert repr(float(value)).startswith(content_prefix)
    full = float(full_repr)
    assert abs(float(value) - full) <= 4 * np.spacing(full), (value, full_repr)


def gradient_of_example():
    return backward(EX.layers, forward(EX.layers, EX.x), EX.target)


def exact_errors(lr, steps):
    """The example trained with exact rational arithmetic: E after 0..steps-1 steps.

    A third implementation of the six scalar formulas, independent of numpy
    and of rounding.
    """
    i1, i2, y = Fraction(8), Fraction(12), Fraction(4)
    w = [Fraction(str(START[n])) for n in NAMES]
    lr = Fraction(str(lr))
    errors = []
    for _ in range(steps):
        w1, w2, w3, w4, w5, w6 = w
        h1, h2 = w1 * i1 + w2 * i2, w3 * i1 + w4 * i2
        delta = w5 * h1 + w6 * h2 - y
        errors.append(delta * delta / 2)
        grads = [delta * w5 * i1, delta * w5 * i2, delta * w6 * i1, delta * w6 * i2]
        grads += [delta * h1, delta * h2]
        w = [wk - lr * gk for wk, gk in zip(w, grads)]
    return errors


# --------------------------------------------------------------------------
# The example itself
# --------------------------------------------------------------------------


def test_example_is_the_article_network():
    assert EX.named == START
    np.testing.assert_array_equal(EX.layers[0].W, [[0.21, 0.19], [0.56, 0.02]])
    np.testing.assert_array_equal(EX.layers[1].W, [[0.23], [0.16]])
    assert all(L.b is None for L in EX.layers)
    np.testing.assert_array_equal(EX.x, [8, 12])
    np.testing.assert_array_equal(EX.target, [4])
    assert EX.lr == 0.05
    assert EX.activation == "linear"


def test_weight_names_follow_the_article():
    # w1 = i1->h1, w2 = i2->h1, w3 = i1->h2, w4 = i2->h2, w5 = h1->out, w6 = h2->out
    assert weight_names(EX.layers) == {
        "w1": (0, 0, 0),
        "w2": (0, 1, 0),
        "w3": (0, 0, 1),
        "w4": (0, 1, 1),
        "w5": (1, 0, 0),
        "w6": (1, 1, 0),
    }


def test_forward_pass():
    trace = forward(EX.layers, EX.x)
    (hidden,) = trace.hidden
    assert hidden.shape == (2,) and trace.output.shape == (1,)
    assert_close(hidden, [8.4, 1.76])
    assert_close(trace.output, [2.2136])


def test_error_and_delta():
    out = forward(EX.layers, EX.x).output
    assert_close(error(out, EX.target), 1.59561248)
    assert_close(error(out, 4), 1.59561248)  # a plain number works for one output
    assert_close(out - EX.target, [-1.7864])


def test_gradients():
    g = to_named(gradient_of_example())
    hand = {
        "w1": -3.286976,
        "w2": -4.930464,
        "w3": -2.286592,
        "w4": -3.429888,
        "w5": -15.00576,
        "w6": -3.144064,
    }
    for name in NAMES:
        assert_close(g[name], hand[name])


def test_one_step_at_the_articles_learning_rate():
    new = to_named(sgd_step(EX.layers, gradient_of_example(), EX.lr))
    hand = [0.3743488, 0.8065232, 0.3043296, 0.1914944, 0.980288, 0.3172032]
    assert_close([new[n] for n in NAMES], hand)


def test_new_prediction_after_one_step():
    new = sgd_step(EX.layers, gradient_of_example(), EX.lr)
    y_hat = forward(new, EX.x).output[0]
    pinned(y_hat, "13.924443489", "13.924443489157122")
    # The article's 13.95 came from rounding the weights first; not ours.
    assert abs(y_hat - 13.95) > 0.02


def test_new_prediction_matches_exact_arithmetic():
    # E after one step is ½(ŷ₁ − 4)², so ŷ₁ = 4 + sqrt(2·E₁) (ŷ₁ > 4 here).
    e1 = exact_errors(0.05, 2)[1]
    y_hat = forward(sgd_step(EX.layers, gradient_of_example(), EX.lr), EX.x).output[0]
    np.testing.assert_allclose(0.5 * (y_hat - 4) ** 2, float(e1), rtol=1e-14)


def test_hidden_update_uses_the_old_output_weights():
    # ∂E/∂w1 = δ·w5·i1 with the *old* w5 = 0.23, not the updated 0.980288.
    g = to_named(gradient_of_example())
    assert_close(g["w1"], -1.7864 * 0.23 * 8)
    assert g["w1"] != -1.7864 * 0.980288 * 8


def test_scalar_updates_equal_the_matrix_update():
    # The six scalar updates, each written out as the article's formula.
    i1, i2, y, lr = 8.0, 12.0, 4.0, 0.05
    w1, w2, w3, w4, w5, w6 = (START[n] for n in NAMES)
    h1 = w1 * i1 + w2 * i2
    h2 = w3 * i1 + w4 * i2
    y_hat = w5 * h1 + w6 * h2
    delta = y_hat - y
    by_hand = {
        "w1": w1 - lr * delta * w5 * i1,
        "w2": w2 - lr * delta * w5 * i2,
        "w3": w3 - lr * delta * w6 * i1,
        "w4": w4 - lr * delta * w6 * i2,
        "w5": w5 - lr * delta * h1,
        "w6": w6 - lr * delta * h2,
    }
    by_matrix = to_named(sgd_step(EX.layers, gradient_of_example(), lr))
    for name in NAMES:
        assert_close(by_matrix[name], by_hand[name])


# --------------------------------------------------------------------------
# Training at lr 0.05 diverges
# --------------------------------------------------------------------------


def test_error_sequence_at_005():
    h = train(EX.layers, EX.x, EX.target, 0.05, 10, max_error=np.inf)
    e = h.errors
    assert_close(e[0], 1.59561248)
    pinned(e[1], "49.2472892847", "49.247289284736596")
    assert f"{e[2]:.3e}" == "1.366e+05"
    assert f"{e[3]:.2e}" == "2.77e+15"


def test_error_sequence_matches_exact_arithmetic():
    h = train(EX.layers, EX.x, EX.target, 0.05, 10, max_error=np.inf)
    ref = [float(e) for e in exact_errors(0.05, 6)]
    # Rounding errors grow a little with every step of a diverging run.
    np.testing.assert_allclose(h.errors, ref, rtol=1e-13, atol=0)


def test_divergence_at_005_with_default_max_error():
    h = train(EX.layers, EX.x, EX.target, 0.05, 500)
    assert h.diverged and h.diverged_at == 3  # 2.77e15 > 1e12
    assert len(h.errors) == 3
    pinned(h.errors[1], "49.2472892847", "49.247289284736596")
    # The layers are the last ones with a sane error: those after 2 steps.
    two = train(EX.layers, EX.x, EX.target, 0.05, 2)
    for a, b in zip(h.layers, two.layers):
        np.testing.assert_array_equal(a.W, b.W)
    assert error(forward(h.layers, EX.x).output, EX.target) == h.errors[-1]


def test_divergence_at_005_by_overflow():
    h = train(EX.layers, EX.x, EX.target, 0.05, 500, max_error=np.inf)
    # Exact arithmetic: E after 5 steps still fits a float64, E after 6 does not.
    ref = exact_errors(0.05, 7)
    assert ref[5] < sys.float_info.max < ref[6]
    assert h.diverged_at == 6
    assert len(h.errors) == 6 and np.all(np.isfinite(h.errors))
    assert all(np.all(np.isfinite(L.W)) for L in h.layers)


# --------------------------------------------------------------------------
# Stability bound and ∂ŷ/∂w
# --------------------------------------------------------------------------


def test_output_gradient_is_the_hand_formula():
    i1, i2, w5, w6 = 8.0, 12.0, 0.23, 0.16
    g = to_named(output_gradient(EX.layers, EX.x))
    hand = {"w1": i1 * w5, "w2": i2 * w5, "w3": i1 * w6, "w4": i2 * w6, "w5": 8.4, "w6": 1.76}
    for name in NAMES:
        assert_close(g[name], hand[name])


def test_stability_bound():
    g = output_gradient(EX.layers, EX.x)
    assert_close(sum(float((L.W**2).sum()) for L in g), 89.9856)
    assert_close(stability_bound(EX.layers, EX.x), 2 / 89.9856)
    assert 0.0222 < stability_bound(EX.layers, EX.x) < 0.0223


def test_stability_bound_counts_biases():
    # ŷ = w·x + b: ∂ŷ/∂w = x = 3, ∂ŷ/∂b = 1, so ‖∇ŷ‖² = 10.
    assert stability_bound([Layer([[2.0]], [0.5])], [3.0]) == 2 / 10
    assert stability_bound([Layer([[2.0]])], [3.0]) == 2 / 9


# --------------------------------------------------------------------------
# The article's named-weight formulas, on random values
# --------------------------------------------------------------------------

value = st.floats(-10, 10, allow_nan=False, allow_infinity=False)
BLANK = [Layer(np.zeros((2, 2))), Layer(np.zeros((2, 1)))]


@settings(max_examples=100, deadline=None, database=None)
@given(st.lists(value, min_size=6, max_size=6), value, value, value)
def test_named_formulas_agree_with_backward(ws, i1, i2, y):
    w1, w2, w3, w4, w5, w6 = ws
    layers = from_named(dict(zip(NAMES, ws)), BLANK)
    assert to_named(layers) == dict(zip(NAMES, ws))
    trace = forward(layers, [i1, i2])
    h1, h2 = trace.hidden[0]
    y_hat = trace.output[0]
    delta = y_hat - y
    formulas = {
        "w1": delta * w5 * i1,
        "w2": delta * w5 * i2,
        "w3": delta * w6 * i1,
        "w4": delta * w6 * i2,
        "w5": delta * h1,
        "w6": delta * h2,
    }
    g = to_named(backward(layers, trace, y))
    # Each formula is a product of the same factors that backward multiplies,
    # in the same order, with no sums: the agreement is exact.
    assert g == formulas
    assert h1 == pytest.approx(w1 * i1 + w2 * i2, rel=1e-12, abs=1e-12)
    assert h2 == pytest.approx(w3 * i1 + w4 * i2, rel=1e-12, abs=1e-12)
