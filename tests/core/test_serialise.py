"""Round results survive JSON exactly: the results store depends on it."""

import json

import pytest
from hypothesis import HealthCheck, given, settings

from assessment.core.analysis import analyse_round
from assessment.core.serialise import (
    SerialiseError,
    results_from_dict,
    results_to_dict,
    summary_from_dict,
    summary_to_dict,
)
from assessment.core.trend import compare_rounds, organisation_history

from .test_analysis_properties import rounds


def through_json(data):
    return json.loads(json.dumps(data))


def key_orders(results):
    """Every mapping's key order, which equality of dicts does not compare."""
    orders = [list(results.targets), list(results.gaps), list(results.organisation.scores)]
    for department in results.departments:
        orders += [list(department.scores), list(department.question_scores),
                   list(department.dont_know_rate),
                   [list(scores) for scores in department.respondent_scores]]
    return orders


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rounds())
def test_results_round_trip_through_json_exactly(round_):
    bank, departments, thresholds, targets = round_
    results = analyse_round(bank, departments, thresholds, targets)
    again = results_from_dict(through_json(results_to_dict(results)))
    assert again == results
    assert key_orders(again) == key_orders(results)
    assert all(isinstance(flag.lowest, tuple) for flag in again.inconsistencies)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rounds())
def test_a_summary_gives_the_trend_what_the_whole_results_give(round_):
    bank, departments, thresholds, targets = round_
    before = analyse_round(bank, departments, thresholds, targets)
    after = analyse_round(bank, departments[::2], thresholds)  # some departments missing
    summary = summary_from_dict(through_json(summary_to_dict(before)))
    assert summary.organisation == before.organisation
    assert [d.scores for d in summary.departments] == [d.scores for d in before.departments]
    assert [d.levels for d in summary.departments] == [d.levels for d in before.departments]
    assert compare_rounds(summary, after) == compare_rounds(before, after)
    assert organisation_history([summary, after]) == organisation_history([before, after])


def test_the_summary_is_much_smaller_than_the_results():
    from assessment.core.scoring import DepartmentInput

    from .factories import make_bank

    bank = make_bank({f"d{d}": [(f"d{d}-question-{q}", 1.0) for q in range(7)] for d in range(5)})
    departments = [DepartmentInput(f"Department {n}", None,
                                   tuple({q.id: 1 + (n + r) % 5 for q in bank.questions}
                                         for r in range(5)))
                   for n in range(200)]
    results = analyse_round(bank, departments)
    whole, summary = json.dumps(results_to_dict(results)), json.dumps(summary_to_dict(results))
    assert len(summary) * 5 < len(whole)
    assert whole.count("d0-question-0") == 1  # each key list written once


@pytest.mark.parametrize("data", [
    {}, {"format": 0, "kind": "results"}, {"format": 1, "kind": "summary"},
])
def test_results_of_another_format_are_refused(data):
    with pytest.raises(SerialiseError):
        results_from_dict(data)


def test_a_summary_is_not_read_as_whole_results():
    results = analyse_round(*_tiny())
    with pytest.raises(SerialiseError):
        results_from_dict(summary_to_dict(results))
    with pytest.raises(SerialiseError):
        summary_from_dict(results_to_dict(results))


def _tiny():
    from assessment.core.scoring import DepartmentInput, _example_bank

    return _example_bank(), [DepartmentInput("Parks", None, ({"a1": 2},))]
