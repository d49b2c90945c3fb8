"""Checkers and predict-first questions as a student meets them in JupyterLab.

Notebook 01 is run in a real Lab in headless Chromium (never written back).
Then, in the page:

- every checker's verdict shows a mark and a colour, and the words say it
  without the colour: … grey for "Not done yet", ✓ green for "Correct";
- the numeric predict-first question (w5 doubles) does not reveal on an empty
  box, calls the misconception "ŷ doubles" not close, and keeps the guess
  once revealed (box and button disabled);
- a cell that shows the answer holds it back until the question is revealed,
  and shows it when run again after Reveal;
- the multiple-choice question answers a wrong choice with the right answer,
  quoted whole, and one line of why; its buttons are then disabled.
"""

from __future__ import annotations

import pytest

from . import lab

NOTEBOOK = lab.REPO_ROOT / "notebooks" / "01_forward_pass.ipynb"
GREY, GREEN = "rgb(110, 110, 110)", "rgb(26, 127, 55)"


@pytest.fixture(scope="module")
def page(browser, lab_server):
    page = lab.open_notebook(browser, lab_server, NOTEBOOK)
    path = lab.relpath_in(lab_server, NOTEBOOK)
    lab.run_all_cells(page, path)
    problems = lab.cell_problems(page, path)
    assert not problems["errors"], problems
    yield page
    page.close()


def test_verdicts_have_a_mark_and_a_colour(page):
    verdicts = page.locator(".jp-OutputArea-output .bp-feedback")
    assert verdicts.count() >= 4
    seen = set()
    for k in range(verdicts.count()):
        verdict = verdicts.nth(k)
        text = (verdict.text_content() or "").strip()  # also for a cell scrolled away
        mark = verdict.locator("span").first
        colour = mark.evaluate("(el) => getComputedStyle(el).color")
        if text.startswith("…"):
            assert ("Not done yet" in text or "Held back" in text) and colour == GREY, (
                text,
                colour,
            )
        else:
            assert text.startswith("✓") and "Correct" in text and colour == GREEN, (text, colour)
        seen.add(text[0])
    assert seen == {"…", "✓"}


def question(page, words):
    """The output of the predict-first question whose text holds ``words``."""
    box = page.locator(".jp-OutputArea-output", has_text=f"Predict first. {words}")
    assert box.count() == 1, f"{box.count()} questions with {words!r}"
    return box.first


def test_a_number_needs_a_guess_and_the_misconception_is_not_praised(page):
    box = question(page, "If w5 doubles")
    reveal = box.get_by_role("button", name="Reveal")
    field = box.locator("input[type=text]")
    reveal.click()
    feedback = box.locator(".widget-html").last
    page.wait_for_timeout(300)
    assert "Type your guess first" in feedback.inner_text()
    assert "4.1456" not in box.inner_text()  # nothing revealed
    assert field.is_enabled()
    field.fill("4.4272")  # ŷ doubled: the misconception
    reveal.click()
    page.wait_for_function(
        "(el) => el.innerText.includes('Not quite')", arg=feedback.element_handle(), timeout=10000
    )
    said = feedback.inner_text()
    assert "does not double" in said and "Close" not in said and "4.1456" in said
    assert "✗" in said
    assert field.is_disabled() and reveal.is_disabled()


def test_a_wrong_choice_gets_the_answer_and_why(page):
    box = question(page, "With i1 = −8")
    box.get_by_role("button", name="negative").click()
    box.get_by_role("button", name="Reveal").click()
    feedback = box.locator(".widget-html").last
    page.wait_for_function(
        "(el) => el.innerText.includes('Not quite')", arg=feedback.element_handle(), timeout=10000
    )
    lines = [line for line in feedback.inner_text().splitlines() if line.strip()]
    assert lines[0].endswith("Not quite: you chose “negative”; the answer is “positive”.")
    assert len(lines) == 2 and lines[1].startswith("With i1 = −8") and "ŷ = " in lines[1]
    assert box.get_by_role("button", name="Reveal").is_disabled()
    assert box.get_by_role("button", name="positive").is_disabled()


def test_a_held_back_cell_shows_its_answer_once_the_question_is_revealed(page):
    cell = page.locator(".jp-Notebook .jp-Cell", has_text="w5_question):")
    assert cell.count() == 1
    output = cell.locator(".jp-Cell-outputArea")
    # A fresh question (the test above revealed the first one), then the cell again.
    for each in (page.locator(".jp-Notebook .jp-Cell", has_text="w5_question = "), cell):
        each.locator(".jp-InputArea-editor").click()
        page.keyboard.press("Shift+Enter")
        page.wait_for_timeout(1500)
    page.wait_for_function(
        "(el) => el.innerText.includes('Held back')", arg=output.element_handle(), timeout=20000
    )
    assert "4.1456" not in output.inner_text()
    box = question(page, "If w5 doubles")
    field = box.locator("input[type=text]")
    assert field.is_enabled()
    field.fill("4")
    box.get_by_role("button", name="Reveal").click()
    # Revealing is enough: the held output takes the line's place, no cell runs again.
    page.wait_for_function(
        "(el) => el.innerText.includes('4.1456')", arg=output.element_handle(), timeout=20000
    )
    assert "Held back" not in output.inner_text()
    # Run again, the cell shows the same.
    cell.locator(".jp-InputArea-editor").click()
    page.keyboard.press("Shift+Enter")
    page.wait_for_timeout(1500)
    page.wait_for_function(
        "(el) => el.innerText.includes('4.1456')", arg=output.element_handle(), timeout=20000
    )
    assert "Held back" not in output.inner_text()
