"""Controls for the live figures, and the :class:`Dashboard` that wires them.

A dashboard is one figure (or diagram), made once, plus the sliders that drive it. Every
change, whether from a slider, the reset button, a pasted state line or a test,
goes through :meth:`Dashboard.update`, which recomputes with the helpers,
changes the figure's artists in place and redraws. The figures themselves live
in :mod:`helpers.plots`; the lessons' dashboards in ``helpers.lessons``.
"""

from __future__ import annotations

import base64
import html
import io
import re
import threading
import traceback
import warnings

import ipywidgets as widgets
import numpy as np

from .diagram import Scene
from .painter import Painter
from .plots import broken_artists, smallest_text_px, sticky_log_limits
from .text import fmt

__all__ = [
    "Dashboard",
    "LR_CHOICES",
    "WEIGHT_RANGE",
    "Player",
    "PredictFirst",
    "input_slider",
    "lr_slider",
    "target_slider",
    "weight_scale",
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


#: Weight sliders run from −WEIGHT_RANGE to +WEIGHT_RANGE, and network diagrams draw
#: an edge at full width when its |w| reaches the end of its slider.
WEIGHT_RANGE = 2.0


def weight_slider(name, value, limit=WEIGHT_RANGE, step=0.01):
    """A slider for one weight, from −limit to +limit; steps of 0.01 land exactly on
    the example's weights."""
    return _slider(name, value, -limit, limit, step, ".2f")


def weight_scale(controls):
    """The |w| at the end of the weight sliders among ``controls``: a diagram's full edge width."""
    return max(c.max for name, c in controls.items() if name.startswith("w"))


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
    and then :meth:`refresh`. ``fig`` is a matplotlib figure, a
    :class:`~helpers.diagram.Scene` (a diagram the browser draws), or a list
    of them, shown side by side; ``self.fig`` is the matplotlib figure, if any,
    and ``self.scenes`` the scenes. Its :meth:`redraw` receives the current values as
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
        self.views = list(fig) if isinstance(fig, (list, tuple)) else [fig]
        self.scenes = [v for v in self.views if isinstance(v, Scene)]
        figures = [v for v in self.views if not isinstance(v, Scene)]
        if len(figures) > 1:
            raise ValueError(f"a dashboard draws one matplotlib figure, got {len(figures)}")
        self.fig = figures[0] if figures else None
        self.columns = columns
        self.defaults = self.values()
        self.description = ""
        self.last_error = None
        self._message = ""
        self._updating = None  # the thread setting controls in update(), see _busy
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
        # The state as one line, to copy and hand out, and to load one handed out.
        self.state_box = widgets.Text(
            description="state",
            style={"description_width": "3em"},
            # 34em where there is room; narrower rather than pushing Load onto a
            # line of its own (a slide, a projector's large text).
            layout=widgets.Layout(width="auto", flex="1 1 18em", max_width="34em"),
        )
        self.load_button = widgets.Button(
            description="Load", tooltip="Set the controls to the state in the box"
        )
        self.load_button.on_click(lambda _button: self._load_from_box())
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self._widget = None
        self._painter = Painter(self.fig) if self.fig is not None else None
        # JupyterLab may send widget messages on kernel subshells, which the kernel
        # handles in threads of their own: one change at a time, figure included.
        self._lock = self._painter.lock if self._painter is not None else threading.RLock()
        self._steady_limits = {}  # axes -> y limits kept by steady_log_ylim

    # -- the one update path ------------------------------------------------

    def values(self):
        """The current value of every control, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def update(self, **values):
        """Set some controls (by name) and redraw once, as a slider would.

        A value no slider can take (not a number, nan, infinite) is refused as a
        whole: nothing changes, the dashboard says why, and the refusal is
        returned (a :class:`~helpers.checks.Feedback` that a notebook shows).
        A number beyond a slider's end is moved to that end, as the slider does.
        """
        unknown = sorted(set(values) - set(self.controls))
        if unknown:
            raise ValueError(
                f"unknown controls {unknown}: this dashboard has {sorted(self.controls)}"
            )
        for name, value in values.items():
            problem = _refusal(name, self.controls[name], value)
            if problem:
                return self._refuse(problem)
        self.prepare(values)
        with self._lock:
            self._busy = True
            try:
                for name, value in values.items():
                    self.controls[name].value = value
            finally:
                self._busy = False
            self.refresh()

    def prepare(self, values):
        """Called by :meth:`update` with the new ``values``, checked, before any control
        changes: a dashboard whose controls depend on each other adjusts them here."""

    def _refuse(self, problem):
        from .checks import Feedback  # the checks import the network, not the widgets

        self.message.value = _notice(f"{html.escape(problem)}.", "Not changed.")
        return Feedback(False, f"Not changed: {problem}.")

    def reset(self):
        """Back to the values the dashboard started with, and to the same picture."""
        with self._lock:
            self._steady_limits.clear()
            self.update(**self.defaults)

    def live(self, *artists):
        """Declare the artists that :meth:`redraw` changes at almost every step (a curve,
        a dot, an arrow, a readout), as ``animated`` does for blitting in matplotlib.
        A step that changes only these (and what lies over them) redraws them over a
        kept picture of the rest (:class:`~helpers.painter.Painter`); a change to
        anything else costs one full draw. Without it every step is a full draw."""
        if self._painter is not None:
            self._painter.add_live(*artists)

    def steady_log_ylim(self, ax, lo, hi, **kwargs):
        """Set a log axis's y limits to whole decades showing ``lo``..``hi``, kept from
        move to move while the data fits (:func:`~helpers.plots.sticky_log_limits`,
        which takes ``kwargs``): a frame that stays put is easier to read, and a
        slider step then repaints only the data. Reset frames the figure afresh."""
        limits = sticky_log_limits(self._steady_limits.get(ax), lo, hi, **kwargs)
        self._steady_limits[ax] = limits
        ax.set_ylim(*limits)

    def has_steady_frame(self, ax):
        """Whether ``ax`` keeps limits from an earlier move (false after Reset)."""
        return ax in self._steady_limits

    def refresh(self):
        """Recompute from the current values and redraw the figure in place."""
        with self._lock:
            self._refresh()

    def _refresh(self):
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
        self.state_box.value = self.state()
        self.message.value = self._message
        for scene in self.scenes:
            scene.flush()
        if self._painter is not None:
            self._painter.paint()

    def problems(self):
        """Everything the dashboard shows that is undefined (nan, inf) in its figure
        (:func:`~helpers.plots.broken_artists`) or its diagrams
        (:meth:`~helpers.diagram.Scene.problems`); an empty list when all is sound."""
        found = broken_artists(self.fig) if self.fig is not None else []
        for scene in self.scenes:
            found += scene.problems()
        return found

    def redraw(self, **values):
        """Update the artists for ``values``; return the text description."""
        raise NotImplementedError

    def say(self, text):
        """Show a plain message above the figure until the next change."""
        self._message = _notice(html.escape(text), role="status")

    @property
    def _busy(self):
        """Whether this thread is setting controls as part of one change (update()
        refreshes once at the end). Another thread's change still refreshes, after it."""
        return self._updating == threading.get_ident()

    @_busy.setter
    def _busy(self, value):
        self._updating = threading.get_ident() if value else None

    def _on_change(self, _change):
        if not self._busy:
            self.refresh()

    def _show_problem(self, exc):
        self.last_error = exc
        self.description = f"Could not redraw: {exc}"
        self.message.value = _notice(html.escape(str(exc)), "These values cannot be drawn.")
        self._details_box.layout.display = None
        self.details.clear_output()
        with self.details:
            print("".join(traceback.format_exception(exc)))

    # -- sharing a state ----------------------------------------------------

    def state(self):
        """The controls' values as one short line, e.g. ``w1=0.21 w2=0.56 lr=0.05``."""
        return " ".join(f"{name}={_short(value)}" for name, value in self.values().items())

    def load(self, line):
        """Set the controls to a line made by :meth:`state` (``w1=0.5 lr=0.02``; spaces
        around ``=`` are fine) and make it the starting point that Reset returns to.

        Names not given keep their value. A line that cannot be read, or a value a
        control cannot take (outside its slider's range, not one of its choices,
        not a number), changes nothing: the dashboard says why, naming the control
        and what it can take, and the refusal is returned (a
        :class:`~helpers.checks.Feedback` that a notebook shows).
        """
        try:
            values = self._read_line(line)
        except ValueError as exc:
            from .checks import Feedback  # the checks import the network, not the widgets

            self.message.value = _notice(html.escape(str(exc)), "Not loaded.")
            return Feedback(False, f"Not loaded: {exc}.")
        self.update(**values)
        self.defaults = self.values()
        return None

    def _read_line(self, line):
        """The values a :meth:`state` line sets, or a ValueError that says what is wrong."""
        values = {}
        for token in re.split(r"[\s,;]+", re.sub(r"\s*=\s*", "=", str(line).strip())):
            if not token:
                continue
            name, sep, text = token.partition("=")
            if not sep or name not in self.controls:
                raise ValueError(
                    f"cannot read {token!r}: expected name=value with a name among "
                    f"{', '.join(self.controls)}"
                )
            values[name] = _read_value(name, self.controls[name], text)
        proposed = {**self.values(), **values}
        for name, value in values.items():
            lo, hi = self.load_range(name, proposed)
            if lo is not None and not lo <= value <= hi:  # also refuses nan
                raise ValueError(
                    f"{name}={_short(value)} is outside its slider's range, {fmt(lo)} to {fmt(hi)}"
                )
        return values

    def load_range(self, name, values):
        """The range :meth:`load` accepts for control ``name`` when the others take
        ``values``: its slider's range (None for a control of choices). A dashboard
        whose ranges depend on each other overrides it."""
        control = self.controls[name]
        if getattr(control, "options", None) is not None:
            return None, None
        return control.min, control.max

    def _load_from_box(self):
        self.load(self.state_box.value)

    # -- display ------------------------------------------------------------

    def control_rows(self):
        """The rows of widgets above the figure: the controls, ``columns`` to a row,
        then the reset button, at the end of the last row if it has room (a line
        less to scroll past, or to fit on a slide). Override to arrange them (or
        add buttons) otherwise."""
        controls = list(self.controls.values())
        rows = [controls[k : k + self.columns] for k in range(0, len(controls), self.columns)]
        if rows and len(rows[-1]) < self.columns:
            return [*rows[:-1], [*rows[-1], self.reset_button]]
        return [*rows, [self.reset_button]]

    @property
    def widget(self):
        """Everything the notebook shows: controls, figure, description and messages."""
        if self._widget is None:
            shown = []
            for view in self.views:
                if isinstance(view, Scene):
                    shown.append(view.widget)
                else:
                    canvas = view.canvas
                    if isinstance(canvas, widgets.DOMWidget):
                        # What its smallest text measures, for the page to check (the
                        # slides scale it to the screen).
                        px = smallest_text_px(view)
                        canvas.add_class(
                            "bp-smallest-text-" + ("none" if px is None else f"{px:.1f}px")
                        )
                        shown.append(canvas)
                    else:
                        shown.append(widgets.Output())
            # Side by side where they fit; on a narrow screen (or a projector's
            # large text) the next view goes below rather than off the edge.
            figure = (
                shown[0]
                if len(shown) == 1
                else widgets.HBox(shown, layout=widgets.Layout(flex_flow="row wrap"))
            )
            # A row too long for the page wraps, rather than squeezing its sliders.
            wrap = widgets.Layout(flex_flow="row wrap")
            rows = [widgets.HBox(list(row), layout=wrap) for row in self.control_rows()]
            share = widgets.HBox([self.state_box, self.load_button], layout=wrap)
            # The description just under the controls: in sight while a slider moves,
            # even where the figure runs below the bottom of the screen.
            self._widget = widgets.VBox(
                [*rows, self.message, self.readout, figure, share, self._details_box]
            )
        return self._widget

    def still(self):
        """The dashboard as it is now, as still pictures: a mime bundle of
        ``text/html`` (each figure as a PNG, each diagram as an SVG, then the
        text description) and ``image/png`` (all its views side by side).

        A notebook saved with its outputs keeps these beside the live widget:
        JupyterLab with a running kernel shows only the widget, while a code
        host, nbviewer, an HTML export, the course website or a notebook opened
        before it runs show the picture. Every image is an ``<img>`` (a data
        URL), which even a sanitized HTML view keeps; the diagram's SVG is the
        same on every run, its labels' text also in the image's ``alt``.
        """
        pictures, pngs = [], []
        for view in self.views:
            if isinstance(view, Scene):
                png, svg = view.png(), view.svg()
                pictures.append(_img("image/svg+xml", svg.encode(), view.width_px, view.summary()))
            else:
                png = _figure_png(view)
                width = round(view.get_figwidth() * view.dpi)
                pictures.append(_img("image/png", png, width, "The figure, described below."))
            pngs.append(png)
        figure = "".join(
            f'<div style="display:inline-block;vertical-align:top">{p}</div>' for p in pictures
        )
        page = (
            f'<div class="bp-still">{self._message}<div>{figure}</div>'
            f"<div>{_as_html(self.description)}</div></div>"
        )
        png = pngs[0] if len(pngs) == 1 else _side_by_side(pngs)
        return {"text/html": page, "image/png": base64.b64encode(png).decode("ascii")}

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle.update(self.still())
        bundle["text/plain"] = self.description
        return bundle


def _notice(body, title="", role="alert"):
    """The box a dashboard shows above its figure: ``body`` (HTML), after ``title`` in bold."""
    head = f"<b>{title}</b> " if title else ""
    return (
        f'<div role="{role}" style="padding:0.3em 0.6em;border-left:4px solid #D55E00;'
        f'background:#FFF3E8">{head}{body}</div>'
    )


def _refusal(name, control, value):
    """Why ``control`` cannot take ``value`` (as a slider cannot), or None if it can.

    A numeric slider takes a real, finite number; one of choices takes one of
    its choices."""
    options = getattr(control, "options", None)
    if options is not None:
        values = [o[1] if isinstance(o, tuple) else o for o in options]
        if any(value is v or _equal(value, v) for v in values):
            return None
        labels = [o[0] if isinstance(o, tuple) else str(o) for o in options]
        shown = labels if len(labels) <= 8 else [*labels[:3], "…", *labels[-3:]]
        return f"{name} takes one of its choices, {', '.join(shown)}, not {value!r}"
    if not hasattr(control, "min"):
        return None
    lo, hi = control.min, control.max
    if isinstance(control, widgets.FloatLogSlider):
        lo, hi = control.base**lo, control.base**hi
    span = f"a number from {fmt(lo)} to {fmt(hi)}"
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (int, float, np.integer, np.floating)
    ):
        return f"{name} takes {span}, not {value!r}"
    if not np.isfinite(value):
        return f"{name} takes {span}, not {_short(float(value))}"
    if isinstance(control.value, int) and value != int(value):
        return f"{name} takes whole numbers from {fmt(lo)} to {fmt(hi)}"
    return None


