"""A fictional council with two closed rounds, built through the importer.

"2025 baseline" comes first, with somewhat lower answers (a level lower on
about half of them) and without Human Resources, so the 2026 round shows
change since the year before.  In "2026 baseline" exactly these things are
flagged, and nothing else (``tests/test_demo.py`` holds it to that):

- Governance is inconsistent: Adult Social Care is at level 1 throughout, Libraries
  at level 4 or 5, every other department at 2 or 3.
- Listening is inconsistent: Communications listens at level 4 or 5, Highways at 1.
- Children's Services has two respondents who disagree on culture (1 against 4);
  Housing has two who disagree on measurement (1 against 3 or 4).
- Waste and Recycling has two respondents who agree.
Everything else sits between levels 2 and 3 on every question.

Both rounds are marked as demonstration rounds (``Round.is_demo``): the pages
tag them, change between rounds never compares them with real rounds, and
:func:`remove_demo` deletes them and everything that belongs only to them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import audit
from ..core.answers import parse_answer, takes_evidence
from ..core.bank import QuestionBank
from ..extensions import db
from ..queries import demo as demo_queries
from ..queries.demo import DemoSummary
from . import importer
from .rounds import create_round, set_status

ORGANISATION_NAME = "Aberbrook County Council"
ROUND_NAME = "2026 baseline"
BASELINE_NAME = "2025 baseline"
#: Departments that took part for the first time in 2026.
NEW_IN_2026 = ("Human Resources",)

#: Department -> directorate.
DEPARTMENTS = {
    "Adult Social Care": "People",
    "Children's Services": "People",
    "Public Health": "People",
    "Housing": "Place",
    "Highways": "Place",
    "Waste and Recycling": "Place",
    "Planning": "Place",
    "Libraries": "Communities",
    "Leisure and Culture": "Communities",
    "Communications": "Corporate",
    "Customer Services": "Corporate",
    "Human Resources": "Corporate",
}

#: Deliberate extremes: (department, dimension) -> the levels its answers take.
EXTREMES = {
    ("Adult Social Care", "governance"): (1,),
    ("Libraries", "governance"): (4, 5),
    ("Communications", "listening"): (4, 5),
    ("Highways", "listening"): (1,),
}

#: Second respondents: department -> {dimension: levels}; others copy the first.
SECOND_RESPONDENTS = {
    "Children's Services": {"culture": (4,)},
    "Housing": {"measurement": (3, 4)},
    "Waste and Recycling": {},
}
#: Where the first respondent differs from the department's usual 2-3 pattern.
FIRST_RESPONDENT_OVERRIDES = {
    ("Children's Services", "culture"): (1,),
    ("Housing", "measurement"): (1,),
}

#: The evidence every answer that may carry evidence (levels 4 and 5) gives.
EVIDENCE = "Monthly report to the directorate board"

COMMENTS = {
    0: "We post most days but nobody owns the plan.",
    3: "Agreed with the service manager in March.",
    5: "Cover is patchy during school holidays.",
}


@dataclass(frozen=True)
class DemoRound:
    round_id: int
    rows: list[list[str]]
    baseline_round_id: int | None = None


def _pick(levels: tuple[int, ...], seed: int) -> int:
    return levels[seed % len(levels)]


def _usual_level(department_index: int, question_index: int) -> int:
    """2 or 3, in a fixed pattern that keeps every department near 2.5."""
    return 3 if (department_index * 3 + question_index * 7) % 10 < 5 else 2


def _levels_for(department: str, index: int, dimension: str, respondent: int) -> tuple[int, ...] | None:
    if respondent == 2:
        return SECOND_RESPONDENTS.get(department, {}).get(dimension)
    return FIRST_RESPONDENT_OVERRIDES.get((department, dimension)) or EXTREMES.get(
        (department, dimension)
    )


def demo_rows(bank: QuestionBank) -> list[list[str]]:
    """The demo's answers as import rows (header first)."""
    rows = [[*importer.REQUIRED_COLUMNS, "evidence", "directorate"]]
    for index, (department, directorate) in enumerate(DEPARTMENTS.items()):
        respondents = [1, 2] if department in SECOND_RESPONDENTS else [1]
        for respondent in respondents:
            name = f"{department} head" if respondent == 1 else f"{department} deputy"
            for q_index, question in enumerate(bank.questions):
                chosen = (_levels_for(department, index, question.dimension, respondent)
                          or EXTREMES.get((department, question.dimension)))
                level = _pick(chosen, q_index) if chosen else _usual_level(index, q_index)
                answer = str(level)
                # A few honest "don't know"s in measurement, which leave scores alone.
                if question.dimension == "measurement" and index % 4 == 1 and q_index % 3 == 0 \
                        and not chosen:
                    answer = "dont_know"
                comment = COMMENTS.get((index + q_index) % 9, "") if respondent == 1 else ""
                evidence = EVIDENCE if takes_evidence(parse_answer(answer)) else ""
                rows.append([department, name, question.id, answer, comment, evidence,
                             directorate])
    return rows


def baseline_rows(bank: QuestionBank) -> list[list[str]]:
    """The 2025 answers: the 2026 ones a level lower on every other row, no newcomers."""
    header, *body = demo_rows(bank)
    rows = [header]
    for number, row in enumerate(body):
        department, _respondent, _question, answer, _comment, evidence, _directorate = row
        if department in NEW_IN_2026:
            continue
        if answer.isdigit() and int(answer) > 1 and number % 2 == 0:
            answer = str(int(answer) - 1)
            evidence = evidence if takes_evidence(parse_answer(answer)) else ""
        rows.append([*row[:3], answer, row[4], evidence, row[6]])
    return rows


def _load_round(name: str, bank: QuestionBank, rows: list[list[str]],
                organisation_id: int | None) -> int:
    assessment_round = create_round(name, status="open", organisation_id=organisation_id)
    with db.transaction() as session:
        demo_queries.mark_demo(session, assessment_round.id)
    plan = importer.plan_import(assessment_round, bank, rows)
    importer.apply_import(assessment_round, plan)
    set_status(assessment_round.id, "closed")
    return assessment_round.id


def load_demo(bank: QuestionBank, organisation_id: int | None = None) -> DemoRound:
    """Create the 2025 round, then the 2026 round, import their answers, close both.

    They belong to ``organisation_id`` (default: the installation's only organisation).
    """
    baseline_id = _load_round(BASELINE_NAME, bank, baseline_rows(bank), organisation_id)
    rows = demo_rows(bank)
    return DemoRound(_load_round(ROUND_NAME, bank, rows, organisation_id), rows, baseline_id)


def demo_summary(organisation_id: int) -> DemoSummary:
    """The organisation's demonstration rounds, and how much is in them."""
    return demo_queries.demo_summary(organisation_id)


def remove_demo(organisation_id: int) -> DemoSummary:
    """Delete the organisation's demonstration rounds and all that belongs only to them,
    in one transaction.

    Answers, responses and their links, targets, departments no real round
    uses, and the demo's audit entries go; real rounds are untouched.  One
    audit entry records the removal.  Returns what was removed (nothing when
    there was no demonstration).
    """
    with db.transaction() as session:
        removed = demo_queries.demo_summary(organisation_id, session)
        round_ids = demo_queries.delete_demo(session, organisation_id)
    if round_ids:
        audit.record("demo_removed", rounds=", ".join(removed.round_names),
                     responses=removed.responses, departments=removed.departments)
    return removed
