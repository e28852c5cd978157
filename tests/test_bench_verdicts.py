"""The benchmark table's verdicts: met, MISSED by how much, or why a goal is not judged."""

from __future__ import annotations

from benchmarks.common import Figure, Goal, p95

RATIO = Goal("<= 5x bare executemany", 5.0, on="ratio")
AT_2000 = Goal("<= 200 ms", 0.2, departments=(2_000,))


def test_a_ratio_goal_is_met_or_missed_by_how_much():
    assert Figure("sqlite", "import", 10.0, limit=2.0, goal=RATIO).verdict == "met"
    assert Figure("sqlite", "import", 13.0, limit=2.0, goal=RATIO).verdict == "MISSED by 1.50x (30%)"


def test_a_goal_for_one_size_is_judged_only_at_that_size():
    assert Figure("sqlite", "warm", 0.3, goal=AT_2000, departments=2_000).verdict == \
        "MISSED by 100 ms (50%)"
    assert Figure("sqlite", "warm", 0.3, goal=AT_2000, departments=100).verdict == \
        "not judged (goal for 2,000 departments)"


def test_strict_and_above_goals():
    memory = Goal("< 300 MB", 300, strict=True)
    assert Figure("-", "peak", 300, unit="MB", goal=memory).verdict.startswith("MISSED by 0 MB")
    above = Goal("<= 1 s above a bare app", 1.0, on="above")
    assert Figure("-", "create_app()", 1.4, limit=0.5, goal=above).verdict == "met"
    assert Figure("-", "create_app()", 2.0, limit=0.5, goal=above).verdict == "MISSED by 500 ms (50%)"


def test_rows_without_a_goal_say_so_and_p95_is_nearest_rank():
    assert Figure("-", "chart", 0.01).verdict == "no goal stated"
    assert p95([float(n) for n in range(1, 21)]) == 19.0
    assert p95([3.0, 1.0, 2.0]) == 3.0
