"""The course's example networks and data sets, each defined once.

- ``WORKED_EXAMPLE`` is the 2-2-1 linear network that notebooks 01–05 work by
  hand: inputs 8 and 12, target 4, weights w1..w6 = 0.21, 0.56, 0.19, 0.02,
  0.23, 0.16, learning rate 0.05, no biases.
- ``RELU_EXAMPLE`` is notebook 06's network: one input, two hidden units, two
  outputs, ReLU on both layers, every bias starting at 0.1, with small
  hand-picked starting weights that keep every ReLU alive at the start:

  - input x = 1.5, targets y = (1.0, 0.5), learning rate 0.1
  - hidden weights w1 = 0.5 (i1→h1), w2 = 0.3 (i1→h2), biases bh1 = bh2 = 0.1
  - output weights w3 = 0.4 (h1→ŷ1), w4 = 0.6 (h2→ŷ1), w5 = −0.2 (h1→ŷ2),
    w6 = 0.5 (h2→ŷ2), biases bo1 = bo2 = 0.1
- ``DEEP_PROBLEM`` (notebook 07): 16 samples with 4 inputs and one target in
  [0, 1] (seeded), for networks of 1 to 12 hidden layers of 8 units each.
- ``XOR`` (notebook 07): the four points (0, 0), (0, 1), (1, 0), (1, 1) with
  targets 0, 1, 1, 0, a 2-3-1 network (tanh, then sigmoid) and, for contrast,
  a single 2-1 layer (sigmoid), both trained by plain full-batch gradient
  descent from seeded starting weights.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .network import (
    Layer,
    backward,
    error,
    forward,
    from_named,
    layers_from_sizes,
    sgd_step,
    to_named,
)

__all__ = [
    "DEEP_PROBLEM",
    "RELU_EXAMPLE",
    "WORKED_EXAMPLE",
    "XOR",
    "DeepProblem",
    "Example",
    "XorProblem",
]


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


def _relu_example():
    blank = [Layer(np.zeros((1, 2)), np.full(2, 0.1)), Layer(np.zeros((2, 2)), np.full(2, 0.1))]
    weights = {"w1": 0.5, "w2": 0.3, "w3": 0.4, "w4": 0.6, "w5": -0.2, "w6": 0.5}
    return Example(
        layers=from_named(weights, blank),
        x=np.array([1.5]),
        target=np.array([1.0, 0.5]),
        lr=0.1,
        activation="relu",
    )


RELU_EXAMPLE = _relu_example()
"""The 1-2-2 ReLU network of notebook 06 (see the module's docstring)."""


@dataclass(frozen=True)
class DeepProblem:
    """Inputs, targets and the shape of the networks notebook 07 makes deeper."""

    n_in: int = 4
    width: int = 8
    n_samples: int = 16
    seed: int = 7
    weights_seed: int = 1

    @cached_property
    def x(self):
        return np.random.default_rng(self.seed).standard_normal((self.n_samples, self.n_in))

    @cached_property
    def target(self):
        rng = np.random.default_rng(self.seed + 1)
        return rng.uniform(0.0, 1.0, (self.n_samples, 1))

    def sizes(self, depth):
        """Unit counts for ``depth`` hidden layers: n_in, width × depth, 1."""
        return [self.n_in] + [self.width] * int(depth) + [1]

    def layers(self, depth, scale=1.0):
        """Seeded layers (biases start at 0); weights have standard deviation scale/√n_in.

        The same seed for every depth: a deeper network starts with the same
        first layers as a shallower one, plus more.
        """
        return layers_from_sizes(self.sizes(depth), scale=scale, bias=0.0, seed=self.weights_seed)

    @staticmethod
    def activations(depth, activation):
        """``activation`` on every hidden layer, a linear output."""
        return [activation] * int(depth) + ["linear"]


DEEP_PROBLEM = DeepProblem()


@dataclass(frozen=True)
class XorProblem:
    """XOR, a small network that learns it, and a single layer that cannot."""

    hidden: int = 3
    lr: float = 2.0
    epochs: int = 600
    seed: int = 0
    activations: tuple = ("tanh", "sigmoid")

    @property
    def x(self):
        return np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])

    @property
    def target(self):
        return np.array([[0.0], [1.0], [1.0], [0.0]])

    def start(self):
        """Seeded starting layers of the 2-h-1 network and of the single 2-1 layer."""
        net = layers_from_sizes([2, self.hidden, 1], scale=1.0, bias=0.0, seed=self.seed)
        single = layers_from_sizes([2, 1], scale=1.0, bias=0.0, seed=self.seed)
        return net, single

    @cached_property
    def history(self):
        """The layers after every epoch (0 … epochs) for the network and the single layer.

        One epoch is one gradient step on all four points at once.
        """
        net, single = self.start()
        nets, singles = [net], [single]
        for _ in range(self.epochs):
            net = self._step(net, list(self.activations))
            single = self._step(single, [self.activations[-1]])
            nets.append(net)
            singles.append(single)
        return nets, singles

    def _step(self, layers, acts):
        trace = forward(layers, self.x, acts)
        return sgd_step(layers, backward(layers, trace, self.target), self.lr)

    def outputs(self, layers, x=None):
        """The network's outputs for ``x`` (default: the four XOR points), one per row."""
        acts = list(self.activations) if len(layers) > 1 else [self.activations[-1]]
        return forward(layers, self.x if x is None else x, acts).output[:, 0]

    #: An output within this of 0.5 is undecided: it counts as neither class.
    UNDECIDED = 0.01

    def right(self, layers):
        """How many of the four points the output puts clearly on the right side of 0.5."""
        miss = np.abs(self.outputs(layers) - self.target[:, 0])
        return int((miss < 0.5 - self.UNDECIDED).sum())

    @cached_property
    def errors(self):
        """The error after every epoch: (network, single layer), each of length epochs + 1."""
        nets, singles = self.history
        t = self.target
        net = np.array([error(self.outputs(L)[:, None], t) for L in nets])
        single = np.array([error(self.outputs(L)[:, None], t) for L in singles])
        return net, single

    @cached_property
    def solved_at(self):
        """The first epoch at which the network gets all four points right (None if never)."""
        nets, _ = self.history
        for k, layers in enumerate(nets):
            if self.right(layers) == 4:
                return k
        return None


XOR = XorProblem()
