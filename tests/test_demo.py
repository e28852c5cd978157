"""The demo council flags exactly what its docstring says, and nothing else.

It runs on the real question bank (questions/): the demo's deliberate extremes
are written for the default dimension ids, which a test bank does not have.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask_babel import force_locale

from assessment.core.scoring import DepartmentInput
from assessment.queries import results as result_queries
from assessment.queries import rounds as round_queries
from assessment.queries.rounds import RoundInfo
from assessment.services import demo, results, rounds
from assessment.views.results import gaps as page_gaps
from assessment.views.results.view import RoundView

from .support.apps import REAL_BANK_SETTINGS
from .support.rounds import RoundFactory

pytestmark = pytest.mark.app_settings(**REAL_BANK_SETTINGS)  # the bank the demo was written for

#: What the demo docstring says is flagged in 2026: (dimension, department) pairs.
FLAGGED = {
    ("governance", "Adult Social Care"),
    ("governance", "Libraries"),
    ("listening", "Communications"),
    ("listening", "Highways"),
    ("culture", "Children's Services"),
    ("measurement", "Housing"),
}

@pytest.fixture
def loaded(round_factory: RoundFactory) -> demo.DemoRound:
    return round_factory.demo()


def gaps_of(app: Flask, round_id: int) -> list[page_gaps.Gap]:
    with app.test_request_context(), force_locale("en"):
        assessment_round = RoundInfo.of(rounds.require_round(round_id))
        view = RoundView(assessment_round, results.analyse(assessment_round),
                         tuple(result_queries.round_departments(round_id)), "en")
        return page_gaps.every_gap(page_gaps.gap_list(view))


def test_the_bank_has_the_dimensions_the_demo_was_written_for(app):
    assert app.extensions["question_bank"].dimension_ids == (
        "objectives", "listening", "culture", "governance", "measurement")


def test_the_2026_gaps_name_exactly_the_departments_and_dimensions_of_the_docstring(app, loaded):
    gaps = gaps_of(app, loaded.round_id)
    named = {(gap.dimension, department) for gap in gaps for department in gap.departments}
    assert named == FLAGGED
    assert {gap.kind for gap in gaps} == {"dimension", "question", "behind", "ahead", "within_department"}
    for dimension, department in FLAGGED:
        assert department in demo.__doc__ and dimension in demo.__doc__.lower()


def test_the_demo_docstring_lists_the_flags_the_test_expects():
    described = {line for line in demo.__doc__.splitlines() if line.startswith("- ")}
    assert any("Governance is inconsistent" in line for line in described)
    assert any("Listening is inconsistent" in line for line in described)
    assert any("Waste and Recycling has two respondents who agree" in line for line in described)


def test_the_dashboards_gaps_section_names_no_other_department(app, loaded, client_for):
    client = client_for("lead")
    body = client.get(f"/rounds/{loaded.round_id}/dashboard").get_data(as_text=True)
    gaps = re.search(r'id="gaps-heading".*?</section>', body, re.S).group(0).replace("&#39;", "'")
    named = {name for name in demo.DEPARTMENTS if name in gaps}
    assert named == {department for _, department in FLAGGED}


def test_the_2026_round_keeps_its_rows_and_comes_after_a_lower_2025_baseline(app, loaded):
    bank = app.extensions["question_bank"]
    assert loaded.rows == demo.demo_rows(bank)
    with app.app_context():
        current = rounds.require_round(loaded.round_id)
        earlier = result_queries.earlier_rounds(current)
        assert [r.name for r in earlier] == [demo.BASELINE_NAME]
        assert earlier[0].id == loaded.baseline_round_id
        assert (current.status, earlier[0].status) == ("closed", "closed")
        now = results.analyse(current).results.organisation.scores
        before = results.analyse(earlier[0]).results
        assert all(before.organisation.scores[d] < now[d] for d in bank.dimension_ids)
        assert "Human Resources" not in {d.name for d in before.departments}
        assert len(round_queries.list_rounds(current.organisation_id)) == 2


def test_the_2026_rows_alone_give_the_same_flags_as_the_loaded_round(app, loaded):
    """The baseline round does not leak into the 2026 results."""
    bank = app.extensions["question_bank"]
    by_department: dict[str, dict[str, dict[str, str]]] = {}
    for department, respondent, question, answer, *_ in loaded.rows[1:]:
        by_department.setdefault(department, {}).setdefault(respondent, {})[question] = answer
    inputs = [
        DepartmentInput(name, None, tuple(
            {q: int(a) if a.isdigit() else a for q, a in answers.items()}
            for answers in respondents.values()))
        for name, respondents in by_department.items()
    ]
    from assessment.core.analysis import analyse_round

    expected = analyse_round(bank, inputs)
    with app.app_context():
        loaded_results = results.analyse(rounds.require_round(loaded.round_id)).results
    assert loaded_results.inconsistencies == expected.inconsistencies
    assert loaded_results.outliers == expected.outliers
    assert loaded_results.within_department == expected.within_department


def test_flask_demo_prints_the_2026_round_id(app):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert rounds.require_round(int(result.stdout.strip())).name == demo.ROUND_NAME
