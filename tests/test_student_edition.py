"""The student editions (tools/student.py) open and run, and their exercises wait for the student.

Each notebook is built without its solution cells and run top to bottom in a
fresh kernel: no cell may fail, and every exercise's checker must say that the
exercise is not done yet.
"""

import functools
import json
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from student import build, tags  # noqa: E402

from helpers.checks import Reading  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
TEACHING = [p for p in NOTEBOOKS if not p.name.startswith("00_")]


def test_the_course_has_notebooks():
    assert TEACHING, "no teaching notebooks found"


@pytest.mark.parametrize("path", TEACHING, ids=lambda p: p.stem)
def test_every_teaching_notebook_has_an_exercise_with_its_solution_after_it(path):
    cells = nbformat.read(path, as_version=4).cells
    exercises = [k for k, c in enumerate(cells) if "exercise" in tags(c)]
    assert exercises, f"{path.name} has no cell tagged 'exercise'"
    for k in exercises:
        assert cells[k].cell_type == "code"
        following = [c for c in cells[k + 1 : k + 4] if "solution" in tags(c)]
        assert any(c.cell_type == "code" for c in following), (
            f"{path.name}: the exercise in cell {k} has no solution code cell right after it"
        )


# Run first in the student edition's kernel: remember every number a
# predict-first question asks for.
RECORD_QUESTIONS = """\
import helpers.widgets as _widgets
_asked = []
_init = _widgets.PredictFirst.__init__
def _recording_init(self, question, truth, *args, **kwargs):
    if kwargs.get("choices") is None and not args and isinstance(truth, (int, float)):
        _asked.append(("predict-first: " + question, float(truth)))
    _init(self, question, truth, *args, **kwargs)
_widgets.PredictFirst.__init__ = _recording_init
"""

# Run last: every exercise's worked solution and checker, with the checkers'
# comparisons recorded, so the test learns the answers the checkers hold.
RECORD_ANSWERS = """\
import json as _json, sys as _sys
import numpy as _np
import helpers.checks as _checks
_held = list(_asked)
def _recorder(original, where):
    def record(*args, **kwargs):
        for value in _np.ravel(_np.asarray(args[where], dtype=float)):
            _held.append((args[0] if where == 2 else "an array answer", float(value)))
        return original(*args, **kwargs)
    return record
# where each comparison takes its expected value; with a worked solution the
# first comparison a checker makes is with the answer (a slip is tried only after)
for _name, _where in (("check_number", 2), ("check_array", 2), ("array_matches", 1)):
    _original = getattr(_checks, _name)
    for _module in [m for n, m in _sys.modules.items() if n.startswith("helpers")]:
        if getattr(_module, _name, None) is _original:
            setattr(_module, _name, _recorder(_original, _where))
{solutions}
print("HELD " + _json.dumps(_held))
"""


def _text_of(output):
    data = output.get("data", {})
    return output.get("text", "") + "".join(
        "".join(data.get(kind, "")) for kind in ("text/plain", "text/html", "text/markdown")
    )


@functools.cache
def _run_student_edition(path, out):
    """The executed student edition of ``path`` and the answers its checkers
    and predict-first questions hold, as ``[(what, value), ...]``."""
    original = nbformat.read(path, as_version=4).cells
    solutions = []
    for k, cell in enumerate(original):
        if "exercise" in tags(cell) and PLACEHOLDER.search(cell.source):
            worked = [
                c.source
                for c in original[k + 1 : k + 4]
                if "solution" in tags(c) and c.cell_type == "code"
            ]
            solutions.append("\n".join(worked + [cell.source.split("\n")[-1]]))
    (built,) = build([path], Path(out))
    nb = nbformat.read(built, as_version=4)
    assert not [c for c in nb.cells if "solution" in tags(c)]
    nb.cells.insert(0, nbformat.v4.new_code_cell(RECORD_QUESTIONS))
    record = RECORD_ANSWERS.replace("{solutions}", "\n".join(solutions))
    nb.cells.append(nbformat.v4.new_code_cell(record))
    NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(ROOT / "notebooks")}},
    ).execute()
    recorder, answers = nb.cells.pop(0), nb.cells.pop()
    assert not recorder.outputs, recorder.outputs
    printed = "".join(_text_of(o) for o in answers.outputs)
    assert "HELD " in printed, f"the answers could not be recorded: {printed}"
    held = json.loads(printed.split("HELD ", 1)[1])
    return nb, [(what, value) for what, value in held]


PLACEHOLDER = re.compile(r"^\w+ = None\b", re.M)


@pytest.mark.parametrize("path", TEACHING, ids=lambda p: p.stem)
def test_student_edition_runs_and_its_checkers_wait(path, tmp_path_factory):
    nb, _ = _run_student_edition(path, tmp_path_factory.mktemp(path.stem))
    for cell in nb.cells:
        if "exercise" not in tags(cell):
            continue
        shown = "".join(_text_of(out) for out in cell.outputs)
        assert "Not done yet" in shown, f"exercise cell says {shown!r}"


NUMBER = re.compile(r"(?<![\w.·⁰¹²³⁴⁵⁶⁷⁸⁹⁻])[−-]?\d+(?:\.\d+)?(?![\d·⁰¹²³⁴⁵⁶⁷⁸⁹])")


