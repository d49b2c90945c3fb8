"""The live dashboards of the course, one module per notebook.

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
    """Every concrete Dashboard class defined in ``helpers.views``, by qualified name."""
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
