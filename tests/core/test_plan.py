"""Action plans: weakest questions with the next level, and peer pairs, by hand."""

import pytest

from assessment.core.errors import ScoringError
from assessment.core.plan import (
    Difference,
    furthest_apart,
    largest_differences,
    next_steps,
    organisation_question_scores,
    peer_pairs,
)

from .factories import BANK, scores


def culture(*pairs):
    return [scores(name, {"culture": score}) for name, score in pairs]


# --- organisation question scores ----------------------------------------------------


def test_organisation_question_score_counts_each_department_once():
    departments = [
        scores("A", {}, question_scores={"o1": 1.0, "c1": 2.0}),
        scores("B", {}, question_scores={"o1": 4.0}),
        scores("C", {}, question_scores={"o1": 4.0}),
    ]
    result = organisation_question_scores(BANK, departments)
    assert result == {"o1": 3.0, "o2": None, "l1": None, "c1": 2.0, "c2": None}
    assert list(result) == [q.id for q in BANK.questions]


def test_organisation_question_scores_of_no_departments_are_none():
    assert set(organisation_question_scores(BANK, []).values()) == {None}


def test_organisation_question_scores_refuse_repeated_department_names():
    with pytest.raises(ScoringError, match="unique"):
        organisation_question_scores(BANK, [scores("A", {}), scores("A", {})])


# --- next steps ------------------------------------------------------------------------


def test_next_steps_are_the_lowest_questions_with_the_next_level_descriptor():
    steps = next_steps(BANK, {"o1": 2.5, "o2": 1.2, "l1": 3.0, "c1": 4.9, "c2": None})
    assert [(s.question_id, s.level, s.next_level) for s in steps] == [
        ("o2", 1, 2), ("o1", 2, 3), ("l1", 3, 4)
    ]
    assert str(steps[0].descriptor) == "o2 level 2"
    assert steps[0].dimension == "objectives"


def test_next_step_level_is_the_floor_so_2_9_aims_for_level_3():
    [step] = next_steps(BANK, {"o1": 2.9})
    assert (step.level, step.next_level, str(step.descriptor)) == (2, 3, "o1 level 3")


def test_next_step_allows_the_tolerance_just_below_a_level():
    [step] = next_steps(BANK, {"o1": 2.9999999999999996})
    assert (step.level, step.next_level) == (3, 4)


def test_questions_at_level_5_or_unscored_have_no_next_step():
    assert next_steps(BANK, {"o1": 5.0, "o2": None}) == []
    assert next_steps(BANK, {}) == []


def test_next_steps_leave_out_questions_that_meet_their_dimension_target():
    question_scores = {"o1": 2.0, "l1": 1.5, "c1": 3.5}
    steps = next_steps(BANK, question_scores, targets={"listening": 1.5, "culture": 4})
    assert {s.question_id for s in steps} == {"o1", "c1"}


def test_next_steps_put_the_largest_shortfall_below_a_target_first():
    # Governance-style case from the issue: a question far below its dimension's target
    # comes before lower-scoring questions of dimensions without a target.
    question_scores = {"o1": 1.0, "o2": 1.2, "l1": 2.5, "c1": 1.4, "c2": 3.0}
    steps = next_steps(BANK, question_scores, targets={"culture": 3.5, "listening": 3.0})
    # culture: c1 short by 2.1, c2 by 0.5; listening: l1 short by 0.5 (bank order breaks the tie)
    assert [s.question_id for s in steps] == ["c1", "l1", "c2"]
    without_targets = next_steps(BANK, question_scores)
    assert [s.question_id for s in without_targets] == ["o1", "o2", "c1"]


def test_next_steps_break_ties_in_bank_order_and_respect_the_limit():
    steps = next_steps(BANK, dict.fromkeys(["c2", "c1", "l1", "o2", "o1"], 2.0), limit=2)
    assert [s.question_id for s in steps] == ["o1", "o2"]


# --- largest differences -------------------------------------------------------------


def test_largest_differences_lists_questions_where_the_higher_department_is_ahead():
    low = scores("Low", {}, question_scores={"c1": 1.0, "c2": 3.0, "o1": 1.0})
    high = scores("High", {}, question_scores={"c1": 4.0, "c2": 2.0, "o1": 5.0})
    assert largest_differences(BANK, low, high, "culture") == [Difference("c1", 1.0, 4.0, 3.0)]


