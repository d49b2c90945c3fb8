"""One JupyterLab server and one headless Chromium for the whole browser test session.

Both fixtures fail (never skip) when their part cannot start: a browser test
that silently skips is a browser test that never runs.
"""

from __future__ import annotations

import pytest

from . import lab


@pytest.fixture(scope="session")
def lab_server():
    try:
        server = lab.start_lab()
    except lab.LabError as e:
        error = str(e)
    else:
        error = None
    if error:  # outside the except block: no chained traceback in the report
        pytest.fail(f"JupyterLab did not start: {error}", pytrace=False)
    yield server
    lab.stop_lab(server)


@pytest.fixture(scope="session")
def browser():
    try:
        chromium = lab.launch_chromium()
    except lab.LabError as e:
        error = str(e)
    else:
        error = None
    if error:
        pytest.fail(f"Chromium did not start: {error}", pytrace=False)
    yield chromium
    chromium.close()
