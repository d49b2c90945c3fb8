"""Every control of every dashboard, over its whole range, through the slider's own path.

For each dashboard in ``helpers.lessons`` hypothesis sets random combinations of
control values (extremes included) with ``update``, as a slider would, then
renders the figure. After every update: no exception reached the dashboard,
no warning of any kind, nothing undefined drawn, no "nan" in the description,
the canvas the painter left is pixel for pixel a full render of the figure, and
a diagram the browser draws holds well-formed markup for the current values.
Back at the starting values the dashboard looks as it did at first.
"""

import warnings
import xml.etree.ElementTree as ET

import ipywidgets as widgets
import matplotlib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from pixels import differing  # noqa: E402

from helpers.lessons import all_dashboards  # noqa: E402

DASHBOARDS = all_dashboards()


def control_strategy(control):
    """Values a person could give this control, its extremes first."""
    if isinstance(control, (widgets.FloatSlider, widgets.FloatLogSlider, widgets.FloatRangeSlider)):
        lo, hi = control.min, control.max
        if isinstance(control, widgets.FloatLogSlider):
            lo, hi = control.base**lo, control.base**hi
        return st.one_of(st.sampled_from([lo, hi]), st.floats(lo, hi))
    if isinstance(control, (widgets.IntSlider, widgets.BoundedIntText, widgets.Play)):
        return st.integers(control.min, control.max)
    if isinstance(control, widgets.BoundedFloatText):
        return st.floats(control.min, control.max)
    if isinstance(control, widgets.Checkbox | widgets.ToggleButton):
        return st.booleans()
    if isinstance(control, widgets.widget_selection._Selection):
        values = [v[1] if isinstance(v, tuple) else v for v in control.options]
        return st.sampled_from(values)
    return None


def fuzzable(dashboard):
    strategies = {}
    for name, control in dashboard.controls.items():
        strategy = control_strategy(control)
        if strategy is not None:
            strategies[name] = strategy
    return strategies


def assert_sound(dashboard, values):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dashboard.update(**values)
        # What the painter left on the canvas is exactly what a full render draws.
        differ = differing(dashboard.fig) if dashboard.fig is not None else 0
    assert dashboard.last_error is None, f"{values}: {dashboard.last_error!r}"
    assert not differ, f"{values}: {differ} pixels differ from a full render"
    for scene in dashboard.scenes:
        # The page holds the diagram of these values, as well-formed markup.
        assert scene.widget.value == scene.markup(), values
        ET.fromstring(scene.widget.value)
    assert dashboard.problems() == [], values
    text = dashboard.description.lower()
    assert "nan" not in text and " inf" not in text, dashboard.description


def test_every_notebook_with_live_figures_has_dashboards():
    assert len(DASHBOARDS) >= 1


@pytest.fixture(params=sorted(DASHBOARDS))
def dashboard(request):
    # One per test: the shared clean-up closes every figure after each test,
    # and a closed figure loses its renderer (its draws would render nothing).
    made = DASHBOARDS[request.param]()
    assert made.fig is not None or made.scenes, "a dashboard that shows nothing"
    if made.fig is not None:
        assert hasattr(made.fig.canvas, "buffer_rgba"), "the figure has no raster canvas"
    yield made
    if made.fig is not None:
        plt.close(made.fig)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_settings_draw_a_sound_figure(dashboard, data):
    dashboard.reset()  # some ranges depend on other controls: start each case alike
    strategies = fuzzable(dashboard)
    assert strategies, "a dashboard without controls"
    names = data.draw(st.lists(st.sampled_from(sorted(strategies)), min_size=1, unique=True))
    values = {name: data.draw(strategies[name], label=name) for name in names}
    assert_sound(dashboard, values)


def test_every_control_at_both_ends(dashboard):
    for name, control in dashboard.controls.items():
        strategy = control_strategy(control)
        if strategy is None:
            continue
        if isinstance(control, widgets.widget_selection._Selection):
            ends = [control.options[0], control.options[-1]]
            ends = [v[1] if isinstance(v, tuple) else v for v in ends]
        else:
            lo, hi = control.min, control.max
            if isinstance(control, widgets.FloatLogSlider):
                lo, hi = control.base**lo, control.base**hi
            ends = [lo, hi]
        for value in ends:
            assert_sound(dashboard, {name: value})
        dashboard.reset()


def test_all_controls_at_their_extremes_then_back(dashboard):
    dashboard.reset()
    start, start_message = dashboard.description, dashboard.message.value
    for pick in (min, max):
        values = {}
        for name, control in dashboard.controls.items():
            if isinstance(control, widgets.widget_selection._Selection):
                options = [v[1] if isinstance(v, tuple) else v for v in control.options]
                values[name] = options[0] if pick is min else options[-1]
            elif hasattr(control, "min") and hasattr(control, "max"):
                lo, hi = control.min, control.max
                if isinstance(control, widgets.FloatLogSlider):
                    lo, hi = control.base**lo, control.base**hi
                values[name] = pick(lo, hi)
        assert_sound(dashboard, values)
    dashboard.reset()
    assert dashboard.last_error is None
    assert dashboard.message.value == start_message
    assert dashboard.description == start


def test_update_path_is_the_slider_path(dashboard):
    """Moving a control's value directly (as the browser does) redraws like update()."""
    strategies = fuzzable(dashboard)
    name = next(iter(strategies))
    control = dashboard.controls[name]
    before = dashboard.description
    if isinstance(control, widgets.widget_selection._Selection):
        options = [v[1] if isinstance(v, tuple) else v for v in control.options]
        new = options[-1] if control.value != options[-1] else options[0]
    else:
        new = control.max if control.value != control.max else control.min
    control.value = new
    via_slider = dashboard.description
    dashboard.reset()
    assert dashboard.description == before
    dashboard.update(**{name: new})
    assert dashboard.description == via_slider
    dashboard.reset()


def test_a_value_no_slider_can_take_is_refused(dashboard):
    """update() and load() refuse nan, infinities and text, as a slider would: nothing
    changes, nothing undefined is drawn, and the dashboard says why."""
    dashboard.reset()
    before, drawn = dashboard.values(), dashboard.description
    numeric = [
        name
        for name, control in dashboard.controls.items()
        if hasattr(control, "min") and not isinstance(control.value, bool)
    ]
    for name in numeric:
        for odd in (float("nan"), float("inf"), -float("inf"), "0.5", None, True):
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                refusal = dashboard.update(**{name: odd})
            assert refusal is not None and refusal.ok is False, (name, odd)
            assert refusal.message.startswith(f"Not changed: {name} takes"), refusal.message
            assert "\n" not in refusal.message
            assert "Not changed." in dashboard.message.value
            assert dashboard.values() == before and dashboard.description == drawn
            assert dashboard.problems() == []
        for text in ("nan", "inf", "-inf"):
            refusal = dashboard.load(f"{name}={text}")
            assert refusal.ok is False and name in refusal.message, refusal.message
            assert dashboard.values() == before
    assert numeric or not any(hasattr(c, "min") for c in dashboard.controls.values())
    dashboard.update(**before)  # and a good value goes through as before
    assert dashboard.description == drawn and dashboard.last_error is None