def test_largest_differences_skip_questions_either_department_left_unscored():
    low = scores("Low", {}, question_scores={"c1": None, "c2": 1.0})
    high = scores("High", {}, question_scores={"c1": 5.0, "c2": 2.5})
    assert [d.question_id for d in largest_differences(BANK, low, high, "culture")] == ["c2"]


# --- peer pairs ------------------------------------------------------------------------


def test_peer_pairs_match_lowest_with_highest_then_inwards_while_the_gap_is_wide():
    departments = culture(("A", 1.0), ("B", 1.5), ("C", 2.5), ("D", 3.0), ("E", 4.5))
    pairs = peer_pairs(BANK, departments)
    assert [(p.learner, p.mentor, p.gap) for p in pairs] == [("A", "E", 3.5), ("B", "D", 1.5)]
    assert pairs[0].learner_score == 1.0 and pairs[0].mentor_score == 4.5


def test_peer_pairs_count_a_gap_of_1_4999999999999998_as_reaching_1_5():
    pairs = peer_pairs(BANK, culture(("A", 1.3), ("B", 2.8)), min_gap=1.5)
    assert [(p.learner, p.mentor) for p in pairs] == [("A", "B")]


def test_no_pairs_when_departments_are_close_alone_or_unscored():
    assert peer_pairs(BANK, culture(("A", 2.0), ("B", 2.9))) == []
    assert peer_pairs(BANK, culture(("A", 1.0))) == []
    assert peer_pairs(BANK, culture(("A", None), ("B", 4.0))) == []
    assert peer_pairs(BANK, []) == []


def test_peer_pairs_are_largest_gap_first_then_bank_order():
    departments = [
        scores("A", {"objectives": 1.0, "listening": 1.0, "culture": 1.0}),
        scores("B", {"objectives": 3.0, "listening": 4.0, "culture": 3.0}),
    ]
    assert [(p.dimension, p.gap) for p in peer_pairs(BANK, departments)] == [
        ("listening", 3.0), ("objectives", 2.0), ("culture", 2.0)
    ]


def test_peer_pairs_carry_the_questions_on_which_the_pair_differ_most():
    low = scores("Low", {"culture": 1.0}, question_scores={"c1": 1.0, "c2": 1.0})
    high = scores("High", {"culture": 4.0}, question_scores={"c1": 3.0, "c2": 5.0})
    [pair] = peer_pairs(BANK, [low, high])
    assert [d.question_id for d in pair.questions] == ["c2", "c1"]


def test_equal_scores_are_ranked_by_name_so_pairs_are_stable():
    departments = culture(("b", 1.0), ("A", 1.0), ("C", 4.0), ("d", 4.0))
    assert [(p.learner, p.mentor) for p in peer_pairs(BANK, departments)] == [
        ("A", "d"), ("b", "C")
    ]


# --- furthest apart ------------------------------------------------------------------


def test_furthest_apart_ranks_by_the_mean_of_scored_dimensions_and_never_shows_one_twice():
    departments = [
        scores("Parks", {"objectives": 1.0, "listening": 2.0}),  # mean 1.5
        scores("Roads", {"objectives": 4.0, "listening": None}),  # mean 4.0 (listening unscored)
        scores("Arts", {"objectives": 3.0, "listening": 3.0}),  # 3.0
        scores("Bins", {"objectives": 3.0, "listening": 3.0}),  # 3.0, ties with Arts
        scores("Empty", {"objectives": None, "listening": None}),  # no scores: left out
    ]
    behind, ahead = furthest_apart(BANK, departments, 5)
    # Four ranked departments: at most two a side.
    assert [(s.name, s.mean, s.level) for s in behind] == [("Parks", 1.5, 1), ("Arts", 3.0, 3)]
    assert [(s.name, s.mean) for s in ahead] == [("Roads", 4.0), ("Bins", 3.0)]
    one_each = furthest_apart(BANK, departments, 1)
    assert [[s.name for s in side] for side in one_each] == [["Parks"], ["Roads"]]
    assert furthest_apart(BANK, departments[:1], 5) == ([], [])
