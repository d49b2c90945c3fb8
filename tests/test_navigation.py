"""The generated navigation (tools/nav.py) is up to date in every notebook."""

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NAV = ROOT / "tools" / "nav.py"


def run_nav(*args):
    return subprocess.run(
        [sys.executable, str(NAV), *args], capture_output=True, text=True, check=False
    )


def test_every_notebook_is_in_the_course_and_its_navigation_is_current():
    result = run_nav("--check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_notices_stale_navigation(tmp_path):
    notebooks = sorted((ROOT / "notebooks").glob("0*.ipynb"))
    assert notebooks, "the course has no notebooks"
    for path in notebooks:
        shutil.copy(path, tmp_path / path.name)
    victim = tmp_path / notebooks[-1].name
    nb = nbformat.read(victim, as_version=4)
    nb.cells[-1].source = "---\nan old footer"
    nbformat.write(nb, victim)
    stale = run_nav("--check", "--folder", str(tmp_path))
    assert stale.returncode == 1
    assert victim.name in stale.stdout
    assert run_nav("--folder", str(tmp_path)).returncode == 0
    assert run_nav("--check", "--folder", str(tmp_path)).returncode == 0


def test_footers_link_neighbours_in_reading_order():
    notebooks = sorted((ROOT / "notebooks").glob("0*.ipynb"))
    names = [p.name for p in notebooks]
    for k, path in enumerate(notebooks):
        footer = nbformat.read(path, as_version=4).cells[-1].source
        if k > 0:
            assert f"({names[k - 1]})" in footer
        if k + 1 < len(names):
            assert f"({names[k + 1]})" in footer
