"""A class at once: N students open the same app page and move its slider together.

For each class size N (``--classes``, default 10,20,40): serve one notebook
with ``python tools/app.py NB`` (the command a teacher types, as
tests/browser start it), open N pages of it in headless Chromium, each in a
browser context of its own (a student of its own), all at the same moment,
then:

- **time to usable** (per page, from the moment all N pages were opened):
  the slider and the figure are on the page and a first key press on the
  slider redraws the figure;
- **slider latency** under load: every page presses an arrow key on its
  slider's handle again and again for ``--seconds``, each time waiting for
  the figure to redraw and then 150 ms of quiet (about three moves a second
  per student). Latency is key press -> the next draw of the figure, both in
  the page's own clock (a diagram's new markup, or a drawImage into an
  ipympl canvas: the probe of tests/browser/lab.py);
- **errors**: pages that never became usable, presses with no redraw
  within ``PRESS_TIMEOUT``, kernels that died, errors thrown in the pages;
- **peak kernel memory**: the sum of the resident memory of the server's
  kernels, sampled twice a second.

A page that does not become usable within ``--load-timeout`` is kept as an
example of what a student then sees: the text on it, and a screenshot in
build/screenshots/classroom-<N>.png.

Writes the key ``classroom`` of benchmarks/results.json and prints a table.

Run: ``make bench-classroom`` or
``.venv/bin/python -m benchmarks.bench_classroom [--classes 10,20,40] [--seconds 30]``
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections import Counter
from pathlib import Path

import psutil

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks.results import save  # noqa: E402
from tests.browser import lab  # noqa: E402

NOTEBOOK = REPO_ROOT / "notebooks" / "01_forward_pass.ipynb"
LATENCY_TARGET_MS = 250.0
PRESS_TIMEOUT = 10.0
QUIET_MS = 150

# The slider and a drawn figure are on the page (as tests/browser/test_app_view.py waits).
_RENDERED = (
    "([canvas, sceneRoot]) => document.querySelector('#rendered_cells .widget-slider"
    " .noUi-handle') && ((document.querySelector('#rendered_cells ' + canvas)"
    " && window.__labProbe.draws.length > 0)"
    " || document.querySelector('#rendered_cells ' + sceneRoot))"
)


def summary(values: list[float]) -> dict:
    """p50 and p95 of ``values`` (rounded to 0.1), and how many; None for no values."""
    if not values:
        return {"p50": None, "p95": None, "n": 0}
    return {
        "p50": round(lab.percentile(values, 50), 1),
        "p95": round(lab.percentile(values, 95), 1),
        "n": len(values),
    }


def largest_class(rows: list[dict], limit_ms: float = LATENCY_TARGET_MS) -> int | None:
    """The largest N whose slider p95 is under ``limit_ms`` with every page usable."""
    fine = [
        r["students"]
        for r in rows
        if r["latency_ms"]["p95"] is not None
        and r["latency_ms"]["p95"] < limit_ms
        and r["unusable_pages"] == 0
    ]
    return max(fine, default=None)


def kernels(server) -> list[psutil.Process]:
    """The server's kernels (its child processes that run ipykernel)."""
    try:
        children = psutil.Process(server.proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    found = []
    for p in children:
        try:
            if any("ipykernel" in part for part in p.cmdline()):
                found.append(p)
        except psutil.Error:
            pass
    return found


async def watch_kernels(server, stop: asyncio.Event, seen: dict) -> None:
    """Sample the kernels' summed RSS twice a second; ``seen`` gets peak bytes and pids."""
    while not stop.is_set():
        total = 0
        for p in kernels(server):
            try:
                total += p.memory_info().rss
                seen["pids"].add(p.pid)
            except psutil.Error:
                pass
        seen["peak"] = max(seen["peak"], total)
        try:
            await asyncio.wait_for(stop.wait(), 0.5)
        except asyncio.TimeoutError:
            pass


async def press(page) -> float | None:
    """One arrow key on the slider; key press -> next draw in ms, None without a redraw."""
    handle = page.locator("#rendered_cells .widget-slider .noUi-handle").first
    at_max = await handle.evaluate(
        "(h) => +h.getAttribute('aria-valuenow') >= +h.getAttribute('aria-valuemax')"
    )
    keys = await page.evaluate("() => window.__labProbe.keydowns.length")
    await handle.press("ArrowLeft" if at_max else "ArrowRight")
    try:
        await page.wait_for_function(
            r"""([k, quiet]) => {
              const p = window.__labProbe;
              if (p.keydowns.length <= k) return false;
              const t = p.keydowns[k].t, d = p.draws.filter((x) => x > t);
              return d.length > 0 && performance.now() - d[d.length - 1] > quiet;
            }""",
            arg=[keys, QUIET_MS],
            timeout=PRESS_TIMEOUT * 1000,
            polling=50,
        )
    except Exception:
        return None
    return await page.evaluate(
        "(k) => { const p = window.__labProbe, t = p.keydowns[k].t;"
        " return p.draws.find((x) => x > t) - t; }",
        keys,
    )


async def student(browser, url: str, start: float, go: asyncio.Event, args, out: dict) -> None:
    """One student: open the page, wait until usable, then move the slider until time is up."""
    context = await browser.new_context(viewport=lab.VIEWPORT)
    await context.add_init_script(lab.INIT_SCRIPT)
    page = await context.new_page()
    page.on("pageerror", lambda e: out["js_errors"].append(str(e)))
    page.on("console", lambda m: _console(m, out))
    out["context"] = context
    try:
        # Voilà streams the page while it runs the notebook: do not wait for its end here.
        await page.goto(url, wait_until="commit", timeout=args.load_timeout * 1000)
        await page.wait_for_load_state("load", timeout=args.load_timeout * 1000)
        out["ran_s"] = time.monotonic() - start
        await page.wait_for_function(
            _RENDERED,
            arg=[lab.CANVAS_SELECTOR, lab.SCENE_ROOT_SELECTOR],
            timeout=max(1.0, start + args.load_timeout - time.monotonic()) * 1000,
            polling=200,
        )
        if await press(page) is None:
            raise TimeoutError("the first slider move did not redraw the figure")
        out["usable_s"] = time.monotonic() - start
    except Exception as e:
        out["failure"] = str(e).splitlines()[0][:200]
        out["text"] = await _shown_text(page)
        out["page"] = page
        return
    await go.wait()
    until = time.monotonic() + args.seconds
    while time.monotonic() < until:
        ms = await press(page)
        if ms is None:
            out["timeouts"] += 1
        else:
            out["latency_ms"].append(ms)


def _console(message, out: dict) -> None:
    """Keep the page's console errors, and note ipywidgets giving up on its fast way to
    fetch the widgets (it waits 4 s for the kernel, then fetches them one by one)."""
    if message.type == "error":
        out["console_errors"].append(message.text)
    if "did not respond in time" in message.text or "fallback to fetching" in message.text:
        out["widgets_slow"] = True


async def _shown_text(page) -> str:
    try:
        text = await page.evaluate("() => document.body ? document.body.innerText : ''")
    except Exception as e:
        return f"(could not read the page: {str(e).splitlines()[0]})"
    return " ".join(text.split())[:300]


async def run_class(n: int, args) -> dict:
    """Serve the notebook, let ``n`` students at it, measure; the server stops afterwards."""
    from playwright.async_api import async_playwright

    from tests.browser import servers  # nbformat: only when serving

    server = servers.start_voila("app.py", args.notebook)
    stop = asyncio.Event()
    seen = {"peak": 0, "pids": set()}
    load_before = os.getloadavg()
    try:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(
                executable_path=lab.CHROMIUM, headless=True, args=lab.CHROMIUM_ARGS
            )
            watcher = asyncio.create_task(watch_kernels(server, stop, seen))
            go = asyncio.Event()
            outs = [
                {"js_errors": [], "console_errors": [], "latency_ms": [], "timeouts": 0}
                for _ in range(n)
            ]
            start = time.monotonic()
            tasks = [
                asyncio.create_task(student(browser, server.url, start, go, args, o)) for o in outs
            ]
            # Everyone moves the slider together, once every page is usable or given up.
            while not all(("usable_s" in o or "failure" in o) for o in outs):
                await asyncio.sleep(0.2)
            go.set()
            await asyncio.gather(*tasks, return_exceptions=True)
            alive = len(kernels(server))
            stop.set()
            await watcher
            limit = next((o for o in outs if "failure" in o), None)
            if limit is not None:
                shot = servers.SCREENSHOTS / f"classroom-{n}.png"
                shot.parent.mkdir(parents=True, exist_ok=True)
                try:
                    await limit["page"].screenshot(path=str(shot), full_page=True)
                except Exception:
                    shot = None
            await browser.close()
    finally:
        stop.set()
        log = server.log_tail(5000)
        servers.stop_voila(server)
    latencies = [ms for o in outs for ms in o["latency_ms"]]
    row = {
        "students": n,
        "ran_s": summary([o["ran_s"] for o in outs if "ran_s" in o]),
        "usable_s": summary([o["usable_s"] for o in outs if "usable_s" in o]),
        "latency_ms": summary(latencies),
        "unusable_pages": sum("failure" in o for o in outs),
        "press_timeouts": sum(o["timeouts"] for o in outs),
        "kernels_started": len(seen["pids"]),
        "kernels_died": max(0, len(seen["pids"]) - alive),
        "js_errors": sum(len(o["js_errors"]) for o in outs),
        "peak_kernel_mb": round(seen["peak"] / 2**20),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "server_errors": [line[:200] for line in log.splitlines() if "[E " in line][:5],
        # Voilà stopped waiting for a cell's outputs (its widgets) from a kernel too busy.
        "outputs_dropped": log.count("Timeout waiting for IOPub output"),
        "console_errors": sum(len(o["console_errors"]) for o in outs),
        "pages_widgets_fetched_slowly": sum("widgets_slow" in o for o in outs),
        "unusable_with_widgets_fetched_slowly": sum(
            "widgets_slow" in o and "failure" in o for o in outs
        ),
        "js_error_examples": sorted(
            {e[:200] for o in outs for e in o["js_errors"] + o["console_errors"]}
        )[:5],
        "unusable_pages_show": dict(
            Counter(o["text"][:80] for o in outs if "failure" in o).most_common(5)
        ),
    }
    row["errors"] = (
        row["unusable_pages"] + row["press_timeouts"] + row["kernels_died"] + row["js_errors"]
    )
    if limit is not None:
        row["unusable_example"] = {
            "failure": limit["failure"],
            "page_text": limit["text"],
            "screenshot": str(shot.relative_to(REPO_ROOT)) if shot else None,
        }
    return row


def print_table(rows: list[dict]) -> None:
    head = (
        f"{'students':>8}  {'ran p50 s':>9}  {'usable p50 s':>12} {'p95 s':>6}  "
        f"{'slider p50 ms':>13} {'p95 ms':>7}  {'moves':>5}  {'unusable':>8}  "
        f"{'errors':>6}  {'kernels MB':>10}"
    )
    print(head)
    print("-" * len(head))

    def f(x, spec):
        return f"{'-':>{spec.split('.')[0]}}" if x is None else format(x, spec)

    for r in rows:
        u, lat = r["usable_s"], r["latency_ms"]
        print(
            f"{r['students']:>8}  {f(r['ran_s']['p50'], '9.1f')}  {f(u['p50'], '12.1f')} "
            f"{f(u['p95'], '6.1f')}  {f(lat['p50'], '13.1f')} {f(lat['p95'], '7.1f')}  "
            f"{lat['n']:>5}  {r['unusable_pages']:>8}  {r['errors']:>6}  "
            f"{r['peak_kernel_mb']:>10}"
        )
        if "unusable_example" in r:
            ex = r["unusable_example"]
            print(f"{'':10}a page never usable: {ex['failure']}")
            print(f"{'':10}it showed: {ex['page_text']!r}")
            print(
                f"{'':10}the server gave up waiting for a cell's outputs "
                f"{r['outputs_dropped']} times"
            )
        for key in ("js_error_examples", "server_errors"):
            for line in r.get(key, [])[:3]:
                print(f"{'':10}{key.split('_')[0]}: {line}")
    best = largest_class(rows)
    print(f"\nlargest class with slider p95 < {LATENCY_TARGET_MS:g} ms: {best or 'none'}")
    print(
        "(ran: the page has arrived, the notebook has run; usable: slider and figure shown and "
        "a key press redraws it; errors: unusable pages, key presses with no redraw in "
        f"{PRESS_TIMEOUT:g} s, kernels that died, uncaught errors in the pages)"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--classes", default="10,20,40", help="class sizes, comma-separated (default %(default)s)"
    )
    parser.add_argument(
        "--seconds", type=float, default=30.0, help="slider moves per class (default %(default)s)"
    )
    parser.add_argument(
        "--load-timeout",
        type=float,
        default=180.0,
        help="seconds a page may take to become usable (default %(default)s)",
    )
    parser.add_argument("--notebook", type=Path, default=NOTEBOOK, help="default: %(default)s")
    parser.add_argument("--no-write", action="store_true", help="do not write results.json")
    args = parser.parse_args(argv)
    args.notebook = args.notebook.resolve()
    sizes = [int(x) for x in args.classes.split(",") if x.strip()]
    rows = []
    for n in sizes:
        print(f"{n} students on {args.notebook.name} …", flush=True)
        rows.append(asyncio.run(run_class(n, args)))
    result = {
        "what": "N pages of one app view at once: time to usable, key press -> redraw "
        "while all move their slider, errors, summed kernel memory",
        "notebook": args.notebook.relative_to(REPO_ROOT).as_posix(),
        "seconds": args.seconds,
        "cpus": os.cpu_count(),
        "classes": rows,
        "largest_class_p95_under_250ms": largest_class(rows),
    }
    if not args.no_write:
        save("classroom", result)
    print()
    print_table(rows)


if __name__ == "__main__":
    main()
