"""Every slide of notebooks 01–07 fits on the screen, and no slide shows an answer.

For each notebook (one slides server, one page):

1. serve it with ``python tools/slides.py NB`` (as tests/browser/test_slides.py
   does) and wait until reveal is ready and the widgets have rendered (their
   count stays the same for a second);
2. at a viewport of 1280×720, then 1920×1080 (the same page, resized), go to
   every slide and subslide with ``Reveal.slide(h, v)`` and measure the slide
   on show: its content must not be taller than its box (``scrollHeight`` >
   ``clientHeight``; the course's template lets such a slide scroll) nor
   wider (``scrollWidth`` > ``clientWidth``: cut off at the right), and it
   must not reach below the bottom of the presentation area;
3. printed output wraps between words, never inside a number or a word
   (JupyterLab's ``word-break: break-all``); no slide shows a solution (a
   cell tagged ``solution``), nor the text of a speaker note (a cell tagged
   ``slides-notes``) outside reveal's notes;
4. the text on every slide is large enough for a room (:data:`MIN_TEXT`):
   prose, slider labels, readouts and the text with a figure (its description)
   at least 16 px on the screen at 1280×720, printed tables and code at least
   14 px, the smallest text drawn on a figure or a diagram (a note, a weight
   on an arrow; tick labels are larger) at least 10.5 px, and half as large
   again at 1920×1080. A figure's text is its kernel's font size (which the
   page reads from the figure's class) times the scale the slide shows the
   canvas at.

A failure names the notebook, the slide (reveal's number, as its "c/t"
counter shows it), its heading and by how many pixels it overflows; the
screenshots are ``build/screenshots/slides-fit-<notebook>-<size>-<n>.png``.
Every measurement is printed (``-s`` shows them).

Which notebooks: 01–07, or those listed in $VOILA_TEST_NOTEBOOKS (separated
by ``:``). Run alone:
``.venv/bin/pytest tests/browser/test_slides_fit.py -q -s -p no:cacheprovider``.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import nbformat
import pytest

from . import servers

NOTEBOOK_DIR = servers.REPO_ROOT / "notebooks"
NOTEBOOKS = (
    servers.notebooks_under_test()
    if os.environ.get("VOILA_TEST_NOTEBOOKS", "").strip()
    else sorted(NOTEBOOK_DIR.glob("0[1-7]_*.ipynb"))
)
SIZES = ((1280, 720), (1920, 1080))
LOAD_TIMEOUT = 90.0
#: Pixels a slide may overflow by (rounding of scaled layouts).
TOLERANCE = 2
#: The smallest text a class reads on a slide at 1280×720, in screen pixels (half as
#: large again at 1920×1080): prose, controls and captions as a talk's body text;
#: tables and code a little smaller.
MIN_TEXT = {
    "prose": 16,
    "slider label": 16,
    "readout": 16,
    "text with a figure": 16,
    "printed output": 14,
    "code in the text": 14,
    "text on a figure": 10.5,
    "text on a diagram": 10.5,
}

# Every slide that reveal shows on its own (a subslide, or a slide without
# subslides), with its indices and heading.
_SLIDES = r"""
() => {
  const leaves = [...document.querySelectorAll('.reveal .slides section')]
    .filter((s) => !s.querySelector('section'));
  return leaves.map((s) => {
    const own = s.querySelector('h1, h2, h3');
    const stack = s.parentElement.closest('section');
    const top = stack && stack.querySelector('h1, h2, h3');
    const text = (e) => e ? e.textContent.replace(/¶/g, '').trim() : '';
    const heading = text(own) || (text(top) ? text(top) + ' (cont.)' : '');
    return { indices: Reveal.getIndices(s), heading };
  });
}
"""

# The slide on show: how far its content runs past its box, down and right, and
# past the bottom of the presentation area; solutions and notes shown on it.
_MEASURE = r"""
(tolerance) => {
  const s = document.querySelector('.reveal .slides section.present:not(.stack)');
  if (!s) return null;
  const visible = (e) => e.getClientRects().length && !e.closest('aside.notes');
  const viewport = document.querySelector('.reveal').getBoundingClientRect();
  let bottom = 0;
  for (const e of s.querySelectorAll('.jp-Cell, .jp-OutputArea-output, img, canvas, svg')) {
    if (!visible(e)) continue;
    bottom = Math.max(bottom, e.getBoundingClientRect().bottom);
  }
  const number = document.querySelector('.reveal .slide-number');
  // The smallest text of each kind on the slide, in screen pixels.
  const scale = Reveal.getScale();
  const smallest = (selector) => {
    const sizes = [...s.querySelectorAll(selector)]
      .filter((e) => visible(e) && e.textContent.trim())
      .map((e) => parseFloat(getComputedStyle(e).fontSize) * scale);
    return sizes.length ? Math.min(...sizes) : null;
  };
  const text = {
    prose: smallest('.jp-RenderedMarkdown p, .jp-RenderedMarkdown li'),
    'code in the text': smallest('.jp-RenderedMarkdown pre'),
    'printed output': smallest('.jp-OutputArea-output pre'),
    'slider label': smallest('.widget-label'),
    readout: smallest('.widget-readout'),
    'text with a figure': smallest('.widget-html-content:not(.bp-scene *)'),
    'text on a diagram': smallest('.bp-scene-root *:not(:has(*))'),
  };
  // A figure's canvas cannot be asked for its fonts: the kernel says the size of its
  // smallest text (in the figure's pixels) in a class; the page scales the canvas.
  const onFigures = [];
  let untagged = 0;
  for (const c of s.querySelectorAll('.jupyter-matplotlib-canvas-div canvas')) {
    if (!visible(c)) continue;
    const tag = c.closest('[class*="bp-smallest-text-"]');
    const m = tag && tag.className.match(/bp-smallest-text-(none|[0-9.]+px)/);
    if (!m) { untagged += 1; continue; }
    if (m[1] === 'none') continue;  // a figure without text
    const shown = c.getBoundingClientRect().width / parseFloat(getComputedStyle(c).width);
    onFigures.push(parseFloat(m[1]) * shown);
  }
  text['text on a figure'] = onFigures.length ? Math.min(...onFigures) : null;
  // Printed lines that wrap may break anywhere, inside "10¹²" or a word, under break-all.
  const cutting = [...s.querySelectorAll('.jp-OutputArea-output pre')]
    .filter((e) => visible(e) && getComputedStyle(e).wordBreak === 'break-all').length;
  return {
    text,
    untagged,
    cutting,
    indices: Reveal.getIndices(),
    number: number ? number.textContent.replace(/\s+/g, '') : '',
    down: s.scrollHeight - s.clientHeight,
    right: s.scrollWidth - s.clientWidth,
    below: Math.round(bottom - viewport.bottom),
    height: s.scrollHeight,
    box: s.clientHeight,
    solutions: [...s.querySelectorAll('.celltag_solution')].filter(visible).length,
    notes: [...s.querySelectorAll('.celltag_slides-notes')].filter(visible).length,
  };
}
"""

# Widgets render after the page has loaded: wait until their count holds still.
_WIDGETS_SETTLED = r"""
() => {
  const n = document.querySelectorAll('.reveal .jupyter-widgets, .reveal canvas').length;
  const w = window.__fitProbe || (window.__fitProbe = { n: -1, since: performance.now() });
  if (n !== w.n) { w.n = n; w.since = performance.now(); return false; }
  return n > 0 && performance.now() - w.since > 1000;
}
"""


def _fail(message: str) -> None:
    pytest.fail(message, pytrace=False)


def _has_demo(notebook: Path) -> bool:
    nb = nbformat.read(notebook, as_version=4)
    return any(
        servers.WIDGET_MIME in output.get("data", {})
        for cell in nb.cells
        for output in cell.get("outputs", [])
    )


def test_slide_metadata_keeps_solutions_off_the_exercise_slide():
    """Solution cells are skipped, or at least open a (sub)slide after the exercise."""
    wrong = []
    for notebook in NOTEBOOKS:
        nb = json.loads(notebook.read_text())
        for index, cell in enumerate(nb["cells"]):
            if "solution" not in cell["metadata"].get("tags", []):
                continue
            kind = cell["metadata"].get("slideshow", {}).get("slide_type")
            first = "solution" not in nb["cells"][index - 1]["metadata"].get("tags", [])
            if kind == "skip" or (kind in ("slide", "subslide") if first else kind != "notes"):
                continue
            wrong.append(f"{notebook.name} cell {index} ({kind})")
    assert not wrong, f"solutions shown with their exercise: {wrong}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_every_slide_fits(notebook: Path, browser):
    started = time.monotonic()
    with servers.notebook_for_slides(notebook) as served:
        try:
            server = servers.start_voila("slides.py", served)
        except servers.ServerError as e:
            error = str(e)
        else:
            error = None
        if error:
            _fail(f"the slides server did not start: {error}")
        page = browser.context.new_page()
        try:
            problems = _check_fit(page, server, notebook)
        finally:
            page.close(run_before_unload=False)
            servers.stop_voila(server)
    print(f"{notebook.name}: slides measured in {time.monotonic() - started:.1f} s")
    if problems:
        _fail(f"{notebook.name}: slides that do not fit or show an answer:\n" + "\n".join(problems))


def _check_fit(page, server, notebook: Path) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_default_timeout(LOAD_TIMEOUT * 1000)
    page.set_viewport_size({"width": SIZES[0][0], "height": SIZES[0][1]})
    page.goto(server.url)
    page.wait_for_function("() => window.Reveal && Reveal.isReady && Reveal.isReady()")
    if _has_demo(notebook):
        page.wait_for_function(_WIDGETS_SETTLED, polling=200)
    slides = page.evaluate(_SLIDES)
    if not slides:
        _fail(f"{notebook.name}: no slides")
    problems = []
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(300)
        overflowing = 0
        for slide in slides:
            h, v = slide["indices"]["h"], slide["indices"]["v"]
            page.evaluate(f"() => Reveal.slide({h}, {v})")
            page.wait_for_timeout(120)  # reveal lays the slide out, figures resize
            m = page.evaluate(_MEASURE, TOLERANCE)
            if m is None:
                problems.append(f"  {width}×{height} slide {h}.{v}: nothing on show")
                continue
            where = f"{width}×{height} slide {m['number']} ({h}.{v}) {slide['heading']!r}"
            faults = []
            if m["down"] > TOLERANCE:
                faults.append(f"{m['down']} px too tall ({m['height']} in {m['box']})")
            if m["right"] > TOLERANCE:
                faults.append(f"{m['right']} px too wide")
            if m["below"] > TOLERANCE:
                faults.append(f"runs {m['below']} px below the screen")
            k = width / SIZES[0][0]
            for kind, size in m["text"].items():
                if size is not None and size < MIN_TEXT[kind] * k - 0.05:
                    faults.append(f"{kind} at {size:.1f} px (at least {MIN_TEXT[kind] * k:g})")
            if m["cutting"]:
                faults.append("printed output that would wrap inside a number or a word")
            if m["untagged"]:
                faults.append(f"{m['untagged']} figure(s) whose text size the page cannot tell")
            if m["solutions"]:
                faults.append("shows a solution")
            if m["notes"]:
                faults.append("shows a speaker note")
            print(
                f"{notebook.name} {where}: height {m['height']}/{m['box']}, "
                f"right {m['right']}, below {m['below']}"
                + "".join(
                    f", {kind} {m['text'][kind]:.1f} px"
                    for kind in ("text on a figure", "text on a diagram")
                    if m["text"][kind] is not None
                )
                + (" FAIL" if faults else "")
            )
            if faults:
                overflowing += 1
                stem = f"slides-fit-{notebook.stem}-{width}-{m['number'].replace('/', 'of')}"
                shot = servers.screenshot(page, f"{stem}.png")
                problems.append(f"  {where}: {'; '.join(faults)} (screenshot: {shot.name})")
        print(f"{notebook.name} {width}×{height}: {len(slides)} slides, {overflowing} do not fit")
    if errors:
        problems.append(f"  errors in the page: {errors[:3]}")
    return problems
