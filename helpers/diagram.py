"""Diagrams the browser draws: the network with every value on it, as SVG and HTML.

A network diagram is mostly numbers, and a slider step changes nearly all of
them: moving w5 changes ŷ, δ and every gradient. Drawn as a picture, each
step would render all that text into pixels in the kernel and send a new
image. Here the kernel sends a few kilobytes of markup instead (SVG for edges
and units, HTML for the labels) and the browser lays the text out itself:
the step costs a fraction of a millisecond, and the text stays sharp on a
projector, can be zoomed and selected, and is read out by a screen reader.

:class:`Scene` is the drawing surface. It works like a matplotlib axes with
fixed limits: ``scene.line(...)``, ``scene.circle(...)`` and
``scene.text(...)`` add items in data coordinates and return them, the items
are changed in place (``label.set_text(...)``), and :meth:`Scene.flush` sends
the new markup to the page when something changed. :class:`NetworkDiagram`
draws a fully connected network on a scene.
"""

from __future__ import annotations

import base64
import html
import io
import math
import re

import ipywidgets as widgets
import matplotlib as mpl
import numpy as np

from .network import Layer, forward, weight_names
from .plots import COLORS, fmt, node_names, text_scale

__all__ = ["Label", "NetworkDiagram", "Scene", "Shape", "ShapeGroup", "shown_values"]

#: Pixels per point: the course's figures are drawn at 100 dots per inch.
PX = 100 / 72

#: Relative font sizes, as matplotlib names them.
_SIZES = {
    "xx-small": 0.579,
    "x-small": 0.694,
    "small": 0.833,
    "medium": 1.0,
    "large": 1.2,
    "x-large": 1.44,
    "xx-large": 1.728,
}

_FONT = "'DejaVu Sans', Verdana, 'Bitstream Vera Sans', sans-serif"
_MONO = "'DejaVu Sans Mono', Menlo, Consolas, monospace"

# What fmt() and numpy write for numbers that are not finite.
_UNDEFINED_TEXT = re.compile(r"(?<![A-Za-z])(nan|inf)(?![A-Za-z])|∞|undefined", re.IGNORECASE)


def _css_color(color, alpha=None):
    """A colour as CSS ``rgba(...)``; matplotlib's names and hex codes are accepted."""
    r, g, b, a = mpl.colors.to_rgba(color, alpha)
    return f"rgba({round(255 * r)},{round(255 * g)},{round(255 * b)},{a:.3g})"


def _num(value):
    """A coordinate for the markup: two decimals are a hundredth of a pixel."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _font_size(size):
    """A font size in points, from a number or a matplotlib name (``"small"``)."""
    base = float(mpl.rcParams["font.size"])
    if isinstance(size, str):
        if size not in _SIZES:
            raise ValueError(f"unknown font size {size!r}: use a number or one of {list(_SIZES)}")
        return base * _SIZES[size]
    return float(size)


#: An arrowhead's length and width, in points.
ARROW = 6.5

#: How much wider than its edge the gradient's glow is at the largest gradient, in points.
GLOW = 12.0

#: Pixels kept free around an edge label.
GAP = 2.0

#: On a wide screen a diagram in JupyterLab grows with it, as ``(browser window
#: width in pixels, zoom)``: in a 1920-pixel window it is a quarter larger, as
#: long as its output has room for it (two notebooks side by side, or both side
#: bars open, may leave too little). Not with the projector setting, which
#: enlarges it (and everything else) by itself, nor in the slides, which
#: reveal.js scales to the screen, nor in the app view.
WIDE_SCREENS = ((1800, 1.25), (2400, 1.5))


def _arrow_id(color):
    return "bp-arrow-" + mpl.colors.to_hex(color)[1:]


def _arrow_marker(color):
    """An SVG marker: an arrowhead in ``color`` whose base sits on a line's end."""
    size = _num(ARROW * PX * text_scale())
    return (
        f'<marker id="{_arrow_id(color)}" viewBox="0 0 10 10" refX="0" refY="5" '
        f'markerUnits="userSpaceOnUse" markerWidth="{size}" markerHeight="{size}" '
        f'orient="auto"><path d="M0,0L10,5L0,10z" fill="{_css_color(color)}"/></marker>'
    )


class _Item:
    """Something drawn on a scene: changed in place, drawn in ``zorder`` order."""

    def __init__(self, scene, zorder, visible=True):
        self.scene = scene
        self.zorder = zorder
        self._visible = bool(visible)

    def get_visible(self):
        return self._visible

    def set_visible(self, visible):
        self._visible = bool(visible)


