"""A slider move repaints only what changed, and the result is exactly a full render.

The dashboards' painter keeps a picture of each figure's unchanging parts and
draws the changed artists over it. Here every dashboard is moved with its
first control and its canvas compared, pixel by pixel, with a full render of
the same figure.
"""

import ipywidgets as widgets
import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from helpers.views import all_dashboards  # noqa: E402
from helpers.views.output_weights import SlopeDashboard  # noqa: E402

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


def pixels(canvas):
    return np.asarray(canvas.buffer_rgba()).copy()


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
def test_repaint_equals_a_full_render(name):
    dashboard = DASHBOARDS[name]()
    try:
        canvas = dashboard.fig.canvas
        control = next(iter(dashboard.controls))
        a, b = neighbours(dashboard.controls[control])
        for value in (b, a, b):
            dashboard.update(**{control: value})
            assert dashboard.last_error is None
            painted = pixels(canvas)
            canvas.draw()
            full = pixels(canvas)
            differ = (painted != full).any(axis=-1)
            assert not differ.any(), f"{differ.sum()} pixels differ after {control}={value}"
        assert dashboard._painter.blits >= 3
    finally:
        plt.close(dashboard.fig)


def test_moving_a_point_reuses_the_picture():
    dashboard = SlopeDashboard()
    try:
        painter = dashboard._painter
        dashboard.update(w6=0.2)
        pictures = painter.full_draws
        for w6 in (0.21, 0.22, 0.23, 0.24):
            dashboard.update(w6=w6)
        assert painter.full_draws == pictures
        assert painter.blits >= 5
    finally:
        plt.close(dashboard.fig)


def test_nothing_is_painted_before_the_first_draw():
    fig = plt.figure()
    try:
        from helpers.widgets import Painter

        painter = Painter(fig)
        painter.paint()  # Agg draws at once: an ordinary draw, no picture yet
        assert painter.blits == 0 and painter.full_draws == 0
    finally:
        plt.close(fig)


def test_a_declared_live_artist_needs_no_new_picture_when_it_first_appears():
    from helpers.views.training import LearningRateExplorer

    explorer = LearningRateExplorer()
    painter = explorer._painter
    assert explorer.diverged_mark in painter.moving  # declared with Dashboard.live
    explorer.update(lr=0.0072)  # converges: the divergence marks are hidden
    pictures = painter.full_draws
    explorer.update(lr=0.05)  # diverges at step 3: the marks appear, the frame is kept
    assert explorer.diverged_mark.get_visible()
    canvas = explorer.fig.canvas
    painted = pixels(canvas)
    canvas.draw()
    assert (painted == pixels(canvas)).all()
    assert painter.full_draws - pictures <= 1  # at most the frame, never the marks
