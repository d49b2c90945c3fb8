"""A notebook as slides (tools/slides.py) in headless Chromium: the demos stay live.

1. serve the notebook with ``python tools/slides.py NB`` (Voilà, template
   ``course-reveal``, reveal.js from npm served by the same server); a
   notebook without slide metadata is served from a temporary copy with the
   metadata tools/slide_meta.py would write;
2. wait for reveal and the widgets; fail if the page asked anything of
   another machine than this one, or if reveal.js did not load;
3. find the first slide that holds a slider and a figure (an ipympl canvas
   or a network diagram, ``.bp-scene``), and go there with → from the first
   slide, as a presenter would;
4. focus the slider's handle, press → three times (one at a time, waiting
   for each redraw) and require that the slide did not change, and that a
   number shown as text and a figure (a canvas's pixels or a diagram's
   markup) did; then PageDown (what a presenter's clicker sends) must go on
   to the next slide;
5. screenshots: ``build/screenshots/slides-<notebook>-first.png`` and
   ``slides-<notebook>-moved.png``.

Which notebook: ``notebooks/01_forward_pass.ipynb``, or those listed in
$VOILA_TEST_NOTEBOOKS (separated by ``:``). Run alone:
``.venv/bin/pytest tests/browser/test_slides.py -q -p no:cacheprovider``.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from . import lab, servers

NOTEBOOKS = servers.notebooks_under_test()
PRESSES = 3
LOAD_TIMEOUT = 45.0

# The innermost slide on show, and the first slide holding a slider and a
# figure (a slider with the class drives-figure first).
PRESENT = ".reveal .slides section.present:not(.stack)"
_FIND_TARGET = r"""
(figure) => {
  const leaves = [...document.querySelectorAll('.reveal .slides section')]
    .filter((s) => !s.querySelector('section'));
  const live = leaves.filter((s) => s.querySelector('.widget-slider')
    && s.querySelector(figure));
  if (!live.length) return null;
  const tagged = live.find((s) => s.querySelector('.widget-slider.drives-figure'));
  const slide = tagged || live[0];
  const sliders = [...slide.querySelectorAll('.widget-slider')];
  const index = Math.max(0, sliders.findIndex((s) => s.classList.contains('drives-figure')));
  return { indices: Reveal.getIndices(slide), slider: index, total: Reveal.getTotalSlides() };
}
"""


def _fail(message: str, shot: Path | None = None) -> None:
    suffix = f"\n(screenshot: {shot})" if shot else ""
    pytest.fail(message + suffix, pytrace=False)


def _start(notebook: Path):
    try:
        return servers.start_voila("slides.py", notebook)
    except servers.ServerError as e:
        error = str(e)
    _fail(f"the slides server did not start: {error}")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_slides_keep_widgets_live(notebook: Path, browser):
    started = time.monotonic()
    stem = notebook.stem
    with servers.notebook_for_slides(notebook) as served:
        server = _start(served)
        page = browser.context.new_page()
        try:
            _check_slides(page, server, stem)
        finally:
            page.close(run_before_unload=False)
            servers.stop_voila(server)
    print(f"{notebook.name}: slides checked in {time.monotonic() - started:.1f} s")


def _check_slides(page, server, stem: str) -> None:
    requests = servers.watch_requests(page)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_default_timeout(LOAD_TIMEOUT * 1000)
    first_shot = servers.SCREENSHOTS / f"slides-{stem}-first.png"
    page.goto(server.url)
    try:
        page.wait_for_function(
            "(figure) => window.Reveal && Reveal.isReady && Reveal.isReady()"
            " && document.querySelector('.reveal .slides .widget-slider .noUi-handle')"
            " && document.querySelector('.reveal') && document.querySelector('.reveal')"
            ".querySelector(figure)",
            arg=servers.FIGURE_SELECTOR,
            timeout=LOAD_TIMEOUT * 1000,
            polling=200,
        )
    except Exception:
        servers.screenshot(page, first_shot.name)
        ready = page.evaluate("() => typeof window.Reveal")
        _fail(
            f"no reveal deck with sliders and a figure (ipympl canvas or diagram) within "
            f"{LOAD_TIMEOUT:g} s "
            f"(typeof Reveal: {ready}; page errors: {errors[:3]}; server log:\n"
            f"{server.log_tail(15)})",
            first_shot,
        )
    page.wait_for_timeout(500)  # the figures' first draw
    servers.screenshot(page, first_shot.name)

    revealed = [u for u in requests if "/reveal.js/dist/" in u]
    if not any(u.endswith("/reveal.js/dist/reveal.js") for u in revealed):
        _fail(f"reveal.js was not loaded from this server: {revealed}", first_shot)
    foreign = servers.foreign_requests(requests)
    if foreign:
        _fail(f"the slides asked other machines for: {foreign}", first_shot)

    target = page.evaluate(_FIND_TARGET, servers.FIGURE_SELECTOR)
    if target is None:
        _fail("no slide holds both a slider and a figure (ipympl canvas or diagram)", first_shot)
    wanted = target["indices"]

    # → from the first slide, as a presenter would (focus on the page, not a widget).
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    moved_shot = servers.SCREENSHOTS / f"slides-{stem}-moved.png"
    for _ in range(target["total"]):
        if page.evaluate("() => Reveal.getIndices()") == wanted:
            break
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(150)
    else:
        servers.screenshot(page, moved_shot.name)
        _fail(f"→ never reached the slide {wanted} with the slider", moved_shot)
    page.wait_for_function(
        "(sel) => { const s = document.querySelector(sel);"
        " return s && s.querySelector('.widget-slider .noUi-handle').getClientRects().length; }",
        arg=PRESENT,
    )
    page.wait_for_timeout(300)
    before = servers.visible_state(page, PRESENT)
    if not (before["canvas_hashes"] or before["scene_hashes"]):
        _fail("the slide with the slider shows no figure (ipympl canvas or diagram)", moved_shot)

    slider = page.locator(f"{PRESENT} .widget-slider").nth(target["slider"])
    handle = slider.locator(".noUi-handle").first
    readout = slider.locator(".widget-readout").first
    value_before = readout.inner_text()
    try:
        keys = servers.press_on_slider(page, handle, PRESSES)
    except AssertionError as e:
        servers.screenshot(page, moved_shot.name)
        _fail(f"{e} (page errors: {errors[:3]})", moved_shot)
    after = servers.visible_state(page, PRESENT)
    servers.screenshot(page, moved_shot.name)

    indices = page.evaluate("() => Reveal.getIndices()")
    if indices != wanted:
        _fail(f"{'/'.join(keys)} on the slider changed the slide to {indices}", moved_shot)
    if readout.inner_text() == value_before:
        _fail(f"the slider did not move ({value_before}) after {keys}", moved_shot)
    if not lab.figures_changed(before, after):
        _fail(
            f"no figure on the slide changed after {keys} (neither a canvas's pixels "
            "nor a diagram's markup)",
            moved_shot,
        )
    if after["numbers"] == before["numbers"]:
        _fail(
            f"no number shown as text on the slide changed after {keys} "
            f"(numbers: {before['numbers'][:20]})",
            moved_shot,
        )
    if errors:
        _fail(f"errors in the page: {errors[:5]}", moved_shot)

    # A presenter's clicker (PageDown) still leaves the slide from the focused slider.
    if page.evaluate("() => Reveal.isLastSlide()"):
        return
    handle.focus()
    page.keyboard.press("PageDown")
    page.wait_for_timeout(300)
    if page.evaluate("() => Reveal.getIndices()") == wanted:
        _fail("PageDown on the focused slider did not go to the next slide", moved_shot)