def _equal(a, b):
    try:
        return bool(a == b)
    except Exception:  # values whose == is not a yes or no are not equal
        return False


def _read_value(name, control, text):
    """``text`` as a value ``control`` can take, or a ValueError that says what it can take."""
    options = getattr(control, "options", None)
    if options is not None:  # a dropdown or a slider of choices
        labels = [o[0] if isinstance(o, tuple) else str(o) for o in options]
        values = [o[1] if isinstance(o, tuple) else o for o in options]
        for label, value in zip(labels, values):
            if text == label or (not isinstance(value, str) and _same_number(text, value)):
                return value
        shown = labels if len(labels) <= 8 else [*labels[:3], "…", *labels[-3:]]
        raise ValueError(f"{name}={text} is not one of its choices: {', '.join(shown)}")
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"cannot read {name}={text}: {text!r} is not a number") from None
    if isinstance(control.value, int) and np.isfinite(number):
        if number != int(number):
            raise ValueError(f"{name}={text}: {name} takes whole numbers")
        return int(number)
    return number


def _same_number(text, value):
    try:
        return float(text) == float(value)
    except (TypeError, ValueError):
        return False


def _img(mimetype, data, width, alt):
    source = f"data:{mimetype};base64,{base64.b64encode(data).decode('ascii')}"
    # As wide as the live figure, narrower where the page is (a phone, a book's column).
    fit = "max-width:100%;height:auto"
    return f'<img src="{source}" width="{width}" style="{fit}" alt="{html.escape(alt)}">'