class Shape(_Item):
    """A straight line through points, or a circle: the SVG part of a scene.

    Widths and radii are in points, as in matplotlib (a point is 1/72 inch;
    the scene has 100 pixels to the inch).
    """

    def __init__(
        self,
        scene,
        kind,
        xy,
        *,
        color,
        width,
        alpha=1.0,
        face=None,
        radius=0.0,
        zorder,
        arrow=False,
    ):
        super().__init__(scene, zorder)
        self.kind = kind
        self.arrow = arrow  # an arrowhead just beyond the last point
        self.xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        self.color = color
        self.width = float(width)
        self.alpha = float(alpha)
        self.face = face
        self.radius = float(radius)

    def get_xydata(self):
        return self.xy.copy()

    def set_data(self, xs, ys):
        self.xy = np.column_stack([np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)])

    def _markup(self):
        k = text_scale()
        points = [self.scene.to_pixels(x, y) for x, y in self.xy]
        color, width = _css_color(self.color, self.alpha), _num(self.width * PX * k)
        stroke = f'stroke="{color}" stroke-width="{width}"'
        if self.kind == "circle":
            (cx, cy) = points[0]
            return (
                f'<circle cx="{_num(cx)}" cy="{_num(cy)}" r="{_num(self.radius * PX * k)}" '
                f'fill="{_css_color(self.face)}" {stroke}/>'
            )
        path = " ".join(f"{_num(x)},{_num(y)}" for x, y in points)
        head = f' marker-end="url(#{_arrow_id(self.color)})"' if self.arrow else ""
        return f'<polyline points="{path}" fill="none" {stroke} stroke-linecap="butt"{head}/>'


class ShapeGroup:
    """Several shapes (a diagram's edges, its units) set as one.

    The setters take one value per member, or one value for all; the getters
    return one value per member, in order (colours as RGBA tuples).
    """

    def __init__(self, members):
        self.members = list(members)

    def __len__(self):
        return len(self.members)

    def _each(self, values):
        values = list(values) if isinstance(values, (list, tuple, np.ndarray)) else [values]
        if len(values) == 1:
            values = values * len(self.members)
        if len(values) != len(self.members):
            raise ValueError(f"{len(values)} values given for {len(self.members)} shapes")
        return zip(self.members, values)

    def get_linewidths(self):
        return np.array([m.width for m in self.members], dtype=float)

    def set_linewidths(self, widths):
        for m, w in self._each(np.asarray(widths, dtype=float).ravel()):
            m.width = float(w)

    def get_colors(self):
        return [mpl.colors.to_rgba(m.color) for m in self.members]

    def set_colors(self, colors):
        for m, c in self._each(colors if not isinstance(colors, str) else [colors]):
            m.color = c

    def get_facecolors(self):
        return [mpl.colors.to_rgba(m.face) for m in self.members]

    def set_facecolors(self, colors):
        for m, c in self._each(colors if not isinstance(colors, str) else [colors]):
            m.face = c

    def get_radii(self):
        return np.array([m.radius for m in self.members], dtype=float)

    def set_radii(self, radii):
        for m, r in self._each(np.asarray(radii, dtype=float).ravel()):
            m.radius = float(r)

    def get_segments(self):
        return [m.get_xydata() for m in self.members]

    def get_visible(self):
        return any(m.get_visible() for m in self.members)

    def set_visible(self, visible):
        for m in self.members:
            m.set_visible(visible)


