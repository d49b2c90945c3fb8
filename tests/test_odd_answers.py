"""Every checker answers an answer of the wrong kind with one sentence: never an
exception, never a warning, never "correct", and never the answer itself.

The checkers are found, not listed: every ``check_*`` function of
``helpers.checks`` and of each lesson module. Each must have an entry in
``CHECKERS`` below (how to call it, its right answer, the values a message
must not show), so a new checker without one fails
``test_every_checker_is_covered``.
"""

import importlib
import inspect
import pkgutil
import re
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import helpers.checks
import helpers.lessons
from helpers import buggy
from helpers.checks import check_array, check_number
from helpers.examples import DEEP_PROBLEM, RELU_EXAMPLE, WORKED_EXAMPLE
from helpers.lessons import l02_error, l04_chain_rule_hidden_weights, l05_matrix_form
from helpers.lessons.l06_activations_and_biases import HIDDEN_ERROR_EXAMPLE
from helpers.network import backward, forward, sgd_step, to_named

EX = WORKED_EXAMPLE
PROPERTY = settings(max_examples=40, deadline=None)


def all_checkers():
    """Every ``check_*`` function the package offers, by name."""
    modules = [helpers.checks]
    for info in pkgutil.iter_modules(helpers.lessons.__path__):
        modules.append(importlib.import_module(f"helpers.lessons.{info.name}"))
    found = {}
    for module in modules:
        for name, fn in vars(module).items():
            if (
                name.startswith("check_")
                and inspect.isfunction(fn)
                and fn.__module__ == module.__name__
            ):
                found[name] = fn
    return found


# --------------------------------------------------------------------------
# The right answers, from the helpers (so that a test can tell right from wrong)
# --------------------------------------------------------------------------


def _trace(example=EX, activation=None):
    return forward(example.layers, example.x, activation or example.activation)


def _grads(example=EX):
    return to_named(backward(example.layers, _trace(example), example.target))


def _sigmoid_bias_gradient():
    ex = RELU_EXAMPLE
    trace = forward(ex.layers, ex.x, "sigmoid")
    return float(backward(ex.layers, trace, ex.target)[-1].b[0])


def _forward_passes():
    sizes = DEEP_PROBLEM.sizes(3)
    return 2 * sum(m * n + n for m, n in zip(sizes[:-1], sizes[1:]))


def _hidden_error():
    p = buggy.from_layers(HIDDEN_ERROR_EXAMPLE.layers)
    x = np.asarray(HIDDEN_ERROR_EXAMPLE.x, dtype=float).reshape(1, -1)
    y = np.asarray(HIDDEN_ERROR_EXAMPLE.target, dtype=float).reshape(1, -1)
    Zh, _H, Zo, Yhat = buggy.feed_forward(x, p)
    Eo = (Yhat - y) * buggy.relu_prime(Zo)
    return (Eo @ p["Wo"].T) * buggy.relu_prime(Zh)


def _right_repair(x, y, p):
    return buggy.backprop(x, y, p)


Y_HAT = float(_trace().output[0])
NUMBERS = {
    "check_h2": float(_trace().hidden[0][1]),
    "check_y_hat": Y_HAT,
    "check_error_for_target": 0.5 * (Y_HAT - l02_error.OTHER_TARGET) ** 2,
    "check_slope": Y_HAT - l02_error.OTHER_TARGET,
    "check_dE_dw5": _grads()["w5"],
    "check_new_w6": to_named(sgd_step(EX.layers, backward(EX.layers, _trace(), EX.target), EX.lr))[
        "w6"
    ],
    "check_dE_dw4": _grads()["w4"],
    "check_output_bias_gradient": _sigmoid_bias_gradient(),
    "check_forward_passes": float(_forward_passes()),
}
MATRIX = np.array([[1.25, -2.5], [3.75, 0.125]])
HIDDEN, OUT = l05_matrix_form.expected_matrix_gradients()


class Checker:
    """How to hand a checker one answer: ``call(answer)``; ``right`` is a right answer,
    ``secrets`` the numbers a wrong answer's message must not show."""

    def __init__(self, call, right, secrets, kind):
        self.call, self.right, self.secrets, self.kind = call, right, secrets, kind


def _number_checker(name):
    fn = all_checkers()[name]
    return Checker(fn, NUMBERS[name], [NUMBERS[name]], "number")