def _figure_png(fig):
    """A PNG of a matplotlib figure as it is now, at its own size.

    No draw event reaches the figure's listeners: to the live canvas (and its
    painter) this render never happened."""
    buffer = io.BytesIO()
    with fig.canvas.callbacks.blocked(signal="draw_event"):
        fig.savefig(buffer, format="png", dpi=fig.dpi)
    return buffer.getvalue()


def _side_by_side(pngs):
    """One PNG of several, side by side and aligned at the top, on white."""
    import matplotlib.image as mpimg

    images = [mpimg.imread(io.BytesIO(png), format="png")[..., :3] for png in pngs]
    height = max(image.shape[0] for image in images)
    padded = [
        np.pad(i, ((0, height - i.shape[0]), (0, 0), (0, 0)), constant_values=1.0) for i in images
    ]
    buffer = io.BytesIO()
    mpimg.imsave(buffer, np.hstack(padded), format="png")
    return buffer.getvalue()


def _short(value):
    return f"{value:g}" if isinstance(value, (int, float)) else str(value)


def _as_html(text):
    return "<br>".join(html.escape(line) for line in text.splitlines())


class PredictFirst:
    """Commit to a guess before the value is revealed, then see how close it was.

    ``truth`` is the value to guess (computed by the helpers). With
    ``choices`` (e.g. ``["negative", "zero", "positive"]``) the guess is picked
    from buttons and compared with ``truth`` as a label; otherwise it is a
    number typed in a box. :meth:`reveal` is what the button calls; a test
    can call it too.

    Reveal needs a real guess: an empty box or no choice asks for one and
    reveals nothing. Once revealed, the guess is final (box and buttons are
    disabled). A number that is the value (to the figures typed, three or
    more) is "Right"; within ``rel_tol`` of it, "Close". ``misconceptions``
    lists ``(value, why)`` for the answers a known misconception gives (for
    "w5 doubles, what is ŷ?", ŷ doubling): a guess nearer such a value than
    the truth is told ``why``, never "close". ``why`` is one line saying why
    the answer is what it is, shown after any guess (right or wrong).
    """

    def __init__(
        self, question, truth, choices=None, unit="", rel_tol=0.02, misconceptions=(), why=""
    ):
        self.question = question
        self.truth = truth
        self.choices = choices
        self.unit = unit
        self.rel_tol = rel_tol
        self.misconceptions = list(misconceptions)
        self.why = why
        self.revealed = False
        self._when_revealed = []  # callables, run once the answer is revealed
        self._lock = threading.Lock()
        if choices is None:
            self.guess = widgets.Text(
                value="",
                placeholder="a number",
                description="Your guess",
                layout=widgets.Layout(width="16em"),
            )
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
        """What the student is told for ``guess``: a typed text or number, or a choice.
        After a guess, the question's ``why`` follows on a line of its own."""
        ok, text = self._judge(guess)
        return f"{text}\n{self.why}" if ok is not None and self.why else text

    def _judge(self, guess):
        """``(ok, text)``: ok is True (right or close), False (wrong) or None (no guess yet)."""
        if self.choices is not None:
            if guess is None:
                return None, "Pick an answer first, then press Reveal."
            if guess == self.truth:
                return True, f"Right: the answer is “{self.truth}”."
            return False, f"Not quite: you chose “{guess}”; the answer is “{self.truth}”."
        number = _typed_number(guess)
        if number is None:
            if guess is None or (isinstance(guess, str) and not guess.strip()):
                return None, "Type your guess first, then press Reveal."
            return None, "Type a number, such as 2.5 or −0.3, then press Reveal."
        truth = float(self.truth)
        off = abs(number - truth)
        scale = max(abs(truth), 1e-12)
        shown = f"{fmt(truth, 6)}{self.unit}"
        if _right(number, guess, truth):
            return True, f"Right: the value is {shown}."
        for value, why in self.misconceptions:
            if abs(number - value) < off and abs(number - value) <= 0.05 * max(abs(value), 1e-12):
                return False, f"Not quite: the value is {shown}. {why}"
        if off <= self.rel_tol * scale:
            return True, f"Close: the value is {shown}, and you were off by {fmt(off, 3)}."
        if np.sign(number) != np.sign(truth) and truth != 0:
            return False, f"The value is {shown}: your guess has the wrong sign."
        return False, (
            f"The value is {shown}; you were off by {fmt(off, 3)} ({off / scale:.0%} of it)."
        )

    def reveal(self):
        """Judge the guess: ask for one if there is none, else show the verdict for good."""
        if self.revealed:
            return self.feedback.value
        ok, _text = self._judge(self.guess.value)
        text = self.verdict(self.guess.value)
        body = "<br>".join(html.escape(line) for line in text.splitlines())
        if ok is None:
            self.feedback.value = body
            return self.feedback.value
        from .checks import MARKS  # the checks import the network, not the widgets

        symbol, colour = MARKS[ok]
        self.feedback.value = (
            f'<span style="color:{colour};font-weight:bold" aria-hidden="true">{symbol}</span> '
            f"{body}"
        )
        with self._lock:  # a widget message may come on a thread of its own
            self.revealed = True
            callbacks, self._when_revealed = self._when_revealed, []
        self.guess.disabled = True
        self.button.disabled = True
        for callback in callbacks:
            callback()
        return self.feedback.value

    def when_revealed(self, callback):
        """Call ``callback()`` once the answer is revealed (at once if it is already)."""
        with self._lock:
            if not self.revealed:
                self._when_revealed.append(callback)
                return
        callback()

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = f"Predict first: {self.question}"
        return bundle