def gives_away(token, answer):
    """Whether the number written as ``token`` shows ``answer``: it is the
    answer, or the answer to the three or more figures it was written with
    (what a checker would accept)."""
    value = float(token.replace("−", "-"))
    digits = len(token.lstrip("−-").replace(".", "").lstrip("0"))
    if digits < 3 or answer == 0:
        return False
    reading = Reading(value, answer)
    return reading.matches(answer)


def _shown_widget_texts(nb):
    """``(cell id, text)`` for the texts of every widget an output shows, with its parts."""
    models = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    models = models.get("state", {})
    texts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get("application/vnd.jupyter.widget-view+json")
            todo, seen = [view["model_id"]] if view else [], set()
            while todo:
                model_id = todo.pop()
                if model_id in seen or model_id not in models:
                    continue
                seen.add(model_id)
                for value in models[model_id].get("state", {}).values():
                    for item in value if isinstance(value, list) else [value]:
                        if isinstance(item, str) and item.startswith("IPY_MODEL_"):
                            todo.append(item.removeprefix("IPY_MODEL_"))
                        elif isinstance(item, str):
                            texts.append((cell.get("id", "?"), item))
    return texts


def _leaks(nb, held):
    """Every place in ``nb`` (outputs, widget texts, markdown) where a held answer shows."""
    places = []
    for k, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            texts = [("text", cell.source)]
        elif cell.cell_type == "code":
            texts = [("output", _text_of(o)) for o in cell.get("outputs", [])]
        else:
            continue
        places += [(f"cell {cell.get('id', k)} ({kind})", text) for kind, text in texts]
    places += [(f"widget {where}", text) for where, text in _shown_widget_texts(nb)]
    found = []
    for where, text in places:
        for token in NUMBER.findall(text):
            for what, answer in held:
                if gives_away(token, answer):
                    found.append(f"{where} shows {token}, the answer to {what}")
    return sorted(set(found))


@pytest.mark.parametrize("path", TEACHING, ids=lambda p: p.stem)
def test_student_edition_keeps_its_answers(path, tmp_path_factory):
    nb, held = _run_student_edition(path, tmp_path_factory.mktemp(path.stem))
    assert held, f"{path.name}: no answer recorded from its exercises or questions"
    leaks = _leaks(nb, held)
    assert not leaks, f"{path.name}'s student edition shows answers after Run All:\n" + "\n".join(
        leaks
    )


def test_the_leak_finder_finds_a_rounded_answer_and_not_a_rough_one():
    assert gives_away("−15.006", -15.00576)
    assert gives_away("−15.00576", -15.00576)
    assert gives_away("0.317", 0.3172032)
    assert not gives_away("−15", -15.00576)
    assert not gives_away("15.006", -15.00576)
    assert not gives_away("0.318", 0.3172032)
    assert NUMBER.findall("w6 moves from 0.16 to 0.3172032; 4·10⁻⁵ and E = −1.5") == [
        "0.16",
        "0.3172032",
        "−1.5",
    ]


SPEAKS_OF_SOLUTIONS = re.compile(
    r"solution\b[^.]*\b(cell right after|follows)|under \*\*Solution\*\*", re.I
)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_student_edition_never_points_to_a_solution(path, tmp_path):
    (built,) = build([path], tmp_path)
    cells = nbformat.read(built, as_version=4).cells
    said = [
        c.source
        for c in cells
        if c.cell_type == "markdown" and SPEAKS_OF_SOLUTIONS.search(c.source)
    ]
    assert not said, f"{path.name}'s student edition points to solutions it does not have: {said}"


def test_the_teachers_index_says_where_the_solutions_are():
    cells = nbformat.read(ROOT / "notebooks" / "00_index.ipynb", as_version=4).cells
    assert any(SPEAKS_OF_SOLUTIONS.search(c.source) for c in cells if c.cell_type == "markdown")


@pytest.mark.parametrize("path", TEACHING, ids=lambda p: p.stem)
def test_the_teachers_notebook_keeps_its_predict_first_answers(path, tmp_path_factory):
    """Predict first means predict first in the committed notebook too: after Run All
    no output shows the number a predict-first question asks for."""
    _, held = _run_student_edition(path, tmp_path_factory.mktemp(path.stem))
    asked = [(what, value) for what, value in held if what.startswith("predict-first: ")]
    leaks = _leaks(nbformat.read(path, as_version=4), asked)
    assert not leaks, f"{path.name} shows predict-first answers after Run All:\n" + "\n".join(leaks)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_student_edition_leaves_out_the_lecturers_notes(path, tmp_path):
    """Speaker notes (tag slides-notes) name the predict-first answers: not for students."""
    (built,) = build([path], tmp_path)
    cells = nbformat.read(built, as_version=4).cells
    kept = [c.source[:60] for c in cells if "Lecturer's note" in c.source]
    assert not kept, f"{path.name}'s student edition keeps lecturer's notes: {kept}"


@pytest.mark.parametrize("path", TEACHING, ids=lambda p: p.stem)
def test_lecturers_notes_say_what_they_are(path):
    """In JupyterLab a note is a plain markdown cell: it says whom it speaks to."""
    cells = nbformat.read(path, as_version=4).cells
    notes = [c for c in cells if "slides-notes" in tags(c)]
    assert notes, f"{path.name} has no lecturer's notes (cells tagged slides-notes)"
    for cell in notes:
        assert cell.cell_type == "markdown"
        assert cell.source.startswith("**Lecturer's note.** "), cell.source[:60]
        assert cell.metadata.get("slideshow", {}).get("slide_type") == "notes"