class Label(_Item):
    """A text on a scene, laid out by the browser: the HTML part of a scene.

    ``ha`` and ``va`` place the text's box against its point as in matplotlib
    (``"left"``, ``"center"``, ``"right"``; ``"top"``, ``"center"``,
    ``"bottom"``); ``offset`` moves it by (right, up) points; ``box`` draws a
    rounded box behind it: ``{"fc": face, "ec": edge, "lw": width, "alpha":
    face opacity, "pad": padding in points}``.
    """

    def __init__(
        self,
        scene,
        x,
        y,
        text="",
        *,
        ha="center",
        va="center",
        size="medium",
        color="#222222",
        box=None,
        offset=(0.0, 0.0),
        family="sans",
        weight="normal",
        zorder=5,
    ):
        super().__init__(scene, zorder)
        if ha not in ("left", "center", "right") or va not in ("top", "center", "bottom"):
            raise ValueError(
                f"ha must be left/center/right and va top/center/bottom, got {ha}, {va}"
            )
        self.x, self.y = float(x), float(y)
        self.text = str(text)
        self.ha, self.va = ha, va
        self.size = _font_size(size)
        self.color = color
        self.box = dict(box) if box else None
        self.offset = tuple(float(v) for v in offset)
        self.family = family
        self.weight = weight

    def get_text(self):
        return self.text

    def set_text(self, text):
        self.text = str(text)

    def get_position(self):
        return (self.x, self.y)

    def set_position(self, xy):
        self.x, self.y = (float(v) for v in xy)

    def get_color(self):
        return self.color

    def set_color(self, color):
        self.color = color

    def get_fontsize(self):
        return self.size

    def set_fontsize(self, size):
        self.size = _font_size(size)

    def size_px(self):
        """The width and height, in pixels, of the text and its box as the browser
        lays them out, estimated: 0.6 em a character (DejaVu Sans's digits are
        0.64 em, its narrow letters less) and 1.2 em a line, plus the padding."""
        lines = self.text.splitlines() or [""]
        em = self.size * PX
        pad = (self.box or {}).get("pad", 2.0) * PX * text_scale() if self.box else 0.0
        return 0.6 * em * max(len(line) for line in lines) + 2.8 * pad, (
            1.2 * em * len(lines) + 2 * pad
        )

    def _anchor_px(self):
        """The point the text is placed against, in pixels (its offset applied)."""
        x, y = self.scene.to_pixels(self.x, self.y)
        k = text_scale()
        return x + self.offset[0] * PX * k, y - self.offset[1] * PX * k

    def rect_px(self):
        """``(left, top, right, bottom)`` in pixels from the scene's top-left corner."""
        x, y = self._anchor_px()
        w, h = self.size_px()
        left = x - {"left": 0.0, "center": 0.5, "right": 1.0}[self.ha] * w
        top = y - {"top": 0.0, "center": 0.5, "bottom": 1.0}[self.va] * h
        return left, top, left + w, top + h

    def _markup(self):
        x, y = self._anchor_px()
        k = text_scale()
        shift_x = {"left": "0", "center": "-50%", "right": "-100%"}[self.ha]
        shift_y = {"top": "0", "center": "-50%", "bottom": "-100%"}[self.va]
        style = [
            f"left:{_num(x)}px",
            f"top:{_num(y)}px",
            f"transform:translate({shift_x},{shift_y})",
            f"font-size:{_num(self.size * PX)}px",
            f"color:{_css_color(self.color)}",
            f"text-align:{self.ha}",
        ]
        if self.family == "mono":
            style.append(f"font-family:{_MONO}")
        if self.weight != "normal":
            style.append(f"font-weight:{self.weight}")
        if self.box:
            b = self.box
            pad = b.get("pad", 2.0) * PX * k
            style += [
                f"padding:{_num(pad)}px {_num(pad * 1.4)}px",
                f"background:{_css_color(b.get('fc', 'white'), b.get('alpha', 1.0))}",
                f"border-radius:{_num(pad * 1.5)}px",
            ]
            if b.get("ec", "none") != "none":
                style.append(
                    f"border:{_num(b.get('lw', 1.0) * PX * k)}px solid {_css_color(b['ec'])}"
                )
        return f'<div class="bp-label" style="{";".join(style)}">{html.escape(self.text)}</div>'


