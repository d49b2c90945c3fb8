"""How much cheaper an in-place update is than rebuilding a dashboard's figure.

For every dashboard in ``helpers.views``: the time of ``update`` (recompute,
change the artists and draw the whole canvas once) against making the
dashboard from scratch (which also draws it once). No browser: this is the
kernel's share of a slider move. With the non-interactive Agg canvas used
here, ``draw_idle`` draws at once, so each side includes exactly one full
render. Run ``python -m benchmarks.bench_update``.
"""

from __future__ import annotations

import statistics
import time

import matplotlib

matplotlib.use("Agg")
import ipywidgets as widgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

from benchmarks.results import save  # noqa: E402
from helpers.views import all_dashboards  # noqa: E402


def _two_values(control):
    """Two nearby values for a control, as two slider steps would give."""
    if isinstance(control, widgets.widget_selection._Selection):
        options = [v[1] if isinstance(v, tuple) else v for v in control.options]
        k = options.index(control.value)
        j = k + 1 if k + 1 < len(options) else k - 1
        return options[k], options[j]
    step = getattr(control, "step", 1) or 1
    value = control.value
    other = value + step if value + step <= control.max else value - step
    return value, other


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
    a, b = _two_values(dashboard.controls[name])
    flip = [a, b]

    def update():
        flip.reverse()
        dashboard.update(**{name: flip[0]})

    def rebuild():
        plt.close(cls().fig)

    update()  # warm caches (fonts, text layout) as a live session has them
    t_update = _time(update, repeat)
    t_rebuild = _time(rebuild, max(3, repeat // 3))
    plt.close(dashboard.fig)
    return {
        "control": name,
        "update_ms": 1e3 * t_update,
        "rebuild_ms": 1e3 * t_rebuild,
        "rebuild_over_update": t_rebuild / t_update,
    }


def run():
    results = {name: measure(cls) for name, cls in all_dashboards().items()}
    save("update_vs_rebuild", results)
    return results


def print_table(results):
    print(f"{'dashboard':45} {'control':>8} {'update ms':>10} {'rebuild ms':>11} {'ratio':>7}")
    for name, r in results.items():
        print(
            f"{name:45} {r['control']:>8} {r['update_ms']:10.1f} {r['rebuild_ms']:11.1f} "
            f"{r['rebuild_over_update']:7.1f}"
        )


if __name__ == "__main__":
    print_table(run())
