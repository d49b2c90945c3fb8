"""Run notebooks top to bottom in a fresh kernel and save them with their outputs.

    python tools/execute.py                 # every notebook in notebooks/
    python tools/execute.py notebooks/02_error.ipynb

The navigation is refreshed first (tools/nav.py) and the slide metadata after
(tools/slide_meta.py). Widget state and the run's timestamps are not stored:
the notebooks rebuild their widgets when run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
from nbconvert.preprocessors import CoalesceStreamsPreprocessor

ROOT = Path(__file__).resolve().parent.parent


def main(argv):
    paths = [Path(p) for p in argv] or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    subprocess.run([sys.executable, str(ROOT / "tools" / "nav.py")], check=True)
    for path in paths:
        print(f"executing {path}", flush=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "jupyter",
                "nbconvert",
                "--to",
                "notebook",
                "--execute",
                "--inplace",
                "--ExecutePreprocessor.store_widget_state=False",
                "--ExecutePreprocessor.timeout=600",
                "--ExecutePreprocessor.kernel_name=python3",
                str(path),
            ],
            check=True,
            # The saved outputs are the course at its normal size, whatever the room.
            env={k: v for k, v in os.environ.items() if k != "PROJECTOR"},
        )
        tidy(path)
    # Where slides start depends on the outputs (a live demo gets a slide of its own).
    slide_meta = [sys.executable, str(ROOT / "tools" / "slide_meta.py"), *map(str, paths)]
    subprocess.run(slide_meta, check=True)
    return 0


def tidy(path):
    """Drop the run's timestamps and join a cell's printed lines into one output,
    so that a re-run changes only what really changed."""
    nb = nbformat.read(path, as_version=4)
    join = CoalesceStreamsPreprocessor()
    for k, cell in enumerate(nb.cells):
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            join.preprocess_cell(cell, {}, k)
    nbformat.write(nb, path)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