def _typed_number(guess):
    """A guess as a finite number (text as typed, with − or -), or None."""
    if isinstance(guess, (bool, np.bool_)) or guess is None:
        return None
    if isinstance(guess, str):
        text = guess.strip().replace("−", "-").replace(" ", "")
        try:
            guess = float(text)
        except ValueError:
            return None
    try:
        number = float(guess)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if np.isfinite(number) else None


def _right(number, typed, truth):
    """The guess is the value: to 10⁻⁹, or the value rounded to the 3+ figures typed."""
    from .checks import Reading

    if np.isclose(number, truth, rtol=1e-9, atol=1e-12):
        return True
    whole = isinstance(typed, str) and typed.strip().lstrip("−-").isdigit()
    reading = Reading(number, truth, rel_tol=1e-9, whole=whole or isinstance(typed, int))
    return reading.digits >= 3 and reading.matches(truth)


class Player:
    """The animation controls of a step slider: ▶ Play/pause, one step back or on, and a pace.

    ``slider`` is the IntSlider it moves. Play moves it one step per frame
    at the "slow" and "steady" paces (a student can follow each step), and
    runs through the whole range in about a hundred frames at "fast". It
    stops at the slider's end: a dashboard that shortens the range (a run
    that diverges) stops it there too.
    """

    #: Pace name → (milliseconds per frame, steps per frame; 0 = the range in ~100 frames).
    PACES = {"slow": (500, 1), "steady": (120, 1), "fast": (50, 0)}

    def __init__(self, slider, pace="steady"):
        self.slider = slider
        self.play = widgets.Play(
            value=slider.value,
            min=slider.min,
            max=slider.max,
            step=1,
            show_repeat=False,
            description="Play",
            layout=widgets.Layout(width="auto"),
        )
        widgets.link((self.play, "value"), (slider, "value"))
        widgets.link((self.play, "max"), (slider, "max"))
        self.pace = widgets.Dropdown(
            options=list(self.PACES),
            value=pace,
            description="pace",
            style={"description_width": "3em"},
            layout=widgets.Layout(width="9em"),
        )
        self.back = widgets.Button(
            description="−1", tooltip="one step back", layout=widgets.Layout(width="3.5em")
        )
        self.on = widgets.Button(
            description="+1", tooltip="one step on", layout=widgets.Layout(width="3.5em")
        )
        self.back.on_click(lambda _b: self.move(-1))
        self.on.on_click(lambda _b: self.move(+1))
        self.pace.observe(lambda _c: self._set_pace(), "value")
        slider.observe(lambda _c: self._set_pace(), "max")
        self._set_pace()

    def _set_pace(self):
        interval, steps = self.PACES[self.pace.value]
        span = self.slider.max - self.slider.min
        self.play.interval = interval
        self.play.step = steps or max(1, span // 100)

    def move(self, by):
        """Move the slider ``by`` steps, within its range (what −1 and +1 do)."""
        s = self.slider
        s.value = min(s.max, max(s.min, s.value + by))

    @property
    def row(self):
        """The controls, in the order they are shown."""
        return [self.play, self.back, self.on, self.pace]
