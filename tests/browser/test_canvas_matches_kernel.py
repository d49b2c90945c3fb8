"""The picture a student sees is the picture of the dashboard's state, after any moves.

For every dashboard with a matplotlib figure in notebooks 02–07 (found from the
notebooks: a cell that ends with the name of a ``Dashboard`` whose ``fig`` is
set), this test plays seeded random sequences of what a student does in
JupyterLab, back to back as a quick hand would: arrow keys, Home and End on the
sliders, every option of every menu, and Reset. Across its sequences each
dashboard gets Reset, Home, End and every menu at least once; the moves from
issue reports come first. After each sequence, once the page is quiet, the
canvas the page shows is compared with a full render of the same figure in the
kernel (``savefig`` at the figure's size and dpi). Antialiasing may differ a
little; a missing curve, dot, title or frame may not.

``CANVAS_SEED`` (an integer, default 17) picks other sequences; a failure
names its seed and moves, and saves both pictures in ``build/screenshots``.
"""

from __future__ import annotations

import os
import random
import re
from pathlib import Path

import pytest

from . import kernel_picture, lab

NOTEBOOKS = sorted((lab.REPO_ROOT / "notebooks").glob("0[2-7]_*.ipynb"))
SHOTS = lab.REPO_ROOT / "build" / "screenshots"
SEED = int(os.environ.get("CANVAS_SEED", "17"))
SEQUENCES = 2  # per dashboard
MOVES = 5  # per sequence, at the least
QUIET_MS = 500

#: Moves that once blanked a figure (issue 17), played first: (cell name, moves).
REPORTED = {
    "02_error.ipynb": [[("key", "y", "End"), ("reset",), ("key", "w1", "ArrowRight")]],
    "04_chain_rule_hidden_weights.ipynb": [
        [("key", "w5", "End"), ("reset",), ("key", "w1", "ArrowRight")],
        [("key", "w1", "ArrowRight")] * 3 + [("reset",), ("menu", 1, "w5")],
    ],
}

# The dashboard's controls as the page shows them: slider labels and menu options.
_CONTROLS = r"""
(cell) => {
  const out = document.querySelectorAll('.jp-Notebook .jp-Cell')[cell]
    .querySelector('.jp-OutputArea');
  const sliders = [...out.querySelectorAll('.widget-slider')]
    .filter((s) => s.querySelector('.noUi-handle'))
    .map((s) => s.querySelector('.widget-label').textContent.trim());
  const menus = [...out.querySelectorAll('.widget-dropdown select')]
    .map((m) => [...m.options].map((o) => o.value));
  return { sliders, menus };
}
"""


def _sequences(rng: random.Random, controls: dict, reported: list) -> list[list[tuple]]:
    """``SEQUENCES`` random sequences that together hold Reset, Home, End and every menu
    option (a menu of many options: at least its first and last), after ``reported``."""
    sliders, menus = controls["sliders"], controls["menus"]
    required = [("reset",)]
    if sliders:
        required += [("key", rng.choice(sliders), "Home"), ("key", rng.choice(sliders), "End")]
    for k, options in enumerate(menus):
        picked = options if len(options) <= 4 else [options[-1], *rng.sample(options, 2)]
        required += [("menu", k, option) for option in picked]

    def any_move():
        roll = rng.random()
        if roll < 0.1:
            return ("reset",)
        if menus and roll < 0.3:
            k = rng.randrange(len(menus))
            return ("menu", k, rng.choice(menus[k]))
        key = rng.choice(["ArrowRight", "ArrowLeft", "ArrowRight", "PageUp", "Home", "End"])
        return ("key", rng.choice(sliders), key)

    rng.shuffle(required)
    per = max(MOVES, -(-len(required) // SEQUENCES))
    out = []
    for s in range(SEQUENCES):
        moves = required[s * per : (s + 1) * per]
        moves += [any_move() for _ in range(per - len(moves))] if sliders else []
        rng.shuffle(moves)
        out.append(moves)
    return [list(m) for m in reported] + out


def _play(page, cell: int, move: tuple) -> None:
    output = page.locator(".jp-Notebook .jp-Cell").nth(cell).locator(".jp-OutputArea")
    if move[0] == "reset":
        output.get_by_role("button", name="Reset").click()
    elif move[0] == "menu":
        output.locator(".widget-dropdown select").nth(move[1]).select_option(move[2])
    else:
        _, label, key = move
        slider = output.locator(".widget-slider").filter(
            has=page.locator(".widget-label", has_text=re.compile(f"^{re.escape(label)}$"))
        )
        handle = slider.first.locator(".noUi-handle").first
        if not handle.evaluate("(h) => document.activeElement === h"):
            handle.focus()
        page.keyboard.press(key)
    page.wait_for_timeout(30)  # a quick hand: the next move comes before the figure


def _check(page, path: str, cell: int, name: str, what: str) -> str | None:
    """None when the page shows the kernel's full render; else what is wrong."""
    seen = kernel_picture.compare(page, path, cell, name)
    if seen.ok:
        return None
    where = seen.save(SHOTS / f"canvas-{Path(path).stem}-{name}")
    return (
        f"{name}: after {what} the page shows {seen.wrong} pixels unlike a full render "
        f"({seen.differ} differ at all); see {where}"
    )


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[nb.stem for nb in NOTEBOOKS])
def test_the_page_shows_the_kernels_picture_after_random_moves(notebook, lab_server, browser):
    path = lab.relpath_in(lab_server, notebook)
    problems = []
    page = lab.open_notebook(browser, lab_server, notebook)
    try:
        lab.run_all_cells(page, path)
        dashboards = kernel_picture.dashboards(page, path, notebook)
        assert dashboards, f"{notebook.name} shows no dashboard with a matplotlib figure"
        rng = random.Random(f"{SEED}-{notebook.name}")
        reported = list(REPORTED.get(notebook.name, []))
        for cell, name in dashboards:
            controls = page.evaluate(_CONTROLS, cell)
            assert controls["sliders"] or controls["menus"], f"{name} shows no controls"
            mine = [
                m
                for m in reported
                if all(mv[0] != "key" or mv[1] in controls["sliders"] for mv in m)
            ]
            reported = [m for m in reported if m not in mine]
            for moves in _sequences(rng, controls, mine):
                for move in moves:
                    _play(page, cell, move)
                kernel_picture.wait_quiet(page, path, QUIET_MS)
                what = f"seed {SEED}, moves {moves}"
                problem = _check(page, path, cell, name, what)
                if problem:
                    problems.append(problem)
                    break  # the next dashboard
        assert not reported, f"reported moves with no dashboard to play them on: {reported}"
    except lab.LabError as e:
        SHOTS.mkdir(parents=True, exist_ok=True)
        shot = SHOTS / f"canvas-{notebook.stem}-error.png"
        try:
            page.screenshot(path=str(shot))
        except Exception:
            shot = "none: the page did not answer"
        problems.append(f"{e} (screenshot: {shot})")
    finally:
        lab.close_notebook(page, path)
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)
