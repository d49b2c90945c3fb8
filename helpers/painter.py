"""Repainting a live figure quickly: matplotlib's blitting, with one full draw as the fallback.

A full render of a figure (axes, ticks, labels, every text) is what makes a
slider slow. Most slider steps move only a few artists: a curve, a dot, an
arrow. The :class:`Painter` does what the matplotlib guide "Faster rendering
by using blitting" describes:

1. a **full draw** renders the figure without its *live* artists, keeps that
   picture (the background, ``canvas.copy_from_bbox``), then draws the live
   artists over it;
2. a **frame** pastes the background back (``canvas.restore_region``) and
   draws only the live artists over it (``figure.draw_artist``).

The live artists are those a dashboard declares with
:meth:`helpers.widgets.Dashboard.live`, and with them every artist a full
render draws *after* one of them in the same axes (a legend or a label over a
curve): the frame then stacks them exactly as a full render would. Anything
else that changed (limits, a title below the live artists, visibility, an
artist added or removed, the figure's size) makes the next paint one full
draw. Axes are assumed not to overlap one another.

Every full draw, also the one the page asks for when it shows the figure,
goes through :meth:`Painter.draw`, and every frame is sent to the page whole.

Blitting can be switched off (every paint is then a plain ``draw_idle``): set
the environment variable ``HELPERS_BLIT=0`` before the kernel starts, or
``helpers.painter.BLIT = False`` before making a dashboard, or
``painter.enabled = False`` on one dashboard's painter.
"""

from __future__ import annotations

import os
import threading

from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.spines import Spine

__all__ = ["BLIT", "Painter"]

#: Whether new painters blit (``HELPERS_BLIT=0`` in the environment turns it off).
BLIT = os.environ.get("HELPERS_BLIT", "1").strip().lower() not in ("0", "off", "false", "no")


