"""Drawing for the course: colours, number formatting, the figure style and its pieces.

Every drawing is made once and then updated in place: a view builds its
artists once and changes their data and text on every move. The network
diagram, which the browser draws, is in :mod:`helpers.diagram`.
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

from .text import fmt, superscript

__all__ = [
    "PROJECTOR_VARIABLE",
    "projector_scale",
    "COLORS",
    "apply_style",
    "broken_artists",
    "fmt",
    "decade_limits",
    "DecadeLocator",
    "decade_ticks",
    "live_figure",
    "nice_ceiling",
    "node_names",
    "pin_axis_labels",
    "place_point_labels",
    "step_arrow",
    "smallest_text_px",
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


#: The environment variable that switches projector mode on for every notebook and the
#: app view: ``PROJECTOR=1.6 make lab``. (The slides set it themselves.)
PROJECTOR_VARIABLE = "PROJECTOR"

#: JupyterLab's text sizes (px) that projector mode scales: prose, code, widgets (slider
#: labels, readouts, the text with each figure) and the interface around them.
_PAGE_SIZES = {
    "--jp-content-font-size1": 14,
    "--jp-code-font-size": 13,
    "--jp-widgets-font-size": 13,
    "--jp-widgets-inline-height": 28,
    "--jp-widgets-inline-label-width": 80,
    "--jp-ui-font-size1": 13,
}


def projector_scale():
    """The text scale that the ``PROJECTOR`` environment variable asks for; 1 when unset."""
    raw = os.environ.get(PROJECTOR_VARIABLE, "").strip()
    if not raw:
        return 1.0
    try:
        scale = float(raw)
    except ValueError:
        scale = float("nan")
    if not 0.5 <= scale <= 4:
        raise ValueError(
            f"{PROJECTOR_VARIABLE}={raw!r}: give the text scale as a number, such as 1.6 "
            "for a 1920-pixel projector or 1.3 for a 1280-pixel one"
        )
    return scale


def page_style(scale):
    """A ``<style>`` that makes the page's text ``scale`` times its usual size."""
    sizes = "\n".join(f"  {name}: {base * scale:.1f}px;" for name, base in _PAGE_SIZES.items())
    return f"<style>\n:root {{\n{sizes}\n}}\n</style>"


def apply_style(scale=None):
    """Course style for new figures; ``scale`` enlarges every text (1.6 for a projector).

    Call it once at the top of a notebook: ``helpers.plots.apply_style()``.
    Without ``scale`` it takes the ``PROJECTOR`` environment variable (1 when
    unset), so that one setting switches every notebook. Above 1 the page's
    prose, code and controls grow too, not only the figures.
    """
    if scale is None:
        scale = projector_scale()
    if not scale > 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    if scale != 1:
        _show_page_style(scale)
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


def _show_page_style(scale):
    try:
        from IPython import get_ipython
        from IPython.display import HTML, display
    except ImportError:
        return
    if get_ipython() is not None:
        display(HTML(page_style(scale)))


def text_scale():
    """How much larger than the base size the current style makes text (1 by default).

    After ``apply_style(1.6)`` it is 1.6, and :func:`live_figure` grows figures
    by the same factor so that enlarged labels still fit.
    """
    return max(1.0, float(mpl.rcParams["font.size"]) / _BASE_FONT_SIZE)


def smallest_text_px(fig):
    """The font size, in the figure's pixels, of the smallest text it holds: tick
    labels, legends and notes, empty or hidden ones included (a view fills and
    shows them as the sliders move); None for a figure without text."""
    sizes = [t.get_fontsize() for t in fig.findobj(mpl.text.Text)]
    return min(sizes) * fig.dpi / 72.0 if sizes else None


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
    if hasattr(canvas, "_size"):
        # The page sizes the figure from the start, not only once the kernel has
        # answered the page's first message: until then ipympl's canvas is 0 × 0
        # when it is shown inside a dashboard rather than on its own.
        ratio = getattr(canvas, "device_pixel_ratio", 1.0) or 1.0
        canvas._size = (fig.bbox.width / ratio, fig.bbox.height / ratio)
    return fig, axes


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


