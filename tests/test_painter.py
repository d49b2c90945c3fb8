"""The painter: frames of the live artists over a kept background, one full draw otherwise.

Every check compares the canvas with a full render of the same figure
(``savefig``, independent of the painter), pixel for pixel.
"""

import os
import subprocess
import sys
import threading

import ipywidgets as widgets
import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from pixels import differing  # noqa: E402

from helpers.lessons import all_dashboards  # noqa: E402
from helpers.lessons.l02_error import ErrorDashboard  # noqa: E402
from helpers.lessons.l03_chain_rule_output_weights import SlopeDashboard  # noqa: E402
from helpers.lessons.l04_chain_rule_hidden_weights import SurfaceDashboard  # noqa: E402
from helpers.painter import Painter  # noqa: E402

DASHBOARDS = all_dashboards()


def neighbours(control):
    """The control's value and the next one, as one key press gives."""
    if isinstance(control, widgets.widget_selection._Selection):
        options = [v[1] if isinstance(v, tuple) else v for v in control.options]
        k = options.index(control.value)
        return options[k], options[k + 1 if k + 1 < len(options) else k - 1]
    step = control.step or 1
    value = control.value
    return value, value + step if value + step <= control.max else value - step


def _painted():
    """The dashboards that draw a matplotlib figure (the others' diagrams are drawn
    by the browser, see tests/test_diagram.py)."""
    names = []
    for name, cls in DASHBOARDS.items():
        made = cls()
        if made.fig is not None:
            names.append(name)
            plt.close(made.fig)
    return sorted(names)


@pytest.mark.parametrize("name", _painted())
def test_a_step_of_the_first_control_is_a_frame_equal_to_a_full_render(name):
    dashboard = DASHBOARDS[name]()
    painter = dashboard._painter
    assert painter.live, "the dashboard declares no live artists: every step is a full draw"
    control = next(iter(dashboard.controls))
    a, b = neighbours(dashboard.controls[control])
    for value in (b, a, b, a):
        dashboard.update(**{control: value})
        assert dashboard.last_error is None
        assert differing(dashboard.fig) == 0, f"after {control}={value}"
    assert painter.frames >= 1


def test_moving_a_point_draws_frames_only():
    dashboard = SlopeDashboard()
    painter = dashboard._painter
    dashboard.update(w6=0.2)
    full = painter.full_draws
    for w6 in (0.21, 0.22, 0.23, 0.24):
        dashboard.update(w6=w6)
    assert painter.full_draws == full
    assert differing(dashboard.fig) == 0


def test_new_limits_cost_one_full_draw():
    dashboard = ErrorDashboard()
    painter = dashboard._painter
    dashboard.update(w1=0.3)
    full = painter.full_draws
    dashboard.update(y=20.0)  # the parabola moves: new limits and a new curve
    assert painter.full_draws == full + 1
    assert differing(dashboard.fig) == 0


def test_a_label_over_a_live_curve_stays_over_it():
    fig, ax = plt.subplots(figsize=(3, 2))
    (line,) = ax.plot([0, 1], [0, 1], lw=8)
    label = ax.text(0.5, 0.5, "OVER", fontsize=20, ha="center", va="center", zorder=3)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    painter = Painter(fig, enabled=True)
    painter.add_live(line)
    painter.paint()
    for y in (0.2, 0.5, 0.8):
        line.set_ydata([y, 1 - y])
        painter.paint()
        assert differing(fig) == 0
    assert label in painter._over_background()
    assert painter.frames == 3


def test_hiding_an_artist_that_is_not_live_is_a_full_draw():
    dashboard = SurfaceDashboard()
    painter = dashboard._painter
    dashboard.update(w1=0.3)
    full = painter.full_draws
    dashboard.update(x_weight="w2")  # both axes show w2: the contours go
    assert painter.full_draws > full
    assert differing(dashboard.fig) == 0
    dashboard.reset()
    assert differing(dashboard.fig) == 0


def test_a_draw_the_page_asks_for_goes_through_the_painter():
    dashboard = ErrorDashboard()
    painter = dashboard._painter
    full = painter.full_draws
    dashboard.fig.canvas.draw()  # what ipympl does when the page shows the figure
    assert painter.full_draws == full + 1
    dashboard.update(w1=0.25)
    assert differing(dashboard.fig) == 0


def test_changes_from_two_threads_at_once_leave_a_whole_picture():
    """JupyterLab can deliver a slider's message and the Reset button's on two kernel
    threads at once (subshells). Each change then waits for the other: no artist is
    left out of the picture, and the picture shows the last values."""
    dashboard = SurfaceDashboard()
    slider = dashboard.controls["w5"]
    errors = []

    def move():
        try:
            for k in range(12):
                slider.value = slider.max if k % 2 else slider.min
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def reset():
        try:
            for _ in range(12):
                dashboard.reset()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=move), threading.Thread(target=reset)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert not any(a.get_animated() for a in dashboard.fig.findobj())
    dashboard.update(w1=0.22)
    assert differing(dashboard.fig) == 0


def test_switched_off_every_paint_is_a_plain_draw():
    dashboard = SlopeDashboard()
    painter = dashboard._painter
    painter.enabled = False
    frames = painter.frames
    dashboard.update(w6=0.3)
    assert painter.frames == frames
    assert differing(dashboard.fig) == 0


def test_the_environment_switches_blitting_off():
    code = "import helpers.painter as p; print(p.BLIT)"
    env = {**os.environ, "HELPERS_BLIT": "0"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr
