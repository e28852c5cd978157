"""Peer benchmarks: every figure worked out by hand (quartiles: statistics' "inclusive" method).

For n sorted scores s[0..n-1], the lower quartile lies at position (n - 1) / 4 and the
upper at 3 (n - 1) / 4, interpolated linearly between the two neighbouring scores.
"""

import pytest

from assessment.core.benchmark import (
    BANDS,
    BenchmarkError,
    Distribution,
    Position,
    benchmark,
    distribution,
    group_benchmark,
    position,
)
from assessment.core.errors import AssessmentError

#: Six organisations, given out of order.  Sorted: 1.5 2.0 2.5 3.0 3.5 4.5.
SIX = [3.0, 1.5, 4.5, 2.0, 3.5, 2.5]


def test_six_organisations_every_figure():
    # lower quartile: position 5/4 = 1.25, so 2.0 + 0.25 x (2.5 - 2.0) = 2.125
    # median: (2.5 + 3.0) / 2 = 2.75
    # upper quartile: position 15/4 = 3.75, so 3.0 + 0.75 x (3.5 - 3.0) = 3.375
    assert distribution(SIX) == Distribution(count=6, lowest=1.5, lower_quartile=2.125,
                                             median=2.75, upper_quartile=3.375, highest=4.5)


@pytest.mark.parametrize(("score", "below", "band"), [
    (1.5, 0, "lowest_quarter"),   # 1.5 < 2.125
    (2.0, 1, "lowest_quarter"),   # 2.0 < 2.125
    (2.5, 2, "below_median"),     # 2.125 <= 2.5 < 2.75
    (3.0, 3, "above_median"),     # 2.75 < 3.0 <= 3.375
    (3.5, 4, "highest_quarter"),  # 3.5 > 3.375
    (4.5, 5, "highest_quarter"),
])
def test_six_organisations_each_position(score, below, band):
    found = benchmark(SIX, score)
    assert found.shown and found.contributed == 6 and found.minimum == 5
    assert found.position == Position(score, below, band)


def test_four_organisations_show_nothing():
    found = benchmark([1.0, 2.0, 3.0, 4.0], 2.0)
    assert not found.shown
    assert (found.contributed, found.minimum, found.distribution, found.position) == (4, 5, None, None)


def test_unscored_organisations_do_not_count_towards_the_minimum():
    assert benchmark([1.0, 2.0, None, 3.0, 4.0, None], 2.0).contributed == 4
    assert benchmark([1.0, 2.0, 3.0, 4.0], 2.0, minimum=4).shown


def test_ties_with_the_median():
    # Sorted 2 3 3 3 4 5: lower quartile 3 + 0.25 x 0 = 3.0, median 3.0,
    # upper quartile 3 + 0.75 x (4 - 3) = 3.75.
    scores = [3.0, 5.0, 3.0, 2.0, 4.0, 3.0]
    assert distribution(scores) == Distribution(6, 2.0, 3.0, 3.0, 3.75, 5.0)
    # Equal to the median (and to the lower quartile): at the median; only 2.0 is below.
    assert position(scores, 3.0) == Position(3.0, 1, "at_median")
    assert position(scores, 2.0) == Position(2.0, 0, "lowest_quarter")
    assert position(scores, 4.0) == Position(4.0, 4, "highest_quarter")  # 4.0 > 3.75


def test_a_score_equal_to_a_quartile_is_in_the_band_nearer_the_median():
    # Sorted 1 2 2 4 4 5: lower quartile 2 + 0.25 x 0 = 2.0, median (2 + 4) / 2 = 3.0,
    # upper quartile 4 + 0.75 x 0 = 4.0.
    scores = [4.0, 2.0, 5.0, 1.0, 4.0, 2.0]
    assert distribution(scores) == Distribution(6, 1.0, 2.0, 3.0, 4.0, 5.0)
    assert position(scores, 2.0) == Position(2.0, 1, "below_median")  # two orgs on 2.0: one below
    assert position(scores, 4.0) == Position(4.0, 3, "above_median")
    assert position(scores, 1.0).band == "lowest_quarter"
    assert position(scores, 5.0).band == "highest_quarter"


def test_an_organisation_equal_to_the_median_of_an_even_group():
    # Sorted 1 2 3 4 5 5: median (3 + 4) / 2 = 3.5; a score of 3.5 (not one of the six
    # in the group) is at the median, with three organisations below it.
    scores = [1.0, 2.0, 3.0, 4.0, 5.0, 5.0]
    assert distribution(scores).median == 3.5
    assert position(scores, 3.5) == Position(3.5, 3, "at_median")
    assert position(scores, 3.5 + 1e-12).band == "at_median"  # within the tolerance


def test_an_unscored_organisation_has_no_position_but_the_group_is_shown():
    found = benchmark(SIX, None)
    assert found.shown and found.position is None and found.distribution.median == 2.75


def test_bands_are_listed_lowest_first():
    assert BANDS == ("lowest_quarter", "below_median", "at_median", "above_median",
                     "highest_quarter")


@pytest.mark.parametrize(("call", "message"), [
    (lambda: distribution([]), "there are no scores to compare"),
    (lambda: distribution([0.5, 3.0]), "a score must be between 1 and 5, not 0.5"),
    (lambda: position([2.0, 3.0], 6.0), "a score must be between 1 and 5, not 6.0"),
    (lambda: benchmark(SIX, 2.0, minimum=0), "the minimum must be 1 or more, not 0"),
])
def test_bad_input_is_one_of_the_core_errors(call, message):
    with pytest.raises(BenchmarkError, match=message) as raised:
        call()
    assert isinstance(raised.value, AssessmentError)


def test_a_group_benchmarks_every_dimension_and_question_and_counts_the_round_once():
    own = ({"a": 3.0, "b": None}, {"a1": 2.0})
    peers = [({"a": s, "b": 2.0}, {"a1": s}) for s in (1.5, 2.0, 2.5, 3.5, 4.5)]
    found = group_benchmark(own, peers, ["a", "b"], ["a1"])
    assert (found.organisations, found.minimum, found.shown) == (6, 5, True)
    assert found.dimensions["a"].distribution == Distribution(6, 1.5, 2.125, 2.75, 3.375, 4.5)
    assert found.dimensions["a"].position == Position(3.0, 3, "above_median")
    # Unscored by the round itself: the five peers' scores are shown, no position.
    assert found.dimensions["b"].contributed == 5 and found.dimensions["b"].position is None
    # 1.5 2.0 2.0 2.5 3.5 4.5: lower quartile 2.0, median 2.25; 2.0 is below the median.
    assert found.questions["a1"].position == Position(2.0, 1, "below_median")
    assert not group_benchmark(own, peers[:3], ["a"], ["a1"]).shown
