"""Change between rounds, by hand, on results built by the real analysis."""

import pytest

from assessment.core.analysis import analyse_round
from assessment.core.errors import ScoringError
from assessment.core.trend import (
    Change,
    DepartmentChange,
    RoundComparison,
    comparable,
    compare_rounds,
    largest_changes,
    organisation_history,
)

from .factories import BANK, department, make_bank


def analyse(*departments, bank=BANK):
    return analyse_round(bank, list(departments))


def test_change_is_later_minus_earlier_for_the_organisation_and_each_department():
    before = analyse(department("Parks", {"o1": 2, "l1": 1}), department("Roads", {"o1": 4}))
    after = analyse(department("Parks", {"o1": 3, "l1": 3}), department("Roads", {"o1": 3}))
    comparison = compare_rounds(before, after)
    assert comparison.organisation["objectives"] == Change(3.0, 3.0, 0.0)
    assert comparison.organisation["listening"] == Change(1.0, 3.0, 2.0)
    parks, roads = comparison.departments
    assert parks.name == "Parks" and parks.changes["listening"] == Change(1.0, 3.0, 2.0)
    assert roads.changes["objectives"] == Change(4.0, 3.0, -1.0)
    assert roads.changes["listening"] == Change(None, None, None)


def test_new_and_missing_departments_are_named_and_have_no_change():
    before = analyse(department("Parks", {"o1": 2}), department("Waste", {"o1": 2}))
    after = analyse(department("Parks", {"o1": 2}), department("Roads", {"o1": 5}))
    comparison = compare_rounds(before, after)
    assert comparison.new_departments == ("Roads",)
    assert comparison.missing_departments == ("Waste",)
    assert [d.name for d in comparison.departments] == ["Parks", "Roads"]
    assert comparison.departments[1].changes["objectives"] == Change(None, 5.0, None)


def test_a_dimension_unscored_in_either_round_has_no_change():
    before = analyse(department("Parks", {"o1": "dont_know"}))
    after = analyse(department("Parks", {"o1": 3}))
    assert compare_rounds(before, after).organisation["objectives"] == Change(None, 3.0, None)


def test_rounds_with_different_dimensions_cannot_be_compared():
    other = make_bank({"objectives": ["o1"], "listening": ["l1"], "governance": ["g1"]})
    with pytest.raises(ScoringError, match="different dimensions"):
        compare_rounds(analyse(bank=other), analyse())
    assert not comparable(other, BANK)


def test_banks_with_the_same_dimensions_but_other_questions_are_comparable():
    other = make_bank({"objectives": ["x1"], "listening": ["x2"], "culture": ["x3"]})
    assert comparable(other, BANK)
    compare_rounds(analyse(bank=other), analyse())


def test_organisation_history_lists_each_dimension_oldest_first():
    history = [analyse(department("P", {"o1": level})) for level in (1, 2, 4)]
    trend = organisation_history(history)
    assert trend["objectives"] == [1.0, 2.0, 4.0]
    assert trend["culture"] == [None, None, None]
    assert list(trend) == list(BANK.dimension_ids)


def test_organisation_history_of_nothing_is_empty_and_mixed_dimensions_raise():
    assert organisation_history([]) == {}
    other = make_bank({"a": ["a1"], "b": ["b1"], "c": ["c1"]})
    with pytest.raises(ScoringError):
        organisation_history([analyse(bank=other), analyse()])


def test_largest_changes_rank_by_the_biggest_move_up_or_down_then_name():
    def moved(name, *changes):
        return DepartmentChange(name, {f"d{i}": Change(None, None, c) for i, c in enumerate(changes)})

    comparison = RoundComparison(
        {}, (moved("beta", 0.4, -1.0), moved("Alpha", 1.0), moved("new", None, None),
             moved("gamma", 0.2), moved("delta", -0.3, 0.1)), ("new",), ())
    assert [d.name for d in largest_changes(comparison, 3)] == ["Alpha", "beta", "delta"]
    assert [d.name for d in largest_changes(comparison, 10)] == ["Alpha", "beta", "delta", "gamma"]
    assert largest_changes(comparison, 0) == []
