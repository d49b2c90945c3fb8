"""The live dashboards of the course, one module per notebook.

Each dashboard is a :class:`helpers.widgets.Dashboard`: a figure made once,
its controls, and an ``update(**values)`` that tests call like a slider does.
"""
