"""The dashboards of a notebook open in Lab, and whether the page shows their picture.

- :func:`dashboards`: the cells that show a dashboard with a matplotlib figure,
  and the name the kernel knows it by (a cell ending with that name, or
  with ``display(name)``);
- :func:`compare`: the canvas the page shows in such a cell against a full
  render of the same figure in the kernel (``savefig`` at the figure's own size
  and dpi, so independent of the painter);
- :func:`wait_quiet`: until the kernel is idle and no figure drew for a while.
"""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
import numpy as np
from PIL import Image

from . import lab

#: A pixel differs when a channel differs by more than this (antialiasing is less).
CHANNEL = 64
#: A few such pixels are tolerated; the smallest marker covers about 40.
PIXELS = 12

_FIND = """
from helpers.widgets import Dashboard as _D
print(' '.join(n for n in {names!r} if isinstance(globals().get(n), _D)
               and globals()[n].fig is not None))
"""
_RENDER = """
import base64 as _b, io as _io
_buf = _io.BytesIO()
{name}.fig.savefig(_buf, format="png", dpi={name}.fig.dpi)
print(_b.b64encode(_buf.getvalue()).decode())
"""
_CANVAS = r"""
(cell) => {
  const c = document.querySelectorAll('.jp-Notebook .jp-Cell')[cell]
    .querySelector('.jupyter-matplotlib-canvas-div canvas');
  return c ? c.toDataURL() : null;
}
"""


_OUTPUT = r"""
(cell) => {
  const out = document.querySelectorAll('.jp-Notebook .jp-Cell')[cell]
    .querySelector('.jp-OutputArea');
  if (!out) return 'the cell has no output area';
  const canvases = [...out.querySelectorAll('canvas')]
    .map((c) => `${c.width}x${c.height}`).join(', ') || 'none';
  const text = out.innerText.replace(/\s+/g, ' ').slice(0, 300);
  return `canvases: ${canvases}; the output reads: ${text}`;
}
"""


def _what_shows(page, cell: int) -> str:
    """The canvases and text of a cell's output, for a failure message."""
    try:
        return page.evaluate(_OUTPUT, cell)
    except Exception as e:  # a page that no longer answers: say so, keep the failure
        return f"the page did not say what it shows ({str(e).splitlines()[0]})"


def dashboards(page, path: str, notebook: Path) -> list[tuple[int, str]]:
    """(cell index, name) of every dashboard with a matplotlib figure the notebook shows."""
    candidates = {}
    for k, cell in enumerate(nbformat.read(notebook, as_version=4).cells):
        lines = cell.source.strip().splitlines() if cell.cell_type == "code" else []
        shown = re.fullmatch(r"display\((\w+)\)|(\w+)", lines[-1].strip()) if lines else None
        if shown:
            candidates[k] = shown.group(1) or shown.group(2)
    found = lab.execute(page, path, _FIND.format(names=sorted(set(candidates.values()))))
    return [(k, name) for k, name in candidates.items() if name in found.split()]


@dataclass
class Comparison:
    shown: np.ndarray
    full: np.ndarray
    wrong: int  # pixels unlike the full render beyond antialiasing
    differ: int  # pixels that differ at all

    @property
    def ok(self) -> bool:
        return self.wrong <= PIXELS

    def save(self, stem: Path) -> str:
        stem.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(self.shown).save(f"{stem}-page.png")
        Image.fromarray(self.full).save(f"{stem}-kernel.png")
        return f"{stem}-page.png and -kernel.png"


def _png(data: str) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(data))).convert("RGBA"))


def compare(page, path: str, cell: int, name: str) -> Comparison:
    """The canvas in cell ``cell`` against a full render of ``name``'s figure."""
    url = page.evaluate(_CANVAS, cell)
    # A canvas being resized has no pixels for a moment ("data:,"): wait for them.
    for _ in range(50):
        if url is None or url.split(",", 1)[1]:
            break
        page.wait_for_timeout(100)
        url = page.evaluate(_CANVAS, cell)
    if not url or not url.split(",", 1)[1]:
        raise lab.LabError(
            f"{name}: no canvas with pixels in cell {cell}; {_what_shows(page, cell)}"
        )
    shown = _png(url.split(",", 1)[1])
    full = _png(lab.execute(page, path, _RENDER.format(name=name)).strip())
    if shown.shape != full.shape:
        raise lab.LabError(
            f"{name}: the page shows {shown.shape[:2]}, the figure is {full.shape[:2]}"
        )
    gap = np.abs(shown.astype(int) - full.astype(int)).max(axis=-1)
    return Comparison(shown, full, int((gap > CHANNEL).sum()), int((gap > 0).sum()))


def wait_quiet(page, path: str, quiet_ms: float = 700, timeout: float = 30.0) -> None:
    """Until the kernel is idle and no figure has drawn for ``quiet_ms`` (from now on)."""
    page.evaluate("() => { window.__labProbe.lastMove = performance.now(); }")
    page.wait_for_function(
        "([path, quiet]) => {"
        + lab._FIND_PANEL
        + r"""
        const p = window.__labProbe;
        const last = Math.max(p.lastMove, p.draws.length ? p.draws[p.draws.length - 1] : 0);
        const panel = findPanel(path);
        return performance.now() - last > quiet && kernelStatus(panel) === 'idle';
      }""",
        arg=[path, quiet_ms],
        timeout=timeout * 1000,
        polling=50,
    )
