"""Controls for the live figures, and the :class:`Dashboard` that wires them.

A dashboard is one figure, made once, plus the sliders that drive it. Every
change, whether from a slider, the reset button, a pasted state line or a test,
goes through :meth:`Dashboard.update`, which recomputes with the helpers,
changes the figure's artists in place and redraws. The figures themselves live
in :mod:`helpers.plots`; the lesson-specific dashboards in ``helpers.views``.
"""

from __future__ import annotations

import html
import re
import traceback
import warnings

import ipywidgets as widgets
import numpy as np
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.image import AxesImage
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.spines import Spine
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox

__all__ = [
    "Dashboard",
    "LR_CHOICES",
    "PredictFirst",
    "input_slider",
    "lr_slider",
    "target_slider",
    "weight_slider",
]


def _nice_grid(lo_exp=-4, hi_exp=0):
    """1, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9 × 10^k: a log scale that lands on round numbers."""
    steps = (1, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9)
    grid = [round(m * 10.0**k, 6) for k in range(lo_exp, hi_exp) for m in steps]
    return grid + [10.0**hi_exp]


#: Learning rates a slider offers, from 0.0001 to 1 on a logarithmic scale.
LR_CHOICES = _nice_grid()


def _slider(name, value, lo, hi, step, fmt):
    return widgets.FloatSlider(
        value=value,
        min=lo,
        max=hi,
        step=step,
        description=name,
        readout_format=fmt,
        continuous_update=True,
        style={"description_width": "3em"},
        layout=widgets.Layout(width="260px"),
    )


def weight_slider(name, value, lo=-2.0, hi=2.0, step=0.01):
    """A slider for one weight; steps of 0.01 land exactly on the example's weights."""
    return _slider(name, value, lo, hi, step, ".2f")


def input_slider(name, value, lo=-20.0, hi=20.0, step=0.5):
    """A slider for one input."""
    return _slider(name, value, lo, hi, step, ".1f")


def target_slider(value, name="y", lo=-20.0, hi=20.0, step=0.1):
    """A slider for the target."""
    return _slider(name, value, lo, hi, step, ".1f")


def lr_slider(value=0.05, name="lr", choices=LR_CHOICES):
    """A learning-rate slider on a logarithmic scale of round numbers that includes ``value``."""
    options = sorted(set(choices) | {float(value)})
    return widgets.SelectionSlider(
        options=[(f"{v:g}", v) for v in options],
        value=float(value),
        description=name,
        continuous_update=True,
        style={"description_width": "3em"},
        layout=widgets.Layout(width="260px"),
    )


