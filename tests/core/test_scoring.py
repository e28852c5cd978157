"""Scoring rules of docs/specification.md section 4, with hand-computed expectations.

The bank used (tests/core/factories.py BANK): objectives o1 (weight 1) and
o2 (weight 3); listening l1; culture c1 and c2.
"""

import pytest

from assessment.core.errors import AnswerError, AssessmentError, ScoringError
from assessment.core.scoring import (
    TOLERANCE,
    level_reached,
    respondent_dimension_scores,
    score_department,
    score_organisation,
)

from .factories import BANK, department, make_bank, scores

# --- level reached -----------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (1.0, 1),
        (2.9, 2),
        (2.999999, 2),
        (3.0, 3),
        (3.5, 3),
        (2.9999999999995, 3),
        (2.9999999999999996, 3),
        (4.99999999, 4),
        (5.0, 5),
    ],
)
def test_level_reached_is_the_floor_of_the_score_within_tolerance(score, level):
    assert level_reached(score) == level


def test_level_reached_of_nothing_scored_is_none():
    assert level_reached(None) is None


def test_tolerance_is_one_billionth():
    assert TOLERANCE == 1e-9


# --- one respondent ------------------------------------------------------------


def test_respondent_score_is_the_weighted_mean_of_levels():
    # objectives: (2 * 1 + 5 * 3) / (1 + 3) = 17 / 4
    result = respondent_dimension_scores(BANK, {"o1": 2, "o2": 5})
    assert result["objectives"] == 4.25


def test_respondent_score_of_equal_weights_is_the_plain_mean():
    assert respondent_dimension_scores(BANK, {"c1": 1, "c2": 4})["culture"] == 2.5


def test_dont_know_is_left_out_of_the_respondent_score():
    result = respondent_dimension_scores(BANK, {"o1": "dont_know", "o2": 4})
    assert result["objectives"] == 4.0


def test_not_applicable_is_left_out_of_the_respondent_score():
    result = respondent_dimension_scores(BANK, {"o1": 1, "o2": "not_applicable"})
    assert result["objectives"] == 1.0


def test_absent_answers_are_left_out_of_the_respondent_score():
    assert respondent_dimension_scores(BANK, {"o2": 2})["objectives"] == 2.0


def test_none_is_read_as_an_absent_answer():
    result = respondent_dimension_scores(BANK, {"o1": None, "o2": 2})
    assert result["objectives"] == 2.0


def test_dimension_with_nothing_scored_has_no_respondent_score():
    result = respondent_dimension_scores(BANK, {"l1": "dont_know", "c1": "not_applicable"})
    assert result == {"objectives": None, "listening": None, "culture": None}


def test_every_bank_dimension_is_a_key_in_bank_order_even_with_no_answers():
    assert list(respondent_dimension_scores(BANK, {})) == ["objectives", "listening", "culture"]


def test_weighted_mean_of_equal_levels_is_exactly_that_level():
    # Without care, these weights give 2.9999999999999996 for all-3 answers.
    bank = make_bank({"a": [("a1", 1.156412063815708), ("a2", 4.465825665350634),
                            ("a3", 0.4508363341370439), ("a4", 9.388170081002619)],
                      "b": ["b1"], "c": ["c1"]})
    result = respondent_dimension_scores(bank, {"a1": 3, "a2": 3, "a3": 3, "a4": 3})
    assert result["a"] == 3.0


def test_answer_to_an_unknown_question_is_a_scoring_error():
    with pytest.raises(ScoringError, match="'nope'"):
        respondent_dimension_scores(BANK, {"o1": 3, "nope": 2})


def test_unknown_question_is_an_error_even_when_unanswered():
    with pytest.raises(ScoringError):
        respondent_dimension_scores(BANK, {"nope": None})


@pytest.mark.parametrize("value", [0, 6, "3", "maybe", 3.0, True, ""])
def test_an_answer_that_is_not_a_level_dont_know_or_not_applicable_is_an_answer_error(value):
    with pytest.raises(AnswerError, match="o1"):
        respondent_dimension_scores(BANK, {"o1": value})


