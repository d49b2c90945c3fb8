"""The course runs as a folder: only the students' packages installed, nothing else.

This is what a hub gives a student (an image with requirements.txt installed,
the course pulled into a home directory with nbgitpuller) and what Binder
builds. A fresh virtual environment gets exactly requirements.txt, installed
from another directory (no path in the file may depend on where pip runs);
the course folder is copied elsewhere, and every notebook runs top to bottom
from its notebooks folder, where ``import helpers`` finds the course's own
helpers (notebooks/helpers.py) and not an installed package.

pip's wheel cache keeps this to about half a minute after the first run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SKIP_DIRS = {".venv", ".git", "build", "__pycache__", ".pytest_cache", ".hypothesis", ".ruff_cache"}


def run(argv, **kwargs):
    done = subprocess.run(argv, capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, f"{' '.join(map(str, argv))} failed:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def student_setup(tmp_path_factory):
    """(course folder copy, python of a venv with only requirements.txt, clean env)."""
    tmp = tmp_path_factory.mktemp("hub")
    course = tmp / "home" / "backprop-course"
    shutil.copytree(ROOT, course, ignore=lambda _dir, names: SKIP_DIRS & set(names))
    venv = tmp / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", venv])
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    # The file is named by its full path from another directory, as a hub image's build does.
    pip = [sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-compile"]
    run([*pip, "-r", course / "requirements.txt"], cwd=tmp)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTHON", "JUPYTER", "VIRTUAL_ENV", "IPYTHON", "MPL"))
    }
    env["HOME"] = str(tmp / "home")  # no user-wide kernels or settings
    env["PATH"] = os.pathsep.join([str(python.parent), env.get("PATH", "")])
    return course, python, env


def test_students_packages_do_not_include_the_course(student_setup):
    course, python, env = student_setup
    found = subprocess.run(
        [python, "-c", "import helpers"], cwd=course.parent, env=env, capture_output=True
    )
    assert found.returncode != 0, "helpers is importable outside the course folder"
    listed = json.loads(
        run(
            [sys.executable, "-m", "pip", "--python", python, "list", "--format", "json"],
            env=env,
        ).stdout
    )
    names = {p["name"].lower() for p in listed}
    assert "backprop-course-helpers" not in names
    assert not names & {"pytest", "nbval", "playwright", "ruff", "jupyter-book", "sphinx"}


def test_every_notebook_runs_from_a_copy_of_the_folder(student_setup):
    course, python, env = student_setup
    probe = course / "notebooks" / "probe.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("import sys, helpers\nprint(sys.prefix)\nprint(helpers.__file__)")
    ]
    nbformat.write(nb, probe)
    out = course.parent / "executed"
    names = [p.name for p in NOTEBOOKS] + [probe.name]
    run(
        [
            python,
            "-m",
            "jupyter",
            "nbconvert",
            "--to",
            "notebook",
            "--execute",
            "--ExecutePreprocessor.kernel_name=python3",
            "--ExecutePreprocessor.timeout=600",
            "--output-dir",
            out,
            *(course / "notebooks" / name for name in names),
        ],
        cwd=course,
        env=env,
    )
    prefix, helpers_file = nbformat.read(out / probe.name, 4).cells[0].outputs[0].text.split()
    assert Path(prefix) == python.parent.parent
    assert Path(helpers_file) == course / "helpers" / "__init__.py"
    for name in names[:-1]:
        cells = nbformat.read(out / name, 4).cells
        outputs = [o for c in cells if c.cell_type == "code" for o in c.outputs]
        assert outputs, f"{name} ran without a single output"
        assert not [o for o in outputs if o.output_type == "error"], name
