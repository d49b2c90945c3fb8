"""Every course notebook, run in a real JupyterLab in headless Chromium.

For each ``notebooks/*.ipynb`` (and the latency baseline in ``fixtures/``):

1. open ``/lab/tree/<path>?reset`` (no tabs from an earlier session);
2. clear the outputs and Run > Run All Cells; wait until every code cell has
   run and the kernel is idle;
3. fail if any cell shows an error (``ename: evalue``, a traceback) or a
   stderr stream that contains a traceback. Other stderr (a ``UserWarning``,
   say) does not fail the test: it is printed in the test's captured output.
   Readers see those pink boxes too, so better avoid them; fail too if a
   figure, diagram or row of controls is wider than its output (at the
   test's 1280-pixel screen, with the file browser open, about 850 pixels):
   Lab would cut its right edge off;
4. if the page shows a slider and a figure (an ipympl canvas, or a network
   diagram the browser draws: an element with the class ``bp-scene``, see
   ``helpers.diagram.Scene``): read the numbers shown as text in the outputs
   and hash the figures (a canvas's pixels, a diagram's markup), press
   ArrowRight on the slider three times (one press at a time, waiting for
   each redraw), and require that a figure changed AND that a number shown
   as text changed (text inside a diagram belongs to the figure: it does
   not count as text here); every label of a diagram must fit inside the
   diagram, and a unit's label inside its circle;
5. save a screenshot of the whole notebook to ``build/screenshots/NAME.png``.

Conventions for notebook authors
--------------------------------
- The slider that is moved: the first slider with the CSS class
  ``drives-figure`` (``slider.add_class("drives-figure")``); else the first
  slider shown in the same cell output as a figure (e.g.
  ``widgets.VBox([slider, label, fig.canvas])``, or a diagram's
  ``scene.widget``); else the first slider on the page. Make that slider
  drive a live figure.
- Its observer must redraw the figure (``fig.canvas.draw_idle()``, or
  ``scene.flush()`` with a changed diagram) and update a number shown as
  *text* outside the figure (a ``widgets.Label``/``HTML`` or an
  ``widgets.Output`` it prints into). The slider's own readout does not
  count, except for the baseline fixture, which has no text output by design.
- At its maximum the slider is moved left instead of right.
- An exception in the observer does not show in any cell (Lab puts it in its
  log console); the test catches it from the kernel's messages and fails.
- Uncaught JavaScript exceptions in the page and widgets that failed to
  render ("Error displaying widget") fail the test too; other
  ``console.error`` messages are only printed (see ``lab.FATAL_CONSOLE``).
- A notebook is never written back: autosave is off in the test Lab.

Run: ``.venv/bin/pytest tests/browser -q -p no:cacheprovider``.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from . import lab

HERE = Path(__file__).resolve().parent
NOTEBOOK_DIR = lab.REPO_ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
BASELINE = HERE / "fixtures" / "baseline.ipynb"
SCREENSHOTS = lab.REPO_ROOT / "build" / "screenshots"
PRESSES = 3


def test_course_has_notebooks():
    assert NOTEBOOKS, (
        f"no notebooks/*.ipynb in {NOTEBOOK_DIR}: the browser tests below check only the "
        "baseline fixture"
    )


def _check(label: str, ok: bool, message: str, shot: Path) -> None:
    if not ok:
        pytest.fail(f"{label}: {message}\n(screenshot: {shot})", pytrace=False)


@pytest.mark.parametrize(
    "notebook",
    [*NOTEBOOKS, BASELINE],
    ids=[p.name for p in NOTEBOOKS] + ["fixtures/baseline.ipynb"],
)
def test_notebook_in_lab(notebook: Path, lab_server, browser):
    if not notebook.exists():
        pytest.fail(f"{notebook} was removed after the tests were collected", pytrace=False)
    is_baseline = notebook == BASELINE
    path = lab.relpath_in(lab_server, notebook)
    shot = SCREENSHOTS / f"{notebook.stem}.png"
    started = time.monotonic()
    page = None
    try:
        page = lab.open_notebook(browser, lab_server, notebook)
        lab.run_all_cells(page, path)
        ran = time.monotonic()

        problems = lab.cell_problems(page, path)
        _check(
            path,
            not problems["errors"],
            "cells raised: "
            + "; ".join(f"cell {e['cell']}: {e['text']}" for e in problems["errors"]),
            shot,
        )
        tracebacks = [s for s in problems["stderr"] if "Traceback" in s["text"]]
        _check(
            path,
            not tracebacks,
            "a traceback on stderr: "
            + "; ".join(f"cell {s['cell']}: {s['text'][-500:]}" for s in tracebacks),
            shot,
        )
        for s in problems["stderr"]:
            print(f"{path} cell {s['cell']} wrote to stderr: {s['text'].strip()[:500]}")

        too_wide = lab.output_overflow(page)
        _check(path, not too_wide, "; ".join(too_wide), shot)

        census = lab.widget_census(page)
        if census["sliders"] and census["figures"]:
            index = lab.choose_slider(page)
            handle = lab.slider_handle(page, index)
            before = lab.snapshot(page)
            try:
                lab.press_and_wait(page, path, handle, PRESSES)
            except lab.LabError as e:
                raise lab.LabError(f"{lab.slider_description(page, index)}: {e}") from None
            after = lab.snapshot(page)
            where = f"after {PRESSES} × ArrowRight on {lab.slider_description(page, index)}"
            _check(
                path,
                lab.figures_changed(before, after),
                f"{where} no figure on the page changed (compared: the pixels of "
                f"{census['canvases']} ipympl canvas(es), the markup of "
                f"{census['scenes']} diagram(s))",
                shot,
            )
            if is_baseline:
                changed = before["readouts"] != after["readouts"]
                what = "the slider's readout"
            else:
                changed = before["numbers"] != after["numbers"]
                what = "any number shown as text in the outputs (slider readouts apart)"
            _check(
                path,
                changed,
                f"{where} {what} did not change: before {before['numbers'] or before['readouts']}"
                f", after {after['numbers'] or after['readouts']}",
                shot,
            )
            overflow = lab.diagram_overflow(page)
            _check(path, not overflow, f"{where}: " + "; ".join(overflow), shot)
            for s in lab.callback_problems(page)["stderr"]:
                print(f"{path}: the slider's observer wrote to stderr: {s['text'].strip()[:500]}")
        else:
            print(
                f"{path}: {census['sliders']} sliders, {census['canvases']} ipympl canvases, "
                f"{census['scenes']} diagrams: not moved"
            )
        js = lab.js_problems(page)
        _check(
            path,
            not js["fatal"],
            "errors in the browser: " + "; ".join(e[:300] for e in js["fatal"]),
            shot,
        )
        for e in js["other"]:
            print(f"{path}: browser console: {e[:300]}")
        print(f"{path}: open + run {ran - started:.1f} s, total {time.monotonic() - started:.1f} s")
    except lab.LabError as e:
        pytest.fail(f"{path}: {e}\n(screenshot: {shot})", pytrace=False)
    finally:
        if page is not None:
            lab.screenshot_and_close(page, path, shot)
