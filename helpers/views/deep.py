"""Notebook 07: deep networks: gradient size per layer, the cost of backprop, XOR, live.

Two fixed problems are defined here, each once:

- ``DEEP_PROBLEM``: 16 samples with 4 inputs and one target in [0, 1] (seeded),
  for networks of 1 to 12 hidden layers of 8 units each;
- ``XOR``: the four points (0, 0), (0, 1), (1, 0), (1, 1) with targets
  0, 1, 1, 0, a 2-3-1 network (tanh, then sigmoid) and, for contrast, a
  single 2-1 layer (sigmoid), both trained by plain full-batch gradient descent
  from seeded starting weights.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import ipywidgets as widgets
import numpy as np
from matplotlib.colors import LinearSegmentedColormap

from ..network import backward, error, forward, layers_from_sizes, sgd_step
from ..plots import COLORS, decade_ticks, fmt, live_figure
from ..widgets import Dashboard

__all__ = [
    "DEEP_PROBLEM",
    "XOR",
    "DeepProblem",
    "GradientFlowDashboard",
    "XorDashboard",
    "XorProblem",
    "cost_table",
    "gradient_norms",
    "gradient_verdict",
]


# --------------------------------------------------------------------------
# A deep network and the size of its gradients
# --------------------------------------------------------------------------


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


def gradient_norms(layers, x, target, activations):
    """‖∂E/∂W‖ of every layer (first = nearest the input), from :func:`backward`.

    Computed with floating-point warnings silenced: the caller checks for
    values that are not finite.
    """
    with np.errstate(all="ignore"):
        trace = forward(layers, x, activations)
        grads = backward(layers, trace, target)
        return np.array([np.linalg.norm(g.W) for g in grads])


#: A gradient whose first layer is this many times smaller (or larger) than its last vanishes
#: (or explodes).
RATIO_ALARM = 100.0
#: A gradient norm above this is called exploding whatever the ratio.
HUGE = 1e3
#: When even the largest gradient norm is below this, every layer's gradient has vanished.
TINY = 1e-6


def gradient_verdict(norms):
    """``(kind, sentence)`` for the gradient norms of a network, first layer first.

    ``kind`` is "dead", "overflow", "vanishing", "exploding" or "healthy".
    """
    norms = np.asarray(norms, dtype=float)
    finite = np.isfinite(norms)
    if not finite.all():
        bad = ", ".join(str(k + 1) for k in np.flatnonzero(~finite))
        return (
            "overflow",
            f"The numbers overflowed (layers {bad}): far too large to compute. "
            "They are drawn at the top edge.",
        )
    zero = np.flatnonzero(norms == 0)
    if zero.size:
        layers = ", ".join(str(k + 1) for k in zero)
        return (
            "dead",
            f"Layers {layers} get no gradient at all: every unit on the way back is a dead "
            "ReLU (or the error is exactly 0). They are drawn at the bottom edge.",
        )
    first, last = norms[0], norms[-1]
    ratio = first / last
    if ratio < 1 / RATIO_ALARM:
        return (
            "vanishing",
            f"Vanishing: the first layer's gradient is {fmt(ratio, 2)} times the last's, "
            "so the first layers barely learn.",
        )
    if ratio > RATIO_ALARM:
        return (
            "exploding",
            f"Exploding: the first layer's gradient is {fmt(ratio, 2)} times the last's.",
        )
    if norms.max() < TINY:
        return (
            "vanishing",
            f"Vanishing everywhere: even the largest gradient is {fmt(norms.max(), 2)}, "
            "so no layer learns much.",
        )
    if norms.max() > HUGE:
        return (
            "exploding",
            f"Exploding: gradients as large as {fmt(norms.max(), 2)}; one step at any "
            "ordinary learning rate throws the weights far away.",
        )
    return (
        "healthy",
        f"Healthy: the first layer's gradient is {fmt(ratio, 2)} times the last's.",
    )


def cost_table(depths, problem=DEEP_PROBLEM):
    """What one gradient costs, backprop vs numerical_gradient, for networks of ``depths``.

    Counts multiply-adds per sample. A layer with m inputs and n outputs costs
    m·n forward. Backprop runs one forward pass and then, per layer, two
    products of that size (δ @ W.T for the layer below, a.T @ δ for ∂E/∂W):
    about 3× a forward pass in all. numerical_gradient runs two forward passes
    per parameter. Returns dicts with ``depth``, ``params``, ``forward``,
    ``backprop``, ``numerical``, ``ratio``.
    """
    rows = []
    for depth in depths:
        sizes = problem.sizes(depth)
        forward_cost = sum(m * n for m, n in zip(sizes[:-1], sizes[1:]))
        params = sum(m * n + n for m, n in zip(sizes[:-1], sizes[1:]))
        backprop_cost = forward_cost + 2 * forward_cost
        numerical_cost = 2 * params * forward_cost
        rows.append(
            {
                "depth": int(depth),
                "params": params,
                "forward": forward_cost,
                "backprop": backprop_cost,
                "numerical": numerical_cost,
                "ratio": numerical_cost / backprop_cost,
            }
        )
    return rows


class GradientFlowDashboard(Dashboard):
    """‖∂E/∂W‖ of every layer on a log scale, as depth, activation and weight scale change."""

    MAX_DEPTH = 12
    FLOOR = 1e-30
    CEIL = 1e30

    def __init__(self, depth=6, activation="sigmoid", scale=1.0, problem=DEEP_PROBLEM):
        self.problem = problem
        controls = {
            "depth": widgets.IntSlider(
                value=depth,
                min=1,
                max=self.MAX_DEPTH,
                description="depth",
                style={"description_width": "4em"},
                layout=widgets.Layout(width="280px"),
            ),
            "scale": widgets.FloatLogSlider(
                value=scale,
                base=2,
                min=-2,
                max=3,
                step=0.25,
                description="w scale",
                readout_format=".3g",
                style={"description_width": "4em"},
                layout=widgets.Layout(width="280px"),
            ),
            "activation": widgets.Dropdown(
                options=["sigmoid", "tanh", "relu", "linear"],
                value=activation,
                description="f",
                style={"description_width": "2em"},
                layout=widgets.Layout(width="160px"),
            ),
        }
        fig, ax = live_figure(7.0, 3.3)
        fig.subplots_adjust(left=0.12, right=0.97, bottom=0.16, top=0.88)
        self.ax = ax
        ax.set_yscale("log")
        decade_ticks(ax.yaxis)
        ax.set_xlabel("layer (1 = nearest the input, last = output)")
        ax.set_ylabel("‖∂E/∂W‖")
        ax.set_xlim(0.5, self.MAX_DEPTH + 1.5)
        ax.grid(True, which="major", axis="y", color="#DDDDDD", lw=0.6)
        (self.line,) = ax.plot(
            [1], [1], "-o", color=COLORS["positive"], lw=2, ms=6, label="‖∂E/∂W‖"
        )
        (self.clipped,) = ax.plot(
            [], [], "x", color=COLORS["negative"], ms=10, mew=2.5, label="off the scale"
        )
        self.title = ax.set_title("")
        self.verdict = ax.text(
            0.02, 0.96, "", transform=ax.transAxes, ha="left", va="top", fontsize="small"
        )
        self.norms = np.array([])
        super().__init__(controls, fig)
        self.live(self.line, self.clipped, self.title)
        self.refresh()

    def layers_for(self, depth, scale):
        return self.problem.layers(depth, scale)

    def redraw(self, depth, scale, activation):
        p = self.problem
        layers = self.layers_for(depth, scale)
        acts = p.activations(depth, activation)
        norms = gradient_norms(layers, p.x, p.target, acts)
        self.norms = norms
        kind, sentence = gradient_verdict(norms)

        k = np.arange(1, len(norms) + 1)
        finite = np.isfinite(norms)
        shown = np.clip(np.where(finite, norms, self.CEIL), self.FLOOR, self.CEIL)
        off = ~finite | (norms < self.FLOOR) | (norms > self.CEIL)
        self.line.set_data(k, shown)
        self.clipped.set_data(k[off], shown[off])
        good = shown[~off]
        lo = good.min() if good.size else 1e-3
        hi = good.max() if good.size else 1e3
        if off.any():
            lo = min(lo, shown[off].min())
            hi = max(hi, shown[off].max())
        if hi / lo < 1e2:
            mid = np.sqrt(lo * hi)
            lo, hi = mid / 10, mid * 10
        # Steady decades: a depth step moves the curve, not the whole frame.
        self.steady_log_ylim(self.ax, lo, hi, bounds=(self.FLOOR / 10, self.CEIL * 10))
        self.title.set_text(
            f"{activation}, {depth} hidden layer{'s' if depth > 1 else ''} of {p.width}, "
            f"weight scale {scale:g}"
        )
        self.verdict.set_text(kind)
        if kind != "healthy":
            self.say(sentence)
        per_layer = ", ".join(f"{i}: {fmt(v, 2)}" for i, v in zip(k, norms))
        return (
            f"{activation}, {depth} hidden layer{'s' if depth > 1 else ''} of {p.width} units, "
            f"weight scale {scale:g}. "
            f"‖∂E/∂W‖ per layer (1 = nearest the input): {per_layer}.\n{sentence}"
        )


# --------------------------------------------------------------------------
# XOR
# --------------------------------------------------------------------------


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


def _two_colour_map():
    return LinearSegmentedColormap.from_list(
        "course_diverging", [COLORS["negative"], "#FFFFFF", COLORS["positive"]]
    )


class XorDashboard(Dashboard):
    """Decision regions of the 2-3-1 network and of a single layer, epoch by epoch."""

    GRID = 61

    def __init__(self, problem=XOR, epoch=0):
        self.problem = problem
        self.play = widgets.Play(
            value=epoch, min=0, max=problem.epochs, step=5, interval=60, description="play"
        )
        controls = {
            "epoch": widgets.IntSlider(
                value=epoch,
                min=0,
                max=problem.epochs,
                step=5,
                description="epoch",
                style={"description_width": "4em"},
                layout=widgets.Layout(width="320px"),
            )
        }
        widgets.jslink((self.play, "value"), (controls["epoch"], "value"))
        fig, axes = live_figure(8.0, 3.1, 1, 3, width_ratios=[1, 1, 1.25])
        fig.subplots_adjust(left=0.05, right=0.98, bottom=0.17, top=0.86, wspace=0.35)
        lo, hi = -0.5, 1.5
        g = np.linspace(lo, hi, self.GRID)
        gx, gy = np.meshgrid(g, g)
        self.grid_points = np.column_stack([gx.ravel(), gy.ravel()])
        cmap = _two_colour_map()
        x, t = problem.x, problem.target[:, 0]
        self.images, self.titles = [], []
        for ax in axes[:2]:
            image = ax.imshow(
                np.full((self.GRID, self.GRID), 0.5),
                origin="lower",
                extent=(lo, hi, lo, hi),
                cmap=cmap,
                vmin=0.0,
                vmax=1.0,
                interpolation="bilinear",
            )
            self.images.append(image)
            for value, marker in ((0.0, "s"), (1.0, "o")):
                pick = t == value
                ax.scatter(
                    x[pick, 0],
                    x[pick, 1],
                    marker=marker,
                    s=70,
                    c=COLORS["negative"] if value == 0 else COLORS["positive"],
                    edgecolors="black",
                    linewidths=1.2,
                    zorder=3,
                )
            ax.set_xticks([0, 1])
            ax.set_yticks([0, 1])
            ax.set_xlabel("x1")
            self.titles.append(ax.set_title("", fontsize="small"))
        axes[0].set_ylabel("x2")
        net_errors, single_errors = problem.errors
        epochs = np.arange(problem.epochs + 1)
        ax_e = axes[2]
        ax_e.semilogy(epochs, net_errors, color=COLORS["positive"], lw=2, label="2-3-1 network")
        ax_e.semilogy(epochs, single_errors, color=COLORS["negative"], lw=2, label="single layer")
        self.cursor = ax_e.axvline(epoch, color=COLORS["neutral"], lw=1, ls="--")
        decade_ticks(ax_e.yaxis)
        ax_e.set_xlabel("epoch")
        ax_e.set_ylabel("error E")
        # Above the plot, where the epoch cursor never passes over it (and repaints it).
        ax_e.legend(
            loc="lower left",
            bbox_to_anchor=(0.0, 1.0),
            ncols=2,
            frameon=False,
            fontsize="x-small",
            borderaxespad=1.0,
        )
        self.axes = axes
        super().__init__(controls, fig)
        self.live(*self.images, self.cursor, *self.titles)
        self.refresh()

    def control_rows(self):
        rows = super().control_rows()
        return [[self.play, *rows[0]], *rows[1:]]

    def redraw(self, epoch):
        p = self.problem
        epoch = int(np.clip(epoch, 0, p.epochs))
        nets, singles = p.history
        net_err, single_err = p.errors
        parts = []
        for image, title, layers, err, label in zip(
            self.images,
            self.titles,
            (nets[epoch], singles[epoch]),
            (net_err[epoch], single_err[epoch]),
            (f"2-{p.hidden}-1 network", "single layer"),
        ):
            image.set_data(p.outputs(layers, self.grid_points).reshape(self.GRID, self.GRID))
            right = p.right(layers)
            title.set_text(f"{label}: {right}/4 right")
            outs = ", ".join(fmt(v, 2) for v in p.outputs(layers))
            parts.append(f"the {label} gets {right} of 4 right (E = {fmt(err, 3)}; ŷ = {outs})")
        self.cursor.set_xdata([epoch, epoch])
        return f"Epoch {epoch}: " + "; ".join(parts) + "."
