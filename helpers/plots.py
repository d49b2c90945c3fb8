"""Drawing for the course: colours, figure style and the network diagram.

Every drawing here is made once and then updated in place: a class builds its
artists in ``__init__`` and changes their data and text in ``update``. The
plots call the math in :mod:`helpers.network`; they know nothing of widgets.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D

from .network import Layer, forward, weight_names

__all__ = [
    "COLORS",
    "ArtistGroup",
    "NetworkDiagram",
    "apply_style",
    "broken_artists",
    "fmt",
    "decade_limits",
    "live_figure",
    "nice_ceiling",
    "node_names",
    "step_arrow",
    "sticky_log_limits",
    "text_scale",
]

#: Okabe–Ito colours, distinguishable with every common colour-vision deficiency.
COLORS = {
    "positive": "#0072B2",  # blue
    "negative": "#D55E00",  # vermillion
    "gradient": "#E69F00",  # orange
    "accent": "#009E73",  # bluish green
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "neutral": "#666666",
    "node": "#F2F2F2",
    "dead": "#BBBBBB",
}

_BASE_FONT_SIZE = 10.0


def apply_style(scale=1.0):
    """Course style for new figures; ``scale`` enlarges every text (1.5 for a projector).

    Call it once at the top of a notebook: ``helpers.plots.apply_style()``, or
    ``apply_style(1.6)`` in front of a class. Nothing changes until it is called.
    """
    if not scale > 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    size = _BASE_FONT_SIZE * scale
    mpl.rcParams.update(
        {
            "font.size": size,
            "axes.titlesize": size * 1.1,
            "axes.labelsize": size,
            "xtick.labelsize": size * 0.9,
            "ytick.labelsize": size * 0.9,
            "legend.fontsize": size * 0.9,
            "axes.prop_cycle": mpl.cycler(
                color=[COLORS[k] for k in ("positive", "negative", "accent", "gradient", "sky")]
            ),
            "axes.spines.top": False,
            "axes.spines.right": False,
            "figure.dpi": 100,
            "savefig.dpi": 100,
        }
    )


def text_scale():
    """How much larger than the base size the current style makes text (1 by default).

    After ``apply_style(1.6)`` it is 1.6, and :func:`live_figure` grows figures
    by the same factor so that enlarged labels still fit.
    """
    return max(1.0, float(mpl.rcParams["font.size"]) / _BASE_FONT_SIZE)


@contextmanager
def _no_auto_display():
    with plt.ioff():
        yield


def live_figure(width=8.0, height=3.5, nrows=1, ncols=1, **kwargs):
    """A new figure and its axes, made to be shown once and updated in place.

    The figure is not shown automatically (the dashboard shows its canvas), and
    with the interactive ``widget`` backend its toolbar and header are hidden so
    that only the drawing is on the page. Its size grows with :func:`text_scale`.
    """
    k = text_scale()
    with _no_auto_display():
        fig, axes = plt.subplots(nrows, ncols, figsize=(width * k, height * k), **kwargs)
    # The dashboard decides when to draw; pyplot's automatic redraw on every
    # change would only add a second, full render.
    fig.stale_callback = None
    canvas = fig.canvas
    for name, value in (
        ("header_visible", False),
        ("footer_visible", False),
        ("toolbar_visible", False),
        ("resizable", False),
    ):
        if hasattr(canvas, name):
            setattr(canvas, name, value)
    return fig, axes


def fmt(value, digits=4):
    """A number as a student reads it: ``digits`` significant figures and a true minus sign."""
    value = float(value)
    if not np.isfinite(value):
        return "∞" if value > 0 else ("−∞" if value < 0 else "undefined")
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}·10^{int(exponent)}"
    return text.replace("-", "−")


def nice_ceiling(value):
    """The smallest of 1, 2, 2.5, 5 × 10^k that is at least ``value`` (> 0).

    Axis limits rounded this way stay put while a slider moves a little, so
    the figure's frame need not be redrawn.
    """
    value = float(value)
    if not (np.isfinite(value) and value > 0):
        raise ValueError(f"nice_ceiling needs a positive finite number, got {value!r}")
    k = np.floor(np.log10(value))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if m * 10.0**k >= value * (1 - 1e-12):
            return m * 10.0**k
    return 10.0 ** (k + 1)


def decade_limits(lo, hi):
    """``(lo, hi)`` widened to whole powers of ten, for a log axis that stays put."""
    return 10.0 ** np.floor(np.log10(lo)), 10.0 ** np.ceil(np.log10(hi))


def sticky_log_limits(current, lo, hi, spare=1, slack=2, bounds=(0.0, np.inf)):
    """Whole-decade limits for a log axis that must show ``lo``..``hi``, moved seldom.

    The ``current`` limits are kept while they show ``lo``..``hi`` and waste no
    more than ``slack`` decades on either side. Otherwise the new limits are
    the decades around ``lo``..``hi`` with ``spare`` more on each side, so that
    the next slider steps fit too: an axis that stays put is easier to read,
    and it lets a slider step repaint only the data. ``bounds`` caps the result.
    """
    need_lo, need_hi = int(np.floor(np.log10(lo))), int(np.ceil(np.log10(hi)))
    if current is not None:
        # In whole decades (exponents), so that rounding never moves a frame.
        cur_lo, cur_hi = (int(round(float(np.log10(v)))) for v in sorted(current))
        if cur_lo <= need_lo <= cur_lo + slack and cur_hi - slack <= need_hi <= cur_hi:
            return tuple(current)
    new_lo = max(10.0 ** (need_lo - spare), bounds[0])
    new_hi = min(10.0 ** (need_hi + spare), bounds[1])
    return new_lo, new_hi


def step_arrow(ax, shrink_end=0, zorder=6):
    """An arrow for a gradient-descent step, made once and then moved in place.

    Its tail is ``arrow.xyann`` (the current weights) and its head ``arrow.xy``
    (where the step lands); both start at the origin.
    """
    return ax.annotate(
        "",
        xy=(0.0, 0.0),
        xytext=(0.0, 0.0),
        arrowprops={
            "arrowstyle": "-|>",
            "color": COLORS["gradient"],
            "lw": 2.5,
            "shrinkA": 0,
            "shrinkB": shrink_end,
        },
        zorder=zorder,
    )


def node_names(sizes):
    """Names of the units, layer by layer: i1, i2 … h1, h2 … ŷ (or ŷ1, ŷ2 …).

    With several hidden layers they are numbered by layer: h1_1, h1_2, h2_1 …
    """
    sizes = list(sizes)
    names = [[f"i{j + 1}" for j in range(sizes[0])]]
    hidden = sizes[1:-1]
    for n, size in enumerate(hidden):
        prefix = "h" if len(hidden) == 1 else f"h{n + 1}_"
        names.append([f"{prefix}{j + 1}" for j in range(size)])
    out = sizes[-1]
    names.append(["ŷ"] if out == 1 else [f"ŷ{j + 1}" for j in range(out)])
    return names


def _same_color(a, b):
    return mpl.colors.to_rgba(a) == mpl.colors.to_rgba(b)


class ArtistGroup:
    """Several artists (the edges of a diagram, its units) set as one.

    The setters take one value per member, or one value for all, and touch a
    member only when its value really changes: an untouched artist stays out
    of the next repaint. The getters return one value per member, in order.
    """

    def __init__(self, artists):
        self.members = list(artists)

    def __len__(self):
        return len(self.members)

    def _each(self, values):
        values = list(values) if isinstance(values, (list, np.ndarray)) else [values]
        if len(values) == 1:
            values = values * len(self.members)
        if len(values) != len(self.members):
            raise ValueError(f"{len(values)} values given for {len(self.members)} artists")
        return zip(self.members, values)

    def _set_each(self, values, get, set_, same=lambda a, b: a == b):
        """``set_(artist, value)`` for each member whose ``get(artist)`` differs."""
        for artist, value in self._each(values):
            if not same(get(artist), value):
                set_(artist, value)

    def get_linewidths(self):
        return np.array([a.get_linewidth() for a in self.members], dtype=float)

    def set_linewidths(self, widths):
        widths = [float(w) for w in np.asarray(widths, dtype=float).ravel()]
        self._set_each(widths, Line2D.get_linewidth, Line2D.set_linewidth)

    def get_colors(self):
        return [mpl.colors.to_rgba(a.get_color()) for a in self.members]

    def set_colors(self, colors):
        self._set_each(colors, Line2D.get_color, Line2D.set_color, _same_color)

    def get_facecolors(self):
        return [mpl.colors.to_rgba(a.get_markerfacecolor()) for a in self.members]

    def set_facecolors(self, colors):
        self._set_each(colors, Line2D.get_markerfacecolor, Line2D.set_markerfacecolor, _same_color)

    def set_sizes(self, areas):
        """Marker areas in points², as :meth:`~matplotlib.axes.Axes.scatter` takes them."""
        sizes = [float(np.sqrt(a)) for a in np.asarray(areas, dtype=float).ravel()]
        self._set_each(sizes, Line2D.get_markersize, Line2D.set_markersize)

    def get_segments(self):
        return [a.get_xydata() for a in self.members]

    def get_visible(self):
        return any(a.get_visible() for a in self.members)

    def set_visible(self, visible):
        self._set_each([bool(visible)], Line2D.get_visible, Line2D.set_visible)


class NetworkDiagram:
    """A drawing of a fully connected network that shows the current values.

    Nodes are labelled with their name and value; every edge carries its
    weight's name and value, its width follows ``|w|`` and its colour the sign
    (blue positive, vermillion negative). With ``gradients=True`` each edge
    label also shows ∂E/∂w, and the edge is outlined in orange in proportion
    to the gradient's size: the backward pass drawn on the network.

    Build it once on an axes; call :meth:`update` with new layers and input.
    ``node_text[name]`` and ``edge_text[name]`` are the text artists, so a
    test can read what the drawing shows.
    """

    def __init__(
        self,
        ax,
        sizes,
        gradients=False,
        show_z=False,
        edge_labels=True,
        max_width=6.0,
        label_position=0.3,
    ):
        self.ax = ax
        self.sizes = list(sizes)
        self.gradients = gradients
        self.show_z = show_z
        self.max_width = max_width
        self.names = node_names(self.sizes)
        self.pos = {}
        n_layers = len(self.sizes)
        tallest = max(self.sizes)
        for layer, names in enumerate(self.names):
            ys = np.linspace(1, -1, len(names)) * (len(names) - 1) / max(tallest - 1, 1)
            for name, y in zip(names, ys):
                self.pos[name] = (layer / (n_layers - 1), y)

        self._edges = []  # (weight name, layer, i, j, source, target)
        blank = [np.zeros((m, n)) for m, n in zip(self.sizes[:-1], self.sizes[1:])]
        places = weight_names([Layer(W) for W in blank])
        for wname, (layer, i, j) in places.items():
            self._edges.append((wname, layer, i, j, self.names[layer][i], self.names[layer + 1][j]))

        # One artist per edge and per unit, so that a change repaints only the
        # edges and units it touches (see helpers.painter.Painter).
        glow, lines = [], []
        for *_, s, t in self._edges:
            (x0, y0), (x1, y1) = self.pos[s], self.pos[t]
            (halo,) = ax.plot(
                [x0, x1],
                [y0, y1],
                color=COLORS["gradient"],
                alpha=0.45,
                zorder=1,
                solid_capstyle="butt",
                visible=gradients,
            )
            (line,) = ax.plot([x0, x1], [y0, y1], zorder=2, solid_capstyle="butt")
            glow.append(halo)
            lines.append(line)
        self.glow = ArtistGroup(glow)
        self.lines = ArtistGroup(lines)
        self._marks = {}  # unit name -> its marker
        for names in self.names:
            for name in names:
                x, y = self.pos[name]
                (self._marks[name],) = ax.plot(
                    [x],
                    [y],
                    "o",
                    ms=np.sqrt(1500),
                    mfc=COLORS["node"],
                    mec="#333333",
                    mew=1.0,
                    zorder=3,
                )
        self.nodes = ArtistGroup(self._marks.values())
        self.node_text = {}
        for names in self.names:
            for name in names:
                x, y = self.pos[name]
                self.node_text[name] = ax.text(
                    x, y, name, ha="center", va="center", zorder=4, fontsize="small"
                )
        self.edge_text = {}
        if edge_labels:
            for wname, _layer, _i, _j, s, t in self._edges:
                (x0, y0), (x1, y1) = self.pos[s], self.pos[t]
                # Labels near the source end keep the crossing edges apart.
                f = label_position
                self.edge_text[wname] = ax.text(
                    x0 + f * (x1 - x0),
                    y0 + f * (y1 - y0),
                    wname,
                    ha="center",
                    va="center",
                    zorder=5,
                    fontsize="x-small",
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.85},
                )
        ax.set_xlim(-0.12, 1.12)
        ax.set_ylim(-1.3, 1.3)
        ax.set_axis_off()
        self.fit_edges()

    def fit_edges(self):
        """End every edge at the rim of its two units instead of at their centres.

        The drawing looks the same (the units cover the ends), but edges that
        share a unit no longer touch, so a change to one weight repaints that
        edge alone. Called by :meth:`update`; call it after resizing the units
        or moving the axes.
        """
        to_pixels = self.ax.transData
        scale = self.ax.figure.dpi / 72.0
        for (_wname, *_rest, s, t), line, halo in zip(
            self._edges, self.lines.members, self.glow.members
        ):
            a, b = to_pixels.transform([self.pos[s], self.pos[t]])
            length = float(np.hypot(*(b - a)))
            # 1.5 px inside the rim: under the unit's outline, never short of it.
            ra = self._marks[s].get_markersize() * scale / 2 - 1.5
            rb = self._marks[t].get_markersize() * scale / 2 - 1.5
            if not length > ra + rb + 1:
                ends = np.array([self.pos[s], self.pos[t]])
            else:
                unit = (b - a) / length
                ends = to_pixels.inverted().transform([a + ra * unit, b - rb * unit])
            if not np.allclose(line.get_xydata(), ends, rtol=0, atol=1e-9):
                line.set_data(ends[:, 0], ends[:, 1])
                halo.set_data(ends[:, 0], ends[:, 1])

    def update(self, layers, x, activation="linear", grads=None, weight_scale=1.0):
        """Show ``layers`` applied to input ``x``; with ``grads`` also each ∂E/∂w.

        ``weight_scale`` is the |w| drawn at full width. Returns the forward
        pass's :class:`~helpers.network.Trace`, so a caller need not run it twice.
        """
        self.fit_edges()
        trace = forward(layers, x, activation)
        with np.errstate(all="ignore"):
            values = [np.asarray(a)[0] for a in trace.a]
            zs = [None] + [np.asarray(z)[0] for z in trace.z]
        dead = []
        for layer, names in enumerate(self.names):
            for j, name in enumerate(names):
                value = values[layer][j]
                if self.show_z and layer > 0 and _activation_of(trace, layer) != "linear":
                    z = zs[layer][j]
                    label = f"{name}\nz={fmt(z, 3)}\nf={fmt(value, 3)}"
                else:
                    label = f"{name}\n{fmt(value)}"
                self.node_text[name].set_text(label)
                dead.append(
                    layer > 0 and _activation_of(trace, layer) == "relu" and not zs[layer][j] > 0
                )
        self.nodes.set_facecolors([COLORS["dead"] if d else COLORS["node"] for d in dead])

        w = np.array([layers[layer].W[i, j] for _, layer, i, j, *_ in self._edges])
        widths = 0.6 + (self.max_width - 0.6) * np.clip(np.abs(w) / weight_scale, 0, 1)
        widths = np.where(np.isfinite(widths), widths, self.max_width)
        self.lines.set_linewidths(widths)
        self.lines.set_colors([COLORS["positive"] if v >= 0 else COLORS["negative"] for v in w])

        if grads is not None:
            g = np.array([grads[layer].W[i, j] for _, layer, i, j, *_ in self._edges])
            finite = np.where(np.isfinite(g), np.abs(g), 0.0)
            biggest = finite.max() if finite.size and finite.max() > 0 else 1.0
            self.glow.set_linewidths(widths + 12 * finite / biggest)
            self.glow.set_visible(True)
        else:
            self.glow.set_visible(False)

        for k, (wname, *_rest) in enumerate(self._edges):
            if wname not in self.edge_text:
                continue
            label = f"{wname}={fmt(w[k], 3)}"
            if grads is not None:
                label += f"\n∂E/∂{wname}={fmt(g[k], 4)}"
            self.edge_text[wname].set_text(label)
        return trace


def _activation_of(trace, layer):
    """The activation name of ``layer`` (1-based, as in ``trace.a``)."""
    return trace.activations[layer - 1]


# What fmt() and numpy print for numbers that are not finite.
_UNDEFINED_TEXT = re.compile(r"(?<![A-Za-z])(nan|inf)(?![A-Za-z])|∞|undefined", re.IGNORECASE)


def broken_artists(fig):
    """Every artist of ``fig`` that would draw something undefined: nan or inf in its
    data or its axes' limits, or "nan", "inf", "∞" or "undefined" in its text.
    An empty list means the figure is sound."""
    problems = []

    def bad(values):
        try:
            arr = np.ma.asarray(values, dtype=float)
        except (TypeError, ValueError):
            return False
        data = arr.compressed() if np.ma.isMaskedArray(arr) else np.ravel(arr)
        return data.size > 0 and not np.all(np.isfinite(data))

    for ax in fig.axes:
        if bad([*ax.get_xlim(), *ax.get_ylim()]):
            problems.append(f"axes limits {ax.get_xlim()}, {ax.get_ylim()}")
    for artist in fig.findobj():
        if not artist.get_visible():
            continue
        name = type(artist).__name__
        if isinstance(artist, mpl.text.Text):
            if _UNDEFINED_TEXT.search(artist.get_text()):
                problems.append(f"{name} text {artist.get_text()!r}")
            if bad(artist.get_position()):
                problems.append(f"{name} at {artist.get_position()}")
        elif isinstance(artist, mpl.lines.Line2D):
            if bad(artist.get_xydata()):
                problems.append(f"{name} {artist.get_label()!r} data")
        elif isinstance(artist, mpl.collections.Collection):
            if bad(artist.get_offsets()) or any(bad(p.vertices) for p in artist.get_paths()):
                problems.append(f"{name} data")
            if bad(artist.get_linewidths()):
                problems.append(f"{name} line widths")
        elif isinstance(artist, mpl.image.AxesImage):
            if bad(artist.get_array()):
                problems.append(f"{name} image")
        elif isinstance(artist, mpl.patches.Patch):
            if bad(artist.get_path().vertices) or bad(artist.get_verts()):
                problems.append(f"{name} outline")
    return problems