def test_domain_errors_share_one_family():
    assert issubclass(ScoringError, AssessmentError)
    assert issubclass(AnswerError, AssessmentError)


# --- one department ----------------------------------------------------------------


def test_department_score_is_the_mean_of_respondent_scores_not_of_pooled_levels():
    # Respondent 1: (1*1 + 1*3) / 4 = 1.0; respondent 2: 5 (o2 don't know) -> 5.0.
    # Mean of respondents: 3.0 (pooled levels would give (1 + 3 + 5) / 5 = 1.8).
    finance = department("Finance", {"o1": 1, "o2": 1}, {"o1": 5, "o2": "dont_know"})
    result = score_department(BANK, finance)
    assert result.scores["objectives"] == 3.0
    assert result.levels["objectives"] == 3


def test_respondents_with_nothing_scored_in_a_dimension_are_ignored_in_its_mean():
    finance = department("Finance", {"l1": 2}, {"l1": "dont_know"}, {"l1": 4}, {})
    assert score_department(BANK, finance).scores["listening"] == 3.0


def test_department_keeps_name_directorate_and_respondent_count():
    parks = department("Parks", {"l1": 2}, {"l1": 3}, directorate="Place")
    result = score_department(BANK, parks)
    assert (result.name, result.directorate, result.respondents) == ("Parks", "Place", 2)


def test_respondent_scores_are_kept_in_input_order():
    result = score_department(BANK, department("Parks", {"l1": 4}, {"l1": 1}))
    assert [r["listening"] for r in result.respondent_scores] == [4.0, 1.0]
    assert result.respondent_scores[0] == {"objectives": None, "listening": 4.0, "culture": None}


def test_department_level_is_the_floor_so_two_point_nine_has_reached_two():
    bank = make_bank({"a": ["a1", ("a2", 9.0)], "b": ["b1"], "c": ["c1"]})
    # (2 * 1 + 3 * 9) / 10 = 2.9
    result = score_department(bank, department("Roads", {"a1": 2, "a2": 3}))
    assert result.scores["a"] == pytest.approx(2.9)
    assert result.levels["a"] == 2


def test_department_level_allows_the_tolerance_below_a_whole_number():
    bank = make_bank({"a": [("a1", 0.7), ("a2", 0.7)], "b": ["b1"], "c": ["c1"]})
    # (2 * 0.7 + 4 * 0.7) / 1.4 is 3, computed as 2.9999999999999996.
    result = score_department(bank, department("Roads", {"a1": 2, "a2": 4}))
    assert result.scores["a"] < 3
    assert result.levels["a"] == 3


def test_question_score_is_the_unweighted_mean_of_respondent_levels():
    finance = department("Finance", {"o2": 1}, {"o2": 4}, {"o2": "dont_know"}, {})
    assert score_department(BANK, finance).question_scores["o2"] == 2.5


def test_every_bank_question_has_a_question_score_none_when_no_level_was_given():
    finance = department("Finance", {"o1": 3, "o2": "dont_know", "l1": "not_applicable"})
    result = score_department(BANK, finance).question_scores
    assert result == {"o1": 3.0, "o2": None, "l1": None, "c1": None, "c2": None}


def test_dont_know_rate_is_dont_know_over_every_answer_given_in_the_dimension():
    # objectives: answers given dk, 3, n/a, dk (absent not counted) -> 2 / 4.
    finance = department(
        "Finance", {"o1": "dont_know", "o2": 3}, {"o1": "not_applicable", "o2": "dont_know"}, {}
    )
    assert score_department(BANK, finance).dont_know_rate["objectives"] == 0.5


def test_dont_know_rate_is_zero_when_everything_was_answered_otherwise():
    rate = score_department(BANK, department("Finance", {"l1": 2})).dont_know_rate
    assert rate["listening"] == 0.0


def test_dont_know_rate_is_none_when_no_answer_was_given_in_the_dimension():
    rate = score_department(BANK, department("Finance", {"l1": 2})).dont_know_rate
    assert rate["culture"] is None