class Scene:
    """A drawing surface the browser renders: SVG shapes under HTML labels.

    ``width`` and ``height`` are in inches at 100 pixels to the inch (as the
    course's figures), grown with :func:`~helpers.plots.text_scale`; ``xlim``
    and ``ylim`` are the data coordinates of its edges. Add items with
    :meth:`line`, :meth:`circle` and :meth:`text`, change them in place, and
    call :meth:`flush` to show the changes: :attr:`widget` (an
    :class:`ipywidgets.HTML`) gets new markup only when the picture changed.
    Shapes are drawn in ``zorder`` order, and every label above every shape.
    """

    def __init__(self, width=7.0, height=3.6, xlim=(0.0, 1.0), ylim=(0.0, 1.0), label=""):
        k = text_scale()
        self.width_px = round(width * 100 * k)
        self.height_px = round(height * 100 * k)
        self.xlim = tuple(float(v) for v in xlim)
        self.ylim = tuple(float(v) for v in ylim)
        self.label = label
        self.shapes = []
        self.labels = []
        self.widget = widgets.HTML(
            layout=widgets.Layout(width=f"{self.width_px}px", height=f"{self.height_px}px")
        )
        self.widget.add_class("bp-scene")
        self._layouts = []  # called before every drawing: see before_drawing()

    def before_drawing(self, layout):
        """Call ``layout()`` each time before the scene is drawn (as markup or as a
        figure), once every item holds its final text: for placing labels that must
        keep clear of the others."""
        self._layouts.append(layout)

    def _lay_out(self):
        for layout in self._layouts:
            layout()

    # -- coordinates ------------------------------------------------------

    def set_xlim(self, lo, hi):
        self.xlim = (float(lo), float(hi))

    def set_ylim(self, lo, hi):
        self.ylim = (float(lo), float(hi))

    def to_pixels(self, x, y):
        """Data coordinates to pixels from the scene's top-left corner."""
        (x0, x1), (y0, y1) = self.xlim, self.ylim
        return (
            (x - x0) / (x1 - x0) * self.width_px,
            (y1 - y) / (y1 - y0) * self.height_px,
        )

    def to_data(self, px, py):
        """Pixels from the scene's top-left corner to data coordinates."""
        (x0, x1), (y0, y1) = self.xlim, self.ylim
        return (
            x0 + px / self.width_px * (x1 - x0),
            y1 - py / self.height_px * (y1 - y0),
        )

    # -- items ------------------------------------------------------------

    def line(
        self, xs, ys, color="#333333", width=1.5, alpha=1.0, zorder=2, visible=True, arrow=False
    ):
        """A line through the points ``xs``, ``ys``; ``width`` in points. With
        ``arrow`` an arrowhead (:data:`ARROW` points long) continues it."""
        shape = Shape(
            self,
            "line",
            np.column_stack([xs, ys]),
            color=color,
            width=width,
            alpha=alpha,
            zorder=zorder,
            arrow=arrow,
        )
        shape.set_visible(visible)
        self.shapes.append(shape)
        return shape

    def circle(self, x, y, radius, face="white", edge="#333333", width=1.0, zorder=3):
        """A circle at ``x``, ``y`` whose ``radius`` is in points (it keeps its size)."""
        shape = Shape(
            self,
            "circle",
            [(x, y)],
            color=edge,
            width=width,
            face=face,
            radius=radius,
            zorder=zorder,
        )
        self.shapes.append(shape)
        return shape

    def text(self, x, y, text="", **kwargs):
        """A :class:`Label` at ``x``, ``y`` (keywords as :class:`Label` takes them)."""
        label = Label(self, x, y, text, **kwargs)
        self.labels.append(label)
        return label

    # -- showing ----------------------------------------------------------

    def markup(self):
        """The scene as HTML: one SVG with the shapes, then the labels above it."""
        self._lay_out()
        w, h = self.width_px, self.height_px
        shapes = sorted((s for s in self.shapes if s.get_visible()), key=lambda s: s.zorder)
        labels = sorted(
            (t for t in self.labels if t.get_visible() and t.text), key=lambda t: t.zorder
        )
        heads = sorted({mpl.colors.to_hex(s.color) for s in shapes if s.arrow})
        defs = "".join(_arrow_marker(c) for c in heads)
        svg = (f"<defs>{defs}</defs>" if defs else "") + "".join(s._markup() for s in shapes)
        text = "".join(t._markup() for t in labels)
        aria = f' aria-label="{html.escape(self.label)}"' if self.label else ""
        return (
            f'<div class="bp-scene-root{f" bp-zoom bp-w{w}" if text_scale() == 1 else ""}" '
            f'role="group"{aria} style="position:relative;'
            f"width:{w}px;height:{h}px;overflow:hidden;font-family:{_FONT};line-height:1.2;"
            f'white-space:pre;color:#222">'
            f'<svg width="{w}" height="{h}" viewBox="0 0 {w} {h}" aria-hidden="true" '
            f'style="position:absolute;left:0;top:0">{svg}</svg>'
            f"<style>.bp-label{{position:absolute;margin:0}}{_wide_screens(w)}</style>{text}</div>"
        )

    def flush(self):
        """Send the markup to the page if the picture changed; true if it did."""
        value = self.markup()
        if value == self.widget.value:
            return False
        self.widget.value = value
        return True

    def texts(self):
        """Every visible label's text, in drawing order."""
        return [t.text for t in self.labels if t.get_visible() and t.text]

    def problems(self):
        """Every item that would show something undefined: "nan", "inf", "∞" or
        "undefined" in a label, or a coordinate or width that is not finite.
        An empty list means the scene is sound."""
        found = []
        for t in self.labels:
            if not t.get_visible():
                continue
            if _UNDEFINED_TEXT.search(t.text):
                found.append(f"label {t.text!r}")
            if not np.all(np.isfinite(t.get_position())):
                found.append(f"label at {t.get_position()}")
        for s in self.shapes:
            if s.get_visible() and not (
                np.all(np.isfinite(s.xy)) and np.isfinite(s.width) and np.isfinite(s.radius)
            ):
                found.append(f"{s.kind} at {s.xy.tolist()} width {s.width}")
        return found

    def summary(self):
        """The scene in one line of plain text: its label, then every label's text."""
        parts = [" ".join(text.split()) for text in self.texts()]
        head = f"{self.label}: " if self.label else ""
        return head + "; ".join(parts)

    def to_figure(self):
        """The scene as a still matplotlib figure, the same size, with the same items.

        For what must show without a browser drawing it: a notebook saved with its
        outputs (an untrusted notebook shows no SVG), a handout, a slide image.
        """
        from matplotlib.figure import Figure
        from matplotlib.transforms import offset_copy

        self._lay_out()
        k = text_scale()
        fig = Figure(figsize=(self.width_px / 100, self.height_px / 100), dpi=100)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(*self.xlim)
        ax.set_ylim(*self.ylim)
        ax.set_axis_off()
        for shape in self.shapes:
            if not shape.get_visible():
                continue
            xs, ys = shape.xy[:, 0], shape.xy[:, 1]
            if shape.kind == "circle":
                ax.plot(
                    xs,
                    ys,
                    "o",
                    ms=2 * shape.radius * k,
                    mfc=shape.face,
                    mec=shape.color,
                    mew=shape.width * k,
                    zorder=shape.zorder,
                )
            else:
                ax.plot(
                    xs,
                    ys,
                    color=shape.color,
                    lw=shape.width * k,
                    alpha=shape.alpha,
                    solid_capstyle="butt",
                    zorder=shape.zorder,
                )
                if shape.arrow and len(shape.xy) > 1:
                    ax.fill(
                        *self._arrowhead(shape.xy[-2], shape.xy[-1]),
                        color=shape.color,
                        lw=0,
                        zorder=shape.zorder,
                    )
        for label in self.labels:
            if not (label.get_visible() and label.text):
                continue
            bbox = None
            if label.box:
                b = label.box
                bbox = {
                    "boxstyle": f"round,pad={b.get('pad', 2.0) * k / label.size:.3f}",
                    "fc": b.get("fc", "white"),
                    "ec": b.get("ec", "none"),
                    "lw": b.get("lw", 1.0) * k,
                    "alpha": b.get("alpha", 1.0),
                }
            where = offset_copy(
                ax.transData, fig=fig, x=label.offset[0] * k, y=label.offset[1] * k, units="points"
            )
            ax.text(
                label.x,
                label.y,
                label.text,
                transform=where,
                ha=label.ha,
                va=label.va,
                multialignment=label.ha,
                fontsize=label.size,
                color=label.color,
                family="DejaVu Sans Mono" if label.family == "mono" else None,
                fontweight=label.weight,
                bbox=bbox,
                zorder=10 + label.zorder,
            )
        return fig

    def _arrowhead(self, before, end):
        """The corners of the arrowhead that continues the line ``before``→``end``,
        as data x and y lists (the same triangle the SVG marker draws)."""
        (p0, q0), (p1, q1) = self.to_pixels(*before), self.to_pixels(*end)
        length = float(np.hypot(p1 - p0, q1 - q0)) or 1.0
        ux, uy = (p1 - p0) / length, (q1 - q0) / length
        size = ARROW * PX * text_scale()
        corners = [
            (p1 - uy * size / 2, q1 + ux * size / 2),
            (p1 + ux * size, q1 + uy * size),
            (p1 + uy * size / 2, q1 - ux * size / 2),
        ]
        xs, ys = zip(*(self.to_data(px, py) for px, py in corners))
        return list(xs), list(ys)

    def png(self):
        """The scene as a PNG picture (bytes), drawn by :meth:`to_figure`."""
        buffer = io.BytesIO()
        self.to_figure().savefig(buffer, format="png", dpi=100)
        return buffer.getvalue()

    def svg(self):
        """The scene as a standalone SVG document (a string), drawn by :meth:`to_figure`.

        The same scene gives the same characters on every run (no date, fixed
        ids), so a notebook's saved picture changes only when the drawing does;
        text stays text, which can be selected, searched and read out.
        """
        buffer = io.StringIO()
        with mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": "backprop-course"}):
            self.to_figure().savefig(buffer, format="svg", dpi=100, metadata=_NO_SVG_METADATA)
        return buffer.getvalue()[buffer.getvalue().index("<svg") :]

    def _repr_mimebundle_(self, **kwargs):
        # Shown on its own (a still drawing) the scene is a picture, which every
        # notebook viewer shows, trusted or not; a dashboard shows its live widget.
        return {
            "image/png": base64.b64encode(self.png()).decode("ascii"),
            "text/plain": self.summary(),
        }


