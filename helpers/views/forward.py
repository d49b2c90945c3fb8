"""Notebook 01: the forward pass, live on the network diagram."""

from __future__ import annotations

from ..examples import WORKED_EXAMPLE
from ..network import from_named
from ..plots import NetworkDiagram, fmt, live_figure
from ..widgets import Dashboard, input_slider, weight_slider

__all__ = ["ForwardPassDashboard"]


class ForwardPassDashboard(Dashboard):
    """Sliders for w1..w6 and the inputs; the diagram shows h1, h2 and ŷ as they change."""

    def __init__(self, example=WORKED_EXAMPLE):
        self.example = example
        named = example.named
        controls = {name: weight_slider(name, value) for name, value in named.items()}
        for k, value in enumerate(example.x):
            controls[f"i{k + 1}"] = input_slider(f"i{k + 1}", float(value))
        fig, ax = live_figure(6.4, 3.2)
        fig.subplots_adjust(0, 0, 1, 1)
        self.diagram = NetworkDiagram(ax, [len(example.x), 2, 1])
        super().__init__(controls, fig)
        self.refresh()

    def redraw(self, **values):
        weights = {k: v for k, v in values.items() if k.startswith("w")}
        layers = from_named(weights, self.example.layers)
        x = [values[f"i{k + 1}"] for k in range(len(self.example.x))]
        trace = self.diagram.update(layers, x)
        h = trace.hidden[0]
        return (
            f"h1 = {fmt(h[0], 6)}, h2 = {fmt(h[1], 6)}, ŷ = {fmt(trace.output[0], 6)} "
            f"(inputs {fmt(x[0])}, {fmt(x[1])}; "
            + ", ".join(f"{k} = {fmt(v)}" for k, v in weights.items())
            + ")"
        )
