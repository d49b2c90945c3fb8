"""train() and sweep_learning_rates(): against a hand-written loop, and each other.

The reference for train is the loop a reader would write from the helpers:
forward, error, backward, sgd_step. The reference for the sweep is train,
one learning rate at a time. Both must agree exactly, not approximately:
the notebooks show the sweep's numbers next to train's.
"""

import warnings

import numpy as np
import pytest

from helpers.examples import WORKED_EXAMPLE
from helpers.network import (
    DEFAULT_MAX_ERROR,
    backward,
    error,
    forward,
    layers_from_sizes,
    sgd_step,
    sweep_learning_rates,
    train,
)
from helpers.text import fmt

EX = WORKED_EXAMPLE
SPAN = np.linspace(0.001, 0.06, 30)  # converging, oscillating and diverging rates


def manual_training(layers, x, target, lr, epochs, activation="linear"):
    """Errors after 0..epochs steps and the final layers, the way a reader writes it."""
    errors = []
    with np.errstate(all="ignore"):  # a diverging run overflows; train stops before
        for k in range(epochs + 1):
            trace = forward(layers, x, activation)
            errors.append(error(trace.output, target))
            if k == epochs:
                break
            layers = sgd_step(layers, backward(layers, trace, target), lr)
    return np.array(errors), layers


def batch_problem():
    """A 3-4-2 tanh/linear network with biases and a batch of 5 samples."""
    rng = np.random.default_rng(1)
    layers = layers_from_sizes([3, 4, 2], bias=0.1, seed=3)
    x = rng.standard_normal((5, 3))
    target = rng.standard_normal((5, 2))
    return layers, x, target, ["tanh", "linear"]


def assert_same_layers(a, b):
    assert len(a) == len(b)
    for La, Lb in zip(a, b):
        np.testing.assert_array_equal(La.W, Lb.W)
        assert (La.b is None) == (Lb.b is None)
        if La.b is not None:
            np.testing.assert_array_equal(La.b, Lb.b)


def assert_sweep_row_is_train(sweep, r, history):
    """Row r of the sweep holds exactly train's errors, then nan."""
    n = len(history.errors)
    assert np.array_equal(sweep.errors[r, :n], history.errors)
    assert np.all(np.isnan(sweep.errors[r, n:]))
    d = int(sweep.diverged_at[r])
    assert (d == -1) == (history.diverged_at is None)
    if history.diverged_at is not None:
        assert d == history.diverged_at == n


# --------------------------------------------------------------------------
# train
# --------------------------------------------------------------------------


@pytest.mark.parametrize("lr", [0.001, 0.01, 0.016, 0.02, 0.029])
def test_train_equals_a_manual_loop(lr):
    h = train(EX.layers, EX.x, EX.target, lr, 200)
    errors, layers = manual_training(EX.layers, EX.x, EX.target, lr, 200)
    assert h.diverged_at is None and len(h.errors) == 201
    assert np.array_equal(h.errors, errors)
    assert_same_layers(h.layers, layers)


@pytest.mark.parametrize("lr", [0.1, 1.0, 2.0])
def test_train_equals_a_manual_loop_batch_nonlinear(lr):
    layers, x, target, activation = batch_problem()
    h = train(layers, x, target, lr, 100, activation=activation)
    errors, _ = manual_training(layers, x, target, lr, 100, activation)
    n = len(h.errors)
    assert np.array_equal(h.errors, errors[:n])
    if h.diverged_at is not None:  # lr 2.0 diverges: the manual run blows up there
        assert not (np.isfinite(errors[n]) and errors[n] <= DEFAULT_MAX_ERROR)


def test_train_keeps_the_starting_layers():
    before = [L.W.copy() for L in EX.layers]
    train(EX.layers, EX.x, EX.target, 0.05, 10)
    for L, W in zip(EX.layers, before):
        np.testing.assert_array_equal(L.W, W)


def test_zero_epochs():
    h = train(EX.layers, EX.x, EX.target, 0.05, 0)
    assert h.diverged_at is None
    assert h.errors.tolist() == [1.59561248]
    assert_same_layers(h.layers, EX.layers)


@pytest.mark.parametrize("max_error", [DEFAULT_MAX_ERROR, 1e3, np.inf])
@pytest.mark.parametrize("lr", [0.03, 0.045, 0.05, 0.5, 10.0])
def test_divergence_is_clean(lr, max_error):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # also enforced by pyproject; say it here
        h = train(EX.layers, EX.x, EX.target, lr, 500, max_error=max_error)
    assert h.diverged
    d = h.diverged_at
    assert len(h.errors) == d >= 1
    assert np.all(np.isfinite(h.errors)) and np.all(h.errors <= max_error)
    assert all(np.all(np.isfinite(L.W)) for L in h.layers)
    # diverged_at is the first step whose error is bad: check with a manual run.
    errors, _ = manual_training(EX.layers, EX.x, EX.target, lr, d)
    assert np.array_equal(errors[:d], h.errors)
    assert not (np.isfinite(errors[d]) and errors[d] <= max_error)
    # The kept layers are the ones after d - 1 steps, whose error is the last one.
    before = train(EX.layers, EX.x, EX.target, lr, d - 1, max_error=max_error)
    assert before.diverged_at is None
    assert_same_layers(h.layers, before.layers)
    assert error(forward(h.layers, EX.x).output, EX.target) == h.errors[-1]
    assert f"diverged at step {d}" in h.describe()
    # It says what happened at that step: the error it reached, or an overflow.
    if np.isfinite(errors[d]):
        assert h.diverged_error == errors[d]
        assert f"the error reached {fmt(errors[d])}, past the limit {fmt(max_error)}" in (
            h.describe()
        )
    else:
        assert not np.isfinite(h.diverged_error)
        assert "(the error overflowed)" in h.describe()


