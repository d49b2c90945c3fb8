"""Key press → new picture: how live each notebook's slider feels in a real JupyterLab.

For the baseline (``tests/browser/fixtures/baseline.ipynb``: one axes, one
line, one text) and every notebook whose outputs show a slider and a figure
(an ipympl canvas, or a network diagram the browser draws: an element with
the class ``bp-scene``, see ``helpers.diagram.Scene``): open it in
JupyterLab in headless Chromium, Run All Cells, then press ArrowRight on the
slider (chosen as in ``tests/browser``: class ``drives-figure``, else the
first slider next to a figure) ``--presses`` times, one press at a time.
Each latency runs from the keydown (timestamped in the capture phase, before
the slider sees it) to the next draw of a figure, both in the page's own
clock. A draw is a ``drawImage`` into a canvas under
``.jupyter-matplotlib-canvas-div``, or a new diagram in a ``.bp-scene``
(timed when a MutationObserver sees its content replaced, before the browser
lays it out and paints it, as a drawImage is timed before the paint);
whichever comes first. One warm-up press before them is not counted. Between presses the
benchmark waits for the kernel to be idle and 150 ms without draws, so every
press starts from rest. The baseline is measured first and again last, and
both runs are pooled: the ratio to it is the number to compare across runs
(absolute times move with the machine's load; the two baseline medians are
reported to show how much it drifted).

Reports p50/p95 per notebook in ms and p95 / baseline p95; writes the key
``latency`` of ``benchmarks/results.json`` (other benchmarks own other keys).

Run: ``.venv/bin/python -m benchmarks.bench_latency [--notebooks a.ipynb ...] [--presses N]``
(names without a folder are looked up in ``notebooks/``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import time
from importlib import metadata
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:  # also runs as `python benchmarks/bench_latency.py`
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks.results import save  # noqa: E402
from tests.browser import lab  # noqa: E402

BASELINE = REPO_ROOT / "tests" / "browser" / "fixtures" / "baseline.ipynb"
NOTEBOOK_DIR = REPO_ROOT / "notebooks"
WARMUP = 1


def _resolve(name: str) -> Path:
    for candidate in (Path(name), NOTEBOOK_DIR / name):
        if candidate.is_file():
            return candidate.resolve()
    raise SystemExit(f"no such notebook: {name} (looked in . and {NOTEBOOK_DIR})")


def _label(nb: Path) -> str:
    try:
        return nb.relative_to(NOTEBOOK_DIR).as_posix()
    except ValueError:
        try:
            return nb.relative_to(REPO_ROOT / "tests" / "browser").as_posix()
        except ValueError:
            return str(nb)


def _stats(ms: list[float]) -> dict:
    return {
        "p50_ms": round(lab.percentile(ms, 50), 1),
        "p95_ms": round(lab.percentile(ms, 95), 1),
        "min_ms": round(min(ms), 1),
        "max_ms": round(max(ms), 1),
        "presses": len(ms),
    }


def measure_notebook(browser, server, notebook: Path, presses: int) -> dict:
    """{'ms': [latencies], 'slider': ...} or {'skipped': reason}."""
    path = lab.relpath_in(server, notebook)
    page = lab.open_notebook(browser, server, notebook)
    try:
        lab.run_all_cells(page, path)
        errors = lab.cell_problems(page, path)["errors"]
        if errors:
            return {"skipped": "cells raised: " + "; ".join(e["text"] for e in errors)}
        census = lab.widget_census(page)
        if not (census["sliders"] and census["figures"]):
            return {
                "skipped": f"{census['sliders']} sliders, {census['canvases']} ipympl canvases, "
                f"{census['scenes']} diagrams"
            }
        index = lab.choose_slider(page)
        handle = lab.slider_handle(page, index)
        lab.measure_latency(page, path, handle, WARMUP)
        ms = lab.measure_latency(page, path, handle, presses)
        return {"ms": ms, "slider": lab.slider_description(page, index)}
    finally:
        lab.close_notebook(page, path)


def _versions() -> dict:
    out = {
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}",
    }
    for dist in ("jupyterlab", "ipympl", "ipywidgets", "matplotlib", "playwright"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = None
    out["cpus"] = os.cpu_count()
    return out


def run(notebooks: list[Path] | None = None, presses: int = 30, *, write: bool = True) -> dict:
    """Measure the baseline and `notebooks` (default: every notebooks/*.ipynb)."""
    if presses < 1:
        raise ValueError("presses must be >= 1")
    if notebooks is None:
        notebooks = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
    notebooks = [Path(nb).resolve() for nb in notebooks if Path(nb).resolve() != BASELINE]
    root = Path(os.path.commonpath([REPO_ROOT, *[nb.parent for nb in notebooks]]))
    started = time.monotonic()
    results: dict[str, dict] = {}
    with lab.lab_server(root) as server, lab.chromium() as browser:
        base_ms = measure_notebook(browser, server, BASELINE, presses)
        if "ms" not in base_ms:
            raise lab.LabError(f"the baseline could not be measured: {base_ms['skipped']}")
        for nb in notebooks:
            try:
                results[_label(nb)] = measure_notebook(browser, server, nb, presses)
            except lab.LabError as e:
                results[_label(nb)] = {"skipped": f"failed: {e}"}
        # The machine's load drifts: measure the baseline again at the end and pool both.
        base_end = measure_notebook(browser, server, BASELINE, presses) if notebooks else base_ms
    base = _stats(base_ms["ms"] + base_end["ms"]) if notebooks else _stats(base_ms["ms"])
    base["p50_ms_first_run"] = round(lab.percentile(base_ms["ms"], 50), 1)
    base["p50_ms_last_run"] = round(lab.percentile(base_end["ms"], 50), 1)
    for name, r in results.items():
        if "ms" in r:
            stats = _stats(r["ms"])
            stats["p95_over_baseline_p95"] = round(stats["p95_ms"] / base["p95_ms"], 2)
            results[name] = {**stats, "slider": r["slider"]}
    summary = {
        "what": (
            "key press -> next drawImage into an ipympl canvas or new diagram in a .bp-scene, "
            "JupyterLab, headless Chromium"
        ),
        "when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "presses": presses,
        "warmup_presses": WARMUP,
        "baseline": base,
        "notebooks": results,
        "seconds": round(time.monotonic() - started, 1),
        **_versions(),
    }
    if write:
        save("latency", summary)
    return summary


def print_table(summary: dict) -> None:
    rows = [("baseline (pooled)", summary["baseline"] | {"p95_over_baseline_p95": 1.0})]
    rows += list(summary["notebooks"].items())
    width = max(len(name) for name, _ in rows)
    print(f"{'notebook':<{width}}  {'p50 ms':>7}  {'p95 ms':>7}  {'p95/baseline':>12}")
    for name, r in rows:
        if "p95_ms" in r:
            print(
                f"{name:<{width}}  {r['p50_ms']:>7.1f}  {r['p95_ms']:>7.1f}  "
                f"{r['p95_over_baseline_p95']:>12.2f}"
            )
        else:
            print(f"{name:<{width}}  skipped: {r['skipped']}")
    b = summary["baseline"]
    print(
        f"({summary['presses']} presses each; baseline median {b['p50_ms_first_run']} ms "
        f"first, {b['p50_ms_last_run']} ms last; {summary['seconds']} s in all)"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebooks", nargs="+", metavar="NB", help="default: notebooks/*.ipynb")
    parser.add_argument("--presses", type=int, default=30, metavar="N", help="default: 30")
    parser.add_argument(
        "--no-write", action="store_true", help="do not write benchmarks/results.json"
    )
    args = parser.parse_args(argv)
    notebooks = [_resolve(n) for n in args.notebooks] if args.notebooks else None
    summary = run(notebooks, args.presses, write=not args.no_write)
    print_table(summary)


if __name__ == "__main__":
    main()
