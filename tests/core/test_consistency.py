"""Consistency, outliers, disagreement and gaps (docs/specification.md section 5), by hand.

Department scores are built directly (tests/core/factories.py ``scores``);
2.8 - 1.3 evaluates to 1.4999999999999998, which must count as 1.5.
"""

import math

import pytest

from assessment.core.analysis import analyse_round
from assessment.core.consistency import (
    DEFAULT_THRESHOLDS,
    Disagreement,
    Inconsistency,
    Outlier,
    Thresholds,
    dimension_inconsistencies,
    find_outliers,
    name_order,
    question_inconsistencies,
    target_gaps,
    within_department_disagreements,
)
from assessment.core.errors import ScoringError
from assessment.core.scoring import OrganisationScores

from .factories import BANK, department, scores

DEFAULTS = Thresholds()


def culture(*pairs):
    """Departments scored only on culture: culture(("A", 1.0), ("B", 2.5))."""
    return [scores(name, {"culture": score}) for name, score in pairs]


def question_c2(*pairs):
    return [scores(name, {}, question_scores={"c2": score}) for name, score in pairs]


def flagged_spreads(departments, thresholds=DEFAULTS):
    return [f.spread for f in dimension_inconsistencies(BANK, departments, thresholds)]


# --- thresholds -----------------------------------------------------------------


def test_default_thresholds_are_the_contract_defaults():
    assert Thresholds(1.5, 2.0, 1.0, 1.5) == DEFAULT_THRESHOLDS


@pytest.mark.parametrize(
    "field",
    ["dimension_spread", "question_spread", "outlier_distance", "within_department_spread"],
)
@pytest.mark.parametrize("value", [0, -1.0, math.nan, math.inf, "1.5", True, None])
def test_thresholds_must_be_positive_finite_numbers(field, value):
    with pytest.raises(ScoringError, match=field):
        Thresholds(**{field: value})


def test_thresholds_accept_any_positive_number():
    assert Thresholds(0.5, 1, 0.25, 3).question_spread == 1


# --- dimension inconsistency --------------------------------------------------


@pytest.mark.parametrize(
    ("low", "high", "flagged"),
    [
        (1.0, 2.49, False),
        (1.0, 2.4999999, False),
        (1.3, 2.8, True),  # 1.4999999999999998
        (1.0, 2.5, True),
        (1.0, 3.0, True),
    ],
)
def test_dimension_is_flagged_when_spread_reaches_the_threshold(low, high, flagged):
    assert bool(flagged_spreads(culture(("A", low), ("B", high)))) is flagged


def test_spread_just_short_of_the_threshold_by_float_error_is_flagged():
    [flag] = dimension_inconsistencies(BANK, culture(("A", 1.3), ("B", 2.8)), DEFAULTS)
    assert flag.spread == 1.4999999999999998


def test_dimension_flag_reports_spread_std_dev_and_extremes():
    [flag] = dimension_inconsistencies(
        BANK, culture(("A", 1.0), ("B", 2.0), ("C", 4.0)), DEFAULTS
    )
    # mean 7/3; deviations -4/3, -1/3, 5/3; variance 42/27.
    assert flag == Inconsistency(
        kind="dimension",
        dimension="culture",
        question_id=None,
        spread=3.0,
        std_dev=pytest.approx(math.sqrt(42 / 27)),
        lowest=("A",),
        highest=("C",),
    )


def test_lowest_and_highest_list_every_department_tied_within_tolerance_by_name():
    departments = culture(("Beta", 1.0), ("alpha", 1.0 + 5e-10), ("Gamma", 3.0),
                          ("delta", 3.0), ("Eps", 1.1))
    [flag] = dimension_inconsistencies(BANK, departments, DEFAULTS)
    assert flag.lowest == ("alpha", "Beta")
    assert flag.highest == ("delta", "Gamma")


def test_one_scored_department_is_never_inconsistent():
    departments = culture(("A", 1.0), ("B", None), ("C", None))
    assert dimension_inconsistencies(BANK, departments, Thresholds(dimension_spread=0.1)) == []


def test_departments_without_a_score_are_left_out_of_the_spread():
    assert flagged_spreads(culture(("A", 2.0), ("B", None), ("C", 4.0))) == [2.0]


