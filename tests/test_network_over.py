"""Many weight settings at once (predictions_over, errors_over) equal one forward pass each."""

import numpy as np
import pytest

from helpers import WORKED_EXAMPLE as EX
from helpers.network import (
    error,
    errors_over,
    forward,
    from_named,
    layers_from_sizes,
    predictions_over,
)


def test_error_along_one_weight_equals_separate_passes():
    ws = np.linspace(-2, 2, 9)
    along = errors_over(EX.layers, EX.x, EX.target, {"w6": ws})
    assert along.shape == (9,)
    for w, E in zip(ws, along):
        assert E == error(forward(from_named({"w6": w}, EX.layers), EX.x).output, EX.target)


def test_surface_over_two_weights_has_the_grid_shape():
    A, B = np.meshgrid(np.linspace(0, 1, 5), np.linspace(-1, 1, 3))
    out = predictions_over(EX.layers, EX.x, {"w1": A, "w2": B})
    assert out.shape == (3, 5, 1)
    r, c = 2, 4
    one = forward(from_named({"w1": A[r, c], "w2": B[r, c]}, EX.layers), EX.x).output
    assert out[r, c, 0] == pytest.approx(one[0], rel=1e-15)
    # At the example's own weights the surface passes through the example's ŷ = 2.2136.
    assert predictions_over(EX.layers, EX.x, {"w1": 0.21, "w2": 0.56})[0] == pytest.approx(2.2136)


def test_batches_and_nonlinear_networks():
    layers = layers_from_sizes([3, 4, 2], bias=0.1, seed=3)
    x = np.random.default_rng(0).standard_normal((5, 3))
    t = np.random.default_rng(1).standard_normal((5, 2))
    ws = np.linspace(-1, 1, 4)
    E = errors_over(layers, x, t, {"w2": ws}, activation=["tanh", "linear"])
    out = predictions_over(layers, x, {"w2": ws}, activation=["tanh", "linear"])
    assert out.shape == (4, 5, 2)
    for k, w in enumerate(ws):
        trace = forward(from_named({"w2": w}, layers), x, ["tanh", "linear"])
        assert E[k] == pytest.approx(error(trace.output, t), rel=1e-13)
        np.testing.assert_allclose(out[k], trace.output, rtol=1e-13)


def test_unknown_or_missing_weights_are_named():
    with pytest.raises(ValueError, match=r"unknown weight names \['w7'\]: this network has w1..w6"):
        errors_over(EX.layers, EX.x, EX.target, {"w7": [1.0]})
    with pytest.raises(ValueError, match="at least one weight"):
        predictions_over(EX.layers, EX.x, {})
