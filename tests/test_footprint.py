"""The footprints the painter uses to decide which artists meet on the canvas.

A footprint must never miss a meeting (the repaint would then differ from a
full render), and should not see one where the shapes are apart (the repaint
would only be slower). Both are checked against brute force.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.transforms import Bbox

from helpers.painter import Footprint, _merged_segments, _segment_distance

coord = st.floats(-100, 100, allow_nan=False)
point = st.tuples(coord, coord).map(np.array)


def brute_distance(p1, q1, p2, q2, n=801):
    t = np.linspace(0, 1, n)[:, None]
    a = p1 + t * (q1 - p1)
    b = p2 + t * (q2 - p2)
    return np.min(np.hypot(*(a[:, None, :] - b[None, :, :]).transpose(2, 0, 1)))


@settings(max_examples=200, deadline=None)
@given(point, point, point, point)
def test_segment_distance_matches_brute_force(p1, q1, p2, q2):
    exact = float(_segment_distance(p1, q1, p2, q2))
    sampled = brute_distance(p1, q1, p2, q2)
    step = max(np.hypot(*(q1 - p1)), np.hypot(*(q2 - p2))) / 800
    # In pixels: a millionth of one is nothing on the canvas.
    assert exact <= sampled + 1e-6
    assert sampled <= exact + step + 1e-6


def test_segment_distance_special_cases():
    o, x, y = np.array([0.0, 0.0]), np.array([1.0, 0.0]), np.array([0.0, 1.0])
    assert _segment_distance(o, x, o + y, x + y) == pytest.approx(1.0)  # parallel
    assert _segment_distance(o, x, 2 * x, 3 * x) == pytest.approx(1.0)  # same line, apart
    assert _segment_distance(o, o, y, y) == pytest.approx(1.0)  # two points
    assert _segment_distance(o, 2 * x, x - y, x + y) == pytest.approx(0.0)  # crossing


@settings(max_examples=100, deadline=None)
@given(
    st.lists(point, min_size=2, max_size=300),
    st.floats(0, 5),
)
def test_merged_segments_cover_every_point_of_the_line(points, radius):
    run = np.array(points)
    rows = _merged_segments(run, radius)
    assert len(rows) <= 48
    # Every point of the polyline (vertices and midpoints) lies within some thick segment.
    samples = np.vstack([run, (run[:-1] + run[1:]) / 2])
    gaps = _segment_distance(
        samples[:, None, :], samples[:, None, :], rows[None, :, 0:2], rows[None, :, 2:4]
    )
    assert (gaps <= rows[None, :, 4] + 1e-6).any(axis=1).all()


def test_polyline_breaks_at_missing_points():
    fp = Footprint.of_polyline([[0, 0], [10, 0], [np.nan, np.nan], [20, 0], [30, 0]], 1.0)
    assert len(fp.segments) == 2
    assert not fp.overlaps(Footprint(boxes=[[14, -1, 16, 1]]))  # the gap is left out
    assert fp.overlaps(Footprint(boxes=[[24, -1, 26, 1]]))


def test_a_diagonal_line_does_not_meet_a_box_beside_it():
    line = Footprint.of_polyline([[0, 0], [100, 100]], 2.0)
    assert not line.overlaps(Footprint(boxes=[[60, 10, 80, 30]]))  # inside its bounding box
    assert line.overlaps(Footprint(boxes=[[40, 52, 50, 70]]))  # corner 1.4 px from the line
    assert not line.overlaps(Footprint(boxes=[[40, 55, 50, 70]]))  # corner 3.5 px away


def test_box_inside_a_thick_segment_meets_it():
    line = Footprint.of_polyline([[0, 0], [100, 0]], 10.0)
    assert line.overlaps(Footprint(boxes=[[40, -1, 41, 1]]))


def test_clipped_keeps_what_reaches_the_clip_box():
    fp = Footprint(boxes=[[0, 0, 10, 10], [50, 50, 60, 60]], segments=[[0, 0, 5, 0, 1]])
    inside = fp.clipped(Bbox([[8, 8], [55, 55]]))
    np.testing.assert_allclose(inside.boxes, [[8, 8, 10, 10], [50, 50, 55, 55]])
    assert len(inside.segments) == 0
    assert not Footprint().overlaps(fp) and not fp.overlaps(Footprint())


@settings(max_examples=100, deadline=None)
@given(
    st.lists(point, min_size=2, max_size=6),
    st.lists(point, min_size=2, max_size=6),
    st.floats(0.5, 5),
    st.floats(0.5, 5),
)
def test_two_lines_meet_exactly_when_they_come_within_their_widths(a, b, ra, rb):
    fa, fb = Footprint.of_polyline(a, ra), Footprint.of_polyline(b, rb)
    gap = min(
        brute_distance(p1, q1, p2, q2, n=201)
        for p1, q1 in zip(a[:-1], a[1:])
        for p2, q2 in zip(b[:-1], b[1:])
    )
    assert fa.overlaps(fb) == fb.overlaps(fa)
    if gap < ra + rb - 1.0:
        assert fa.overlaps(fb)
    if gap > ra + rb + 1.0:
        assert not fa.overlaps(fb)


def test_a_clipped_line_is_bounded_by_its_clip_box():
    """A curve that runs off the axes paints only inside them (so it does not reach the ticks)."""
    line = Footprint.of_polyline([[0, 50], [500, 50]], 2.0).clipped(Bbox([[100, 0], [200, 100]]))
    np.testing.assert_allclose(line.bounds(), [100, 48, 200, 52])
    assert not Footprint.of_polyline([[0, 50], [50, 50]], 2.0).clipped(Bbox([[100, 0], [200, 100]]))
