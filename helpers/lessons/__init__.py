"""The course's lessons: one module per notebook, named after it.

``l03_chain_rule_output_weights`` holds everything that only notebook
``03_chain_rule_output_weights.ipynb`` uses: its dashboards, its exercises'
checkers and its own small helpers. What several notebooks share (the
network maths, examples, plots, diagrams, widgets, checks) lives in the
modules of :mod:`helpers` itself.

Each dashboard is a :class:`helpers.widgets.Dashboard`: a figure made once,
its controls, and an ``update(**values)`` that tests call like a slider does.
:func:`all_dashboards` finds every dashboard class in this package, so that
the tests and benchmarks cover each one as soon as it is written.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from ..widgets import Dashboard

__all__ = ["all_dashboards"]


def all_dashboards():
    """Every concrete Dashboard class defined in the lesson modules, by qualified name."""
    found = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, Dashboard)
                and cls.__module__ == module.__name__
                and not inspect.isabstract(cls)
                and not getattr(cls, "abstract", False)
            ):
                found[f"{info.name}.{cls.__name__}"] = cls
    return found