class Dashboard:
    """A live figure and its controls. Subclasses build the figure and write :meth:`redraw`.

    ``controls`` maps a name (``"w1"``, ``"lr"``, …) to its widget. A subclass
    makes its figure and artists once, calls ``super().__init__(controls, fig)``
    and then :meth:`refresh`. Its :meth:`redraw` receives the current values as
    keyword arguments, updates the artists in place and returns a plain-text
    description of what the figure now shows (the numbers a screen reader, or a
    student at the back of the room, needs). :meth:`say` puts a plain message
    above the figure, for example when training diverges.

    Nothing a control can do raises in the student's face: an unexpected
    error becomes a short message on the dashboard, with the details one click
    away, and is kept in ``last_error``.
    """

    def __init__(self, controls, fig, columns=3):
        self.controls = dict(controls)
        self.fig = fig
        self.columns = columns
        self.defaults = self.values()
        self.description = ""
        self.last_error = None
        self._message = ""
        self._busy = False
        self.readout = widgets.HTML(layout=widgets.Layout(margin="0 0 0 1em"))
        self.message = widgets.HTML()
        self.details = widgets.Output()
        self._details_box = widgets.Accordion(children=[self.details], titles=("Details",))
        self._details_box.selected_index = None
        self._details_box.layout.display = "none"
        self.reset_button = widgets.Button(
            description="Reset", icon="undo", tooltip="Back to the starting values"
        )
        self.reset_button.on_click(lambda _button: self.reset())
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self._widget = None
        self._painter = Painter(fig)

    # -- the one update path ------------------------------------------------

    def values(self):
        """The current value of every control, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def update(self, **values):
        """Set some controls (by name) and redraw once, as a slider would."""
        unknown = sorted(set(values) - set(self.controls))
        if unknown:
            raise ValueError(
                f"unknown controls {unknown}: this dashboard has {sorted(self.controls)}"
            )
        self._busy = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._busy = False
        self.refresh()

    def reset(self):
        """Back to the values the dashboard started with."""
        self.update(**self.defaults)

    def refresh(self):
        """Recompute from the current values and redraw the figure in place."""
        self._message = ""
        try:
            with warnings.catch_warnings(), np.errstate(all="raise", under="ignore"):
                warnings.simplefilter("error")
                description = self.redraw(**self.values())
        except Exception as exc:  # shown on the dashboard, never raised at the student
            self._show_problem(exc)
            return
        self.last_error = None
        self._details_box.layout.display = "none"
        self.description = description or ""
        self.readout.value = _as_html(self.description)
        self.message.value = self._message
        self._painter.paint()

    def redraw(self, **values):
        """Update the artists for ``values``; return the text description."""
        raise NotImplementedError

    def say(self, text):
        """Show a plain message above the figure until the next change."""
        self._message = (
            '<div role="status" style="padding:0.3em 0.6em;border-left:4px solid #D55E00;'
            f'background:#FFF3E8">{html.escape(text)}</div>'
        )

    def _on_change(self, _change):
        if not self._busy:
            self.refresh()

    def _show_problem(self, exc):
        self.last_error = exc
        self.description = f"Could not redraw: {exc}"
        self.message.value = (
            '<div role="alert" style="padding:0.3em 0.6em;border-left:4px solid #D55E00;'
            f'background:#FFF3E8"><b>These values cannot be drawn.</b> {html.escape(str(exc))}'
            "</div>"
        )
        self._details_box.layout.display = None
        self.details.clear_output()
        with self.details:
            print("".join(traceback.format_exception(exc)))

    # -- sharing a state ----------------------------------------------------

    def state(self):
        """The controls' values as one short line, e.g. ``w1=0.21 w2=0.56 lr=0.05``."""
        return " ".join(f"{name}={_short(value)}" for name, value in self.values().items())

    def load(self, line):
        """Restore a line made by :meth:`state`; names not given keep their value."""
        values = {}
        for token in re.split(r"[\s,;]+", line.strip()):
            if not token:
                continue
            name, sep, text = token.partition("=")
            if not sep or name not in self.controls:
                raise ValueError(
                    f"cannot read {token!r}: expected name=value with a name among "
                    f"{', '.join(self.controls)}"
                )
            current = self.controls[name].value
            if isinstance(current, str):
                values[name] = text
                continue
            try:
                values[name] = type(current)(float(text))
            except ValueError:
                raise ValueError(f"cannot read {token!r}: {text!r} is not a number") from None
        self.update(**values)

    # -- display ------------------------------------------------------------

    def control_rows(self):
        """The rows of widgets above the figure: the controls, ``columns`` to a row,
        then the reset button. Override to arrange them (or add buttons) otherwise."""
        controls = list(self.controls.values())
        rows = [controls[k : k + self.columns] for k in range(0, len(controls), self.columns)]
        return [*rows, [self.reset_button]]

    @property
    def widget(self):
        """Everything the notebook shows: controls, figure, description and messages."""
        if self._widget is None:
            canvas = self.fig.canvas
            figure = canvas if isinstance(canvas, widgets.DOMWidget) else widgets.Output()
            rows = [widgets.HBox(list(row)) for row in self.control_rows()]
            self._widget = widgets.VBox(
                [*rows, self.message, figure, self.readout, self._details_box]
            )
        return self._widget

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = self.description
        return bundle


def _short(value):
    return f"{value:g}" if isinstance(value, (int, float)) else str(value)


def _as_html(text):
    return "<br>".join(html.escape(line) for line in text.splitlines())


