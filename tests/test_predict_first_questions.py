"""The notebooks' predict-first questions: each explains its answer after Reveal, and a
numeric one does not praise the misconception it is there to catch."""

import importlib
import inspect
import json
import pkgutil
import re
from pathlib import Path

import numpy as np
import pytest

import helpers.lessons
from helpers import train
from helpers.examples import WORKED_EXAMPLE
from helpers.lessons import l01_forward_pass as l01
from helpers.lessons import l02_error as l02
from helpers.lessons import l03_chain_rule_output_weights as l03
from helpers.lessons import l04_chain_rule_hidden_weights as l04
from helpers.lessons import l05_matrix_form as l05
from helpers.lessons import l06_activations_and_biases as l06
from helpers.lessons import l07_deeper_networks as l07
from helpers.network import forward
from helpers.text import fmt
from helpers.widgets import PredictFirst

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("0[1-7]_*.ipynb"))
EX = WORKED_EXAMPLE


def predict_first_cells():
    for path in NOTEBOOKS:
        for cell in json.loads(path.read_text())["cells"]:
            source = "".join(cell["source"])
            if cell["cell_type"] == "code" and "PredictFirst(" in source:
                yield path.name, cell["id"], source


def test_the_notebooks_ask_predict_first_questions():
    assert len(list(predict_first_cells())) >= 12


@pytest.mark.parametrize(
    "name, cell, source", list(predict_first_cells()), ids=lambda v: str(v)[:20]
)
def test_every_question_says_why_after_reveal(name, cell, source):
    call = source[source.index("PredictFirst(") :]
    assert re.search(r"\bwhy=why_\w+\(", call), f"{name} {cell}: no why line"


def test_numeric_questions_name_their_misconception():
    numeric = [(n, s) for n, _c, s in predict_first_cells() if "choices=" not in s]
    assert numeric
    for name, source in numeric:
        assert "misconceptions=[" in source, name


def why_functions():
    found = []
    for info in pkgutil.iter_modules(helpers.lessons.__path__):
        module = importlib.import_module(f"helpers.lessons.{info.name}")
        for fname, fn in vars(module).items():
            if fname.startswith("why_") and inspect.isfunction(fn):
                found.append(fn)
    return found


def test_every_why_is_used_by_a_notebook():
    used = "\n".join(s for _n, _c, s in predict_first_cells())
    for fn in why_functions():
        assert f"{fn.__name__}(" in used, fn.__name__


WHYS = {
    "w5 doubles": (l01.why_w5_doubles(), fmt(l01.predict(EX, w5=2 * EX.named["w5"]), 5)),
    "flipped input": (
        l01.why_flipped_input([-8.0, 12.0]),
        fmt(l01.predict(EX, x=[-8.0, 12.0]), 4),
    ),
    "miss doubles": (l02.why_miss_doubles(4.0), "2² = 4 times"),
    "w5 direction": (l02.why_w5_direction(4.0), "a larger w5"),
    "w6 sign": (l03.why_w6_gradient_sign(), "E falls as w6 grows"),
    "regime": (l03.why_step_regime(3.4), "lands higher than it started"),
    "largest hidden": (l04.why_largest_hidden_gradient(), "∂E/∂w2 = −4.93"),
    "one step": (l04.why_one_step(), "13.924"),
    "two steps": (l05.why_error_after_two(train(EX.layers, EX.x, EX.target, EX.lr, 2).errors), "→"),
    "below bound": (l05.why_just_below_the_bound("neither", 0.022, 0.02223, 300), "300 steps"),
    "dead unit": (
        l06.why_switched_off(l06.RELU_EXAMPLE.with_weights(w2=-0.5)),
        "relu′(z) = 0",
    ),
    "gradient ratio": (l07.why_gradient_ratio(0.0123), "0.012 times"),
    "single layer": (l07.why_single_layer([0.5, 0.49, 0.51, 0.5]), "one straight line"),
}


@pytest.mark.parametrize("what", sorted(WHYS))
def test_a_why_is_one_line_with_the_helpers_numbers(what):
    text, must = WHYS[what]
    assert "\n" not in text and text.endswith(".") and "nan" not in text
    assert must in text, text


def test_the_flipped_input_why_agrees_with_the_forward_pass():
    trace = forward(EX.layers, np.array([-8.0, 12.0]))
    h1, h2 = trace.hidden[0]
    text = l01.why_flipped_input([-8.0, 12.0])
    assert f"h1 = i1·w1 + i2·w2 = {fmt(h1, 4)}" in text and f"= {fmt(h2, 4)}" in text


def test_doubling_w5_is_not_praised_for_doubling_y_hat():
    truth = l01.predict(EX, w5=2 * EX.named["w5"])
    misconception = l01.w5_doubling_misconception()
    assert misconception[0] == pytest.approx(2 * l01.predict(EX))
    question = PredictFirst(
        "If w5 doubles, what is ŷ?",
        truth=truth,
        misconceptions=[misconception],
        why=l01.why_w5_doubles(),
    )
    told = question.verdict(f"{misconception[0]:.4f}")
    assert told.startswith("Not quite") and "does not double" in told
    assert not question.verdict(4.4).startswith(("Right", "Close"))
    assert question.verdict(f"{truth:.4f}").startswith("Right")
    assert question.verdict(f"{truth:.4f}").endswith(l01.why_w5_doubles())


def test_doubling_the_miss_is_not_praised_for_doubling_e():
    value, why = l02.miss_doubling_misconception()
    question = PredictFirst("×?", truth=4.0, misconceptions=[(value, why)])
    assert question.verdict("2").startswith("Not quite") and "square" in question.verdict("2")
    assert question.verdict("4").startswith("Right")