def _decade_label(value, _pos=None):
    """``10⁻⁶`` for a whole power of ten; nothing for the ticks between decades."""
    if not (np.isfinite(value) and value > 0):
        return ""
    exponent = float(np.log10(value))
    k = round(exponent)
    if abs(exponent - k) > 1e-9:
        return ""
    return "10" + superscript(k)


#: Strides, in decades, between labelled powers of ten: the ones a reader counts in easily.
DECADE_STRIDES = (1, 2, 3, 5, 10, 20, 50, 100, 200, 500)
_LOWEST_DECADE, _HIGHEST_DECADE = -323, 308  # 10⁻³²³ is the smallest float above zero


class DecadeLocator(mpl.ticker.Locator):
    """Ticks at powers of ten, a round number of decades apart (1, 2, 3, 5, 10, 20, …).

    matplotlib's log locator spaces its ticks by whatever stride fits, so an
    axis from 10⁻³¹ to 10⁴ is labelled 10⁻³¹, 10⁻²⁴, 10⁻¹⁷…; this one labels it
    10⁻³⁰, 10⁻²⁰, 10⁻¹⁰, 10⁰, and no more than ``most`` ticks fall in the view.
    """

    def __init__(self, most=6):
        if int(most) < 2:
            raise ValueError(f"DecadeLocator needs room for at least 2 ticks, got most={most!r}")
        self.most = int(most)

    def __call__(self):
        return self.tick_values(*self.axis.get_view_interval())

    def nonsingular(self, vmin, vmax):
        """Autoscaled limits as a log axis needs them (positive, at least a decade apart)."""
        log = mpl.ticker.LogLocator()
        log.set_axis(self.axis)
        return log.nonsingular(vmin, vmax)

    def tick_values(self, vmin, vmax):
        vmin, vmax = sorted((float(vmin), float(vmax)))
        if not (np.isfinite(vmin) and np.isfinite(vmax) and vmax > 0):
            return np.array([1.0])
        if vmin <= 0:  # a log axis not yet given its limits
            vmin = vmax / 10.0
        lo = int(np.ceil(np.log10(vmin) - 1e-9))  # the decades inside the view
        hi = int(np.floor(np.log10(vmax) + 1e-9))
        for stride in DECADE_STRIDES:
            first = -(-lo // stride) * stride  # the first multiple of stride inside the view
            if (hi - first) // stride + 1 <= self.most:
                break
        start = (lo // stride) * stride  # one tick either side of the view, as matplotlib expects
        exponents = np.arange(start - stride, hi + 2 * stride, stride, dtype=float)
        # only the powers of ten a float can hold
        return 10.0 ** exponents[(exponents >= _LOWEST_DECADE) & (exponents <= _HIGHEST_DECADE)]


def decade_ticks(axis, most=6):
    """Label a log ``axis`` (``ax.xaxis`` or ``ax.yaxis``) 10⁻⁶, 10⁰, 10³ in plain text,
    at most ``most`` labels, a round number of decades apart (:class:`DecadeLocator`).

    matplotlib's own labels are typeset as math, and the first time each label
    appears typesetting it takes tens of milliseconds: a slider step that shows
    two new decades would stall. Plain text with superscript digits looks the
    same and costs what any short label costs.
    """
    axis.set_major_locator(DecadeLocator(most))
    axis.set_major_formatter(mpl.ticker.FuncFormatter(_decade_label))
    axis.set_minor_formatter(mpl.ticker.NullFormatter())


def pin_axis_labels(ax, widest_y_label=None):
    """Fix the axis labels of ``ax`` where matplotlib puts them now, with room for
    y tick labels as wide as ``widest_y_label`` (e.g. ``"10⁻³⁰"``).

    matplotlib places each axis label beyond the widest tick label at every
    full render, which costs a fifth of the render. A live figure whose limits
    change (and with them its tick labels) renders faster with its labels
    fixed; the x label sits where it sits (one-line tick labels are all as
    tall), and the y label leaves room for the widest tick label given.
    Call it once the figure's layout is final.
    """
    fig = ax.get_figure(root=True)
    renderer = fig.canvas.get_renderer()
    fig.draw_without_rendering()
    box = ax.bbox
    x_label = ax.xaxis.label
    x_label_y = x_label.get_transform().transform(x_label.get_position())[1]
    ax.xaxis.set_label_coords(0.5, (x_label_y - box.y0) / box.height)
    y_label = ax.yaxis.label
    x_now = y_label.get_transform().transform(y_label.get_position())[0]
    # The label clears the tick labels inside the view (matplotlib draws no others).
    lo, hi = sorted(ax.get_ylim())
    locs, labels = ax.yaxis.get_majorticklocs(), ax.get_yticklabels()
    shown = [
        t.get_window_extent(renderer).width
        for loc, t in zip(locs, labels)
        if lo <= loc <= hi and t.get_text()
    ]
    widest = max(shown, default=0.0)
    if widest_y_label is not None:
        tick = ax.yaxis.get_major_ticks()[0].label1
        width, _h, _d = renderer.get_text_width_height_descent(
            widest_y_label, tick.get_fontproperties(), ismath=False
        )
        widest_needed = max(widest, width)
        x_now -= widest_needed - widest
    ax.yaxis.set_label_coords((x_now - box.x0) / box.width, 0.5)


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


def place_point_labels(ax, labels, names, points, merge=6.0, gap=4.0):
    """Name each of a panel's points without one name covering another.

    ``labels`` are annotations made once (one per point, in the order of
    ``names`` and ``points``). Points that sit within ``merge`` pixels of each
    other on the canvas share one label ("h1, h2"); the other labels of that
    group are hidden. A label goes up and to the right of its point, or to the
    left in the right third of the panel so that it stays inside, and moves up
    a line at a time while it would cover a label already placed.

    Call it after the axes' limits are set: it works in the canvas's pixels.
    """
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    if not len(labels) == len(names) == len(points):
        raise ValueError(
            f"place_point_labels needs one label and one name per point: got {len(labels)} "
            f"labels, {len(names)} names and {len(points)} points"
        )
    pixels = ax.transData.transform(points)
    groups = []  # [first index, [member indices]]
    for k, p in enumerate(pixels):
        for first, members in groups:
            if np.all(np.abs(pixels[first] - p) <= merge):
                members.append(k)
                break
        else:
            groups.append((k, [k]))
    box = ax.get_window_extent()
    to_px = ax.figure.dpi / 72.0
    placed = []  # (x0, x1, y0, y1) in pixels of the labels already placed
    for first, members in sorted(groups, key=lambda g: tuple(pixels[g[0]])):
        label = labels[first]
        text = ", ".join(names[k] for k in members)
        size = label.get_fontsize() * to_px
        width, height = 0.62 * size * len(text), 1.25 * size
        x, y = pixels[first]
        right = x > box.x0 + 2 * box.width / 3
        x0 = x - gap * to_px - width if right else x + gap * to_px
        lift = gap * to_px
        while any(
            x0 < b[1] and b[0] < x0 + width and y + lift < b[3] and b[2] < y + lift + height
            for b in placed
        ):
            lift += height
        placed.append((x0, x0 + width, y + lift, y + lift + height))
        label.xy = tuple(points[first])
        label.xyann = (-gap if right else gap, lift / to_px)
        label.set_horizontalalignment("right" if right else "left")
        label.set_text(text)
        for k in members:
            labels[k].set_visible(k == first)


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
