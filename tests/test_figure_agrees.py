"""After any move of any control, the figure says what the helpers compute.

For every dashboard in ``helpers.lessons``, hypothesis sets random control
values (extremes included) through ``update``, as a slider does, and the
dashboard's oracle (at the end of its lesson's test module) recomputes the numbers from
scratch and checks them against the texts and points on the figure.
"""

import warnings

import matplotlib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import oracles  # noqa: E402
from test_fuzz_dashboards import fuzzable  # noqa: E402

from helpers.lessons import all_dashboards  # noqa: E402

DASHBOARDS = all_dashboards()
oracles.load_all()


def test_every_dashboard_has_an_oracle():
    assert sorted(oracles.ORACLES) == sorted(DASHBOARDS)


@pytest.fixture(params=sorted(DASHBOARDS))
def dashboard(request):
    made = DASHBOARDS[request.param]()
    made.oracle_name = request.param
    yield made
    if made.fig is not None:
        plt.close(made.fig)


def test_the_starting_figure_agrees(dashboard):
    oracles.ORACLES[dashboard.oracle_name](dashboard)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_the_figure_agrees_after_random_moves(dashboard, data):
    dashboard.reset()
    strategies = fuzzable(dashboard)
    names = data.draw(st.lists(st.sampled_from(sorted(strategies)), min_size=1, unique=True))
    values = {name: data.draw(strategies[name], label=name) for name in names}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dashboard.update(**values)
    assert dashboard.last_error is None, dashboard.last_error
    oracles.ORACLES[dashboard.oracle_name](dashboard)
