"""Notebook 00: the course map.

The map shows the worked example's network as a still drawing with its
values, and its weights as a table: the same drawing and table as
notebook 01, whose lesson module makes them.
"""

from .l01_forward_pass import example_figure, weight_table

__all__ = ["example_figure", "weight_table"]
