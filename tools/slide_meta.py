"""Write the slide metadata that tools/slides.py presents: where each slide starts.

    python tools/slide_meta.py                  # every notebooks/*.ipynb
    python tools/slide_meta.py notebooks/01_forward_pass.ipynb
    python tools/slide_meta.py --check          # exit 1 and name what is out of date

Each cell gets ``metadata.slideshow.slide_type`` (the field Jupyter's slide
tools read; any other ``slideshow`` keys are kept):

- ``skip``: the navigation (tags ``nav-header``, ``nav-footer``) and
  solutions (tag ``solution``). Skipped cells still run.
- ``slide``: the first cell shown, the title (``# ``) and every ``## ``
  section. A heading joins the slide before it instead when that slide has
  no text nor demo yet (only set-up code, whose output is hidden).
- ``subslide`` (slides.py walks subslides with → too):

  - ``### `` subsections, when the open slide has text or a demo;
  - a live demo (a code cell whose saved outputs show a widget) gets a
    subslide of its own, so that it fits on the screen. Its lead-in (the
    markdown cell right before it, code without output between) starts one
    when the open slide already has two cells or more to show; the demo
    itself starts one when the open slide already has a demo; and the text
    after a demo starts the next one;
  - a paragraph that would run off the bottom of the open slide (an estimate
    from the length of its text and its cells' saved outputs).
- ``-``: everything else, shown on the current slide.

Demos are found from saved outputs: run it on executed notebooks (as they
are committed). Without outputs only the headings count.

tools/slides.py also starts a slide at a ``## `` heading further down a
markdown cell (the title cell apart); these rules count such a cell's text
before the heading with the slide before it, and what follows with the new
slide.

A tag ``slides-slide``, ``slides-subslide``, ``slides-fragment``,
``slides-notes`` (speaker notes, key S), ``slides-skip`` or
``slides-continue`` (``-``) on a cell overrides these rules. Running it twice
changes nothing the second time; only notebooks whose metadata changes are
written.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from pathlib import Path

import nbformat

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
SKIP_TAGS = {"nav-header", "nav-footer", "solution", "teacher-edition"}
OVERRIDE_TAGS = {
    "slides-slide": "slide",
    "slides-subslide": "subslide",
    "slides-fragment": "fragment",
    "slides-notes": "notes",
    "slides-skip": "skip",
    "slides-continue": "-",
}
HEADING = re.compile(r"(#{1,6})[ \t]")
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
# Rough heights in slide pixels (tools/slides.py's slides are 1200 × 860):
# enough to start a subslide before text runs off the bottom, no layout engine.
SLIDE_HEIGHT = 800
TEXT_LINE = 27  # a line of prose
TEXT_CHARS = 100  # characters in a line of prose
BLOCK_GAP = 18  # between paragraphs
OUTPUT_LINE = 23  # a line of printed output
FIGURE_HEIGHT = 420  # a static image
DEMO_HEIGHT = 520  # sliders and a live figure


def _tags(cell) -> list[str]:
    tags = cell.get("metadata", {}).get("tags", [])
    return list(tags) if isinstance(tags, list) else []


def _heading_level(cell) -> int:
    if cell.cell_type != "markdown":
        return 0
    match = HEADING.match(cell.source.lstrip())
    return len(match.group(1)) if match else 0


def _is_demo(cell) -> bool:
    """A code cell whose saved outputs show a widget (sliders, a live figure)."""
    return cell.cell_type == "code" and any(
        WIDGET_MIME in output.get("data", {}) for output in cell.get("outputs", [])
    )


def _text_height(text: str) -> int:
    lines = [line for line in text.splitlines() if line.strip()]
    wrapped = sum(max(1, math.ceil(len(line) / TEXT_CHARS)) for line in lines)
    blocks = len([b for b in re.split(r"\n\s*\n", text) if b.strip()])
    return TEXT_LINE * wrapped + BLOCK_GAP * blocks


def _height(cell) -> int:
    """About how tall the cell shows on a slide, in pixels (its code hidden)."""
    if cell.cell_type == "markdown":
        return _text_height(cell.source)
    total = 0
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if WIDGET_MIME in data:
            total += DEMO_HEIGHT
        elif "image/png" in data or "image/svg+xml" in data:
            total += FIGURE_HEIGHT
        else:
            text = output.get("text", data.get("text/plain", ""))
            text = "".join(text) if isinstance(text, list) else str(text)
            total += OUTPUT_LINE * (text.count("\n") + 1) + BLOCK_GAP
    return total


def _after_buried_heading(cell) -> str:
    """The text from the last ``## `` heading past the start of a cell that _splits."""
    lines = cell.source.lstrip().splitlines()
    last = max(i for i, line in enumerate(lines) if i and line.startswith("## "))
    return "\n".join(lines[last:])


