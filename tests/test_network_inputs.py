"""Bad input fails loudly and helpfully; nothing is changed in place.

Every ValueError must name what was expected and what was given, so that a
student who passes the wrong thing from a notebook can see what to fix.
"""

import dataclasses
import re

import numpy as np
import pytest

from helpers.examples import WORKED_EXAMPLE
from helpers.network import (
    Layer,
    activate,
    activation_derivative,
    backward,
    error,
    forward,
    from_named,
    layers_from_sizes,
    numerical_gradient,
    output_gradient,
    sgd_step,
    stability_bound,
    sweep_learning_rates,
    train,
)

EX = WORKED_EXAMPLE
UNKNOWN_SOFTMAX = (
    r"unknown activation 'softmax': expected one of 'linear', 'relu', 'sigmoid', 'tanh'"
)


def esc(text):
    return re.escape(text)


def example_trace():
    return forward(EX.layers, EX.x)


def example_grads():
    return backward(EX.layers, example_trace(), EX.target)


# --------------------------------------------------------------------------
# Shapes
# --------------------------------------------------------------------------


def test_layer_W_must_be_2d():
    with pytest.raises(
        ValueError, match=esc("W must be a 2-D array (n_in, n_out), got shape (2,)")
    ):
        Layer([1.0, 2.0])


def test_layer_b_must_match_W():
    with pytest.raises(ValueError, match=esc("b must have shape (n_out,) = (3,)")) as info:
        Layer(np.zeros((2, 3)), np.zeros(2))
    assert "W of shape (2, 3)" in str(info.value) and "got shape (2,)" in str(info.value)
    with pytest.raises(ValueError, match=esc("(3,)") + ".*" + esc("got shape (1, 3)")):
        Layer(np.zeros((2, 3)), np.zeros((1, 3)))


def test_layers_must_chain():
    layers = [Layer(np.zeros((2, 3))), Layer(np.zeros((2, 1)))]
    with pytest.raises(ValueError, match="layer 1 takes 2 inputs but layer 0 gives 3 outputs"):
        forward(layers, [1.0, 2.0])
    with pytest.raises(ValueError, match=esc("(2, 3) and (2, 1)")):
        train(layers, [1.0, 2.0], 0.0, 0.1, 3)


def test_layers_must_be_layers():
    with pytest.raises(ValueError, match="expected at least one Layer, got an empty list"):
        forward([], [1.0])
    with pytest.raises(ValueError, match=esc("layer 1 must be a Layer(W, b), got ndarray")):
        forward([EX.layers[0], np.zeros((2, 1))], EX.x)


@pytest.mark.parametrize(
    "x, given",
    [([1.0, 2.0, 3.0], "(3,)"), (np.zeros((4, 3)), "(4, 3)"), (np.zeros((1, 1, 2)), "(1, 1, 2)")],
)
def test_x_must_fit_the_first_layer(x, given):
    expected = esc("x must have shape (2,) for one sample or (n, 2) for a batch")
    for call in [
        lambda: forward(EX.layers, x),
        lambda: numerical_gradient(EX.layers, x, 4.0),
        lambda: train(EX.layers, x, 4.0, 0.01, 5),
        lambda: sweep_learning_rates(EX.layers, x, 4.0, [0.01], 5),
        lambda: stability_bound(EX.layers, x),
    ]:
        with pytest.raises(ValueError, match=expected + ".*" + esc(f"got shape {given}")):
            call()


def test_target_must_fit_the_output():
    out1 = esc("target must have the shape of the output (1,), got shape (2,)")
    with pytest.raises(ValueError, match=out1):
        error(example_trace().output, [4.0, 5.0])
    with pytest.raises(ValueError, match=out1):
        backward(EX.layers, example_trace(), [4.0, 5.0])
    with pytest.raises(ValueError, match=out1):
        numerical_gradient(EX.layers, EX.x, [4.0, 5.0])
    with pytest.raises(ValueError, match=out1):
        train(EX.layers, EX.x, [4.0, 5.0], 0.01, 5)
    # a batch of 3 needs targets of shape (3, 1); (3,) is ambiguous and refused
    batch = forward(EX.layers, np.ones((3, 2)))
    with pytest.raises(ValueError, match=esc("output (3, 1), got shape (3,)")):
        backward(EX.layers, batch, [1.0, 2.0, 3.0])
    # two outputs: a plain number is ambiguous too
    two = layers_from_sizes([2, 2])
    with pytest.raises(ValueError, match=esc("output (2,), got shape ()")):
        error(forward(two, EX.x).output, 1.0)