class PredictFirst:
    """Commit to a guess before the value is revealed, then see how close it was.

    ``truth`` is the value to guess (computed by the helpers). With
    ``choices`` (e.g. ``["negative", "zero", "positive"]``) the guess is picked
    from buttons and compared with ``truth`` as a label; otherwise it is a
    number and the feedback says how far off it was. :meth:`reveal` is what
    the button calls; a test can call it too.
    """

    def __init__(self, question, truth, choices=None, unit="", rel_tol=0.1):
        self.question = question
        self.truth = truth
        self.choices = choices
        self.unit = unit
        self.rel_tol = rel_tol
        if choices is None:
            self.guess = widgets.FloatText(value=0.0, description="Your guess", step=0.1)
        else:
            self.guess = widgets.ToggleButtons(
                options=list(choices), value=None, style={"button_width": "auto"}
            )
        self.button = widgets.Button(description="Reveal", icon="eye")
        self.button.on_click(lambda _button: self.reveal())
        self.feedback = widgets.HTML(
            layout=widgets.Layout(min_height="1.5em"), value="Make a guess, then press Reveal."
        )
        self.widget = widgets.VBox(
            [
                widgets.HTML(f"<b>Predict first.</b> {html.escape(question)}"),
                widgets.HBox([self.guess, self.button]),
                self.feedback,
            ]
        )

    def verdict(self, guess):
        """What the student is told for ``guess``."""
        if guess is None:
            return "Pick an answer first, then press Reveal."
        if self.choices is not None:
            if guess == self.truth:
                return f"Right: it is {self.truth}."
            return f"Not quite: you said {guess}, and it is {self.truth}."
        truth = float(self.truth)
        off = abs(guess - truth)
        scale = max(abs(truth), 1e-12)
        shown = f"{truth:.6g}{self.unit}"
        if off <= self.rel_tol * scale:
            return f"Close: the value is {shown}, and you were off by {off:.3g}."
        if np.sign(guess) != np.sign(truth) and truth != 0:
            return f"The value is {shown}: your guess has the wrong sign."
        return f"The value is {shown}; you were off by {off:.3g} ({off / scale:.0%} of it)."

    def reveal(self):
        self.feedback.value = html.escape(self.verdict(self.guess.value))
        return self.feedback.value

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = f"Predict first: {self.question}"
        return bundle


