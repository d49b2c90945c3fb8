"""helpers.network on odd input: a ValueError that names what was expected, or a clean
answer (inf for an error too large for a float), and never a warning.

Warnings are errors in this suite (pyproject), so a RuntimeWarning fails a test.
"""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.examples import WORKED_EXAMPLE
from helpers.network import (
    Layer,
    error,
    error_along,
    errors_over,
    forward,
    layers_from_sizes,
    predictions_over,
    stability_bound,
    sweep_learning_rates,
    train,
)

EX = WORKED_EXAMPLE
PROPERTY = settings(max_examples=40, deadline=None)

finite = st.floats(-1e6, 1e6, allow_nan=False)
odd_entry = st.one_of(
    st.none(),
    st.text(max_size=4),
    st.builds(complex, finite, finite.filter(lambda v: v != 0)),
    st.just(float("nan")),
    st.sampled_from([float("inf"), -float("inf")]),
    st.integers(10**309, 10**400),
)


@PROPERTY
@given(odd=odd_entry, where=st.integers(0, 1))
def test_an_odd_input_is_named(odd, where):
    x = [8.0, 12.0]
    x[where] = odd
    with pytest.raises(ValueError, match=r"^x (must|holds)"):
        forward(EX.layers, x)


@PROPERTY
@given(
    x=st.one_of(
        st.none(),
        st.text(max_size=3),
        st.lists(finite, min_size=0, max_size=5).filter(lambda v: len(v) != 2),
        st.just(np.zeros((0, 2))),
        st.just([[1.0, 2.0], [3.0]]),
        st.sampled_from([print, {"x": 1}]),
    )
)
def test_an_input_of_the_wrong_kind_or_shape_is_named(x):
    with pytest.raises(ValueError) as info:
        forward(EX.layers, x)
    message = str(info.value)
    assert message.startswith("x ") and "\n" not in message
    if isinstance(x, list) and all(isinstance(v, float) for v in x):
        assert f"got shape ({len(x)},)" in message and "(2,)" in message  # both shapes


@PROPERTY
@given(odd=st.one_of(st.none(), st.text(max_size=3), odd_entry.filter(lambda v: v is not None)))
def test_an_odd_target_is_named(odd):
    if isinstance(odd, float) and not np.isfinite(odd) or isinstance(odd, (str, complex)):
        with pytest.raises(ValueError, match="^target "):
            error([2.2], odd)
    else:
        with pytest.raises(ValueError, match="^target "):
            train(EX.layers, EX.x, odd, 0.01, 3)


@PROPERTY
@given(odd=odd_entry.filter(lambda v: not isinstance(v, float)))
def test_an_odd_weight_is_named(odd):
    with pytest.raises(ValueError, match=r"^Layer: W (must|holds)"):
        Layer([[1.0, odd]])
    with pytest.raises(ValueError, match=r"^Layer: b (must|holds)"):
        Layer([[1.0, 2.0]], [odd, 0.0])


def test_a_none_weight_is_no_longer_a_silent_nan():
    with pytest.raises(ValueError, match=re.escape("got None at [0, 1]")):
        Layer([[1.0, None]])


@pytest.mark.parametrize("layers", [None, "layers", 3, [None], [np.eye(2)]])
def test_layers_that_are_not_layers_are_named(layers):
    with pytest.raises(ValueError, match="Layer"):
        forward(layers, EX.x)


@pytest.mark.parametrize("sizes", [None, "2-2-1", 3, [2], [2, 0, 1], [2, 2.5, 1], [2, True]])
def test_unit_counts_that_are_not_unit_counts_are_named(sizes):
    with pytest.raises(ValueError, match="sizes must list at least two positive unit counts"):
        layers_from_sizes(sizes)


@PROPERTY
@given(
    output=st.lists(
        st.floats(allow_nan=False, allow_infinity=False, width=64), min_size=1, max_size=3
    ),
    target=st.floats(-1e300, 1e300),
)
def test_the_error_of_any_finite_output_is_a_number_or_inf_quietly(output, target):
    E = error(np.array(output)[:, None], target)
    assert E >= 0 and not np.isnan(E)


