"""``answer_first``: a cell that would show an answer holds it back until it is answered."""

import nbformat
import pytest
from nbclient import NotebookClient

from helpers.answers import answer_first, answered, held_back
from helpers.checks import Feedback
from helpers.widgets import PredictFirst


def run(*sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    return [
        "".join(
            o.get("text", "") + "".join(o.get("data", {}).get("text/plain", "")) for o in c.outputs
        )
        for c in nb.cells
    ]


SETUP = (
    "from helpers.answers import answer_first\n"
    "from helpers.lessons.l03_chain_rule_output_weights import check_dE_dw5\n"
    "answer = None"
)
SHOWS = (
    "with answer_first(check_dE_dw5(answer)):\n"
    "    shown = 'the answer is -15.00576'\n"
    "    print(shown)\n"
    "    display(shown)"
)


def test_a_cell_holds_its_output_until_the_checker_says_correct_and_still_runs():
    out = run(SETUP, SHOWS, "print(len(shown))")
    assert "-15.00576" not in out[1]
    assert "Held back" in out[1] and "the exercise above" in out[1]
    assert out[2].strip() == "23", "the held-back cell must still define its variables"


def test_a_wrong_answer_keeps_it_held_and_a_right_one_shows_it():
    assert "Held back" in run(SETUP, "answer = 15.006", SHOWS)[2]
    shown = run(SETUP, "answer = -15.006", SHOWS)[2]
    assert "Held back" not in shown and shown.count("-15.00576") == 2


def test_a_question_is_answered_once_revealed():
    question = PredictFirst("What is 2 + 2?", truth=4)
    assert not answered(question)
    question.guess.value = "4"
    question.reveal()
    assert answered(question)


def test_the_message_names_what_is_still_to_answer():
    question = PredictFirst("What is 2 + 2?", truth=4)
    wrong = Feedback(False, "Not yet")
    assert "the exercise above" in held_back([wrong]).message
    assert (
        "exercises above and the predict-first question"
        in held_back([wrong, wrong, question]).message
    )
    with answer_first(Feedback(True, "Correct"), wrong):
        pass


def test_waiting_for_something_that_is_no_answer_is_a_clear_error():
    with pytest.raises(TypeError, match="checker's verdict or a predict-first question"):
        with answer_first(42):
            pass


def test_a_cell_held_for_a_question_shows_its_output_once_the_question_is_revealed():
    """No cell to run again in the slides or the app view: Reveal shows the output."""
    from helpers import answers

    shown = []
    real_display = answers.display
    answers.display = shown.append
    try:
        question = PredictFirst("What is 2 + 2?", truth=4)
        with answer_first(question):
            print("the answer is 4")
    finally:
        answers.display = real_display
    (held,) = shown
    assert "appears here once you reveal" in held._repr_mimebundle_()["text/plain"]
    assert "application/vnd.jupyter.widget-view+json" in held._repr_mimebundle_()
    assert "answer is 4" not in str(held.box.outputs)
    question.guess.value = "5"
    question.reveal()
    assert held.box.outputs == (
        {"output_type": "stream", "name": "stdout", "text": "the answer is 4\n"},
    )