def test_error_output_must_be_1d_or_2d():
    with pytest.raises(ValueError, match=esc("(n_out,) or (n, n_out), got shape (1, 1, 1)")):
        error(np.zeros((1, 1, 1)), 0.0)


def test_sgd_step_gradient_shapes():
    grads = example_grads()
    wrong_W = [Layer(np.zeros((3, 2))), grads[1]]
    with pytest.raises(
        ValueError, match=esc("gradient 0 must be a Layer with W of shape (2, 2), got (3, 2)")
    ):
        sgd_step(EX.layers, wrong_W, 0.1)
    with pytest.raises(
        ValueError, match=esc("gradient 1 must be a Layer with W of shape (2, 1), got ndarray")
    ):
        sgd_step(EX.layers, [grads[0], np.zeros((2, 1))], 0.1)
    with pytest.raises(ValueError, match="expected 2 gradients, one per layer, got 1"):
        sgd_step(EX.layers, grads[:1], 0.1)
    with_bias = [grads[0], Layer(grads[1].W, [0.0])]
    with pytest.raises(ValueError, match="bias gradient exactly when layer 1 has a bias"):
        sgd_step(EX.layers, with_bias, 0.1)


def test_backward_needs_its_forward_pass():
    with pytest.raises(
        ValueError, match="trace must be the Trace that forward\\(\\) returned, got dict"
    ):
        backward(EX.layers, {}, EX.target)
    with pytest.raises(ValueError, match="different layers"):
        backward(EX.layers[:1], example_trace(), EX.target)
    other = [Layer(np.zeros((2, 3))), Layer(np.zeros((3, 1)))]
    with pytest.raises(ValueError, match="different layers"):
        backward(EX.layers, forward(other, EX.x), EX.target)


def test_backward_rejects_a_trace_with_another_input_width():
    narrow = [Layer(np.ones((3, 2))), Layer(np.ones((2, 1)))]
    wide = [Layer(np.ones((4, 2))), Layer(np.ones((2, 1)))]
    with pytest.raises(ValueError, match="different layers"):
        backward(narrow, forward(wide, np.ones(4)), 1.0)


def test_output_gradient_needs_one_sample_and_one_output():
    with pytest.raises(ValueError, match=esc("one sample and one output, got x of shape (3, 2)")):
        output_gradient(EX.layers, np.ones((3, 2)))
    with pytest.raises(ValueError, match=esc("got x of shape (2,) and 2 outputs")):
        output_gradient(layers_from_sizes([2, 2]), EX.x)


def test_training_arguments():
    with pytest.raises(ValueError, match="epochs must be a whole number ≥ 0, got -1"):
        train(EX.layers, EX.x, EX.target, 0.01, -1)
    with pytest.raises(ValueError, match="epochs must be a whole number ≥ 0, got 2.5"):
        train(EX.layers, EX.x, EX.target, 0.01, 2.5)
    with pytest.raises(ValueError, match=esc("learning rates must be a 1-D array, got shape ()")):
        sweep_learning_rates(EX.layers, EX.x, EX.target, 0.01, 5)
    with pytest.raises(ValueError, match=esc("1-D array, got shape (2, 2)")):
        sweep_learning_rates(EX.layers, EX.x, EX.target, np.ones((2, 2)), 5)


def test_named_weights():
    with pytest.raises(
        ValueError, match=esc("unknown weight names ['w0', 'w7']: this network has w1..w6")
    ):
        from_named({"w7": 1.0, "w0": 2.0, "w1": 3.0}, EX.layers)


def test_layers_from_sizes():
    with pytest.raises(ValueError, match=esc("at least two positive unit counts, got [2]")):
        layers_from_sizes([2])
    with pytest.raises(ValueError, match=esc("got [2, 0, 1]")):
        layers_from_sizes([2, 0, 1])


