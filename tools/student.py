"""Build the student editions: every notebook without its solutions.

    python tools/student.py                # all notebooks -> build/student/notebooks/
    python tools/student.py --out DIR notebooks/03_chain_rule_output_weights.ipynb

The convention, the same in every notebook: an exercise is a code cell tagged
``exercise`` that leaves a placeholder and calls a checker (which then says
"Not done yet"); its solution is the cell(s) tagged ``solution`` right after.
The student edition drops the solution cells, the cells tagged ``teacher-edition``
(text that speaks of the solutions), the lecturer's notes (tag ``slides-notes``:
the speaker notes of the slides, which name the answers of the predict-first
questions and the slips the exercises expect) and all outputs, so the student
runs it fresh.

build/student/ is a whole course folder to hand out: the editions in
notebooks/ beside the helpers they import (and requirements.txt).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent


DROPPED = {"solution", "teacher-edition", "slides-notes"}


def tags(cell):
    return set(cell.get("metadata", {}).get("tags", []))


def student_edition(nb):
    """A copy of ``nb`` without the cells tagged in DROPPED and without outputs."""
    nb = nbformat.from_dict(nb)
    nb.cells = [cell for cell in nb.cells if not tags(cell) & DROPPED]
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nb.metadata.pop("widgets", None)
    return nb


def build(paths, out):
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        target = out / path.name
        nbformat.write(student_edition(nb), target)
        written.append(target)
    return written


def course_folder(root):
    """Make ``root`` a course folder for the editions in ``root/notebooks``: the
    helpers beside them, the file that lets the notebooks import those, and
    the students' requirements."""
    shutil.rmtree(root / "helpers", ignore_errors=True)
    shutil.copytree(
        ROOT / "helpers", root / "helpers", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy2(ROOT / "notebooks" / "helpers.py", root / "notebooks" / "helpers.py")
    shutil.copy2(ROOT / "requirements.txt", root / "requirements.txt")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, help="default: build/student/notebooks")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    out = args.out or ROOT / "build" / "student" / "notebooks"
    for target in build(paths, out):
        print(f"wrote {target}")
    if args.out is None:
        course_folder(out.parent)
        print(f"{out.parent} is a course folder to hand out")
    return 0


if __name__ == "__main__":
    sys.exit(main())
