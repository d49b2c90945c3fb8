"""Write the navigation of every notebook: a header line, a footer with links, the course map.

    python tools/nav.py           # rewrite what is out of date
    python tools/nav.py --check   # exit 1 and name the notebooks that are out of date

The header is the first cell (tagged ``nav-header``), the footer the last
(tagged ``nav-footer``), and the index's table is the cell tagged
``course-map``. Only notebooks that exist are linked.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from course import COURSE_TITLE, NOTEBOOKS  # noqa: E402

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"


def _present(folder):
    return [entry for entry in NOTEBOOKS if (folder / entry[0]).exists()]


def _label(entry):
    name, title, _aim = entry
    return f"{name[:2]} · {title}"


def header(entry, present):
    number = int(entry[0][:2])
    last = max(int(e[0][:2]) for e in NOTEBOOKS)
    if number == 0:
        return f"*{COURSE_TITLE}* · a course in {last} notebooks"
    return f"*{COURSE_TITLE}* · notebook {number} of {last} · [course map](00_index.ipynb)"


def footer(entry, present):
    names = [e[0] for e in present]
    k = names.index(entry[0])
    parts = []
    if k > 0:
        prev = present[k - 1]
        parts.append(f"← Previous: [{_label(prev)}]({prev[0]})")
    if entry[0] != "00_index.ipynb":
        parts.append("[Course map](00_index.ipynb)")
    if k + 1 < len(present):
        nxt = present[k + 1]
        parts.append(f"Next: [{_label(nxt)}]({nxt[0]}) →")
    return "---\n" + " · ".join(parts)


def course_map(present):
    rows = ["| | Notebook | What you will do |", "| --- | --- | --- |"]
    for name, title, aim in present:
        if name == "00_index.ipynb":
            continue
        rows.append(f"| {name[:2]} | [{title}]({name}) | {aim} |")
    return "\n".join(rows)


def _tagged(cell, tag):
    return tag in cell.get("metadata", {}).get("tags", [])


def _markdown(text, tag):
    cell = nbformat.v4.new_markdown_cell(text)
    cell.metadata["tags"] = [tag]
    return cell


def apply(nb, entry, present):
    """Put the navigation into ``nb``; return True if anything changed."""
    before = nbformat.writes(nb)
    cells = nb.cells
    top = header(entry, present)
    if cells and _tagged(cells[0], "nav-header"):
        cells[0].source = top
    else:
        cells.insert(0, _markdown(top, "nav-header"))
    bottom = footer(entry, present)
    if cells and _tagged(cells[-1], "nav-footer"):
        cells[-1].source = bottom
    else:
        cells.append(_markdown(bottom, "nav-footer"))
    if entry[0] == "00_index.ipynb":
        table = course_map(present)
        maps = [c for c in cells if _tagged(c, "course-map")]
        if maps:
            maps[0].source = table
        else:
            cells.insert(len(cells) - 1, _markdown(table, "course-map"))
    return nbformat.writes(nb) != before


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report, change nothing")
    parser.add_argument("--folder", type=Path, default=NOTEBOOK_DIR)
    args = parser.parse_args(argv)
    present = _present(args.folder)
    stale = []
    for entry in present:
        path = args.folder / entry[0]
        nb = nbformat.read(path, as_version=4)
        if apply(nb, entry, present):
            stale.append(path.name)
            if not args.check:
                nbformat.write(nb, path)
    unknown = sorted(
        p.name for p in args.folder.glob("*.ipynb") if p.name not in {e[0] for e in NOTEBOOKS}
    )
    if args.check:
        problems = [f"navigation out of date: {n}" for n in stale]
        problems += [f"not in tools/course.py: {n}" for n in unknown]
        for line in problems:
            print(line)
        if problems:
            print("Run: python tools/nav.py")
        return 1 if problems else 0
    for name in stale:
        print(f"updated {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