CHECKERS = {
    **{name: _number_checker(name) for name in NUMBERS},
    "check_number": Checker(
        lambda a: check_number("x", a, -15.00576), -15.00576, [-15.00576], "number"
    ),
    "check_array": Checker(lambda a: check_array("W", a, MATRIX), MATRIX, MATRIX.ravel(), "array"),
    "check_hidden_error": Checker(
        all_checkers()["check_hidden_error"], _hidden_error(), _hidden_error().ravel(), "array"
    ),
    # Each of the two answers in turn; the other one right.
    "check_matrix_gradients": Checker(
        lambda a: l05_matrix_form.check_matrix_gradients(a, OUT),
        HIDDEN,
        HIDDEN.ravel(),
        "array",
    ),
    "check_matrix_gradients (out)": Checker(
        lambda a: l05_matrix_form.check_matrix_gradients(HIDDEN, a),
        OUT,
        OUT.ravel(),
        "array",
    ),
    # Function answers: the odd value is what the student's function returns.
    "check_repaired_step": Checker(
        l04_chain_rule_hidden_weights.check_repaired_step,
        lambda w, x, y, lr: l04_chain_rule_hidden_weights.reference_step(w, x, y, lr),
        [],
        "step",
    ),
    "check_repair": Checker(all_checkers()["check_repair"], _right_repair, [], "gradients"),
    "check_relative_error": Checker(
        all_checkers()["check_relative_error"],
        buggy.relative_error,
        [buggy.relative_error([1e-9, 2e-9], [1.1e-9, 2e-9])],
        "function",
    ),
}


def test_every_checker_is_covered():
    names = set(all_checkers())
    assert len(names) >= 16, sorted(names)
    assert names <= {name.split(" ")[0] for name in CHECKERS}, names - set(CHECKERS)


@pytest.mark.parametrize("name", sorted(CHECKERS))
def test_each_checker_says_correct_to_its_right_answer(name):
    checker = CHECKERS[name]
    feedback = judge(checker, checker.right, returned=False)
    assert feedback.ok is True, feedback.message


# --------------------------------------------------------------------------
# Odd answers, every kind
# --------------------------------------------------------------------------

finite = st.floats(-1e6, 1e6, allow_nan=False)
complexes = st.builds(complex, finite, finite.filter(lambda v: v != 0))
ODD_KINDS = {
    "text": st.one_of(finite.map(str), st.text(max_size=8)),
    "complex": st.one_of(complexes, complexes.map(np.complex128)),
    "bool": st.sampled_from([True, False, np.True_, np.False_]),
    "list of one": finite.map(lambda v: [v]),
    "array of one": finite.map(lambda v: np.array([v])),
    "list": st.lists(finite, min_size=2, max_size=5),
    "tuple": st.lists(finite, min_size=2, max_size=3).map(tuple),
    "nan": st.just(float("nan")),
    "infinity": st.sampled_from([float("inf"), -float("inf"), np.inf]),
    "huge int": st.integers(10**309, 10**420).flatmap(lambda v: st.sampled_from([v, -v])),
    "function": st.sampled_from([print, len, np.sum, lambda v: v]),
    "dict": st.dictionaries(st.sampled_from(["w1", "Wh", "x"]), finite, max_size=2),
    "set": st.sets(finite, min_size=1, max_size=2),
}
ARRAY_KINDS = {
    "ragged": st.just([[1.0, 2.0], [3.0]]),
    "huge entry": st.just([[10**400, 1.0], [1.0, 1.0]]),
    "nan entry": st.just(np.array([[np.nan, 1.0], [1.0, 1.0]])),
    "complex entries": st.just(np.array([[1 + 1j, 2.0], [3.0, 4.0]])),
    "text entries": st.just(np.array([["1", "2"], ["3", "4"]])),
    "wrong shape": st.sampled_from([np.ones(3), np.ones((3, 3)), np.ones((1, 4)), np.ones(())]),
}
ANY_ODD = st.one_of(*ODD_KINDS.values())
ANY_ODD_ARRAY = st.one_of(ANY_ODD, *ARRAY_KINDS.values())