def test_dont_know_rate_is_one_when_every_answer_is_dont_know():
    rate = score_department(BANK, department("Finance", {"l1": "dont_know"})).dont_know_rate
    assert rate["listening"] == 1.0


def test_department_with_nothing_scored_has_none_everywhere():
    finance = department("Finance", {"o1": "dont_know", "l1": "not_applicable"})
    result = score_department(BANK, finance)
    assert set(result.scores.values()) == {None}
    assert set(result.levels.values()) == {None}
    assert set(result.question_scores.values()) == {None}
    assert result.dont_know_rate == {"objectives": 1.0, "listening": 0.0, "culture": None}
    assert result.respondents == 1


def test_department_without_responses_has_no_respondents_and_no_scores():
    result = score_department(BANK, department("Finance"))
    assert result.respondents == 0
    assert result.respondent_scores == ()
    assert set(result.scores.values()) == {None}
    assert set(result.dont_know_rate.values()) == {None}


def test_unknown_question_in_a_department_response_is_a_scoring_error():
    with pytest.raises(ScoringError):
        score_department(BANK, department("Finance", {"o1": 2}, {"zz": 3}))


# --- organisation ----------------------------------------------------------------


def test_organisation_score_counts_each_department_once_whatever_its_respondents():
    # Many: three respondents at 1; Few: one at 4. Mean of departments 2.5
    # (pooled respondents would give (1 + 1 + 1 + 4) / 4 = 1.75).
    many = score_department(BANK, department("Many", {"l1": 1}, {"l1": 1}, {"l1": 1}))
    few = score_department(BANK, department("Few", {"l1": 4}))
    assert score_organisation(BANK, [many, few]).scores["listening"] == 2.5


def test_organisation_reports_median_min_and_max_across_departments():
    departments = [scores(n, {"culture": s}) for n, s in [("A", 1.0), ("B", 2.0), ("C", 4.5)]]
    result = score_organisation(BANK, departments)
    assert result.scores["culture"] == 2.5
    assert result.median["culture"] == 2.0
    assert result.min["culture"] == 1.0
    assert result.max["culture"] == 4.5


def test_organisation_median_of_an_even_count_is_the_middle_mean():
    departments = [scores(n, {"culture": s}) for n, s in [("A", 1.0), ("B", 2.0), ("C", 4.0),
                                                          ("D", 5.0)]]
    assert score_organisation(BANK, departments).median["culture"] == 3.0


def test_departments_not_scored_on_a_dimension_are_left_out_of_the_organisation():
    departments = [scores("A", {"listening": 2.0}), scores("B", {"listening": None}),
                   scores("C", {"listening": 4.0})]
    result = score_organisation(BANK, departments)
    assert (result.scores["listening"], result.min["listening"]) == (3.0, 2.0)


def test_dimension_no_department_scored_has_none_for_every_statistic():
    result = score_organisation(BANK, [scores("A", {"listening": 2.0})])
    assert result.scores["culture"] is None
    assert result.median["culture"] is None
    assert result.min["culture"] is None
    assert result.max["culture"] is None


def test_departments_scored_counts_departments_with_any_score():
    departments = [scores("A", {"listening": 2.0}), scores("B", {}),
                   scores("C", {"culture": 1.0})]
    assert score_organisation(BANK, departments).departments_scored == 2


def test_organisation_of_no_departments_has_none_scores_and_none_scored():
    result = score_organisation(BANK, [])
    assert result.scores == {"objectives": None, "listening": None, "culture": None}
    assert result.departments_scored == 0


def test_organisation_refuses_two_departments_with_one_name():
    with pytest.raises(ScoringError, match="'A'"):
        score_organisation(BANK, [scores("A", {}), scores("A", {})])


def test_organisation_refuses_departments_scored_with_another_bank():
    other = make_bank({"x": ["x1"], "y": ["y1"], "z": ["z1"]})
    with pytest.raises(ScoringError, match="another question bank"):
        score_organisation(BANK, [scores("A", {}, bank=other)])
