"""Cells that keep an answer to themselves until the student has given theirs.

A cell whose output would give away an exercise's answer, or a predict-first
question's, puts that output inside ``with answer_first(...)``, naming what it waits
for::

    from helpers.answers import answer_first

    with answer_first(check_dE_dw5(dE_dw5)):
        print(grads["w5"])             # shown once the checker says correct
        display(dashboard)

``answer_first`` takes checkers' verdicts and :class:`~helpers.widgets.PredictFirst`
questions. The cell always runs, so the cells after it find its variables; but
until every verdict is correct and every question revealed, what the block
prints or displays is held back, and one line says what it waits for. When it
waits for questions only, the held output appears in its place as soon as the
last of them is revealed (in the slides and the app view too, where no cell can
be run again); an exercise's answer shows when the cell is run again after the
checker says correct. *Run All* therefore never shows an answer before the
student has given one.
"""

from __future__ import annotations

from contextlib import contextmanager

from IPython.display import display
from IPython.utils.capture import capture_output

from .checks import Feedback


def answered(thing):
    """Whether ``thing`` (a checker's Feedback or a PredictFirst) has been answered."""
    if isinstance(thing, Feedback):
        return thing.ok is True
    if hasattr(thing, "revealed"):
        return bool(thing.revealed)
    raise TypeError(
        "answer_first() waits for a checker's verdict or a predict-first question, "
        f"not {type(thing).__name__}"
    )


def held_back(waiting):
    """What a held-back cell says instead of its output, for the unanswered ``waiting``."""
    exercises = sum(isinstance(w, Feedback) for w in waiting)
    questions = len(waiting) - exercises
    if not exercises:
        which = "question above" if questions == 1 else "questions above"
        return Feedback(
            None,
            f"Held back: this cell shows an answer. It appears here once you reveal "
            f"the predict-first {which}.",
        )
    things = ["the exercise above" if exercises == 1 else "the exercises above"]
    if questions:
        things.append(
            "the predict-first question above"
            if questions == 1
            else "the predict-first questions above"
        )
    return Feedback(
        None,
        f"Held back: this cell shows an answer. Answer {' and '.join(things)}, "
        "then run this cell again.",
    )


class _HeldOutput:
    """A held-back output that shows itself once its questions are revealed: live, an
    Output widget; saved or static, the held-back line."""

    def __init__(self, captured, waiting):
        import ipywidgets as widgets

        self.captured, self.waiting = captured, waiting
        self.note = held_back(waiting)
        self.box = widgets.Output()
        self.box.append_display_data(self.note)
        for question in waiting:
            question.when_revealed(self._show_if_all_revealed)

    def _show_if_all_revealed(self):
        if not all(answered(w) for w in self.waiting):
            return
        shown = [
            {"output_type": "stream", "name": name, "text": text}
            for name, text in (("stdout", self.captured.stdout), ("stderr", self.captured.stderr))
            if text
        ]
        shown += [
            {"output_type": "display_data", "data": o.data, "metadata": o.metadata}
            for o in self.captured.outputs
        ]
        self.box.outputs = tuple(shown)

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.box._repr_mimebundle_(**kwargs)
        bundle["text/html"] = self.note._repr_html_()
        bundle["text/plain"] = repr(self.note)
        return bundle


@contextmanager
def answer_first(*answers):
    """Show what the block prints or displays only once every one of ``answers``
    (checkers' verdicts, predict-first questions) is answered."""
    waiting = [a for a in answers if not answered(a)]
    if not waiting:
        yield
        return
    with capture_output() as captured:
        yield
    if any(isinstance(w, Feedback) or not hasattr(w, "when_revealed") for w in waiting):
        display(held_back(waiting))
    else:
        display(_HeldOutput(captured, waiting))
