"""How much cheaper an in-place update is than rebuilding a dashboard's figure.

For every dashboard in ``helpers.lessons``: the time of ``update`` for one
slider step (recompute, change the artists and repaint the canvas, as the
dashboard does live: only what changed, see :mod:`helpers.painter`) against
making the dashboard from scratch (which also draws it once). The slider
walks through consecutive values, as a student dragging it does; the median
step is reported. No browser: this is the kernel's share of a slider move,
on the same Agg renderer that ipympl uses. Run
``python -m benchmarks.bench_update``.
"""

from __future__ import annotations

import argparse
import statistics
import time

import matplotlib

matplotlib.use("Agg")
import ipywidgets as widgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

from benchmarks.results import save  # noqa: E402
from helpers.lessons import all_dashboards  # noqa: E402


def _steps(control, count):
    """``count`` values a slider passes through, one key press apart, from its value on.

    It walks one way and turns back at the end of the range, as a student
    dragging it would; never two presses to the same value in a row.
    """
    if isinstance(control, widgets.widget_selection._Selection):
        values = [v[1] if isinstance(v, tuple) else v for v in control.options]
        k = values.index(control.value)
    else:
        step = getattr(control, "step", 1) or 1
        n = int(round((control.max - control.min) / step))
        values = [control.min + i * step for i in range(n + 1)]
        k = int(round((control.value - control.min) / step))
    walk, direction = [], 1 if k + 1 < len(values) else -1
    for _ in range(count):
        if not 0 <= k + direction < len(values):
            direction = -direction
        k += direction
        walk.append(values[k])
    return walk


def _time(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(cls, repeat=15):
    dashboard = cls()
    name = next(iter(dashboard.controls))
    walk = iter(_steps(dashboard.controls[name], repeat + 1))
    painter = dashboard._painter

    def update():
        dashboard.update(**{name: next(walk)})

    def rebuild():
        made = cls()
        if made.fig is not None:
            plt.close(made.fig)

    update()  # warm caches (fonts, text layout) as a live session has them
    frames = painter.frames if painter is not None else 0
    t_update = _time(update, repeat)
    t_rebuild = _time(rebuild, max(3, repeat // 3))
    if painter is not None:
        shown = f"{painter.frames - frames}/{repeat} frames"
    else:  # a diagram the browser draws: the kernel sends markup, no pixels
        shown = "markup"
    if dashboard.fig is not None:
        plt.close(dashboard.fig)
    return {
        "control": name,
        "update_ms": 1e3 * t_update,
        "rebuild_ms": 1e3 * t_rebuild,
        "rebuild_over_update": t_rebuild / t_update,
        # How many steps were frames (live artists over the kept background);
        # the others were full draws.
        "repainted": shown,
    }


def run(save_results=True):
    results = {name: measure(cls) for name, cls in all_dashboards().items()}
    if save_results:
        save("update_vs_rebuild", results)
    return results


def print_table(results):
    print(
        f"{'dashboard':45} {'control':>8} {'update ms':>10} {'rebuild ms':>11} {'ratio':>7} "
        f"{'repainted':>13}"
    )
    for name, r in results.items():
        print(
            f"{name:45} {r['control']:>8} {r['update_ms']:10.1f} {r['rebuild_ms']:11.1f} "
            f"{r['rebuild_over_update']:7.1f} {r['repainted']:>13}"
        )


def _without_glyphs():
    """Make every text draw nothing (its layout is still measured): how far the
    ratio could go if rendering text cost nothing at all."""
    from matplotlib.backends.backend_agg import RendererAgg

    RendererAgg.draw_text = lambda *args, **kwargs: None


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--without-glyphs",
        action="store_true",
        help="draw no text glyphs (a bound, not the real figures; results are not saved)",
    )
    args = parser.parse_args()
    if args.without_glyphs:
        _without_glyphs()
    print_table(run(save_results=not args.without_glyphs))