def test_divergence_at_step_zero():
    h = train(EX.layers, EX.x, EX.target, 0.01, 10, max_error=1.0)  # E0 = 1.59561248 > 1
    assert h.diverged_at == 0 and len(h.errors) == 0
    assert np.isnan(h.final_error)
    assert_same_layers(h.layers, EX.layers)
    assert h.describe() == ("lr = 0.01: the starting error, 1.596, is already past the limit 1.")


def test_max_error_itself_is_still_sane():
    # "passed max_error" means strictly greater: E0 = 1.59561248 as the limit is fine.
    h = train(EX.layers, EX.x, EX.target, 0.01, 10, max_error=1.59561248)
    assert h.diverged_at is None and h.errors[0] == 1.59561248


def test_lr_001_is_almost_newtons_step():
    # lr·‖∇ŷ‖² = 0.01·89.9856 ≈ 0.9, so one step removes most of the error.
    h = train(EX.layers, EX.x, EX.target, 0.01, 200)
    assert 4e-4 < h.errors[1] < 6e-4  # "E falls to ~5e−4 after one step"
    assert h.final_error < 1e-25
    assert h.describe().startswith("lr = 0.01: after 200 steps")


def test_learning_rate_regimes_of_the_example():
    # The learning-rate regimes the course teaches, checked with train at 500 steps.
    def run(lr):
        return train(EX.layers, EX.x, EX.target, lr, 500)

    for lr in [0.001, 0.005, 0.01, 0.0125, 0.015, 0.016]:
        h = run(lr)
        assert h.diverged_at is None and h.final_error < 1e-20, lr
    for lr in [0.018, 0.02, 0.025, 0.029]:  # neither converges nor blows up
        h = run(lr)
        assert h.diverged_at is None, lr
        assert 1e-2 < np.max(h.errors[-20:]) < 1e3, lr
    assert 1 <= run(0.030).diverged_at <= 12
    for lr in [0.045, 0.05, 0.06]:
        assert 1 <= run(lr).diverged_at <= 3, lr


# --------------------------------------------------------------------------
# sweep_learning_rates
# --------------------------------------------------------------------------


def test_sweep_rows_equal_train():
    sweep = sweep_learning_rates(EX.layers, EX.x, EX.target, SPAN, 300)
    assert sweep.errors.shape == (30, 301)
    np.testing.assert_array_equal(sweep.lrs, SPAN)
    d = sweep.diverged_at
    # the span really covers the three regimes
    assert not sweep.diverged[0] and sweep.diverged[-1]
    assert np.any((d == -1) & (sweep.final_errors > 1e-3))  # oscillating
    assert np.any((d == -1) & (sweep.final_errors < 1e-20))  # converging
    for r, lr in enumerate(SPAN):
        assert_sweep_row_is_train(sweep, r, train(EX.layers, EX.x, EX.target, lr, 300))


def test_sweep_final_errors():
    sweep = sweep_learning_rates(EX.layers, EX.x, EX.target, SPAN, 300)
    for r, lr in enumerate(SPAN):
        assert sweep.final_errors[r] == train(EX.layers, EX.x, EX.target, lr, 300).final_error


@pytest.mark.parametrize("max_error", [DEFAULT_MAX_ERROR, np.inf])
def test_sweep_rows_equal_train_batch_nonlinear(max_error):
    layers, x, target, activation = batch_problem()
    lrs = np.linspace(0.01, 30, 25)
    sweep = sweep_learning_rates(
        layers, x, target, lrs, 150, activation=activation, max_error=max_error
    )
    assert np.any(sweep.diverged) and not np.all(sweep.diverged)
    for r, lr in enumerate(lrs):
        h = train(layers, x, target, lr, 150, activation=activation, max_error=max_error)
        assert_sweep_row_is_train(sweep, r, h)


def test_sweep_rows_do_not_depend_on_each_other():
    # Reversed, duplicated or alone, a rate gives the same row.
    sweep = sweep_learning_rates(EX.layers, EX.x, EX.target, SPAN, 100)
    rev = sweep_learning_rates(EX.layers, EX.x, EX.target, SPAN[::-1], 100)
    np.testing.assert_array_equal(sweep.errors, rev.errors[::-1])
    np.testing.assert_array_equal(sweep.diverged_at, rev.diverged_at[::-1])
    one = sweep_learning_rates(EX.layers, EX.x, EX.target, SPAN[7:8], 100)
    np.testing.assert_array_equal(one.errors[0], sweep.errors[7])


def test_sweep_has_no_warnings_and_the_article_rate_diverges_at_3():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sweep = sweep_learning_rates(EX.layers, EX.x, EX.target, [0.01, 0.05, 1e3], 50)
    assert sweep.diverged_at.tolist() == [-1, 3, 1]
    assert sweep.errors[1, :3][0] == 1.59561248
    assert np.all(np.isnan(sweep.errors[1, 3:]))


def test_describe_without_the_error_at_divergence_names_both_causes():
    import dataclasses

    h = train(EX.layers, EX.x, EX.target, 0.05, 20)
    bare = dataclasses.replace(h, diverged_error=None)
    assert f"(the error passed {fmt(h.max_error)} or overflowed)" in bare.describe()