def test_equal_scores_are_not_flagged_even_under_a_tiny_threshold():
    assert flagged_spreads(culture(("A", 3.0), ("B", 3.0)), Thresholds(1e-12)) == []


def test_dimension_flags_are_listed_largest_spread_first_then_bank_order():
    departments = [
        scores("A", {"objectives": 1.0, "listening": 1.0, "culture": 1.0}),
        scores("B", {"objectives": 3.0, "listening": 4.0, "culture": 3.0}),
    ]
    flags = dimension_inconsistencies(BANK, departments, DEFAULTS)
    assert [f.dimension for f in flags] == ["listening", "objectives", "culture"]


def test_no_departments_give_no_inconsistencies():
    assert dimension_inconsistencies(BANK, [], DEFAULTS) == []
    assert question_inconsistencies(BANK, [], DEFAULTS) == []


# --- question inconsistency ------------------------------------------------------


@pytest.mark.parametrize(
    ("low", "high", "flagged"),
    [(1.0, 2.9, False), (1.0, 2.9999999, False), (1.3, 3.3, True), (1.0, 3.0, True),
     (1.0, 5.0, True)],
)
def test_question_is_flagged_when_spread_reaches_the_threshold(low, high, flagged):
    departments = question_c2(("A", low), ("B", high))
    assert bool(question_inconsistencies(BANK, departments, DEFAULTS)) is flagged


def test_question_flag_names_its_question_and_dimension():
    [flag] = question_inconsistencies(
        BANK, question_c2(("A", 1.0), ("B", 3.0), ("C", 3.0)), DEFAULTS
    )
    assert (flag.kind, flag.dimension, flag.question_id) == ("question", "culture", "c2")
    assert (flag.lowest, flag.highest) == (("A",), ("B", "C"))
    assert flag.std_dev == pytest.approx(math.sqrt(8 / 9))


def test_question_scored_by_one_department_is_never_flagged():
    departments = question_c2(("A", 1.0), ("B", None))
    assert question_inconsistencies(BANK, departments, Thresholds(question_spread=0.1)) == []


def test_question_flags_are_listed_largest_spread_first_then_bank_order():
    departments = [
        scores("A", {}, question_scores={"o1": 1.0, "l1": 1.0, "c2": 1.0}),
        scores("B", {}, question_scores={"o1": 3.0, "l1": 5.0, "c2": 3.0}),
    ]
    flags = question_inconsistencies(BANK, departments, DEFAULTS)
    assert [f.question_id for f in flags] == ["l1", "o1", "c2"]


# --- outliers ------------------------------------------------------------------


def test_department_a_distance_below_the_median_is_behind_and_above_is_ahead():
    departments = culture(("A", 1.0), ("B", 3.0), ("C", 3.0), ("D", 3.0), ("E", 4.0))
    assert find_outliers(BANK, departments, DEFAULTS) == [
        Outlier("A", "culture", 1.0, 3.0, "behind"),
        Outlier("E", "culture", 4.0, 3.0, "ahead"),
    ]


@pytest.mark.parametrize(
    ("score", "expected"),
    [(2.01, None), (2.0000001, None), (2.0, "behind"), (1.3, "behind"),
     (3.99, None), (3.9999999, None), (4.0, "ahead"), (4.5, "ahead")],
)
def test_outlier_threshold_just_below_exactly_and_beyond(score, expected):
    departments = culture(("A", score), ("B", 3.0), ("C", 3.0))
    found = find_outliers(BANK, departments, DEFAULTS)
    assert [o.direction for o in found] == ([expected] if expected else [])


def test_outlier_distance_short_by_float_error_counts():
    # median 2.3; 2.3 - 1.3 evaluates to 0.9999999999999998.
    behind = find_outliers(BANK, culture(("A", 1.3), ("B", 2.3), ("C", 2.3)), DEFAULTS)
    ahead = find_outliers(BANK, culture(("A", 1.3), ("B", 1.3), ("C", 2.3)), DEFAULTS)
    assert [(o.department, o.direction) for o in behind] == [("A", "behind")]
    assert [(o.department, o.direction) for o in ahead] == [("C", "ahead")]


def test_median_is_over_scored_departments_only():
    departments = culture(("A", 1.0), ("B", None), ("C", 3.0), ("D", 3.5))
    [outlier] = find_outliers(BANK, departments, DEFAULTS)
    assert (outlier.department, outlier.median) == ("A", 3.0)


