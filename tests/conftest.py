"""Shared test set-up: figures never outlive the test that made them, and the course
is tested at its normal size whatever the PROJECTOR setting of the shell."""

import os

import matplotlib
import pytest

os.environ.pop("PROJECTOR", None)  # also for the kernels nbval starts

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")