class Painter:
    """Paints ``fig`` after each change: a frame of its live artists, or one full draw.

    ``lock`` is held while painting. The dashboard holds it too while it
    changes the figure, and so does a full draw the page asks for: the kernel
    may handle widget messages in several threads at once (JupyterLab sends
    them on kernel subshells), and matplotlib is not thread-safe.
    """

    def __init__(self, fig, enabled=None):
        self.fig = fig
        self.enabled = BLIT if enabled is None else bool(enabled)
        self.lock = threading.RLock()
        self.live = []  # the artists declared live, in the order they were declared
        self.full_draws = 0
        self.frames = 0  # paints that drew only the live artists over the background
        self._background = None
        self._key = None  # what the background was rendered for
        self._drawn = False
        canvas = fig.canvas
        # Every full render of the canvas, also those ipympl makes when the page
        # asks for one (on display or resize), goes through this painter.
        self._backend_draw = canvas.draw
        if self.enabled and hasattr(canvas, "copy_from_bbox"):
            canvas.draw = self.draw

    def add_live(self, *artists):
        """Declare ``artists`` live: a frame redraws them over the background."""
        with self.lock:
            self.live += [a for a in artists if not any(a is b for b in self.live)]
            self._background = None

    def invalidate(self):
        """Make the next paint a full draw (after a change the painter cannot see)."""
        self._background = None

    def paint(self):
        """Show the figure's current state: a frame if only live artists changed."""
        canvas = self.fig.canvas
        if not (self.enabled and hasattr(canvas, "copy_from_bbox")) or not self._drawn:
            # Switched off, or not shown yet: the page asks for the first draw
            # itself when it shows the figure; no frames before there is a page.
            canvas.draw_idle()
            return
        with self.lock:
            over = self._over_background()
            if self._background is None or self._changed(over):
                self.draw()
                return
            canvas.restore_region(self._background)
            for artist in over:
                self.fig.draw_artist(artist)
            self.frames += 1
            self._send()

    def draw(self, *_args, **_kwargs):
        """One full draw: render the background, keep it, draw the live artists, send."""
        canvas = self.fig.canvas
        with self.lock:
            self._drawn = True
            over = self._over_background()
            animated = [a.get_animated() for a in over]
            for artist in over:
                artist.set_animated(True)  # a render leaves animated artists out
            try:
                FigureCanvasAgg.draw(canvas)  # render here; _send sends it
                self._background = canvas.copy_from_bbox(self.fig.bbox)
            finally:
                for artist, flag in zip(over, animated):
                    artist.set_animated(flag)
            for artist in over:
                self.fig.draw_artist(artist)
            self._key = self._state_key(over)
            for artist in self._under(over):
                artist.stale = False
            self.full_draws += 1
            self._send()

    def _send(self):
        canvas = self.fig.canvas
        if hasattr(canvas, "_force_full"):
            # ipympl can send a frame as the difference from the one before; a
            # page that skips a frame (two arriving back to back) would then keep
            # stale pixels (matplotlib issue #19116). There is no public switch.
            canvas._force_full = True
        canvas.blit(self.fig.bbox)
        # Painted: pyplot need not ask the page for another draw after this message.
        self.fig.stale = False

    # -- which artists a frame draws, and whether anything else changed --------

    def _over_background(self):
        """The artists a frame draws, in the order a full render draws them.

        In each axes: the first live artist and every artist drawn after it.
        Among the figure's own artists (not axes): the same, counting an axes
        that holds a live artist as live, since they are drawn over it.
        """
        live = {id(a) for a in self.live}
        over = []
        reached = False  # the figure's sequence has passed a live artist
        for child in self._drawn_children(self.fig):
            if isinstance(child, Axes):  # its children, in its own order
                tail = self._from_first_live(self._drawn_children(child), live)
                over += tail
                reached = reached or bool(tail)
            elif reached or id(child) in live:
                reached = True
                over.append(child)
        return over

    @staticmethod
    def _from_first_live(children, live):
        for k, child in enumerate(children):
            if id(child) in live:
                return children[k:]
        return []

    @staticmethod
    def _drawn_children(parent):
        """The children a full render draws, in its order (by zorder, ties as listed)."""
        children = [c for c in parent.get_children() if c is not parent.patch]
        if isinstance(parent, Axes):  # no frame when it is turned off
            if not parent.axison:
                children = [c for c in children if not isinstance(c, (Axis, Spine))]
            elif not parent.get_frame_on():
                children = [c for c in children if not isinstance(c, Spine)]
        return sorted(children, key=lambda c: c.get_zorder())

    def _state_key(self, over):
        """What the background depends on beyond its artists' own state."""
        axes = []
        for ax in self.fig.axes:
            frame = [
                ax.get_visible(),
                ax.axison,
                ax.get_position().bounds,
                tuple(ax.get_children()),
            ]
            for axis in (ax.xaxis, ax.yaxis):
                frame += [
                    axis.get_view_interval().tolist(),
                    axis.get_scale(),
                    axis.label.get_text(),
                    axis.get_major_locator(),
                    axis.get_major_formatter(),
                    axis.get_minor_locator(),
                    axis.get_minor_formatter(),
                ]
            axes.append(frame)
        size = self.fig.canvas.get_width_height(physical=True)
        return size, self.fig.dpi, tuple(self.fig.get_children()), tuple(over), axes

    def _under(self, over):
        """Every artist of the background (axis frames apart: the key covers them)."""
        skip = {id(a) for a in over}
        stack = [c for c in self.fig.get_children() if id(c) not in skip]
        while stack:
            artist = stack.pop()
            yield artist
            if not isinstance(artist, Axis):
                stack += [c for c in artist.get_children() if id(c) not in skip]

    def _changed(self, over):
        """Whether anything in the background changed since it was rendered."""
        if self._state_key(over) != self._key:
            return True
        # An axes is stale when a live artist in it changed; an axis when its
        # limits were set, even to the same values: the key covers both.
        return any(a.stale for a in self._under(over) if not isinstance(a, (Axes, Axis)))