def test_two_departments_far_apart_are_both_outliers_of_their_midpoint():
    found = find_outliers(BANK, culture(("A", 1.0), ("B", 3.0)), DEFAULTS)
    assert [(o.department, o.direction, o.median) for o in found] == [
        ("A", "behind", 2.0),
        ("B", "ahead", 2.0),
    ]


def test_a_lone_department_is_never_an_outlier():
    assert find_outliers(BANK, culture(("A", 1.0)), Thresholds(outlier_distance=1e-12)) == []


def test_outliers_are_listed_largest_distance_then_dimension_order_then_name():
    departments = [
        scores("B", {"objectives": 3.0, "listening": 3.0, "culture": 1.0}),
        scores("a", {"objectives": 3.0, "listening": 3.0, "culture": 1.0}),
        scores("C", {"objectives": 3.0, "listening": 3.0, "culture": 3.0}),
        scores("d", {"objectives": 0.5, "listening": 1.0, "culture": 3.0}),
        scores("E", {"objectives": 3.0, "listening": 3.0, "culture": 3.0}),
    ]
    found = find_outliers(BANK, departments, DEFAULTS)
    # Distances: d objectives 2.5; d listening, a culture and B culture 2.0.
    assert [(o.department, o.dimension) for o in found] == [
        ("d", "objectives"),
        ("d", "listening"),
        ("a", "culture"),
        ("B", "culture"),
    ]


# --- within-department disagreement ---------------------------------------------


def respondents(*dimension_scores):
    return scores("Parks", {}, respondent_scores=[{"culture": s} for s in dimension_scores])


@pytest.mark.parametrize(
    ("respondent_scores", "spread"),
    [((1.0, 2.49), None), ((1.0, 2.4999999), None), ((1.3, 2.8), 1.4999999999999998),
     ((1.0, 2.5), 1.5), ((2.0, 1.0, 4.0), 3.0)],
)
def test_disagreement_is_flagged_when_respondent_spread_reaches_threshold(
    respondent_scores, spread
):
    found = within_department_disagreements(BANK, [respondents(*respondent_scores)], DEFAULTS)
    assert found == ([Disagreement("Parks", "culture", spread)] if spread else [])


def test_one_respondent_never_disagrees():
    tiny = Thresholds(within_department_spread=1e-12)
    assert within_department_disagreements(BANK, [respondents(1.0)], tiny) == []


def test_respondents_with_nothing_scored_are_left_out_of_the_spread():
    found = within_department_disagreements(BANK, [respondents(1.0, None, None)], DEFAULTS)
    assert found == []
    found = within_department_disagreements(BANK, [respondents(1.0, None, 3.0)], DEFAULTS)
    assert found == [Disagreement("Parks", "culture", 2.0)]


def test_disagreements_are_listed_largest_spread_then_name_then_dimension_order():
    def two(name, low_scores):
        return scores(name, {}, respondent_scores=[low_scores, dict.fromkeys(low_scores, 5.0)])

    departments = [
        two("B", {"objectives": 3.0, "culture": 3.0}),
        two("a", {"objectives": 1.0, "culture": 3.0}),
        two("C", {"listening": 2.0}),
    ]
    found = within_department_disagreements(BANK, departments, DEFAULTS)
    assert [(d.department, d.dimension, d.spread) for d in found] == [
        ("a", "objectives", 4.0),
        ("C", "listening", 3.0),
        ("a", "culture", 2.0),
        ("B", "objectives", 2.0),
        ("B", "culture", 2.0),
    ]


# --- target gaps ---------------------------------------------------------------


ORGANISATION = OrganisationScores(
    scores={"objectives": 2.5, "listening": None, "culture": 4.25},
    median={}, min={}, max={}, departments_scored=2,
)


def test_gap_is_target_minus_organisation_score_for_dimensions_with_a_target():
    gaps = target_gaps(ORGANISATION, {"culture": 4, "objectives": 3.5})
    assert gaps == {"objectives": 1.0, "culture": -0.25}
    assert list(gaps) == ["objectives", "culture"]


def test_gap_is_none_where_the_organisation_has_no_score():
    assert target_gaps(ORGANISATION, {"listening": 3}) == {"listening": None}


