"""A notebook's app view (tools/app.py) in headless Chromium: live demos, no code.

1. serve the notebook with ``python tools/app.py NB`` (Voilà, template
   ``course-app``);
2. wait for the sliders and the figures (ipympl canvases or network
   diagrams, ``.bp-scene``); fail if the page asked anything of another
   machine than this one;
3. require that no code is shown: no input area, no prompt, and none of the
   notebook's code lines in the page's text;
4. focus the handle of the slider that drives a figure (class
   ``drives-figure``, else the first slider in the same output as a figure),
   press → three times (one at a time, waiting for each redraw) and require
   that a number shown as text and a figure (a canvas's pixels or a
   diagram's markup) changed;
5. screenshot: ``build/screenshots/app-<notebook>.png``.

Which notebook: ``notebooks/01_forward_pass.ipynb``, or those listed in
$VOILA_TEST_NOTEBOOKS (separated by ``:``). Run alone:
``.venv/bin/pytest tests/browser/test_app_view.py -q -p no:cacheprovider``.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from . import lab, servers
from .test_projector import SETTINGS as PROJECTOR_IN_LAB

NOTEBOOKS = servers.notebooks_under_test()
PRESSES = 3
LOAD_TIMEOUT = 45.0
PAGE = "#rendered_cells"

# Index of the slider to move (see the module docstring); null without one.
_CHOOSE_SLIDER = r"""
(figure) => {
  const sliders = [...document.querySelectorAll('#rendered_cells .widget-slider')];
  if (!sliders.length) return null;
  let i = sliders.findIndex((s) => s.classList.contains('drives-figure'));
  if (i >= 0) return i;
  i = sliders.findIndex((s) => {
    const area = s.closest('.jp-OutputArea');
    return area && area.querySelector(figure);
  });
  return i >= 0 ? i : 0;
}
"""
_CODE_SHOWN = r"""
() => [...document.querySelectorAll(
  '.jp-InputArea-editor, .jp-InputPrompt, .jp-OutputPrompt, .jp-CodeCell .jp-InputArea'
)].filter((e) => e.getClientRects().length && e.innerText.trim()).map((e) => e.innerText.trim())
"""

# When (ms after the page opened) the "still loading" bar first showed, if it did.
_WATCH_BUSY = r"""
new MutationObserver((_, observer) => {
  if (document.getElementById('course-busy')) {
    window.__busySeenAt = performance.now();
    observer.disconnect();
  }
}).observe(document, { childList: true, subtree: true });
"""


def _fail(message: str, shot: Path | None = None) -> None:
    suffix = f"\n(screenshot: {shot})" if shot else ""
    pytest.fail(message + suffix, pytrace=False)


def _start(notebook: Path, env: dict[str, str] | None = None):
    try:
        return servers.start_voila("app.py", notebook, env=env)
    except servers.ServerError as e:
        error = str(e)
    _fail(f"the app server did not start: {error}")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_app_view_sliders_work_and_code_is_hidden(notebook: Path, browser):
    started = time.monotonic()
    server = _start(notebook)
    page = browser.context.new_page()
    try:
        _check_app(page, server, notebook)
    finally:
        page.close(run_before_unload=False)
        servers.stop_voila(server)
    print(f"{notebook.name}: app view checked in {time.monotonic() - started:.1f} s")


def _check_app(page, server, notebook: Path) -> None:
    requests = servers.watch_requests(page)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_default_timeout(LOAD_TIMEOUT * 1000)
    shot = servers.SCREENSHOTS / f"app-{notebook.stem}.png"
    page.add_init_script(_WATCH_BUSY)
    page.goto(server.url)
    try:
        # A canvas counts once it has drawn; a diagram is drawn with its first markup.
        page.wait_for_function(
            "([canvas, sceneRoot]) => document.querySelector('#rendered_cells .widget-slider"
            " .noUi-handle') && ((document.querySelector('#rendered_cells ' + canvas)"
            " && window.__labProbe.draws.length > 0)"
            " || document.querySelector('#rendered_cells ' + sceneRoot))",
            arg=[lab.CANVAS_SELECTOR, lab.SCENE_ROOT_SELECTOR],
            timeout=LOAD_TIMEOUT * 1000,
            polling=200,
        )
    except Exception:
        servers.screenshot(page, shot.name)
        _fail(
            f"no slider and drawn figure (ipympl canvas or diagram) within {LOAD_TIMEOUT:g} s "
            f"(page errors: {errors[:3]}; server log:\n{server.log_tail(15)})",
            shot,
        )
    page.wait_for_timeout(500)
    # Once the demos show, no "still loading" message is left over them.
    page.locator("#course-busy").wait_for(state="detached", timeout=3000)

    foreign = servers.foreign_requests(requests)
    if foreign:
        _fail(f"the app view asked other machines for: {foreign}")
    shown = page.evaluate(_CODE_SHOWN)
    if shown:
        servers.screenshot(page, shot.name)
        _fail(f"the app view shows code: {shown[:3]}", shot)
    text = page.evaluate("() => document.body.innerText")
    leaked = [line for line in servers.code_lines(notebook) if line in text]
    if leaked:
        servers.screenshot(page, shot.name)
        _fail(f"the app view shows lines of the notebook's code: {leaked[:3]}", shot)

    index = page.evaluate(_CHOOSE_SLIDER, servers.FIGURE_SELECTOR)
    slider = page.locator(f"{PAGE} .widget-slider").nth(index)
    handle = slider.locator(".noUi-handle").first
    readout = slider.locator(".widget-readout").first
    handle.scroll_into_view_if_needed()
    before = servers.visible_state(page, PAGE)
    value_before = readout.inner_text()
    try:
        keys = servers.press_on_slider(page, handle, PRESSES)
    except AssertionError as e:
        servers.screenshot(page, shot.name)
        _fail(f"{e} (page errors: {errors[:3]})", shot)
    after = servers.visible_state(page, PAGE)
    page.screenshot(path=str(shot), full_page=True)

    # Without ?busy_after the page says it is still loading only after 10 s.
    seen = page.evaluate("() => window.__busySeenAt")
    if seen is not None and seen < 10_000:
        _fail(f"the page said it was still loading {seen / 1000:.1f} s after it opened", shot)

    if readout.inner_text() == value_before:
        _fail(f"the slider did not move ({value_before}) after {keys}", shot)
    if not lab.figures_changed(before, after):
        _fail(
            f"no figure changed after {keys} (neither a canvas's pixels nor a diagram's markup)",
            shot,
        )
    if after["numbers"] == before["numbers"]:
        _fail(
            f"no number shown as text changed after {keys} (numbers: {before['numbers'][:20]})",
            shot,
        )
    if errors:
        _fail(f"errors in the page: {errors[:5]}", shot)


# --------------------------------------------------------------------------- the course's page

_LANDING = r"""
() => ({
  title: (document.querySelector('.course-landing h1') || {}).textContent || null,
  links: [...document.querySelectorAll('.course-notebooks a')].map((a) => ({
    text: a.textContent.trim(), href: a.getAttribute('href') })),
})
"""


def test_app_landing_page_links_every_notebook_in_reading_order(browser):
    import sys

    sys.path.insert(0, str(servers.REPO_ROOT / "tools"))
    from course import COURSE_TITLE, NOTEBOOKS

    server = _start(servers.REPO_ROOT / "notebooks")
    page = browser.context.new_page()
    try:
        page.goto(server.url)
        page.wait_for_selector(".course-landing", timeout=LOAD_TIMEOUT * 1000)
        found = page.evaluate(_LANDING)
        servers.screenshot(page, "app-landing.png")
    finally:
        page.close(run_before_unload=False)
        servers.stop_voila(server)
    assert found["title"] == COURSE_TITLE
    expected = [(name, title) for name, title, _aim in NOTEBOOKS if not name.startswith("00_")]
    assert len(found["links"]) == len(expected)
    for link, (name, title) in zip(found["links"], expected):
        assert link["href"].split("?")[0].endswith(f"voila/render/{name}"), link
        assert title in link["text"], link


# --------------------------------------------------------------------------- headings and notes

_SECTIONS = r"""
() => {
  const shown = (e) => e && e.getClientRects().length > 0;
  const demos = [...document.querySelectorAll('.course-app-demo')].filter(shown);
  return {
    headings: [...document.querySelectorAll('.course-app-section h2')].map((h) => h.innerText),
    raw: [...document.querySelectorAll('.course-app-section, .course-app-title')]
      .map((e) => e.innerText).filter((t) => t.includes('`')),
    demos: demos.map((d) => {
      let e = d.previousElementSibling, heading = null, note = null;
      while (e) {
        if (e.classList.contains('course-app-note') && shown(e) && !note) note = e.innerText;
        if (e.classList.contains('course-app-section')) { heading = e.innerText; break; }
        e = e.previousElementSibling;
      }
      return { heading, note, explorer: !!d.querySelector('.jupyter-matplotlib')
               && d.innerText.includes('pace') };
    }),
  };
}
"""


def test_app_view_puts_each_demo_under_its_own_heading_with_its_notes(browser):
    notebook = servers.REPO_ROOT / "notebooks" / "05_matrix_form.ipynb"
    server = _start(notebook)
    page = browser.context.new_page()
    try:
        page.set_default_timeout(LOAD_TIMEOUT * 1000)
        page.goto(server.url)
        page.wait_for_function(
            "() => [...document.querySelectorAll('.course-app-demo')].some("
            "(d) => d.innerText.includes('pace'))",
            timeout=LOAD_TIMEOUT * 2000,
            polling=250,
        )
        page.wait_for_timeout(500)
        found = page.evaluate(_SECTIONS)
        servers.screenshot(page, "app-05_matrix_form.png")
    finally:
        page.close(run_before_unload=False)
        servers.stop_voila(server)
    assert not found["raw"], f"markdown shown raw in a heading: {found['raw']}"
    explorers = [d for d in found["demos"] if d["explorer"]]
    assert len(explorers) == 1, found["demos"]
    assert explorers[0]["heading"].strip() == "6. Interactive demo: the learning-rate explorer"
    # what to look at, with the demo: the explorer's instructions name its controls
    assert "pace" in (explorers[0]["note"] or ""), explorers[0]
    assert all(d["note"] for d in found["demos"]), found["demos"]


# --------------------------------------------------------------------------- a busy server

SLOW = Path(__file__).parent / "fixtures" / "slow_app.ipynb"


def test_a_page_that_waits_for_a_busy_server_says_so_until_its_demo_shows(browser):
    """A room opening the app at once makes each page wait its turn: after
    ``busy_after`` seconds (10 by default; 1 here, with a notebook that keeps its
    kernel busy for 6 s) the page says it is still loading, why, and how long it
    has waited, and the message goes once the demo shows."""
    server = _start(SLOW)
    page = browser.context.new_page()
    try:
        page.set_default_timeout(LOAD_TIMEOUT * 1000)
        page.goto(server.url + "?busy_after=1", wait_until="commit")
        page.wait_for_function(
            "() => /Still loading \\(0:0[2-9]\\)/.test("
            "(document.getElementById('course-busy') || {}).textContent || '')",
            polling=200,
        )
        said = page.evaluate(
            "() => { const b = document.getElementById('course-busy');"
            " const r = b.getBoundingClientRect();"
            " return { text: b.textContent, role: b.getAttribute('role'),"
            " top: r.top, height: r.height, width: r.width }; }"
        )
        shot = servers.screenshot(page, "app-busy.png")
        page.locator("#rendered_cells .widget-slider").wait_for(state="visible")
        started = time.monotonic()
        page.locator("#course-busy").wait_for(state="detached", timeout=5000)
        gone_after = time.monotonic() - started
    finally:
        page.close(run_before_unload=False)
        servers.stop_voila(server)
    assert "many people open pages at once" in said["text"], said
    assert "keep this page open: reloading starts again" in said["text"], said
    assert said["role"] == "status", said
    assert said["top"] == 0 and said["height"] > 20 and said["width"] > 600, (said, shot)
    assert gone_after < 3, f"the busy message stayed {gone_after:.1f} s after the demo showed"


# The projector settings the README gives, on the screens they are for (as in Lab).
PROJECTOR_SETTINGS = {
    name: (s["scale"], s["viewport"]["width"], s["viewport"]["height"])
    for name, s in PROJECTOR_IN_LAB.items()
}
PROJECTOR_NOTEBOOK = servers.REPO_ROOT / "notebooks" / "04_chain_rule_hidden_weights.ipynb"


@pytest.mark.parametrize("setting", list(PROJECTOR_SETTINGS))
def test_app_view_takes_the_projector_setting(setting, browser):
    """``PROJECTOR=1.6 make app`` enlarges prose, controls, readouts and the text with a
    figure as well as the figures, and the demos still fit the screen it is meant for."""
    scale, width, height = PROJECTOR_SETTINGS[setting]
    server = _start(PROJECTOR_NOTEBOOK, env={"PROJECTOR": str(scale)})
    page = browser.context.new_page()
    shot = servers.SCREENSHOTS / f"app-projector-{setting}.png"
    try:
        page.set_viewport_size({"width": width, "height": height})
        page.set_default_timeout(LOAD_TIMEOUT * 1000)
        page.goto(server.url)
        page.wait_for_function(
            "() => document.querySelector('#rendered_cells .widget-slider .noUi-handle')"
            " && !document.querySelector('#course-busy')",
            polling=200,
        )
        page.wait_for_timeout(1000)
        # No code in the app view: every other kind of text.
        kinds = [k for k in lab.TEXT_KINDS if k != "code"]
        found = lab.text_not_scaled(page, scale, kinds)
        found += lab.output_overflow(page) + lab.diagram_overflow(page)
        wider = page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
        if wider > 1:
            found.append(f"the page is {wider} px wider than the screen")
        if found:
            servers.screenshot(page, shot.name)
            _fail(f"app view at PROJECTOR={scale}, {width} × {height}: " + "; ".join(found), shot)
    finally:
        page.close(run_before_unload=False)
        servers.stop_voila(server)


def test_app_view_shows_no_exercise_it_cannot_run(browser):
    """The text after a demo is shown up to the next section or exercise: an exercise
    needs its code cell, which the app view leaves out (04 has one after a question)."""
    server = _start(PROJECTOR_NOTEBOOK)
    page = browser.context.new_page()
    try:
        page.set_default_timeout(LOAD_TIMEOUT * 1000)
        page.goto(server.url)
        page.wait_for_function(
            "() => document.querySelector('#rendered_cells .widget-slider .noUi-handle')"
            " && !document.querySelector('#course-busy')",
            polling=200,
        )
        page.wait_for_timeout(1000)
        shown = page.evaluate(
            "() => [...document.querySelectorAll('.course-app-note')]"
            ".filter((e) => e.getClientRects().length).map((e) => e.innerText)"
        )
    finally:
        page.close(run_before_unload=False)
        servers.stop_voila(server)
    assert shown, "no text shown with the demos"
    assert not [t for t in shown if "Exercise" in t], shown
    # The text between two demos (a held answer, then δ flowing back) leads into the second.
    assert [t for t in shown if "Things to try" in t and "Move w5 to 0" in t], shown