# --------------------------------------------------------------------------
# Activations
# --------------------------------------------------------------------------


def test_unknown_activation_names():
    with pytest.raises(ValueError, match=UNKNOWN_SOFTMAX):
        forward(EX.layers, EX.x, "softmax")
    with pytest.raises(ValueError, match=UNKNOWN_SOFTMAX):
        forward(EX.layers, EX.x, ["relu", "softmax"])
    with pytest.raises(ValueError, match=UNKNOWN_SOFTMAX):
        activate(1.0, "softmax")
    with pytest.raises(ValueError, match=UNKNOWN_SOFTMAX):
        activation_derivative(1.0, "softmax")
    with pytest.raises(ValueError, match="unknown activation 'ReLU'"):
        train(EX.layers, EX.x, EX.target, 0.01, 5, activation="ReLU")
    with pytest.raises(ValueError, match="unknown activation None"):
        numerical_gradient(EX.layers, EX.x, EX.target, ["relu", None])


def test_wrong_number_of_activations():
    msg = esc("expected one activation per layer (2 names), got 1: ['relu']")
    with pytest.raises(ValueError, match=msg):
        forward(EX.layers, EX.x, ["relu"])
    with pytest.raises(ValueError, match=esc("(2 names), got 3")):
        sweep_learning_rates(EX.layers, EX.x, EX.target, [0.01], 5, ["relu"] * 3)


def test_backward_activation_must_match_the_trace():
    msg = esc("activation ['relu', 'relu'] differs from the forward pass's ['linear', 'linear']")
    with pytest.raises(ValueError, match=msg):
        backward(EX.layers, example_trace(), EX.target, "relu")


@pytest.mark.parametrize("activation", [None, 3])
def test_non_name_activation_is_a_value_error(activation):
    with pytest.raises(ValueError, match="unknown activation"):
        forward(EX.layers, EX.x, activation)


# --------------------------------------------------------------------------
# Nothing changes in place
# --------------------------------------------------------------------------


def test_layers_are_immutable():
    L = Layer(np.ones((2, 2)), np.zeros(2))
    with pytest.raises(ValueError, match="read-only"):
        L.W[0, 0] = 5.0
    with pytest.raises(ValueError, match="read-only"):
        L.b[0] = 5.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        L.W = np.zeros((2, 2))
    for layer in EX.layers:
        with pytest.raises(ValueError, match="read-only"):
            layer.W[0, 0] = 5.0
    assert EX.named["w1"] == 0.21


def test_layer_copies_the_callers_arrays():
    W, b = np.ones((2, 2)), np.zeros(2)
    L = Layer(W, b)
    W[0, 0], b[0] = 7.0, 7.0  # the caller's arrays stay writable and theirs
    assert L.W[0, 0] == 1.0 and L.b[0] == 0.0


def test_sgd_step_mutates_nothing():
    layers = layers_from_sizes([2, 3, 1], bias=0.1, seed=4)
    grads = backward(layers, forward(layers, EX.x, "tanh"), EX.target)
    before = [(L.W.copy(), L.b.copy()) for L in layers + grads]
    new = sgd_step(layers, grads, 0.1)
    for L, (W, b) in zip(layers + grads, before):
        np.testing.assert_array_equal(L.W, W)
        np.testing.assert_array_equal(L.b, b)
    assert all(n is not L for n, L in zip(new, layers))
    for n, L, g in zip(new, layers, grads):
        np.testing.assert_array_equal(n.W, L.W - 0.1 * g.W)
        np.testing.assert_array_equal(n.b, L.b - 0.1 * g.b)
        assert not n.W.flags.writeable


def test_helpers_do_not_touch_their_inputs():
    x, target = EX.x.copy(), EX.target.copy()
    named = dict(EX.named)
    trace = forward(EX.layers, x)
    backward(EX.layers, trace, target)
    numerical_gradient(EX.layers, x, target)
    from_named({"w1": 9.0}, EX.layers)
    train(EX.layers, x, target, 0.05, 20)
    np.testing.assert_array_equal(x, [8.0, 12.0])
    np.testing.assert_array_equal(target, [4.0])
    assert EX.named == named