def test_no_targets_give_no_gaps():
    assert target_gaps(ORGANISATION, {}) == {}


def test_targets_at_the_ends_of_the_scale_are_accepted():
    assert target_gaps(ORGANISATION, {"objectives": 1, "culture": 5.0}) == {
        "objectives": -1.5,
        "culture": 0.75,
    }


@pytest.mark.parametrize("target", [0.99, 5.01, 0, 6, math.nan, math.inf, "3", True, None])
def test_target_outside_one_to_five_is_a_scoring_error(target):
    with pytest.raises(ScoringError, match="objectives"):
        target_gaps(ORGANISATION, {"objectives": target})


def test_target_for_an_unknown_dimension_is_a_scoring_error():
    with pytest.raises(ScoringError, match="'reach'"):
        target_gaps(ORGANISATION, {"objectives": 3, "reach": 3})


# --- names -----------------------------------------------------------------------


def test_department_names_sort_case_insensitively_then_exactly():
    assert sorted(["b", "B", "a", "C"], key=name_order) == ["a", "B", "b", "C"]


@pytest.mark.parametrize(
    "check",
    [dimension_inconsistencies, question_inconsistencies, find_outliers,
     within_department_disagreements],
)
def test_every_check_refuses_two_departments_with_one_name(check):
    with pytest.raises(ScoringError, match="unique"):
        check(BANK, culture(("A", 1.0), ("A", 3.0)), DEFAULTS)


# --- a whole round ---------------------------------------------------------------


def test_round_lists_departments_by_name_case_insensitively():
    results = analyse_round(BANK, [department("parks"), department("Roads"),
                                   department("Adult care")])
    assert [d.name for d in results.departments] == ["Adult care", "parks", "Roads"]


def test_round_refuses_two_departments_with_one_name():
    with pytest.raises(ScoringError, match="'Parks'"):
        analyse_round(BANK, [department("Parks"), department("Roads"), department("Parks")])


def test_round_refuses_a_bad_target():
    with pytest.raises(ScoringError):
        analyse_round(BANK, [department("Parks")], targets={"listening": 7})


def test_round_puts_dimension_flags_before_question_flags_of_equal_spread():
    # listening has one question: both spreads are 2.0; objectives spreads 4.0.
    results = analyse_round(BANK, [
        department("A", {"l1": 1, "o1": 1, "o2": 1}),
        department("B", {"l1": 3, "o1": 5, "o2": 5}),
    ])
    assert [(f.kind, f.dimension, f.question_id, f.spread) for f in results.inconsistencies] == [
        ("dimension", "objectives", None, 4.0),
        ("question", "objectives", "o1", 4.0),
        ("question", "objectives", "o2", 4.0),
        ("dimension", "listening", None, 2.0),
        ("question", "listening", "l1", 2.0),
    ]


def test_round_brings_scores_targets_gaps_outliers_and_disagreement_together():
    results = analyse_round(
        BANK,
        [
            department("Roads", {"c1": 4, "c2": 4}),
            department("Parks", {"c1": 1, "c2": 2}, {"c1": 4, "c2": 5}, directorate="Place"),
            department("Waste", {"c1": 4, "c2": 4}, {"c1": "dont_know"}),
        ],
        thresholds=Thresholds(outlier_distance=0.5),
        targets={"culture": 4, "objectives": 2},
    )
    # Parks: respondents 1.5 and 4.5 -> 3.0; Roads 4.0; Waste 4.0. Mean 11/3.
    assert results.organisation.scores["culture"] == pytest.approx(11 / 3)
    assert results.targets == {"objectives": 2.0, "culture": 4.0}
    assert results.gaps["culture"] == pytest.approx(1 / 3)
    assert results.gaps["objectives"] is None
    assert results.outliers == (Outlier("Parks", "culture", 3.0, 4.0, "behind"),)
    assert results.within_department == (Disagreement("Parks", "culture", 3.0),)
    assert results.inconsistencies == ()
    assert results.departments[2].dont_know_rate["culture"] == pytest.approx(1 / 3)


def test_empty_round_has_no_scores_and_no_flags():
    results = analyse_round(BANK, [])
    assert results.departments == ()
    assert results.organisation.departments_scored == 0
    assert results.targets == {}
    assert results.gaps == {}
    assert (results.inconsistencies, results.outliers, results.within_department) == ((), (), ())