class Painter:
    """Redraws only what changed: the figure's unchanging parts are kept as a picture.

    A full render of a figure (axes, ticks, labels, every text) is what makes a
    slider slow, and ipympl's canvas renders everything on every draw. After
    an update, the artists that changed are the "stale" ones; the painter
    keeps a picture of the figure without them (rendered once), pastes it
    back, draws just those artists on top, and sends the result (blitting).

    The result is exactly what a full render gives. An unchanged artist that
    a full render draws *over* a changed one, and that overlaps it on the
    canvas, must be drawn over it here too: such an artist joins the moving
    ones. Artists that overlap nothing that moves stay in the picture, so a
    label far from the changing edge of a diagram is not redrawn. When axes
    limits change, or an artist changes that is part of the picture, the
    painter takes a new picture first. Until the figure has been drawn once,
    and on canvases that cannot blit, it asks for an ordinary draw.
    """

    #: Pixels added around every extent: antialiased edges reach a little beyond it.
    margin = 3.0

    def __init__(self, fig):
        self.fig = fig
        self.moving = []  # the artists drawn over the picture, in drawing order
        self.full_draws = 0  # pictures taken
        self.blits = 0
        self._picture = None
        self._picture_key = None
        self._extents = {}  # id(artist) -> extent of an artist in the picture
        self._members = set()  # the artists the figure had when the picture was taken
        self._drawn = False
        fig.canvas.mpl_connect("draw_event", self._on_draw)

    def _on_draw(self, _event):
        self._drawn = True

    def invalidate(self):
        """Take a new picture at the next paint (after a change the painter cannot see)."""
        self._picture = None

    def _key(self):
        frames = [
            (
                tuple(ax.get_xlim()),
                tuple(ax.get_ylim()),
                ax.axison,
                ax.xaxis.label.get_text(),
                ax.yaxis.label.get_text(),
            )
            for ax in self.fig.axes
        ]
        return self.fig.canvas.get_width_height(physical=True), self.fig.dpi, frames

    def _changed(self):
        """The top-level artists (children of an axes or of the figure) that changed.

        A changed text inside a legend moves the whole legend. Axes frames
        (axis, ticks, spines) are left out: they change with the limits and
        the axis labels, which are part of the picture's key.
        """
        changed = {}

        def stale_inside(artist):
            # A hidden part (a legend's empty title, its frame when off) is never
            # drawn, so it stays stale; it changes nothing on the canvas.
            return artist.stale or any(
                c.get_visible() and stale_inside(c) for c in artist.get_children()
            )

        for child in self._sequence():
            if isinstance(child, (Axis, Spine)):
                continue
            if stale_inside(child):
                changed[id(child)] = child
        return list(changed.values())

    def _sequence(self):
        """Every top-level artist in the order a full render draws it.

        As :meth:`Figure.draw` and :meth:`Axes.draw` do: the figure's children
        by zorder, each axes' children by zorder in its place, and neither
        backgrounds nor hidden axis frames.
        """
        order = []
        for child in sorted(self.fig.get_children(), key=lambda a: a.get_zorder()):
            if child is self.fig.patch:
                continue
            if child not in self.fig.axes:
                order.append(child)
                continue
            ax = child
            frame = ax.axison and ax.get_frame_on()
            kids = [
                k
                for k in ax.get_children()
                if k is not ax.patch
                and (frame or not isinstance(k, Spine))
                and (ax.axison or not isinstance(k, Axis))
            ]
            order.extend(sorted(kids, key=lambda a: a.get_zorder()))
        return order

    def _extent(self, artist, renderer):
        """Where ``artist`` can put paint on the canvas (display pixels), padded;
        ``None`` when it draws nothing. Unknown kinds of artist claim the whole figure."""
        if not artist.get_visible():
            return None
        px = renderer.points_to_pixels
        try:
            if isinstance(artist, Text):
                if not artist.get_text() and not isinstance(artist, Annotation):
                    return None
                boxes = [artist.get_window_extent(renderer)]
                patch = artist.get_bbox_patch()
                if patch is not None:
                    artist.update_bbox_position_size(renderer)
                    boxes.append(patch.get_window_extent(renderer))
                arrow = getattr(artist, "arrow_patch", None)
                if arrow is not None:
                    boxes.append(arrow.get_window_extent(renderer))
                box, pad = Bbox.union(boxes), max(px(2.0), 0)
            elif isinstance(artist, Line2D):
                box = artist.get_window_extent(renderer)
                pad = px(artist.get_linewidth() + artist.get_markeredgewidth())
            elif isinstance(artist, LineCollection):
                box = artist.get_window_extent(renderer)
                widths = np.asarray(artist.get_linewidths(), dtype=float)
                pad = px(float(widths.max()) if widths.size else 1.0)
            elif isinstance(artist, Spine):  # its own extent would lay out the ticks too
                box = Patch.get_window_extent(artist, renderer)
                pad = px(artist.get_linewidth())
            elif isinstance(artist, (Patch, Legend, AxesImage)):
                box = artist.get_window_extent(renderer)
                pad = px(getattr(artist, "get_linewidth", lambda: 1.0)() or 1.0)
            else:
                return self.fig.bbox
        except (RuntimeError, ValueError):
            return self.fig.bbox
        points = np.asarray(box.get_points(), dtype=float)
        if not np.all(np.isfinite(points)):
            return self.fig.bbox
        return box.padded(pad + self.margin)

    def _clipped_extent(self, artist, renderer):
        """:meth:`_extent`, cut to the artist's clip box (the axes, for data)."""
        box = self._extent(artist, renderer)
        clip = artist.get_clip_box() if artist.get_clip_on() else None
        if box is None or clip is None:
            return box
        return Bbox.intersection(box, clip)

    def _axis_overlaps(self, axis, box, renderer):
        """Whether an axis (ticks, tick labels, grid) paints where ``box`` lies.

        Its grid lines cross the axes; its ticks and labels lie along the
        edges, beside the data, and reach inside only as far as inward ticks.
        """
        inner = axis.axes.bbox
        if any(t.gridline.get_visible() for t in axis.get_major_ticks()[:1]):
            if box.overlaps(inner):
                return True
        key = ("axis", id(axis))
        if key not in self._extents:
            outer = axis.get_tightbbox(renderer)
            region = inner if outer is None else Bbox.union([outer, inner])
            ticks = [*axis.majorTicks[:1], *axis.minorTicks[:1]]
            reach = max(
                (t._size if t._tickdir in ("in", "inout") else 0.0 for t in ticks), default=0.0
            )
            inset = inner.padded(-self.fig.dpi / 72.0 * reach)
            self._extents[key] = (region.padded(self.margin), inset)
        region, inset = self._extents[key]
        if not box.overlaps(region):
            return False
        x0, y0, x1, y1 = box.extents
        return not (inset.x0 <= x0 and x1 <= inset.x1 and inset.y0 <= y0 and y1 <= inset.y1)

    def _covered(self, moving, renderer):
        """The unchanged artists that a full render draws over a moving one they overlap."""
        ids = {id(a) for a in moving}
        boxes = []  # extents of the moving artists met so far in drawing order
        covered = []
        for artist in self._sequence():
            if id(artist) in ids:
                box = self._clipped_extent(artist, renderer)
                if box is not None:
                    boxes.append(box)
                continue
            if not boxes:
                continue
            if isinstance(artist, Axis):
                hit = any(self._axis_overlaps(artist, b, renderer) for b in boxes)
                box = artist.axes.bbox
            else:
                if id(artist) not in self._extents:
                    self._extents[id(artist)] = self._clipped_extent(artist, renderer)
                box = self._extents[id(artist)]
                hit = box is not None and any(box.overlaps(b) for b in boxes)
            if hit:
                covered.append(artist)
                boxes.append(box)  # what lies over it must now move too
        return covered

    def _drawing_order(self, artists):
        """``artists`` in the order a full render draws them."""
        rank = {id(a): k for k, a in enumerate(self._sequence())}
        return sorted(artists, key=lambda a: rank.get(id(a), -1))

    def paint(self):
        canvas = self.fig.canvas
        if not (self._drawn and hasattr(canvas, "copy_from_bbox")):
            canvas.draw_idle()
            return
        key = self._key()
        if key != self._picture_key:
            self._extents = {}
        present = {id(a) for a in self._sequence()}
        removed = not self._members <= present  # a removed artist is still in the picture
        known = {id(a) for a in self.moving}
        new = [a for a in self._changed() if id(a) not in known]
        moving = [a for a in self.moving if id(a) in present] + new
        renderer = canvas.get_renderer()
        covered = self._covered(moving, renderer)
        if new or covered or removed or self._picture is None or self._picture_key != key:
            self.moving = self._drawing_order(moving + covered)
            self._take_picture()
        canvas.restore_region(self._picture)
        for artist in self.moving:
            artist.draw(renderer)
        canvas.blit(self.fig.bbox)
        self.blits += 1

    def _take_picture(self):
        """Render everything but the moving artists once, and keep that picture."""
        canvas = self.fig.canvas
        animated = [a.get_animated() for a in self.moving]
        for artist in self.moving:
            artist.set_animated(True)  # a full render leaves animated artists out
        try:
            FigureCanvasAgg.draw(canvas)  # render here, without sending a frame to the page
            self._picture = canvas.copy_from_bbox(self.fig.bbox)
        finally:
            for artist, flag in zip(self.moving, animated):
                artist.set_animated(flag)
        self._picture_key = self._key()
        self._members = {id(a) for a in self._sequence()}
        self._extents = {}
        self.full_draws += 1
