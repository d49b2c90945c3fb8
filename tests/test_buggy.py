"""The buggy backward passes: the correct one passes the gradient check, each buggy one fails."""

import numpy as np
import pytest

from helpers import buggy
from helpers.examples import RELU_EXAMPLE
from helpers.network import Layer, backward, forward, layers_from_sizes

EX = RELU_EXAMPLE

EXPECTED_STATUS = {
    "relu_max": "crashed",
    "relu_prime_if": "crashed",
    "z_not_returned": "crashed",
    "hidden_error_elementwise": "crashed",
    "hidden_error_no_transpose": "wrong",
    "weight_gradient_elementwise": "shape",
    "biases_not_added": "wrong",
    "no_bias_gradient": "shape",
}


def test_every_bug_has_a_status_and_a_mistake():
    assert set(buggy.BUGGY) == set(EXPECTED_STATUS) == set(buggy.MISTAKES)


def test_correct_backprop_equals_helpers_backward_and_passes():
    p = buggy.from_layers(EX.layers)
    grads = buggy.backprop(EX.x.reshape(1, -1), EX.target.reshape(1, -1), p)
    ref = backward(EX.layers, forward(EX.layers, EX.x, "relu"), EX.target)
    np.testing.assert_allclose(grads["Wh"], ref[0].W, rtol=1e-14)
    np.testing.assert_allclose(grads["bh"], ref[0].b, rtol=1e-14)
    np.testing.assert_allclose(grads["Wo"], ref[1].W, rtol=1e-14)
    np.testing.assert_allclose(grads["bo"], ref[1].b, rtol=1e-14)
    result = buggy.gradient_check(buggy.backprop, EX)
    assert result.passed and result.status == "fine"
    assert result.worst < 1e-8
    assert set(result.errors) == {"Wh", "bh", "Wo", "bo"}


@pytest.mark.parametrize("name", sorted(EXPECTED_STATUS))
def test_each_buggy_version_is_flagged(name):
    result = buggy.gradient_check(buggy.BUGGY[name], EX, name=name)
    assert not result.passed
    assert result.status == EXPECTED_STATUS[name], result
    assert repr(result).startswith(f"{name}: ")
    if result.status == "wrong":
        assert result.worst > buggy.WRONG
    if result.status == "crashed":
        # explained in words, never a traceback
        assert "Traceback" not in result.message
        assert result.message.startswith("crashed in ")
        assert "That means" in result.message


def test_crash_messages_name_the_line():
    messages = {
        name: buggy.gradient_check(buggy.BUGGY[name], EX).message
        for name, status in EXPECTED_STATUS.items()
        if status == "crashed"
    }
    assert "`return max(0.0, z)`" in messages["relu_max"]
    assert "`if z > 0:`" in messages["relu_prime_if"]
    assert "NameError" in messages["z_not_returned"] and "noqa" not in messages["z_not_returned"]
    assert "`dWh = x.T @ Eh`" in messages["hidden_error_elementwise"]


def test_a_crash_is_explained_by_what_its_own_line_does():
    with_max = buggy.gradient_check(buggy.BUGGY["relu_max"], EX).message
    with_if = buggy.gradient_check(buggy.BUGGY["relu_prime_if"], EX).message
    meaning_of_max = with_max.split("That means", 1)[1]
    meaning_of_if = with_if.split("That means", 1)[1]
    assert "`max`" in meaning_of_max and "np.maximum" in meaning_of_max
    assert "`if`" not in meaning_of_max and "z > 0" not in meaning_of_max
    assert "`if`" in meaning_of_if and "`max`" not in meaning_of_if


def test_the_check_does_not_change_the_example():
    before = [L.W.copy() for L in EX.layers]
    for fn in buggy.BUGGY.values():
        buggy.gradient_check(fn, EX)
    for L, W in zip(EX.layers, before):
        np.testing.assert_array_equal(L.W, W)


def test_not_done():
    assert buggy.gradient_check(None, EX, name="mine").status == "not done"
    assert buggy.gradient_check(lambda x, y, p: None, EX).status == "not done"


def test_diffs_show_one_mistake_each():
    for name in buggy.BUGGY:
        lines = buggy.diff(name).splitlines()
        assert lines and all(line[0] in "+-" for line in lines), name
        assert sum(line.startswith("+") for line in lines) <= 2, name
        assert "noqa" not in buggy.diff(name)
    assert buggy.diff("hidden_error_no_transpose").splitlines() == [
        '-    Eh = (Eo @ p["Wo"].T) * relu_prime(Zh)',
        '+    Eh = (Eo @ p["Wo"]) * relu_prime(Zh)',
    ]


def test_relative_error_and_rule_of_thumb():
    assert buggy.relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert buggy.relative_error([0.0], [0.0]) == 0.0
    assert buggy.relative_error([1.0], [0.0]) == 1.0
    assert buggy.relative_error([1.0], [-1.0]) == 1.0
    assert buggy.relative_error([1e-9], [1.1e-9]) == pytest.approx(0.1 / 2.1)
    assert buggy.verdict(1e-7) == "fine"
    assert buggy.verdict(1e-4) == "suspicious"
    assert buggy.verdict(0.05) == "wrong"


def test_layers_round_trip():
    p = buggy.from_layers(EX.layers)
    layers = buggy.to_layers(p)
    for a, b in zip(layers, EX.layers):
        np.testing.assert_array_equal(a.W, b.W)
        np.testing.assert_array_equal(a.b, b.b)


# -- any depth -----------------------------------------------------------------


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "linear"])
def test_backprop_layers_equals_backward(activation):
    layers = layers_from_sizes([3, 4, 4, 4, 2], bias=0.1, seed=3)
    x = np.random.default_rng(1).standard_normal((5, 3))
    target = np.random.default_rng(2).standard_normal((5, 2))
    mine = buggy.backprop_layers(layers, x, target, activation)
    ref = backward(layers, forward(layers, x, activation), target)
    for m, r in zip(mine, ref):
        np.testing.assert_allclose(m.W, r.W, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(m.b, r.b, rtol=1e-12, atol=1e-15)


def test_deep_gradient_check_passes_correct_and_flags_the_bug():
    layers = layers_from_sizes([2, 4, 4, 4, 4, 1], scale=1.5, bias=0.1, seed=0)
    x = np.array([[0.5, -1.0], [1.0, 0.3]])
    target = np.array([[0.2], [0.8]])
    good = buggy.gradient_check_layers(buggy.backprop_layers, layers, x, target, "tanh")
    assert good.passed, good
    assert set(good.errors) == {f"{p}{k}" for p in "Wb" for k in range(1, 6)}
    bad = buggy.gradient_check_layers(
        buggy.backprop_layers_derivative_of_a, layers, x, target, "tanh"
    )
    assert bad.status == "wrong" and bad.worst > buggy.WRONG


def test_deep_check_reports_crashes_and_missing_biases():
    layers = [Layer(np.ones((2, 3)), np.zeros(3)), Layer(np.ones((3, 1)), np.zeros(1))]

    def crashes(layers, x, target, activation):
        return np.ones((2, 2)) @ np.ones((3, 3))

    def no_biases(layers, x, target, activation):
        return [Layer(g.W) for g in buggy.backprop_layers(layers, x, target, activation)]

    result = buggy.gradient_check_layers(crashes, layers, [1.0, 2.0], [0.5], "sigmoid")
    assert result.status == "crashed" and "matrix product" in result.message
    result = buggy.gradient_check_layers(no_biases, layers, [1.0, 2.0], [0.5], "sigmoid")
    assert result.status == "shape" and "no gradient for b1" in result.message
