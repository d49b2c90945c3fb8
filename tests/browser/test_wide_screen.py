"""On a 1920 × 1080 screen, without the projector setting, the network diagrams grow.

A diagram is drawn at a fixed size in pixels; on a screen half as wide again
as a laptop's it would look small in a notebook that is now much wider. In
JupyterLab (file browser open, as on a student's screen) each notebook with a
diagram is run at 1920 × 1080: every diagram must be shown a quarter larger
than its drawing (:data:`helpers.diagram.WIDE_SCREENS`), fit its output, and
keep its labels clear of its lines and inside it. At 1280 pixels the other
browser tests see it at its own size.
"""

from __future__ import annotations

import pytest

from helpers.diagram import WIDE_SCREENS

from . import lab

NOTEBOOKS = [
    lab.REPO_ROOT / "notebooks" / name
    for name in (
        "01_forward_pass.ipynb",
        "04_chain_rule_hidden_weights.ipynb",
        "06_activations_and_biases.ipynb",
    )
]
SCREEN = {"width": 1920, "height": 1080}
ZOOM = max(zoom for width, zoom in WIDE_SCREENS if width <= SCREEN["width"])

# Each diagram's width on the screen against the width it is drawn at.
_GROWTH = r"""
() => [...document.querySelectorAll('.bp-scene-root')]
  .filter((r) => r.getClientRects().length)
  .map((r) => r.getBoundingClientRect().width / parseFloat(r.style.width))
"""


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_diagrams_grow_on_a_wide_screen_and_still_fit(notebook, lab_server, browser):
    path = lab.relpath_in(lab_server, notebook)
    shot = lab.REPO_ROOT / "build" / "screenshots" / f"wide-{notebook.stem}.png"
    page = lab.open_notebook(browser, lab_server, notebook)
    try:
        page.set_viewport_size(SCREEN)
        lab.run_all_cells(page, path)
        growth = page.evaluate(_GROWTH)
        problems = [*lab.output_overflow(page), *lab.diagram_overflow(page)]
    finally:
        lab.screenshot_and_close(page, path, shot)
    assert growth, f"{notebook.name} shows no diagram"
    assert all(abs(g - ZOOM) < 0.01 for g in growth), (growth, shot)
    assert not problems, f"{notebook.name} at 1920 px: {problems} (screenshot: {shot})"


def test_a_diagram_in_a_narrow_panel_keeps_its_size(lab_server, browser):
    """With a second document open beside the notebook (the file browser closed), the
    notebook's half of a 1920-pixel window has room for its diagram, but not for the
    diagram zoomed: it keeps its own size and fits, rather than being cut off at the
    right."""
    notebook = NOTEBOOKS[0]
    path = lab.relpath_in(lab_server, notebook)
    shot = lab.REPO_ROOT / "build" / "screenshots" / f"wide-split-{notebook.stem}.png"
    page = lab.open_notebook(browser, lab_server, notebook)
    try:
        page.set_viewport_size(SCREEN)
        page.evaluate("() => window.jupyterapp.shell.collapseLeft()")
        beside = lab.relpath_in(lab_server, lab.REPO_ROOT / "README.md")
        page.evaluate(
            "(path) => window.jupyterapp.commands.execute('docmanager:open',"
            " {path, factory: 'Editor', options: {mode: 'split-right'}})",
            beside,
        )
        page.wait_for_timeout(500)
        lab.run_all_cells(page, path)
        growth = page.evaluate(_GROWTH)
        # Each diagram's output width, and its own width: too little room to zoom.
        rooms = page.evaluate(
            "() => [...document.querySelectorAll('.bp-scene-root')]"
            ".filter((r) => r.getClientRects().length)"
            ".map((r) => [r.closest('.jp-OutputArea-output').clientWidth,"
            " parseFloat(r.style.width)])"
        )
        problems = [*lab.output_overflow(page), *lab.diagram_overflow(page)]
    finally:
        lab.screenshot_and_close(page, path, shot)
    assert growth, f"{notebook.name} shows no diagram"
    zoom = min(z for _, z in WIDE_SCREENS)
    assert all(room < width * zoom for room, width in rooms), f"the panel is not narrow: {rooms}"
    assert all(abs(g - 1) < 0.01 for g in growth), (growth, shot)
    assert not problems, f"{notebook.name} beside README.md: {problems} (screenshot: {shot})"
