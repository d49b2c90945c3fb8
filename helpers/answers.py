"""Cells that keep an answer to themselves until the student has given theirs.

A cell whose output would give away an exercise's answer, or a predict-first
question's, starts with ``%%after`` and what it waits for::

    %load_ext helpers.answers          # once, in the setup cell

    %%after check_dE_dw5(dE_dw5)
    print(grads["w5"])                 # shown once the checker says correct

The line after ``%%after`` is a Python expression: a checker call, a
:class:`~helpers.widgets.PredictFirst` question, or several of them separated
by commas. The cell always runs, so the cells after it find its variables; but
until every one of them is answered (the checker says correct, the guess is
revealed) its output is held back, and one line says what it waits for. Run
the cell again after answering to see it. *Run All* therefore never shows an
answer before the student has given one.
"""

from __future__ import annotations

import ast

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
        "%%after waits for a checker's verdict or a predict-first question, "
        f"not {type(thing).__name__}"
    )


def waiting_for(line, namespace):
    """The parts of ``line`` (comma-separated expressions) not yet answered, as written."""
    tree = ast.parse(line.strip(), mode="eval").body
    parts = tree.elts if isinstance(tree, ast.Tuple) else [tree]
    waiting = []
    for part in parts:
        text = ast.get_source_segment(line.strip(), part)
        try:
            done = answered(eval(text, namespace))  # noqa: S307 - the notebook's own line
        except NameError:  # an answer not there yet is not given
            done = False
        if not done:
            waiting.append(text)
    return waiting


def held_back(waiting):
    """What a held-back cell says instead of its output."""
    things = " and ".join(
        f"the exercise that {w} checks" if "(" in w else "the predict-first question above"
        for w in waiting
    )
    return Feedback(
        None,
        f"Held back: this cell shows an answer. Answer {things}, then run this cell again.",
    )


def after(line, cell):
    """The ``%%after`` cell magic (see the module's description)."""
    from IPython import get_ipython

    shell = get_ipython()
    with capture_output():  # a checker's own output is not this cell's
        waiting = waiting_for(line, shell.user_ns)
    if not waiting:
        shell.run_cell(cell, store_history=False)
        return
    with capture_output():
        shell.run_cell(cell, store_history=False)
    display(held_back(waiting))


def load_ipython_extension(shell):
    shell.register_magic_function(after, magic_kind="cell", magic_name="after")