def judge(checker, answer, returned=True):
    """The checker's verdict on ``answer``. For a function checker, with ``returned``:
    on a student's function that returns ``answer``; else on ``answer`` itself."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        if checker.kind in ("number", "array") or not returned:
            return checker.call(answer)
        return checker.call(lambda *args: answer)


def assert_a_sentence_that_keeps_the_answer(checker, answer, feedback):
    message = feedback.message
    assert feedback.ok is False, f"{answer!r}: {message!r}"
    assert message.strip() and "\n" not in message, message
    assert "Traceback" not in message and 'File "' not in message, message
    assert message.rstrip().endswith("."), message
    # One sentence: no full stop followed by a new sentence inside it.
    assert not re.search(r"[.!?]\s+[A-Z]", message), message
    assert "expected" not in message and "off by" not in message, message
    for secret in checker.secrets:
        for shown in secrets_as_written(secret):
            assert not re.search(rf"(?<![\d.]){re.escape(shown)}(?!\d)", message), (shown, message)


def secrets_as_written(value):
    """``value`` as a student would copy it: 3 to 7 significant figures, sign dropped."""
    value = abs(float(value))
    shown = set()
    for figures in range(3, 8):
        text = f"{value:.{figures}g}"
        if "e" not in text and sum(ch.isdigit() for ch in text.lstrip("0.")) >= 3:
            shown.add(text)
    return shown


NUMBER_CHECKERS = sorted(n for n, c in CHECKERS.items() if c.kind == "number")
ARRAY_CHECKERS = sorted(n for n, c in CHECKERS.items() if c.kind == "array")
FUNCTION_CHECKERS = sorted(n for n, c in CHECKERS.items() if c.kind not in ("number", "array"))


@pytest.mark.parametrize("name", NUMBER_CHECKERS)
@PROPERTY
@given(answer=ANY_ODD)
def test_a_number_checker_answers_every_odd_kind(name, answer):
    checker = CHECKERS[name]
    assert_a_sentence_that_keeps_the_answer(checker, answer, judge(checker, answer))


@pytest.mark.parametrize("name", ARRAY_CHECKERS)
@PROPERTY
@given(answer=ANY_ODD_ARRAY)
def test_an_array_checker_answers_every_odd_kind(name, answer):
    checker = CHECKERS[name]
    assert_a_sentence_that_keeps_the_answer(checker, answer, judge(checker, answer))


TRANSPOSABLE = [
    n
    for n in ARRAY_CHECKERS
    if np.ndim(CHECKERS[n].right) == 2
    and np.shape(CHECKERS[n].right) != (1, 1)
    and not np.allclose(CHECKERS[n].right, np.transpose(CHECKERS[n].right))
]


def test_the_transposed_matrix_is_tried_on_every_array_checker():
    assert TRANSPOSABLE == ARRAY_CHECKERS


@pytest.mark.parametrize("name", TRANSPOSABLE)
def test_an_array_checker_tells_the_transposed_matrix(name):
    checker = CHECKERS[name]
    feedback = judge(checker, np.asarray(checker.right, dtype=float).T)
    assert feedback.ok is False and "transposed" in feedback.message, feedback.message


@pytest.mark.parametrize("name", FUNCTION_CHECKERS)
@PROPERTY
@given(answer=ANY_ODD)
def test_a_function_checker_answers_every_odd_result(name, answer):
    """The student's function returns an odd value, or the odd value is given instead of
    a function: a sentence either way."""
    checker = CHECKERS[name]
    assert_a_sentence_that_keeps_the_answer(checker, answer, judge(checker, answer))
    if not callable(answer):
        instead = judge(checker, answer, returned=False)
        assert_a_sentence_that_keeps_the_answer(checker, answer, instead)


STEP = l04_chain_rule_hidden_weights


@PROPERTY
@given(
    key=st.sampled_from(["w1", "w2", "w3", "w4", "w5", "w6"]),
    odd=st.one_of(ANY_ODD, st.just(None)),
)
def test_a_step_with_one_odd_weight_is_named(key, odd):
    def step(w, x, y, lr):
        new = STEP.reference_step(w, x, y, lr)
        new[key] = odd
        return new

    feedback = judge(CHECKERS["check_repaired_step"], step, returned=False)
    assert_a_sentence_that_keeps_the_answer(CHECKERS["check_repaired_step"], step, feedback)
    assert f"new['{key}']" in feedback.message, feedback.message


@PROPERTY
@given(missing=st.lists(st.sampled_from(["w1", "w3", "w6"]), min_size=1, unique=True))
def test_a_step_with_a_missing_key_names_it(missing):
    def step(w, x, y, lr):
        new = STEP.reference_step(w, x, y, lr)
        for key in missing:
            del new[key]
        return new

    feedback = judge(CHECKERS["check_repaired_step"], step, returned=False)
    assert feedback.ok is False
    for key in missing:
        assert repr(key) in feedback.message, feedback.message


@pytest.mark.parametrize("odd", [np.array([1.0, 2.0]), "0.1", 10**400, None])
def test_a_step_that_writes_into_the_old_weights_is_told(odd):
    def step(w, x, y, lr):
        w["w1"] = odd
        return dict(w)

    feedback = judge(CHECKERS["check_repaired_step"], step, returned=False)
    assert feedback.ok is False and "changed the dictionary it was given (w1)" in feedback.message


@PROPERTY
@given(key=st.sampled_from(["Wh", "bh", "Wo", "bo"]), odd=ANY_ODD_ARRAY)
def test_a_repair_with_one_odd_gradient_is_named(key, odd):
    def repair(x, y, p):
        grads = buggy.backprop(x, y, p)
        grads[key] = odd
        return grads

    checker = CHECKERS["check_repair"]
    feedback = judge(checker, repair, returned=False)
    assert_a_sentence_that_keeps_the_answer(checker, repair, feedback)
    assert key in feedback.message, feedback.message


@pytest.mark.parametrize("container", [tuple, list])
def test_gradients_as_a_tuple_are_told_to_be_a_dict(container):
    def repair(x, y, p):
        return container(buggy.backprop(x, y, p).values())

    feedback = judge(CHECKERS["check_repair"], repair, returned=False)
    assert feedback.ok is False
    assert f"returned a {container.__name__}, not a dict" in feedback.message


@pytest.mark.parametrize("value", [float("inf"), 1e308, -1e308, "0.5"])
def test_a_repair_with_huge_or_text_gradients_answers_quietly(value):
    def repair(x, y, p):
        grads = buggy.backprop(x, y, p)
        grads["Wh"] = np.full((1, 2), value)
        return grads

    feedback = judge(CHECKERS["check_repair"], repair, returned=False)
    assert feedback.ok is False and feedback.message.startswith("Not yet")


# --------------------------------------------------------------------------
# Wrong numbers: told, never how far off
# --------------------------------------------------------------------------


@pytest.mark.parametrize("name", NUMBER_CHECKERS)
@PROPERTY
@given(answer=st.floats(-1e4, 1e4, allow_nan=False))
def test_a_wrong_number_never_shows_the_answer(name, answer):
    checker = CHECKERS[name]
    feedback = judge(checker, answer)
    if feedback.ok:
        return
    message = feedback.message
    assert "off by" not in message and "expected" not in message
    for secret in checker.secrets:
        for shown in secrets_as_written(secret):
            if shown not in f"{abs(answer):.7g}":
                assert not re.search(rf"(?<![\d.]){re.escape(shown)}(?!\d)", message), message


@pytest.mark.parametrize("name", ARRAY_CHECKERS)
@PROPERTY
@given(data=st.data())
def test_a_wrong_array_never_shows_the_answer(name, data):
    checker = CHECKERS[name]
    right = np.asarray(checker.right, dtype=float)
    slip = data.draw(st.sampled_from(["scale", "entry", "sign", "round", "nan"]))
    wrong = right.copy()
    if slip == "scale":
        wrong = right * data.draw(st.sampled_from([0.05, 0.5, 2.0, 10.0]))
    elif slip == "entry":
        wrong.flat[data.draw(st.integers(0, right.size - 1))] += 1.0
    elif slip == "sign":
        first = int(np.flatnonzero(right)[0])
        wrong.flat[first] = -wrong.flat[first]
    elif slip == "round":
        wrong = np.round(right, 0)
    else:
        wrong.flat[0] = np.nan
    feedback = judge(checker, wrong)
    assert feedback.ok is False, (slip, feedback.message)
    message = feedback.message
    assert "expected" not in message and "off by" not in message, message
    for secret in checker.secrets:
        for shown in secrets_as_written(secret):
            assert not re.search(rf"(?<![\d.]){re.escape(shown)}(?!\d)", message), message


@pytest.mark.parametrize("name", ARRAY_CHECKERS)
def test_an_array_rounded_to_three_figures_is_right(name):
    checker = CHECKERS[name]
    right = np.asarray(checker.right, dtype=float)
    rounded = np.vectorize(lambda v: float(f"{v:.3g}"))(right)
    assert judge(checker, rounded).ok is True, judge(checker, rounded).message
    rough = np.vectorize(lambda v: float(f"{v:.1g}"))(right)
    if not np.allclose(rough, right):
        feedback = judge(checker, rough)
        assert feedback.ok is False, feedback.message


def test_an_array_names_the_entry_and_the_slip():
    feedback = check_array("W", [[1.25, 2.5], [3.75, 0.125]], MATRIX)
    assert feedback.message == "Not yet: one entry of W is wrong: entry [0, 1] has the wrong sign."
    feedback = check_array("W", [[1.25, -2.5], [3.75, 0.2]], MATRIX)
    assert "entry [1, 1] is too large" in feedback.message
    feedback = check_array("W", -MATRIX, MATRIX)
    assert "wrong sign" in feedback.message
    feedback = check_array("W", [[1, -3], [4, 0.1]], MATRIX)
    assert "too rough" in feedback.message
    assert check_array("W", [[1.25, -2.5], [3.75, 0.125]], MATRIX).ok is True


def test_an_integer_has_as_many_figures_as_digits():
    # −15 for ∂E/∂w5 = −15.00576 is two figures: too rough, not "correct to 3 figures".
    feedback = all_checkers()["check_dE_dw5"](-15)
    assert feedback.ok is False and "too rough" in feedback.message
    assert all_checkers()["check_dE_dw5"](-15.0).ok is True  # 15.0: three figures typed
    assert check_number("n", 386, 386.2).ok is True
    assert check_number("n", 390, 386.2).ok is False  # three figures, not 386
    assert check_number("n", np.int64(386), 386.2).ok is True


# --------------------------------------------------------------------------
# Slips the checkers name
# --------------------------------------------------------------------------


def test_the_matrix_checker_names_the_step_pieces_and_a_forgotten_W_out():
    h, x, delta, W_out = l05_matrix_form._pieces(EX)
    lr = EX.lr
    cases = {
        "lr × the gradient": (lr * HIDDEN, OUT),
        "new weight matrix": (EX.layers[0].W - lr * HIDDEN, OUT),
        "missing W_out": (np.outer(x, delta), OUT),
    }
    for says, (hidden, out) in cases.items():
        feedback = l05_matrix_form.check_matrix_gradients(hidden, out)
        assert feedback.ok is False and says in feedback.message, feedback.message
    rounded = l05_matrix_form.check_matrix_gradients(np.round(HIDDEN, 2), np.round(OUT, 2))
    assert rounded.ok is True, rounded.message


def test_sigma_prime_of_the_output_is_named():
    from helpers.lessons.l06_activations_and_biases import check_output_bias_gradient
    from helpers.network import activation_derivative

    ex = RELU_EXAMPLE
    trace = forward(ex.layers, ex.x, "sigmoid")
    y_hat = float(trace.output[0])
    slip = (y_hat - float(ex.target[0])) * float(activation_derivative(y_hat, "sigmoid"))
    feedback = check_output_bias_gradient(slip)
    assert feedback.ok is False and "σ′(ŷ1)" in feedback.message


def test_relative_error_slips_are_named():
    check = all_checkers()["check_relative_error"]

    def plus_eps(g, n):
        return np.linalg.norm(g - n) / (np.linalg.norm(g) + np.linalg.norm(n) + 1e-12)

    feedback = check(plus_eps)
    assert feedback.ok is False and "+ 1e-12" in feedback.message and "tiny" in feedback.message

    def none_for_zero(g, n):
        size = np.linalg.norm(g) + np.linalg.norm(n)
        return None if size == 0 else np.linalg.norm(g - n) / size

    feedback = check(none_for_zero)
    assert feedback.ok is False and "returns None for two zero gradients" in feedback.message
    assert check(lambda g, n: None).ok is None  # untouched: not done yet
