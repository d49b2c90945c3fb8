"""The pictures saved beside each live dashboard, seen in JupyterLab.

Every dashboard's saved output holds a still picture (``.bp-still``: a PNG of
each figure, the SVG of each diagram, the text description) beside the live
widget. Opened before it runs, a notebook shows those pictures, loaded and
not empty; once its cells have run, Lab shows the live widgets only, never
the picture a second time.
"""

from __future__ import annotations

import pytest

from . import lab

NOTEBOOKS = [
    lab.REPO_ROOT / "notebooks" / "01_forward_pass.ipynb",
    lab.REPO_ROOT / "notebooks" / "06_activations_and_biases.ipynb",
]


PICTURES = """() => [...document.querySelectorAll('.jp-OutputArea-output .bp-still')].map(
  (still) => [...still.querySelectorAll('img')].map((img) => [img.complete, img.naturalWidth]))"""


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_pictures_before_running_widgets_after(notebook, lab_server, browser):
    expected = lab.saved_pictures(notebook)
    assert expected >= 1, f"{notebook.name} holds no saved picture: run tools/execute.py"
    path = lab.relpath_in(lab_server, notebook)
    page = lab.open_notebook(browser, lab_server, notebook)
    try:
        page.wait_for_function(
            f"() => document.querySelectorAll('.bp-still img').length >= {expected}",
            timeout=30_000,
        )
        pictures = page.evaluate(PICTURES)
        assert len(pictures) == expected
        for images in pictures:
            assert images, "a saved picture without an image"
            assert all(done and width > 0 for done, width in images), pictures
        lab.run_all_cells(page, path)
        census = lab.widget_census(page)
        assert census["figures"] >= expected, census
        assert page.evaluate(PICTURES) == [], "Lab shows a saved picture beside the live widget"
    finally:
        lab.close_notebook(page, path)
