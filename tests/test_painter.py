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

from helpers.lessons import all_dashboards  # noqa: E402
from helpers.lessons.l03_chain_rule_output_weights import SlopeDashboard  # noqa: E402

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
    from helpers.lessons.l05_matrix_form import LearningRateExplorer

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


def assert_exact(dashboard, what):
    canvas = dashboard.fig.canvas
    painted = pixels(canvas)
    canvas.draw()
    differ = (painted != pixels(canvas)).any(axis=-1)
    assert not differ.any(), f"{differ.sum()} pixels differ from a full render {what}"


def test_a_new_frame_in_one_panel_keeps_the_other_panel_as_it_was():
    """The explorer's run panel gets new limits near the stability bound; the sweep
    panel beside it is pasted from a rendering of it alone, made at the first
    paint, instead of being rendered again."""
    from helpers.lessons.l05_matrix_form import LearningRateExplorer

    explorer = LearningRateExplorer()
    try:
        explorer.update(lr=0.022)  # the first paint renders each panel alone too
        painter = explorer._painter
        pictures = painter.full_draws
        for lr in (0.023, 0.024, 0.025, 0.029, 0.03, 0.031, 0.01, 0.05):
            explorer.update(lr=lr)
            assert_exact(explorer, f"at lr {lr}")
        assert painter.full_draws > pictures  # the run panel's frame did change
        assert painter.layers_reused >= 2
    finally:
        plt.close(explorer.fig)


def test_a_panel_is_not_pasted_where_something_else_paints():
    """A figure-level text over the sweep panel: pasting that panel would hide it,
    so the picture is rendered in full, and the result is still exact."""
    from helpers.lessons.l05_matrix_form import LearningRateExplorer

    explorer = LearningRateExplorer()
    try:
        fig = explorer.fig
        fig.text(0.6, 0.35, "OVER THE SWEEP", fontsize=10, color="red")
        fig.canvas.draw()  # drawn once: part of the picture, not a moving artist
        explorer.update(lr=0.022)
        assert not any(
            a.get_text() == "OVER THE SWEEP" for a in fig.texts if a in explorer._painter.moving
        )
        painter = explorer._painter
        reused = painter.layers_reused
        for lr in (0.024, 0.03):
            explorer.update(lr=lr)
            assert_exact(explorer, f"at lr {lr}")
        assert painter.layers_reused == reused
    finally:
        plt.close(explorer.fig)
