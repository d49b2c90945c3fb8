"""Dragging a slider with the mouse: how many new pictures a second, and how soon the last.

For the baseline (a bare ipympl figure) and every notebook that shows a slider
next to a figure (the slider :func:`tests.browser.lab.choose_slider` picks, as
for the latency): open it in JupyterLab in headless Chromium, Run All Cells,
then press the mouse on the slider's handle, drag it to one end and across
the whole range to the other end over ``--seconds`` seconds (a mouse move
every 16 ms), and release. Reported per notebook:

- ``fps``: figure draws the page showed between press and release (a
  drawImage into an ipympl canvas or a new diagram, as timed for the latency),
  per second of dragging (target: at least 12);
- ``release_ms``: release -> the last draw, once the page and the kernel are
  quiet (target: at most 150 ms; 0 when the last picture came before the
  release). For a matplotlib dashboard that last picture is also compared
  with a full render of the figure in the kernel (``matches``).

Writes the key ``drag`` of ``benchmarks/results.json``.

Run: ``.venv/bin/python -m benchmarks.bench_drag [--notebooks a.ipynb ...] [--seconds S]``
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from benchmarks.bench_latency import BASELINE, NOTEBOOK_DIR, _label, _resolve
from benchmarks.results import save
from tests.browser import kernel_picture, lab

FPS_TARGET = 12.0
RELEASE_TARGET_MS = 150.0
MOVE_MS = 16


def drag(page, handle, seconds: float) -> dict:
    """Drag ``handle`` from one end of its track to the other; times in the page's clock."""
    track = handle.locator("xpath=ancestor::*[contains(@class, 'noUi-base')]").bounding_box()
    box = handle.bounding_box()
    y = box["y"] + box["height"] / 2
    start, end = track["x"], track["x"] + track["width"]
    page.mouse.move(box["x"] + box["width"] / 2, y)
    n_draws = page.evaluate("() => window.__labProbe.draws.length")
    page.mouse.down()
    page.mouse.move(start, y, steps=4)
    steps = max(2, int(seconds * 1000 / MOVE_MS))
    began = time.monotonic()
    for k in range(1, steps + 1):
        page.mouse.move(start + (end - start) * k / steps, y)
        lag = began + k * MOVE_MS / 1000 - time.monotonic()
        if lag > 0:
            page.wait_for_timeout(lag * 1000)
    page.mouse.up()
    return {"draws_before": n_draws}


def measure_notebook(browser, server, notebook: Path, seconds: float) -> dict:
    path = lab.relpath_in(server, notebook)
    page = lab.open_notebook(browser, server, notebook)
    try:
        lab.run_all_cells(page, path)
        census = lab.widget_census(page)
        if not (census["sliders"] and census["figures"]):
            return {"skipped": f"{census['sliders']} sliders, {census['figures']} figures"}
        index = lab.choose_slider(page)
        handle = lab.slider_handle(page, index)
        handle.scroll_into_view_if_needed()
        lab.wait_page_idle(page)
        start = drag(page, handle, seconds)
        kernel_picture.wait_quiet(page, path, quiet_ms=1000, timeout=60)
        times = page.evaluate(
            """(n) => {
              const p = window.__labProbe;
              const down = p.pointers.filter((e) => e.type === 'pointerdown').pop().t;
              const up = p.pointers.filter((e) => e.type === 'pointerup').pop().t;
              return { down, up, draws: p.draws.slice(n) };
            }""",
            start["draws_before"],
        )
        down, up, draws = times["down"], times["up"], times["draws"]
        during = [t for t in draws if down <= t <= up]
        result = {
            "slider": lab.slider_description(page, index),
            "drag_s": round((up - down) / 1000, 2),
            "frames": len(during),
            "fps": round(len(during) / ((up - down) / 1000), 1),
            "release_ms": round(max(0.0, max(draws, default=up) - up), 1),
        }
        # The picture left on the page: the kernel's figure at the slider's last value?
        cell = page.evaluate(
            """(i) => {
              const s = document.querySelectorAll('.jp-Notebook .widget-slider')[i];
              return [...document.querySelectorAll('.jp-Notebook .jp-Cell')]
                .findIndex((c) => c.contains(s));
            }""",
            index,
        )
        names = dict(kernel_picture.dashboards(page, path, notebook))
        if cell in names:
            seen = kernel_picture.compare(page, path, cell, names[cell])
            result["matches"] = seen.ok
        return result
    finally:
        lab.close_notebook(page, path)


def run(notebooks: list[Path] | None = None, seconds: float = 2.0, *, write: bool = True) -> dict:
    if notebooks is None:
        notebooks = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
    started = time.monotonic()
    results = {}
    with lab.lab_server() as server, lab.chromium() as browser:
        for nb in [BASELINE, *notebooks]:
            try:
                results[_label(nb)] = measure_notebook(browser, server, nb, seconds)
            except lab.LabError as e:
                results[_label(nb)] = {"skipped": f"failed: {e}"}
    for r in results.values():
        if "fps" in r:
            r["meets_target"] = (
                r["fps"] >= FPS_TARGET
                and r["release_ms"] <= RELEASE_TARGET_MS
                and r.get("matches", True)
            )
    summary = {
        "what": "mouse drag across a slider's range: figure draws per second, release -> last draw",
        "seconds_per_drag": seconds,
        "notebooks": results,
        "seconds": round(time.monotonic() - started, 1),
    }
    if write:
        save("drag", summary)
    return summary


def print_table(summary: dict) -> None:
    rows = summary["notebooks"]
    width = max(len(name) for name in rows)
    print(f"{'notebook':<{width}}  {'fps':>5}  {'release ms':>10}  {'matches':>7}  target")
    for name, r in rows.items():
        if "fps" not in r:
            print(f"{name:<{width}}  skipped: {r['skipped']}")
            continue
        matches = {True: "yes", False: "NO"}.get(r.get("matches"), "-")
        print(
            f"{name:<{width}}  {r['fps']:>5.1f}  {r['release_ms']:>10.1f}  {matches:>7}  "
            f"{'met' if r['meets_target'] else 'MISSED'}"
        )
    print(
        f"(a {summary['seconds_per_drag']:g} s drag each; targets: >= {FPS_TARGET:g} frames/s, "
        f"release -> last frame <= {RELEASE_TARGET_MS:g} ms)"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebooks", nargs="+", metavar="NB", help="default: notebooks/*.ipynb")
    parser.add_argument("--seconds", type=float, default=2.0, help="length of a drag")
    parser.add_argument("--no-write", action="store_true", help="do not write results.json")
    args = parser.parse_args(argv)
    notebooks = [_resolve(n) for n in args.notebooks] if args.notebooks else None
    print_table(run(notebooks, args.seconds, write=not args.no_write))


if __name__ == "__main__":
    main()
