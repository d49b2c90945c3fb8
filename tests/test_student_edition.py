"""The student editions (tools/student.py) open and run, and their exercises wait for the student.

Each notebook is built without its solution cells and run top to bottom in a
fresh kernel: no cell may fail, and every exercise's checker must say that the
exercise is not done yet.
"""

import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from student import build, tags  # noqa: E402

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


@pytest.mark.parametrize("path", TEACHING, ids=lambda p: p.stem)
def test_student_edition_runs_and_its_checkers_wait(path, tmp_path):
    (built,) = build([path], tmp_path)
    nb = nbformat.read(built, as_version=4)
    assert not [c for c in nb.cells if "solution" in tags(c)]
    NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(ROOT / "notebooks")}},
    ).execute()
    for cell in nb.cells:
        if "exercise" not in tags(cell):
            continue
        shown = "".join(
            out.get("text", "") + "".join(out.get("data", {}).get("text/plain", ""))
            for out in cell.outputs
        )
        assert "Not done yet" in shown, f"exercise cell says {shown!r}"


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
