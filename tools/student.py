"""Build the student editions: every notebook without its solutions.

    python tools/student.py                # all notebooks -> build/student/
    python tools/student.py --out DIR notebooks/03_chain_rule_output_weights.ipynb

The convention, the same in every notebook: an exercise is a code cell tagged
``exercise`` that leaves a placeholder and calls a checker (which then says
"Not done yet"); its solution is the cell(s) tagged ``solution`` right after.
The student edition drops the solution cells and all outputs, so the student
runs it fresh.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent


def tags(cell):
    return set(cell.get("metadata", {}).get("tags", []))


def student_edition(nb):
    """A copy of ``nb`` without solution cells and without outputs."""
    nb = nbformat.from_dict(nb)
    nb.cells = [cell for cell in nb.cells if "solution" not in tags(cell)]
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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "student")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for target in build(paths, args.out):
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