def test_the_error_overflows_to_inf_quietly():
    assert error(np.array([1e200]), 0) == np.inf
    assert error([np.inf], 4.0) == np.inf  # an overflowed prediction
    with pytest.raises(ValueError, match="target must hold finite numbers"):
        error([np.inf], np.inf)


@pytest.mark.parametrize("empty", [np.zeros((0, 1)), [], np.zeros((0,))])
def test_an_empty_batch_is_named(empty):
    with pytest.raises(ValueError, match="no (values|samples)"):
        error(empty, np.zeros((0, 1)))
    with pytest.raises(ValueError, match="x has no samples"):
        train(EX.layers, np.zeros((0, 2)), np.zeros((0, 1)), 0.01, 3)


@PROPERTY
@given(lr=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 5)))
def test_training_at_any_learning_rate_reports_in_words(lr):
    history = train(EX.layers, EX.x, EX.target, lr, 20)
    text = history.describe()
    assert text.strip() and "\n" not in text
    if isinstance(lr, float) and np.isnan(lr):
        assert "lr = nan" in text and "not a number" in text and "overflowed" not in text
    elif isinstance(lr, float) and np.isinf(lr):
        assert "infinite learning rate" in text
    sweep = sweep_learning_rates(EX.layers, EX.x, EX.target, [lr, 0.01], 20)
    assert sweep.diverged_at[1] == -1


@pytest.mark.parametrize("lr", ["0.01", None, True, [0.01, 0.02], 1j])
def test_a_learning_rate_that_is_not_one_number_is_named(lr):
    with pytest.raises(ValueError, match="^lr must (be one number|hold real numbers)"):
        train(EX.layers, EX.x, EX.target, lr, 5)


@pytest.mark.parametrize("where", ["x", "target"])
def test_nan_in_the_input_or_target_is_named_as_the_cause(where):
    x, target = [np.nan, 12.0], EX.target
    if where == "target":
        x, target = EX.x, [np.nan]
    with pytest.raises(ValueError, match=f"^{where} must hold finite numbers, got nan"):
        train(EX.layers, x, target, 0.01, 5)


@PROPERTY
@given(exponent=st.integers(0, 300), sign=st.sampled_from([1.0, -1.0]))
def test_stability_bound_of_huge_weights_is_zero_or_named(exponent, sign):
    layers = [Layer(L.W * sign * 10.0**exponent) for L in EX.layers]
    try:
        bound = stability_bound(layers, EX.x)
    except ValueError as exc:
        assert "overflowed" in str(exc)
    else:
        assert bound >= 0 and not np.isnan(bound)


@PROPERTY
@given(values=st.lists(st.floats(-1e300, 1e300), min_size=1, max_size=6))
def test_curves_of_huge_weights_are_numbers_or_inf_quietly(values):
    E = errors_over(EX.layers, EX.x, EX.target, {"w5": values, "w1": values[::-1]})
    assert E.shape == (len(values),) and np.all(E >= 0) and not np.isnan(E).any()
    assert error_along(EX.layers, EX.x, EX.target, "w6", values).shape == (len(values),)
    predictions_over(EX.layers, EX.x, {"w2": values})


@pytest.mark.parametrize("odd", [[np.nan], [np.inf], ["1"], [1j], None])
def test_curve_settings_that_are_not_finite_numbers_are_named(odd):
    with pytest.raises(ValueError, match="the values of w5 must"):
        errors_over(EX.layers, EX.x, EX.target, {"w5": odd})


@pytest.mark.parametrize("x", [[np.inf, -np.inf], [1e308, np.nan]])
def test_a_forward_pass_of_infinite_input_is_refused_without_a_warning(x):
    with pytest.raises(ValueError, match="x must hold finite numbers"):
        forward(EX.layers, x)