#: Metadata matplotlib would write into an SVG: a date, a version. None of it.
_NO_SVG_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}


def _wide_screens(width):
    """CSS that zooms diagrams ``width`` pixels wide in JupyterLab on wide screens
    (:data:`WIDE_SCREENS`), where their output has room for them."""
    if text_scale() != 1:
        return ""
    # Only roots marked bp-zoom: a projector notebook open beside this one keeps its
    # size. The output a diagram is in is the container its room is measured in.
    root = f".bp-zoom.bp-w{width}"
    free = "{width:auto!important;height:auto!important}"
    # (A cell's own output only: an ipywidgets Output inside a row of widgets would
    # shrink to nothing as a container.)
    output = ".jp-Cell-outputArea>.jp-OutputArea-child>.jp-OutputArea-output"
    rules = [f".jp-NotebookPanel {output}:has(.bp-zoom){{container-type:inline-size}}"]
    for screen, zoom in WIDE_SCREENS:
        room = math.ceil(width * zoom) + 8
        rules.append(
            f"@media (min-width:{screen}px){{@container (min-width:{room}px){{"
            f".jp-NotebookPanel {root}{{zoom:{zoom}}}"
            f".jp-NotebookPanel .bp-scene:has({root}){free}}}}}"
        )
    return "".join(rules)


