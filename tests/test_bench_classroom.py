"""The classroom benchmark's summaries (benchmarks/bench_classroom.py), without a browser."""

from benchmarks.bench_classroom import largest_class, summary


def test_summary_gives_p50_p95_and_count():
    assert summary([10.0, 20.0, 30.0, 40.0, 50.0]) == {"p50": 30.0, "p95": 48.0, "n": 5}
    assert summary([]) == {"p50": None, "p95": None, "n": 0}


def _row(students, p95, unusable=0):
    return {"students": students, "latency_ms": {"p95": p95}, "unusable_pages": unusable}


def test_largest_class_needs_p95_under_target_and_every_page_usable():
    rows = [_row(10, 80.0), _row(20, 240.0), _row(40, 260.0)]
    assert largest_class(rows) == 20
    assert largest_class([_row(10, 80.0), _row(20, 90.0, unusable=1)]) == 10
    assert largest_class([_row(10, None), _row(20, 300.0)]) is None