def _splits(cell) -> bool:
    """Whether slides.py splits this cell: markdown, not the title, a ``## `` past its start."""
    if cell.cell_type != "markdown" or _heading_level(cell) == 1:
        return False
    fenced = False
    for number, line in enumerate(cell.source.lstrip().splitlines()):
        if number and not fenced and line.startswith("## "):
            return True
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
    return False


def _shows_something(cell) -> bool:
    if cell.cell_type == "code":
        return bool(cell.get("outputs"))  # the code itself is hidden
    return bool(cell.source.strip())


def _rule(cell, tags) -> str | None:
    """The slide type that tags decide, if they do."""
    for tag in tags:
        if tag in OVERRIDE_TAGS:
            return OVERRIDE_TAGS[tag]
    return "skip" if SKIP_TAGS.intersection(tags) else None


def slide_types(nb) -> list[str]:
    """The slide type of every cell of ``nb``, by the rules in the module docstring."""
    cells = nb.cells
    decided = [_rule(cell, _tags(cell)) for cell in cells]
    hidden = [kind in ("skip", "notes") for kind in decided]

    def next_shown(index):
        for j in range(index + 1, len(cells)):
            if not hidden[j] and _shows_something(cells[j]):
                return cells[j]
        return None

    types = []
    opened = False  # a slide is open
    shown = 0  # cells with something to show on the open (sub)slide
    height = 0  # about how tall the open (sub)slide is
    has_text = False  # the open (sub)slide shows some markdown
    has_demo = False  # the open (sub)slide shows a live demo
    for index, cell in enumerate(cells):
        level = _heading_level(cell)
        if decided[index] is not None:
            kind = decided[index]
        elif not opened:
            kind = "slide"
        elif level in (1, 2):
            kind = "slide" if has_text or has_demo else "-"
        elif level == 3:
            kind = "subslide" if has_text or has_demo else "-"
        elif cell.cell_type == "markdown":
            following = next_shown(index)
            lead_in = following is not None and _is_demo(following)
            if _splits(cell):
                kind = "-"  # its text goes with the slide before, its heading opens a new one
            else:
                full = shown >= 2 and height + _height(cell) > SLIDE_HEIGHT
                kind = "subslide" if has_demo or full or (lead_in and shown >= 2) else "-"
        elif _is_demo(cell):
            kind = "subslide" if has_demo else "-"
        else:
            kind = "-"
        types.append(kind)
        if kind in ("skip", "notes"):
            continue
        if kind in ("slide", "subslide"):
            shown, height, has_text, has_demo = 0, 0, False, False
        opened = True
        shown += _shows_something(cell)
        height += _height(cell)
        has_text = has_text or cell.cell_type == "markdown"
        has_demo = has_demo or _is_demo(cell)
        if _splits(cell) and kind in ("slide", "subslide", "-"):
            # The slide its "## " heading opens.
            shown, has_text, has_demo = 1, True, False
            height = _text_height(_after_buried_heading(cell))
    return types


def apply(nb) -> list[int]:
    """Write the slide types into ``nb``; return the indices of the cells that changed."""
    changed = []
    for index, (cell, kind) in enumerate(zip(nb.cells, slide_types(nb))):
        current = cell.metadata.get("slideshow")
        if isinstance(current, dict) and current.get("slide_type") == kind:
            continue
        keep = dict(current) if isinstance(current, dict) else {}
        cell.metadata["slideshow"] = {**keep, "slide_type": kind}
        changed.append(index)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "notebooks", nargs="*", type=Path, help="notebooks (default: notebooks/*.ipynb)"
    )
    parser.add_argument("--check", action="store_true", help="only report, change nothing")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(NOTEBOOK_DIR.glob("*.ipynb"))
    if not paths:
        print(f"no notebooks in {NOTEBOOK_DIR}", file=sys.stderr)
        return 1
    stale = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        changed = apply(nb)
        if not changed:
            continue
        stale.append(path)
        if args.check:
            print(f"slide metadata out of date: {path} (cells {', '.join(map(str, changed))})")
        else:
            nbformat.write(nb, path)
            print(f"updated {path} ({len(changed)} cells)")
    if args.check and stale:
        print("Run: python tools/slide_meta.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