def _rects_meet(r, q, gap=0.0):
    """Whether two ``(left, top, right, bottom)`` rectangles come within ``gap``."""
    return r[0] < q[2] + gap and q[0] < r[2] + gap and r[1] < q[3] + gap and q[1] < r[3] + gap


def _circle_meets_rect(centre, radius, rect):
    """Whether a circle and a rectangle overlap."""
    return _distance_to_rect(*centre, rect) < radius


def _segment_meets_rect(a, b, rect, half):
    """Whether the segment a–b, drawn ``half`` pixels thick either side, meets ``rect``."""
    (ax, ay), (bx, by) = a, b
    left, top, right, bottom = rect
    dx, dy = bx - ax, by - ay
    t0, t1 = 0.0, 1.0
    for start, d, lo, hi in ((ax, dx, left, right), (ay, dy, top, bottom)):
        if d == 0:  # parallel to this side: inside its band or never
            if not lo <= start <= hi:
                t0, t1 = 1.0, 0.0
            continue
        u, v = (lo - start) / d, (hi - start) / d
        t0, t1 = max(t0, min(u, v)), min(t1, max(u, v))
    if t0 <= t1:
        return True  # it runs through the rectangle (clipped as Liang and Barsky do)
    # Apart, the nearest points are an end of the segment or a corner of the rectangle.
    length2 = dx * dx + dy * dy or 1.0
    nearest = float("inf")
    for cx, cy in ((left, top), (right, top), (left, bottom), (right, bottom)):
        t = min(max(((cx - ax) * dx + (cy - ay) * dy) / length2, 0.0), 1.0)
        nearest = min(nearest, math.hypot(ax + t * dx - cx, ay + t * dy - cy))
    for px, py in (a, b):
        nearest = min(nearest, _distance_to_rect(px, py, rect))
    return nearest < half


def _distance_to_rect(x, y, rect):
    """How far the point (x, y) is from the rectangle (0 inside it)."""
    left, top, right, bottom = rect
    return math.hypot(x - min(max(x, left), right), y - min(max(y, top), bottom))


#: A weighted sum this small against the size of its terms is float round-off.
ROUND_OFF = 1e-12


def shown_values(layers, trace):
    """Every unit's z and value as a diagram shows them: ``(zs, values)``, lists of
    1-D arrays by layer (``zs[0]`` is None: inputs have no sum).

    A sum whose terms cancel exactly on paper (8·0.43 − 8·0.43) comes out of
    floating point as about 10⁻¹⁶, and would be written −8.882·10⁻¹⁶; a sum
    within :data:`ROUND_OFF` of the size of its terms is shown as 0 instead,
    and so is a unit's value that is only that round-off passed on.
    """
    with np.errstate(all="ignore"):
        values = [np.array(np.asarray(a, dtype=float)[0]) for a in trace.a]
        zs = [None] + [np.array(np.asarray(z, dtype=float)[0]) for z in trace.z]
        for n, layer in enumerate(layers):
            W = np.asarray(layer.W, dtype=float)
            b = np.zeros(W.shape[1]) if layer.b is None else np.asarray(layer.b, dtype=float)
            size = np.abs(values[n]) @ np.abs(W) + np.abs(b)
            noise = np.abs(zs[n + 1]) <= ROUND_OFF * size
            zs[n + 1] = np.where(noise, 0.0, zs[n + 1])
            values[n + 1] = np.where(
                noise & (np.abs(values[n + 1]) <= ROUND_OFF * size), 0.0, values[n + 1]
            )
    return zs, values


