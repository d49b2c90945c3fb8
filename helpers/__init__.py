"""Helpers for the backpropagation course: the math, the plots and the live controls.

The notebooks import what they need from here; every number they show is
computed by these functions.
"""

from .examples import WORKED_EXAMPLE, Example
from .network import (
    Layer,
    backward,
    error,
    forward,
    from_named,
    numerical_gradient,
    sgd_step,
    stability_bound,
    sweep_learning_rates,
    to_named,
    train,
)

__all__ = [
    "WORKED_EXAMPLE",
    "Example",
    "Layer",
    "backward",
    "error",
    "forward",
    "from_named",
    "numerical_gradient",
    "sgd_step",
    "stability_bound",
    "sweep_learning_rates",
    "to_named",
    "train",
]
