"""Projector mode in a real JupyterLab: every dashboard fits the screen it is meant for.

``apply_style(scale)`` enlarges every text for the back of the room, and the
figures and diagrams grow with it. The course promises (README, index
notebook) two settings that fit:

- ``apply_style(1.6)`` on a 1920 × 1080 projector, the file browser open;
- ``apply_style(1.3)`` on a 1280 × 800 projector, the side bar closed.

Both are switched with one setting, the PROJECTOR environment variable,
which the notebooks' ``apply_style()`` reads. For each notebook with a
dashboard and each setting, a copy of the notebook that sets PROJECTOR in its
kernel before ``apply_style()`` is run in Lab at that screen size. It fails if
a cell shows an error, if a figure, diagram or row of controls reaches past
the right edge of its output (Lab would cut it off), if a diagram's label
does not fit its diagram or unit, or if prose, code, slider labels and
readouts, or the text with a figure are not enlarged with the figures.
"""

from __future__ import annotations

import json
import shutil

import pytest

from . import lab

SETTINGS = {
    "1080p": {"scale": 1.6, "viewport": {"width": 1920, "height": 1080}, "side_bar": True},
    "1280-side-bar-closed": {
        "scale": 1.3,
        "viewport": {"width": 1280, "height": 800},
        "side_bar": False,
    },
}
NOTEBOOK_DIR = lab.REPO_ROOT / "notebooks"
NOTEBOOKS = sorted(p for p in NOTEBOOK_DIR.glob("*.ipynb") if not p.name.startswith("00"))
COPIES = lab.REPO_ROOT / "build" / "projector"
SCREENSHOTS = lab.REPO_ROOT / "build" / "screenshots"
STYLE_CALL = "apply_style()"


def projector_copy(notebook, scale):
    """``notebook`` with PROJECTOR=``scale`` set in its kernel before its ``apply_style()``
    call, as ``PROJECTOR=1.6 make lab`` would set it, in build/."""
    data = json.loads(notebook.read_text(encoding="utf-8"))
    replaced = 0
    for cell in data["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        if STYLE_CALL in source:
            setting = f'import os\n\nos.environ["PROJECTOR"] = "{scale}"\n'
            cell["source"] = source.replace(STYLE_CALL, f"{setting}{STYLE_CALL}")
            replaced += 1
    if replaced != 1:
        pytest.fail(
            f"{notebook.name}: expected one {STYLE_CALL} call in its code, found {replaced}; "
            "projector mode is switched there",
            pytrace=False,
        )
    # A course folder of its own: notebooks/ (with helpers.py, which imports the
    # helpers beside it) next to helpers/, as in the course.
    folder = COPIES / f"scale-{scale}"
    target = folder / "notebooks" / notebook.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(NOTEBOOK_DIR / "helpers.py", target.parent / "helpers.py")
    if not (folder / "helpers").exists():
        (folder / "helpers").symlink_to(lab.REPO_ROOT / "helpers", target_is_directory=True)
    target.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return target


@pytest.fixture(scope="module", autouse=True)
def _fresh_copies():
    shutil.rmtree(COPIES, ignore_errors=True)
    yield


def test_course_has_notebooks():
    assert NOTEBOOKS, f"no course notebooks in {NOTEBOOK_DIR}"


@pytest.mark.parametrize("setting", list(SETTINGS))
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_dashboards_fit_the_projector(notebook, setting, lab_server, browser):
    s = SETTINGS[setting]
    copy = projector_copy(notebook, s["scale"])
    path = lab.relpath_in(lab_server, copy)
    shot = SCREENSHOTS / f"projector-{setting}-{notebook.stem}.png"
    page = None
    try:
        page = lab.open_notebook(browser, lab_server, copy)
        page.set_viewport_size(s["viewport"])
        if not s["side_bar"]:
            page.evaluate("() => window.jupyterapp.shell.collapseLeft()")
        lab.run_all_cells(page, path)
        problems = lab.cell_problems(page, path)["errors"]
        census = lab.widget_census(page)
        too_wide = lab.output_overflow(page)
        labels = lab.diagram_overflow(page)
        small = lab.text_not_scaled(page, s["scale"])
        found = [
            *(f"cell {e['cell']}: {e['text']}" for e in problems),
            *too_wide,
            *labels,
            *small,
        ]
        if not census["canvases"] + census["scenes"]:
            found.append("no figure or diagram on the page: nothing was checked")
        if found:
            pytest.fail(
                f"{notebook.name} at apply_style({s['scale']}) on a "
                f"{s['viewport']['width']}-pixel screen: "
                + "; ".join(found)
                + f"\n(screenshot: {shot})",
                pytrace=False,
            )
    except lab.LabError as e:
        pytest.fail(f"{path}: {e}\n(screenshot: {shot})", pytrace=False)
    finally:
        if page is not None:
            lab.screenshot_and_close(page, path, shot)