class NetworkDiagram:
    """A fully connected network that shows its current values, drawn on a :class:`Scene`.

    Units are labelled with their name and value; every edge carries its
    weight's name and value, its width follows ``|w|`` and its colour the sign
    (blue positive, vermillion negative). With ``gradients=True`` each edge
    label also shows ∂E/∂w, and the edge is outlined in orange in proportion
    to the gradient's size: the backward pass drawn on the network. With
    ``show_z=True`` units that apply an activation show both z and f(z), and a
    dead ReLU is greyed out.

    Make it once; call :meth:`update` with new layers and input, then the
    scene's :meth:`~Scene.flush`. ``node_text[name]`` and ``edge_text[name]``
    are the labels, so a test can read what the drawing shows.
    """

    #: A unit's radius in points, for a label of two lines; each further line adds 6.
    RADIUS = 19.5

    def __init__(
        self,
        scene,
        sizes,
        gradients=False,
        show_z=False,
        edge_labels=True,
        max_width=6.0,
        label_position=0.3,
        radius=None,
        edge_label_size="x-small",
    ):
        self.scene = scene
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
        for wname, (layer, i, j) in weight_names([Layer(W) for W in blank]).items():
            self._edges.append((wname, layer, i, j, self.names[layer][i], self.names[layer + 1][j]))

        glow, lines = [], []
        for *_, s, t in self._edges:
            (x0, y0), (x1, y1) = self.pos[s], self.pos[t]
            glow.append(
                scene.line(
                    [x0, x1], [y0, y1], COLORS["gradient"], alpha=0.45, zorder=1, visible=gradients
                )
            )
            lines.append(scene.line([x0, x1], [y0, y1], COLORS["positive"], zorder=2, arrow=True))
        self.glow = ShapeGroup(glow)
        self.lines = ShapeGroup(lines)
        if radius is None:
            radius = self.RADIUS + (6.0 if show_z else 0.0)
        self._units = {}
        for names in self.names:
            for name in names:
                x, y = self.pos[name]
                self._units[name] = scene.circle(x, y, radius, face=COLORS["node"], zorder=3)
        self.nodes = ShapeGroup(self._units.values())
        self._fit_edges()
        self.node_text = {}
        for names in self.names:
            for name in names:
                x, y = self.pos[name]
                self.node_text[name] = scene.text(x, y, name, size="small", zorder=4)
        self.label_position = label_position
        self.edge_text = {}
        self._spots = {}  # weight name -> (fraction along the edge, side) of its label
        if edge_labels:
            box = {"fc": "white", "alpha": 0.85, "pad": 1.2}
            for wname, *_rest, s, t in self._edges:
                (x0, y0), (x1, y1) = self.pos[s], self.pos[t]
                f = label_position
                self.edge_text[wname] = scene.text(
                    x0 + f * (x1 - x0),
                    y0 + f * (y1 - y0),
                    wname,
                    size=edge_label_size,
                    box=box,
                    zorder=5,
                )
            scene.before_drawing(self._place_edge_labels)

    def _fit_edges(self):
        """Each edge runs from its source unit to just short of its target's rim,
        where its arrowhead (and its glow) ends."""
        k = text_scale()
        for (*_w, s, t), line, halo in zip(self._edges, self.lines.members, self.glow.members):
            (p0, q0), (p1, q1) = (self.scene.to_pixels(*self.pos[u]) for u in (s, t))
            length = float(np.hypot(p1 - p0, q1 - q0))
            rim = self._units[t].radius * PX * k + 1.0
            if length <= rim + ARROW * PX * k:
                continue
            ux, uy = (p1 - p0) / length, (q1 - q0) / length
            tip = self.scene.to_data(p1 - rim * ux, q1 - rim * uy)
            base = self.scene.to_data(
                p1 - (rim + ARROW * PX * k) * ux, q1 - (rim + ARROW * PX * k) * uy
            )
            line.set_data([self.pos[s][0], base[0]], [self.pos[s][1], base[1]])
            halo.set_data([self.pos[s][0], tip[0]], [self.pos[s][1], tip[1]])

    def update(self, layers, x, activation="linear", grads=None, weight_scale=1.0):
        """Show ``layers`` applied to input ``x``; with ``grads`` also each ∂E/∂w.

        ``weight_scale`` is the |w| drawn at full width. Returns the forward
        pass's :class:`~helpers.network.Trace`, so a caller need not run it twice.
        """
        trace = forward(layers, x, activation)
        zs, values = shown_values(layers, trace)
        self.zs, self.values = zs, values  # what the units show, by layer
        dead = []
        for layer, names in enumerate(self.names):
            for j, name in enumerate(names):
                value = values[layer][j]
                activated = layer > 0 and trace.activations[layer - 1] != "linear"
                if self.show_z and activated:
                    label = f"{name}\nz={fmt(zs[layer][j], 3)}\nf={fmt(value, 3)}"
                else:
                    label = f"{name}\n{fmt(value)}"
                self.node_text[name].set_text(label)
                dead.append(
                    layer > 0 and trace.activations[layer - 1] == "relu" and not zs[layer][j] > 0
                )
        self.nodes.set_facecolors([COLORS["dead"] if d else COLORS["node"] for d in dead])

        w = np.array([layers[layer].W[i, j] for _, layer, i, j, *_ in self._edges])
        with np.errstate(all="ignore"):
            widths = 0.6 + (self.max_width - 0.6) * np.clip(np.abs(w) / weight_scale, 0, 1)
        widths = np.where(np.isfinite(widths), widths, self.max_width)
        self.lines.set_linewidths(widths)
        self.lines.set_colors([COLORS["positive"] if v >= 0 else COLORS["negative"] for v in w])

        if grads is not None:
            g = np.array([grads[layer].W[i, j] for _, layer, i, j, *_ in self._edges])
            finite = np.where(np.isfinite(g), np.abs(g), 0.0)
            biggest = finite.max() if finite.size and finite.max() > 0 else 1.0
            self.glow.set_linewidths(widths + GLOW * finite / biggest)
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

    def _place_edge_labels(self):
        """Put every edge's label beside its edge, where it covers no edge (nor the
        widest glow a gradient can give it), no unit, no other label, and stays
        inside the scene.

        A label tries the side of its edge away from the middle of the diagram, then
        the other side, at ``label_position`` along the edge, then further along
        either way; it takes the first free place (the least crowded one if none is
        free). It keeps its place while that stays free, so that labels do not jump
        about while a slider moves.
        """
        scene, k = self.scene, text_scale()
        # Room for the widest glow whenever the diagram can show gradients, so that
        # the labels stay where they are when the glow appears (04's stepper).
        half = (self.max_width + (GLOW if self.gradients else 0.0)) / 2 * PX * k
        ends = [
            (scene.to_pixels(*self.pos[s]), scene.to_pixels(*self.pos[t]))
            for *_w, s, t in self._edges
        ]
        units = [
            (scene.to_pixels(*self.pos[name]), unit.radius * PX * k)
            for name, unit in self._units.items()
        ]
        mine = {id(label) for label in self.edge_text.values()}
        taken = [
            label.rect_px()
            for label in scene.labels
            if id(label) not in mine and label.get_visible() and label.text
        ]
        middle = sum(p[1] for p, _r in units) / len(units)

        def crowding(rect):
            """(how many things the box meets, the border counting as one; how far
            it reaches past the border): (0, 0) is a free place."""
            left, top, right, bottom = rect
            n = sum(_segment_meets_rect(a, b, rect, half) for a, b in ends)
            n += sum(_circle_meets_rect(c, r + GAP, rect) for c, r in units)
            n += sum(_rects_meet(rect, other, GAP) for other in taken)
            outside = max(0.0, -left, -top, right - scene.width_px, bottom - scene.height_px)
            return (n + (outside > 0), outside)

        for e, (wname, *_rest) in enumerate(self._edges):
            label = self.edge_text.get(wname)
            if label is not None and label.get_visible() and label.text:
                taken.append(self._place_edge_label(wname, label, *ends[e], half, middle, crowding))

    def _place_edge_label(self, wname, label, a, b, half, middle, crowding):
        """Place one edge label (see :meth:`_place_edge_labels`) on the edge from pixel
        ``a`` to ``b``, drawn ``half`` pixels thick either side; return its box."""
        (ax, ay), (bx, by) = a, b
        length = math.hypot(bx - ax, by - ay)
        if length == 0:
            return label.rect_px()
        nx, ny = -(by - ay) / length, (bx - ax) / length  # a unit normal to the edge
        w, h = label.size_px()
        reach = (abs(nx) * w + abs(ny) * h) / 2 + half + GAP

        def rect_at(spot):
            f, side = spot
            cx = ax + f * (bx - ax) + side * reach * nx
            cy = ay + f * (by - ay) + side * reach * ny
            return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)

        def outward(f):
            """The side away from the middle (up, where pixels grow down, at it)."""
            below = ay + f * (by - ay) - middle
            away = 1.0 if below > 0 else -1.0
            return 1.0 if ny == 0 else (1.0 if away * ny > 0 else -1.0)

        spot = self._spots.get(wname)
        if spot is None or crowding(rect_at(spot))[0] > 0:
            f0 = self.label_position
            fs = [f0] + [round(f0 + d * 0.05 * sign, 6) for d in range(1, 17) for sign in (1, -1)]
            spots = [(f, side * outward(f)) for f in fs if 0.1 <= f <= 0.9 for side in (1, -1)]
            scores = [crowding(rect_at(sp)) for sp in spots]
            spot = spots[scores.index(min(scores))]
            self._spots[wname] = spot
        rect = rect_at(spot)
        label.set_position(self.scene.to_data((rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2))
        return rect
