"""Repainting a live figure: only what changed, and exactly what a full render draws.

A full render of a figure (axes, ticks, labels, every text) is what makes a
slider slow: ipympl's canvas renders everything on every draw. The
:class:`Painter` keeps a picture of the figure's unchanging parts, pastes it
back after each change and draws only the changed artists over it.

To stay exact it must know which unchanged artists a full render would draw
*over* a changed one: those join the changed ones. Whether two artists meet is
decided by their :class:`Footprint` on the canvas: the thick segments of a
line and the boxes of texts, markers and patches. A box around a diagonal
line (a step arrow, a steep curve) would touch much of the axes; its segments
do not, so moving it repaints only what lies on or over it.
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import Collection, LineCollection, PathCollection
from matplotlib.image import AxesImage
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.spines import Spine
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox

__all__ = ["Footprint", "Painter"]

#: A polyline is described by at most this many thick segments (longer ones are merged).
_MAX_SEGMENTS = 48


class Footprint:
    """Where an artist can put paint, in display pixels: boxes and thick segments.

    ``boxes`` are rows ``x0, y0, x1, y1``; ``segments`` are rows
    ``x0, y0, x1, y1, r``: every pixel within ``r`` of the segment. Both are
    generous (antialiasing and line caps are inside them), so two footprints
    that do not overlap never paint the same pixel.
    """

    def __init__(self, boxes=(), segments=(), clip=None):
        self.boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
        self.segments = np.asarray(segments, dtype=float).reshape(-1, 5)
        self.clip = clip  # a Bbox nothing is painted outside of, or None
        self._bounds = None

    @classmethod
    def of_bbox(cls, bbox, pad=0.0):
        (x0, y0), (x1, y1) = bbox.get_points()
        return cls(boxes=[[x0 - pad, y0 - pad, x1 + pad, y1 + pad]])

    @classmethod
    def of_points(cls, xy, half):
        """Squares of half-side ``half`` around the finite points ``xy`` (markers)."""
        xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        xy = xy[np.isfinite(xy).all(axis=1)]
        return cls(boxes=np.column_stack([xy - half, xy + half]))

    @classmethod
    def of_polyline(cls, xy, radius):
        """The thick line through the points ``xy`` (n × 2), broken at non-finite points."""
        xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        finite = np.isfinite(xy).all(axis=1)
        rows = []
        start = 0
        for stop in [*np.flatnonzero(~finite), len(xy)]:
            run = xy[start:stop]
            start = stop + 1
            if len(run) == 1:
                rows.append([*run[0], *run[0], radius])
            elif len(run) > 1:
                rows.extend(_merged_segments(run, radius))
        return cls(segments=rows)

    def __bool__(self):
        return bool(len(self.boxes) or len(self.segments))

    def bounds(self):
        """The box around the whole footprint, or ``None`` when it is empty."""
        if self._bounds is None:
            every = np.vstack([self.boxes, self._segment_boxes()])
            self._bounds = False
            if len(every):
                bounds = np.array([[*every[:, :2].min(axis=0), *every[:, 2:].max(axis=0)]])
                if self.clip is not None:  # what lies outside the clip box is never painted
                    bounds = _cut(bounds, self.clip)
                if len(bounds):
                    self._bounds = bounds[0]
        return None if self._bounds is False else self._bounds

    def clipped(self, bbox):
        """The part inside ``bbox`` (the clip box): boxes cut to it, segments that reach it."""
        reach = _boxes_meet(self._segment_boxes(), _rows(bbox))[:, 0]
        return Footprint(_cut(self.boxes, bbox), self.segments[reach], clip=bbox)

    def _segment_boxes(self):
        s = self.segments
        r = s[:, 4]
        return np.column_stack(
            [
                np.minimum(s[:, 0], s[:, 2]) - r,
                np.minimum(s[:, 1], s[:, 3]) - r,
                np.maximum(s[:, 0], s[:, 2]) + r,
                np.maximum(s[:, 1], s[:, 3]) + r,
            ]
        )

    def overlaps(self, other):
        """Whether the two footprints share any point."""
        a, b = self.bounds(), other.bounds()
        if a is None or b is None or not _boxes_meet(a[None], b[None]).any():
            return False
        if _boxes_meet(self.boxes, other.boxes).any():
            return True
        if _segments_meet_boxes(self.segments, other.boxes).any():
            return True
        if _segments_meet_boxes(other.segments, self.boxes).any():
            return True
        return bool(_segments_meet(self.segments, other.segments).any())


def _merged_segments(run, radius):
    """Thick segments along the points ``run``, at most ``_MAX_SEGMENTS`` of them.

    Neighbouring segments are merged into one chord, whose thickness grows by
    the farthest any merged point lies from it, so the result still covers
    every point of the line.
    """
    n = len(run) - 1
    if n <= _MAX_SEGMENTS:
        return np.column_stack([run[:-1], run[1:], np.full(n, radius)])
    edges = np.linspace(0, n, _MAX_SEGMENTS + 1).round().astype(int)
    chunk = np.searchsorted(edges, np.arange(n + 1), side="right") - 1
    chunk = np.minimum(chunk, _MAX_SEGMENTS - 1)  # the last point closes the last chord
    p, q = run[edges[:-1]], run[edges[1:]]
    d = (q - p)[chunk]
    length2 = (d * d).sum(axis=1)
    offset = run - p[chunk]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(length2 > 0, np.clip((offset * d).sum(axis=1) / length2, 0, 1), 0.0)
    gap = np.hypot(*(offset - t[:, None] * d).T)
    widest = np.maximum.reduceat(gap, edges[:-1])
    return np.column_stack([p, q, radius + widest])


def _rows(bbox):
    """``bbox`` as one row ``x0, y0, x1, y1``."""
    return np.asarray(bbox.get_points(), dtype=float).reshape(1, 4)


def _cut(boxes, bbox):
    """``boxes`` cut to ``bbox``; those that miss it are left out."""
    (cx0, cy0, cx1, cy1) = _rows(bbox)[0]
    cut = np.column_stack(
        [
            np.maximum(boxes[:, 0], cx0),
            np.maximum(boxes[:, 1], cy0),
            np.minimum(boxes[:, 2], cx1),
            np.minimum(boxes[:, 3], cy1),
        ]
    )
    return cut[(cut[:, 0] <= cut[:, 2]) & (cut[:, 1] <= cut[:, 3])]


def _boxes_meet(a, b):
    """n × m: whether box i of ``a`` meets box j of ``b``."""
    a, b = a[:, None, :], b[None, :, :]
    return (
        (a[..., 0] <= b[..., 2])
        & (b[..., 0] <= a[..., 2])
        & (a[..., 1] <= b[..., 3])
        & (b[..., 1] <= a[..., 3])
    )


def _segment_distance(p1, q1, p2, q2):
    """Distance between segments p1q1 and p2q2 (arrays of points, broadcast together)."""
    eps = 1e-12
    d1, d2, r = q1 - p1, q2 - p2, p1 - p2
    a = (d1 * d1).sum(-1)
    e = (d2 * d2).sum(-1)
    b = (d1 * d2).sum(-1)
    c = (d1 * r).sum(-1)
    f = (d2 * r).sum(-1)
    denom = a * e - b * b
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.where(denom > eps, np.clip((b * f - c * e) / denom, 0, 1), 0.0)
        s = np.where(e <= eps, np.where(a > eps, np.clip(-c / a, 0, 1), 0.0), s)
        t = np.where(e > eps, (b * s + f) / e, 0.0)
        t_in = np.clip(t, 0, 1)
        s = np.where((t != t_in) & (a > eps), np.clip((b * t_in - c) / a, 0, 1), s)
    closest = (p1 + d1 * s[..., None]) - (p2 + d2 * t_in[..., None])
    return np.hypot(closest[..., 0], closest[..., 1])


def _segments_meet(a, b):
    """n × m: whether thick segment i of ``a`` meets thick segment j of ``b``."""
    if not len(a) or not len(b):
        return np.zeros((len(a), len(b)), dtype=bool)
    A, B = a[:, None, :], b[None, :, :]
    gap = _segment_distance(A[..., 0:2], A[..., 2:4], B[..., 0:2], B[..., 2:4])
    return gap <= A[..., 4] + B[..., 4]


def _segments_meet_boxes(segments, boxes):
    """n × m: whether thick segment i meets box j."""
    if not len(segments) or not len(boxes):
        return np.zeros((len(segments), len(boxes)), dtype=bool)
    S, B = segments[:, None, :], boxes[None, :, :]
    p, q, r = S[..., 0:2], S[..., 2:4], S[..., 4]
    x0, y0, x1, y1 = B[..., 0], B[..., 1], B[..., 2], B[..., 3]
    inside = (x0 <= p[..., 0]) & (p[..., 0] <= x1) & (y0 <= p[..., 1]) & (p[..., 1] <= y1)
    corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    gap = np.full(inside.shape, np.inf)
    for (ux, uy), (vx, vy) in zip(corners, corners[1:] + corners[:1]):
        u = np.stack(np.broadcast_arrays(ux, uy), -1)
        v = np.stack(np.broadcast_arrays(vx, vy), -1)
        gap = np.minimum(gap, _segment_distance(p, q, u, v))
    return inside | (gap <= r)


class Painter:
    """Redraws only what changed: the figure's unchanging parts are kept as a picture.

    After an update, the artists that changed are the "stale" ones; the
    painter keeps a picture of the figure without them (rendered once), pastes
    it back, draws just those artists on top, and sends the result (blitting).

    The result is exactly what a full render gives. An unchanged artist that
    a full render draws *over* a changed one, and whose footprint meets it,
    must be drawn over it here too: it joins the moving ones. Artists that
    meet nothing that moves stay in the picture, so a label far from the
    moving curve is not redrawn. When axes limits or labels
    change, an artist is removed, or an artist changes that is part of the
    picture, the painter takes a new picture first. Until the figure has been
    drawn once, and on canvases that cannot blit, it asks for an ordinary draw.
    """

    #: Pixels added around every footprint: antialiased edges reach a little beyond.
    margin = 2.0

    def __init__(self, fig):
        self.fig = fig
        self.moving = []  # the artists drawn over the picture, in drawing order
        self.full_draws = 0  # pictures taken
        self.blits = 0
        self._picture = None
        self._picture_key = None
        self._footprints = {}  # id(artist) -> footprint of an artist in the picture
        self._moving_prints = {}  # id(artist) -> footprint of a moving artist when last drawn
        self._axis_regions = {}  # an axis in one frame of its axes -> where it paints
        self._frames = {}  # id(axes) -> its frame when the picture was taken
        self._layers = {}  # id(axes) -> (state, region, pixels) of an axes drawn alone
        self.layers_reused = 0  # axes pasted from an earlier picture instead of rendered
        self._members = set()  # the artists the figure had when the picture was taken
        self._painted = set()  # those that drew something in it
        self._drawn = False
        fig.canvas.mpl_connect("draw_event", self._on_draw)

    def _on_draw(self, _event):
        self._drawn = True

    def invalidate(self):
        """Take a new picture at the next paint (after a change the painter cannot see)."""
        self._picture = None

    def prepare(self):
        """Take the picture now, and in a figure of several axes render each axes
        alone too, so that a new frame in one panel later renders that panel only.

        The first paint does this (the first move of a slider costs a little
        more). Only once the figure has been shown: the page's own first draw of
        an ipympl canvas must come before any other render of it.
        """
        if self._picture is None:
            self._take_picture(self._sequence())
        if len(self.fig.axes) < 2 or self.fig.get_layout_engine() is not None:
            return
        renderer = self.fig.canvas.get_renderer()
        moving = {id(a) for a in self.moving}
        with self._leaving_out_moving():
            for ax in self.fig.axes:
                state = self._layer_state(ax, moving)
                cached = self._layers.get(id(ax))
                if ax.get_visible() and (cached is None or cached[0] != state):
                    self._render_layer(ax, state, renderer)

    def add_moving(self, *artists):
        """Keep ``artists`` out of the picture from the start: those a dashboard will
        change (a curve, a marker shown only sometimes), so that their first change
        needs no new picture."""
        known = {id(a) for a in self.moving}
        self.moving += [a for a in artists if id(a) not in known]
        self._picture = None

    @staticmethod
    def _frame(ax):
        """What an axes' frame (limits, axis labels) depends on."""
        return (
            tuple(ax.get_xlim()),
            tuple(ax.get_ylim()),
            ax.axison,
            ax.xaxis.label.get_text(),
            ax.yaxis.label.get_text(),
        )

    def _key(self):
        frames = [self._frame(ax) for ax in self.fig.axes]
        return self.fig.canvas.get_width_height(physical=True), self.fig.dpi, frames

    @staticmethod
    def _draws_something(artist):
        if not artist.get_visible():
            return False
        return not (
            isinstance(artist, Text)
            and not isinstance(artist, Annotation)
            and not artist.get_text()
        )

    def _changed(self, sequence):
        """The top-level artists (children of an axes or of the figure) that changed.

        A changed text inside a legend moves the whole legend. Axes frames
        (axis, ticks, spines) are left out: they change with the limits and
        the axis labels, which are part of the picture's key. An artist that
        draws nothing, and drew nothing in the picture, has not changed.
        """
        return [
            child
            for child in sequence
            if not isinstance(child, (Axis, Spine))
            and (self._draws_something(child) or id(child) in self._painted)
            and self._stale(child)
        ]

    @classmethod
    def _stale(cls, artist):
        """Whether ``artist`` or a visible part of it changed since it was drawn.

        A hidden part (a legend's empty title, its frame when off) is never
        drawn, so it stays stale; it changes nothing on the canvas.
        """
        return artist.stale or any(c.get_visible() and cls._stale(c) for c in artist.get_children())

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

    def footprint(self, artist, renderer):
        """Where ``artist`` can put paint on the canvas, cut to its clip box.

        Empty when it draws nothing; the whole figure for kinds of artist it
        does not know.
        """
        if not self._draws_something(artist):
            return Footprint()
        try:
            fp = self._footprint(artist, renderer)
        except (RuntimeError, ValueError):
            fp = None
        bounds = None if fp is None else fp.bounds()
        if fp is None or (bounds is not None and not np.all(np.isfinite(bounds))):
            return Footprint.of_bbox(self.fig.bbox)
        clip = artist.get_clip_box() if artist.get_clip_on() else None
        return fp if clip is None else fp.clipped(clip)

    def _footprint(self, artist, renderer):
        px = renderer.points_to_pixels
        pad = self.margin
        if isinstance(artist, Text):
            boxes = [artist.get_window_extent(renderer)]
            patch = artist.get_bbox_patch()
            if patch is not None:
                # The box around the text, grown by its style's pad; the patch's own
                # extent would trace every rounded corner.
                artist.update_bbox_position_size(renderer)
                corners = [[0, 0], [patch.get_width(), patch.get_height()]]
                box = Bbox(patch.get_transform().transform(corners))
                grow = getattr(patch.get_boxstyle(), "pad", 0.5) * patch.get_mutation_scale()
                boxes.append(box.padded(grow + px(patch.get_linewidth())))
            arrow = getattr(artist, "arrow_patch", None)
            if arrow is not None:
                boxes.append(arrow.get_window_extent(renderer))
            return Footprint.of_bbox(Bbox.union(boxes), pad + px(1.0))
        if isinstance(artist, Line2D):
            xy = artist.get_transform().transform(artist.get_xydata())
            parts = []
            if artist.get_linestyle() not in ("None", "", " ") and artist.get_linewidth() > 0:
                parts.append(Footprint.of_polyline(xy, px(artist.get_linewidth()) / 2 + pad))
            if artist.get_marker() not in (None, "None", "", " "):
                half = px(artist.get_markersize()) / 2 + px(artist.get_markeredgewidth()) + pad
                parts.append(Footprint.of_points(xy, half))
            return Footprint(
                np.vstack([p.boxes for p in parts] or [np.empty((0, 4))]),
                np.vstack([p.segments for p in parts] or [np.empty((0, 5))]),
            )
        if isinstance(artist, LineCollection):
            widths = np.asarray(artist.get_linewidths(), dtype=float)
            radius = px(float(widths.max()) if widths.size else 1.0) / 2 + pad
            transform = artist.get_transform()
            pieces = [
                Footprint.of_polyline(transform.transform(path.vertices), radius).segments
                for path in artist.get_paths()
            ]
            return Footprint(segments=np.vstack(pieces or [np.empty((0, 5))]))
        if isinstance(artist, PathCollection):  # scatter: markers around the offsets
            xy = artist.get_offset_transform().transform(artist.get_offsets())
            xy = xy[np.isfinite(xy).all(axis=1)]
            sizes = np.asarray(artist.get_sizes(), dtype=float)
            widths = np.asarray(artist.get_linewidths(), dtype=float)
            half = (
                px(np.sqrt(sizes.max()) if sizes.size else 6.0) / 2
                + px(widths.max() if widths.size else 1.0)
                + pad
            )
            if len(xy) > _MAX_SEGMENTS:  # many markers: the box around them all
                xy = np.array([xy.min(axis=0), xy.max(axis=0)])
            return Footprint.of_points(xy, half)
        if isinstance(artist, Collection) and not len(artist.get_offsets()):
            transform = artist.get_transform()
            boxes = [transform.transform_path(path).get_extents() for path in artist.get_paths()]
            widths = np.asarray(artist.get_linewidths(), dtype=float)
            if not boxes:
                return Footprint()
            return Footprint.of_bbox(
                Bbox.union(boxes), px(widths.max() if widths.size else 1.0) + pad
            )
        if isinstance(artist, Spine):
            # Its own get_window_extent would lay out the ticks too; its path
            # follows the axes limits only once placed for them.
            artist._adjust_location()
            box = Patch.get_window_extent(artist, renderer)
            return Footprint.of_bbox(box, px(artist.get_linewidth()) + pad)
        if isinstance(artist, (Patch, Legend, AxesImage)):
            box = artist.get_window_extent(renderer)
            width = getattr(artist, "get_linewidth", lambda: 1.0)() or 1.0
            return Footprint.of_bbox(box, px(width) + pad)
        return None

    def _axis_meets(self, axis, footprint, renderer):
        """Whether an axis (ticks, tick labels, grid) paints where ``footprint`` lies.

        Its grid lines cross the axes; its ticks and labels lie along the
        edges, beside the data, and reach inside only as far as inward ticks.
        """
        bounds = footprint.bounds()
        if bounds is None:
            return False
        inner = axis.axes.bbox
        ax = axis.axes
        # Where an axis paints depends on its own axes' frame only, so it is kept
        # while that frame stays, even when another axes' frame changes.
        key = (
            id(axis),
            self.fig.canvas.get_width_height(physical=True),
            self.fig.dpi,
            tuple(ax.get_xlim()),
            tuple(ax.get_ylim()),
            ax.axison,
            axis.label.get_text(),
        )
        if key not in self._axis_regions:
            if len(self._axis_regions) > 256:
                self._axis_regions.clear()
            ticks = [*axis.majorTicks[:1], *axis.minorTicks[:1]]
            reach = max(
                (t._size if t._tickdir in ("in", "inout") else 0.0 for t in ticks), default=0.0
            )
            inset = inner.padded(-self.fig.dpi / 72.0 * reach)
            grid = any(t.gridline.get_visible() for t in axis.get_major_ticks()[:1])
            self._axis_regions[key] = [None, inset, grid]
        entry = self._axis_regions[key]
        _region, inset, grid = entry
        if grid and footprint.overlaps(Footprint.of_bbox(inner)):
            return True
        x0, y0, x1, y1 = bounds
        if inset.x0 <= x0 and x1 <= inset.x1 and inset.y0 <= y0 and y1 <= inset.y1:
            return False  # inside the axes, clear of the ticks: no need to know their extent
        if entry[0] is None:  # the ticks' and labels' extent costs a layout: only when asked
            outer = axis.get_tightbbox(renderer)
            region = inner if outer is None else Bbox.union([outer, inner])
            entry[0] = Footprint.of_bbox(region, self.margin)
        return footprint.overlaps(entry[0])

    def _covered(self, sequence, moving, renderer):
        """The unchanged artists that a full render draws over a moving one they meet."""
        ids = {id(a) for a in moving}
        below = []  # [artist, footprint] of the moving artists met so far, footprints made late
        covered = []

        def footprints():
            for entry in below:
                if entry[1] is None:
                    artist = entry[0]
                    # A moving artist that did not change since its last repaint
                    # covers what it covered then.
                    if id(artist) not in self._moving_prints or self._stale(artist):
                        self._moving_prints[id(artist)] = self.footprint(artist, renderer)
                    entry[1] = self._moving_prints[id(artist)]
                if entry[1]:
                    yield entry[1]

        for artist in sequence:
            if id(artist) in ids:
                below.append([artist, None])
                continue
            if not below:
                continue
            if isinstance(artist, Axis):
                hit = any(self._axis_meets(artist, b, renderer) for b in footprints())
                fp = Footprint.of_bbox(artist.axes.bbox)
            else:
                if id(artist) not in self._footprints:
                    self._footprints[id(artist)] = self.footprint(artist, renderer)
                fp = self._footprints[id(artist)]
                hit = bool(fp) and any(fp.overlaps(b) for b in footprints())
            if hit:
                covered.append(artist)
                below.append([artist, fp])  # what lies over it must now move too
        return covered

    def paint(self):
        canvas = self.fig.canvas
        if not (self._drawn and hasattr(canvas, "copy_from_bbox")):
            canvas.draw_idle()
            return
        key = self._key()
        if key != self._picture_key:
            self._footprints = {}
            self._moving_prints = {}
        sequence = self._sequence()
        present = {id(a) for a in sequence}
        removed = not self._members <= present  # a removed artist is still in the picture
        known = {id(a) for a in self.moving}
        new = [a for a in self._changed(sequence) if id(a) not in known]
        moving = [a for a in self.moving if id(a) in present] + new
        renderer = canvas.get_renderer()
        covered = self._covered(sequence, moving, renderer)
        if new or covered or removed or self._picture is None or self._picture_key != key:
            first = self._picture is None
            rank = {id(a): k for k, a in enumerate(sequence)}
            self.moving = sorted(moving + covered, key=lambda a: rank[id(a)])
            self._take_picture(sequence)
            if first:
                self.prepare()
        canvas.restore_region(self._picture)
        for artist in self.moving:
            artist.draw(renderer)
        if hasattr(canvas, "_force_full"):
            # ipympl sends each frame as a difference from the one before, and a
            # browser that skips one (frames arriving back to back) keeps stale
            # pixels from then on (matplotlib issue #19116). A whole frame costs
            # about 3 ms more to encode and cannot go stale.
            canvas._force_full = True
        canvas.blit(self.fig.bbox)
        self.blits += 1

    @contextmanager
    def _leaving_out_moving(self):
        """Renders inside leave the moving artists out (as animated ones)."""
        animated = [a.get_animated() for a in self.moving]
        for artist in self.moving:
            artist.set_animated(True)  # a full render leaves animated artists out
        try:
            yield
        finally:
            for artist, flag in zip(self.moving, animated):
                artist.set_animated(flag)

    def _take_picture(self, sequence):
        """Render everything but the moving artists once, and keep that picture.

        ``sequence`` is the figure's artists in drawing order (:meth:`_sequence`)."""
        canvas = self.fig.canvas
        with self._leaving_out_moving():
            if not self._render_keeping_axes():
                FigureCanvasAgg.draw(canvas)  # render here, without sending a frame to the page
            self._picture = canvas.copy_from_bbox(self.fig.bbox)
        self._frames = {id(ax): self._frame(ax) for ax in self.fig.axes}
        self._picture_key = self._key()
        self._members = {id(a) for a in sequence}
        self._painted = {id(a) for a in sequence if self._draws_something(a)}
        self._footprints = {}
        self.full_draws += 1

    # -- a new frame in one axes leaves the others' pixels as they were --------

    def _render_keeping_axes(self):
        """Render a new picture in which the axes whose frame did not change are
        pasted from a rendering of each alone, kept from earlier pictures.

        When one panel of a figure gets new limits, a full render would redraw
        every panel. Here only the panels whose frame changed are rendered; an
        unchanged panel is pasted, drawn once alone over the figure's
        background. That is exact only if nothing else paints where the pasted
        panel lies: after rendering the rest, that region must still be pure
        background, or the picture is rendered in full instead. Returns whether
        the picture was made this way.
        """
        fig, canvas = self.fig, self.fig.canvas
        axes = [ax for ax in fig.axes if ax.get_visible()]
        if (
            self._picture is None
            or len(axes) < 2
            or fig.get_layout_engine() is not None
            or self._picture_key is None
            or self._picture_key[:2] != self._key()[:2]
        ):
            return False
        kept = [ax for ax in axes if self._frames.get(id(ax)) == self._frame(ax)]
        if not kept or len(kept) == len(axes):
            return False
        renderer = canvas.get_renderer()
        moving = {id(a) for a in self.moving}
        layers = []
        for ax in kept:
            state = self._layer_state(ax, moving)
            cached = self._layers.get(id(ax))
            if cached is None or cached[0] != state:
                cached = self._render_layer(ax, state, renderer)
                if cached is None:
                    return False
            layers.append((ax, cached))
        for ax in kept:
            ax.set_visible(False)
        try:
            FigureCanvasAgg.draw(canvas)
        finally:
            for ax in kept:
                ax.set_visible(True)
        pixels = np.asarray(canvas.buffer_rgba())
        background = np.array(
            [round(255 * v) for v in fig.patch.get_facecolor()], dtype=pixels.dtype
        )
        for _ax, (_state, box, _region) in layers:
            rows, cols = self._pixel_slices(box, pixels.shape[0])
            if not (pixels[rows, cols] == background).all():
                return False  # something else paints there: render in full
        for ax, (_state, _box, region) in layers:
            canvas.restore_region(region)
            ax.stale = False
            self.layers_reused += 1
        return True

    def _layer_state(self, ax, moving):
        """What a rendering of ``ax`` alone depends on: its frame, its artists and
        which of them move (those are left out). ``moving`` holds their ids."""
        children = ax.get_children()
        return (
            self._frame(ax),
            frozenset(id(c) for c in children),
            frozenset(id(c) for c in children if id(c) in moving),
        )

    def _render_layer(self, ax, state, renderer):
        """``ax`` rendered alone over the figure's background: (state, box, pixels)."""
        fig, canvas = self.fig, self.fig.canvas
        extent = ax.get_tightbbox(
            renderer, bbox_extra_artists=[c for c in ax.get_children() if c.get_visible()]
        )
        if extent is None:
            return None
        width, height = canvas.get_width_height(physical=True)
        pad = self.margin
        box = Bbox.from_extents(
            max(0, np.floor(extent.x0 - pad)),
            max(0, np.floor(extent.y0 - pad)),
            min(width, np.ceil(extent.x1 + pad)),
            min(height, np.ceil(extent.y1 + pad)),
        )
        others = [a for a in fig.get_children() if a is not ax and a is not fig.patch]
        shown = [(a, a.get_visible(), a.stale) for a in others]
        for a, _visible, _stale in shown:
            a.set_visible(False)
        try:
            FigureCanvasAgg.draw(canvas)
            region = canvas.copy_from_bbox(box)
        finally:
            for a, visible, stale in shown:
                a.set_visible(visible)
                a.stale = stale
        self._layers[id(ax)] = (state, box, region)
        return self._layers[id(ax)]

    @staticmethod
    def _pixel_slices(box, height):
        """Rows and columns of the canvas buffer (top row first) inside ``box``."""
        x0, y0, x1, y1 = (int(v) for v in box.extents)
        return slice(height - y1, height - y0), slice(x0, x1)
