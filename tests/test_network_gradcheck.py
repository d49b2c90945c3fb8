"""backward() against central finite differences, on random networks.

numerical_gradient never calls backward: it only runs forward passes, so it
is an independent reference. Networks have 1-4 layers of 1-5 units, any
activation (one for all layers or one per layer), biases on some layers or
none, one sample or a batch.
"""

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from helpers.examples import WORKED_EXAMPLE
from helpers.network import (
    ACTIVATIONS,
    Layer,
    activate,
    activation_derivative,
    backward,
    error,
    forward,
    layers_from_sizes,
    numerical_gradient,
)

ACTIVATION_NAMES = sorted(ACTIVATIONS)
KINK = 1e-3  # relu examples with some |z| below this are rejected


def values(shape, bound):
    return arrays(np.float64, shape, elements=st.floats(-bound, bound, width=64))


@st.composite
def problems(draw):
    """(layers, x, target, activation) for a random network and batch."""
    n_layers = draw(st.integers(1, 4))
    sizes = draw(st.lists(st.integers(1, 5), min_size=n_layers + 1, max_size=n_layers + 1))
    activation = draw(
        st.one_of(
            st.sampled_from(ACTIVATION_NAMES),
            st.lists(st.sampled_from(ACTIVATION_NAMES), min_size=n_layers, max_size=n_layers),
        )
    )
    layers = []
    for m, n in zip(sizes[:-1], sizes[1:]):
        W = draw(values((m, n), 1.5))
        b = draw(st.one_of(st.none(), values((n,), 1.0)))
        layers.append(Layer(W, b))
    batch = draw(st.one_of(st.none(), st.integers(1, 4)))
    lead = () if batch is None else (batch,)
    x = draw(values(lead + (sizes[0],), 2.0))
    target = draw(values(lead + (sizes[-1],), 2.0))
    return layers, x, target, activation


def uses_relu_near_kink(layers, x, activation):
    trace = forward(layers, x, activation)
    names = trace.activations
    return any(name == "relu" and np.any(np.abs(z) < KINK) for z, name in zip(trace.z, names))


def assert_gradients_agree(layers, x, target, activation):
    trace = forward(layers, x, activation)
    E = error(trace.output, target)
    analytic = backward(layers, trace, target)
    numeric = numerical_gradient(layers, x, target, activation)
    # Central differences with eps = 1e-6 resolve about 1e-10·E absolutely
    # (rounding) and are relatively exact to ~1e-12 (truncation): ask for a
    # relative error below 1e-6, with an absolute floor a hundred times the
    # rounding noise.
    atol = 1e-8 * (1.0 + E)
    assert len(analytic) == len(numeric) == len(layers)
    for k, (L, g, n) in enumerate(zip(layers, analytic, numeric)):
        assert g.W.shape == n.W.shape == L.W.shape
        np.testing.assert_allclose(g.W, n.W, rtol=1e-6, atol=atol, err_msg=f"dE/dW, layer {k}")
        if L.b is None:
            assert g.b is None and n.b is None
        else:
            assert g.b.shape == n.b.shape == L.b.shape
            np.testing.assert_allclose(g.b, n.b, rtol=1e-6, atol=atol, err_msg=f"dE/db, layer {k}")


@settings(max_examples=100, deadline=None, database=None)
@given(problems())
def test_backward_matches_finite_differences(problem):
    layers, x, target, activation = problem
    assume(not uses_relu_near_kink(layers, x, activation))
    assert_gradients_agree(layers, x, target, activation)


def test_worked_example_gradient_check():
    ex = WORKED_EXAMPLE
    assert_gradients_agree(ex.layers, ex.x, ex.target, "linear")


def test_seed2_relu_network_gradient_check():
    # Seed 2's network: 1 input, 2 hidden, 2 outputs, relu on both layers,
    # biases 0.1; one sample and a batch.
    layers = layers_from_sizes([1, 2, 2], bias=0.1, seed=2)
    for x, target in [([0.7], [1.0, -0.5]), ([[0.7], [-1.3], [2.0]], [[1, 0], [0, 1], [2, 2]])]:
        assert not uses_relu_near_kink(layers, x, "relu")
        assert_gradients_agree(layers, x, target, "relu")


def test_deep_network_gradient_check():
    # Ten layers, as in notebook 07, every activation in turn.
    sizes = [3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 2]
    layers = layers_from_sizes(sizes, scale=1.0, bias=0.1, seed=7)
    x = np.random.default_rng(7).standard_normal((3, 3))
    target = np.zeros((3, 2))
    for name in ["linear", "sigmoid", "tanh"]:
        assert_gradients_agree(layers, x, target, name)


@settings(max_examples=60, deadline=None, database=None)
@given(problems())
def test_single_sample_equals_batch_of_one(problem):
    layers, x, target, activation = problem
    if x.ndim == 2:
        x, target = x[0], target[0]
    single = backward(layers, forward(layers, x, activation), target)
    batch = backward(layers, forward(layers, x[None], activation), target[None])
    for s, b in zip(single, batch):
        np.testing.assert_array_equal(s.W, b.W)
        if s.b is not None:
            np.testing.assert_array_equal(s.b, b.b)


# --------------------------------------------------------------------------
# The activations on their own
# --------------------------------------------------------------------------


@settings(max_examples=60, deadline=None, database=None)
@given(st.sampled_from(ACTIVATION_NAMES), values((7,), 6.0))
def test_activation_derivatives_match_finite_differences(name, z):
    assume(name != "relu" or np.all(np.abs(z) > KINK))
    eps = 1e-6
    numeric = (activate(z + eps, name) - activate(z - eps, name)) / (2 * eps)
    np.testing.assert_allclose(activation_derivative(z, name), numeric, rtol=1e-6, atol=1e-9)


def test_activation_values():
    z = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_array_equal(activate(z, "linear"), z)
    np.testing.assert_array_equal(activate(z, "relu"), [0.0, 0.0, 3.0])
    np.testing.assert_array_equal(activation_derivative(z, "relu"), [0.0, 0.0, 1.0])  # relu'(0) = 0
    np.testing.assert_allclose(activate(z, "sigmoid"), 1 / (1 + np.exp(-z)), rtol=1e-15)
    np.testing.assert_allclose(activate(z, "tanh"), np.tanh(z), rtol=1e-15)
    assert activate(0.0, "sigmoid") == 0.5 and activation_derivative(0.0, "sigmoid") == 0.25


def test_sigmoid_does_not_overflow():
    # warnings are errors (pyproject): exp must not overflow at either end
    z = np.array([-1000.0, -745.0, 745.0, 1000.0])
    np.testing.assert_array_equal(activate(z, "sigmoid"), [0.0, np.exp(-745.0), 1.0, 1.0])
    np.testing.assert_array_equal(activation_derivative(z, "sigmoid")[[0, 3]], [0.0, 0.0])
