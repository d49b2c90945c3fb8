"""The nbgrader assignments (tools/assignments.py) grade as a teacher expects.

The course folder is built in a temporary folder with nbgrader itself. For
every notebook with exercises three students hand in the released version:
one as it is (blank), one with every answer made wrong (a number off by one,
an array shifted, a function whose results are shifted), one with the worked
solutions. nbgrader autogrades them in fresh kernels: 0, 0 and full marks; the
feedback for the wrong one says, for every exercise, what its checker said.
A second, smaller course built with ``--assert`` checks the same on one
notebook.

nbgrader must be installed (requirements-dev.txt): without it these tests fail.
"""

import ast
import html
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from assignments import BEGIN, END, exercises  # noqa: E402

BIN = Path(sys.executable).parent
ENV = {**os.environ, "PATH": os.pathsep.join([str(BIN), os.environ.get("PATH", "")])}
NOTEBOOKS = [
    p
    for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if exercises(nbformat.read(p, as_version=4))
]
STUDENTS = ("blank", "wrong", "right")
# The --assert style is checked on one notebook only: the one with the most exercises.
ASSERTED = max(NOTEBOOKS, key=lambda p: len(exercises(nbformat.read(p, as_version=4))))

# Appended to an answer cell: every answer made wrong, of the same kind.
WRONG = '''

def _wrong(value):
    """A number or array shifted by one; a dict or function whose values are."""
    if callable(value):
        return lambda *args, **kwargs: _wrong(value(*args, **kwargs))
    if isinstance(value, dict):
        return {key: _wrong(item) for key, item in value.items()}
    return value + 1

'''


def nbgrader(course, *args):
    """Start one nbgrader command in the course folder ``course``."""
    return subprocess.Popen(
        [str(BIN / "nbgrader"), *args, "--log-level=WARN"],
        cwd=course,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish(*runs):
    for run in runs:
        out, _ = run.communicate(timeout=600)
        assert run.returncode == 0, out


def graded(cells, kind):
    return [c for c in cells if c.metadata.get("nbgrader", {}).get(kind)]


def answers_of(cell):
    """The names the autograder test passes to its checker."""
    call = next(
        node.value
        for node in ast.parse(cell.source).body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
    )
    return [ast.unparse(arg) for arg in call.args]


def submission(course, name, student):
    """What ``student`` hands in for assignment ``name``: the released folder, its
    notebook left as it is, answered wrongly, or answered with the solutions."""
    folder = course / "submitted" / student / name
    shutil.copytree(course / "release" / name, folder)
    if student == "blank":
        return
    path = folder / f"{name}.ipynb"
    nb = nbformat.read(path, as_version=4)
    source = nbformat.read(course / "source" / name / f"{name}.ipynb", as_version=4)
    solved = {c.id: c.source for c in graded(source.cells, "solution")}
    for k, cell in enumerate(nb.cells):
        if not cell.metadata.get("nbgrader", {}).get("solution"):
            continue
        lines = [line for line in solved[cell.id].splitlines() if line not in (BEGIN, END)]
        if student == "wrong":
            lines.append(WRONG)
            lines += [f"{a} = _wrong({a})" for a in answers_of(nb.cells[k + 1])]
        cell.source = "\n".join(lines)
    nbformat.write(nb, path)


def build(course, paths, *options):
    """Start tools/assignments.py: the course folder ``course`` for ``paths``."""
    return subprocess.Popen(
        [sys.executable, str(ROOT / "tools" / "assignments.py"), "--out", str(course)]
        + [*map(str, paths), *options],
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.fixture(scope="module")
def courses(tmp_path_factory):
    """``{notebook name: course folder where its submissions were graded}``, and the
    folder of the --assert course. Two halves of the notebooks are graded side by
    side in two copies of the course folder (nbgrader's gradebook is one file)."""
    base = tmp_path_factory.mktemp("grading")
    first, second, asserted = base / "first", base / "second", base / "asserted"
    finish(build(first, NOTEBOOKS), build(asserted, [ASSERTED], "--assert"))
    shutil.copytree(first, second)
    where = {}
    for k, path in enumerate(NOTEBOOKS):
        where[path.stem] = (first, second)[k % 2]
        for student in STUDENTS:
            submission(where[path.stem], path.stem, student)
            if path == ASSERTED:
                submission(asserted, path.stem, student)
    finish(*(nbgrader(c, "autograde", "*") for c in (first, second)))
    finish(
        *(nbgrader(c, "generate_feedback", "*", "--student", "wrong") for c in (first, second)),
        nbgrader(asserted, "autograde", "*"),
    )
    return where, asserted


def scores(course, name):
    db = f"sqlite:///{course / 'gradebook.db'}"
    with Gradebook(db, course_id="backprop-course") as gb:
        return {
            student: (
                gb.find_submission(name, student).score,
                gb.find_submission(name, student).max_score,
            )
            for student in STUDENTS
        }


def printed(cell):
    return "".join(out.get("text", "") for out in cell.outputs if out.output_type == "stream")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_blank_and_wrong_score_nothing_and_the_solutions_full_marks(courses, path):
    where, _ = courses
    exercises_in = len(exercises(nbformat.read(path, as_version=4)))
    got = scores(where[path.stem], path.stem)
    assert got == {
        "blank": (0, exercises_in),
        "wrong": (0, exercises_in),
        "right": (exercises_in, exercises_in),
    }


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_feedback_on_wrong_answers_says_what_each_checker_found(courses, path):
    where, _ = courses
    course, name = where[path.stem], path.stem
    autograded = course / "autograded" / "wrong" / name / f"{name}.ipynb"
    tests = graded(nbformat.read(autograded, as_version=4).cells, "grade")
    said = [printed(cell).strip() for cell in tests]
    assert len(said) == len(exercises(nbformat.read(path, as_version=4)))
    for message in said:
        assert message, "an autograder test printed nothing"
        assert not message.startswith(("Not done yet", "Correct")), message
    page = html.unescape((course / "feedback" / "wrong" / name / f"{name}.html").read_text())
    for message in said:
        assert message in page, f"the feedback does not say {message!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_run_all_never_stops_in_a_blank_notebook(courses, path):
    where, _ = courses
    name = path.stem
    blank = where[name] / "autograded" / "blank" / name / f"{name}.ipynb"
    failed = [
        cell.source
        for cell in nbformat.read(blank, as_version=4).cells
        if any(out.output_type == "error" for out in cell.get("outputs", []))
    ]
    assert not failed, f"cells that fail in a blank notebook: {failed}"


def test_tests_that_assert_grade_the_same(courses):
    _, asserted = courses
    exercises_in = len(exercises(nbformat.read(ASSERTED, as_version=4)))
    assert scores(asserted, ASSERTED.stem) == {
        "blank": (0, exercises_in),
        "wrong": (0, exercises_in),
        "right": (exercises_in, exercises_in),
    }


def test_students_see_the_placeholder_and_no_solution(courses):
    where, _ = courses
    for path in NOTEBOOKS:
        course = where[path.stem]
        released = nbformat.read(course / "release" / path.stem / path.name, as_version=4)
        original = {c.id: c.source for c in nbformat.read(path, as_version=4).cells}
        for cell in graded(released.cells, "solution"):
            assert "SOLUTION" not in cell.source and "NotImplementedError" not in cell.source
            assert cell.source.strip() in original[cell.id], (
                f"{path.name}: the students' exercise differs from the course's placeholder"
            )
