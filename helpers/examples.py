"""The course's example networks, each defined once.

``WORKED_EXAMPLE`` is the 2-2-1 linear network that notebooks 01–05 work by
hand: inputs 8 and 12, target 4, weights w1..w6 = 0.21, 0.56, 0.19, 0.02,
0.23, 0.16, learning rate 0.05, no biases.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .network import Layer, from_named, to_named

__all__ = ["Example", "WORKED_EXAMPLE"]


@dataclass(frozen=True, eq=False)
class Example:
    """A network with its input, target and learning rate."""

    layers: list
    x: np.ndarray
    target: np.ndarray
    lr: float
    activation: str = "linear"

    @property
    def named(self):
        """The weights by name: ``{"w1": 0.21, …}``."""
        return to_named(self.layers)

    def with_weights(self, **named):
        """The same example with some weights changed, e.g. ``with_weights(w5=0.3)``."""
        layers = from_named(named, self.layers)
        return Example(layers, self.x, self.target, self.lr, self.activation)


def _worked_example():
    blank = [Layer(np.zeros((2, 2))), Layer(np.zeros((2, 1)))]
    weights = {"w1": 0.21, "w2": 0.56, "w3": 0.19, "w4": 0.02, "w5": 0.23, "w6": 0.16}
    return Example(
        layers=from_named(weights, blank),
        x=np.array([8.0, 12.0]),
        target=np.array([4.0]),
        lr=0.05,
    )


WORKED_EXAMPLE = _worked_example()
