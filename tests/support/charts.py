"""The demonstration round's spread-of-departments data, computed without a database.

The demo's answers (assessment.services.demo) scored by the pure core on the real
question bank: the same numbers the demo round's dashboard draws.
"""

from __future__ import annotations

from functools import cache

from assessment.core.analysis import analyse_round
from assessment.core.scoring import DepartmentInput
from assessment.question_bank import load_question_bank
from assessment.services import demo

from .apps import REAL_BANK

Scores = list[float | None]


@cache
def demo_spread() -> tuple[list[str], list[tuple[str, Scores]], Scores]:
    """(dimension names, [(department, scores by dimension)], organisation scores)."""
    bank = load_question_bank(REAL_BANK)
    answers: dict[str, dict[str, dict[str, str]]] = {}
    for department, respondent, question, answer, *_ in demo.demo_rows(bank)[1:]:
        answers.setdefault(department, {}).setdefault(respondent, {})[question] = answer
    inputs = [
        DepartmentInput(name, None, tuple(
            {q: int(a) if a.isdigit() else a for q, a in given.items()} for given in respondents.values()))
        for name, respondents in answers.items()
    ]
    results = analyse_round(bank, inputs)
    ids = bank.dimension_ids
    return ([d.name.get("en") for d in bank.dimensions],
            [(d.name, [d.scores[i] for i in ids]) for d in results.departments],
            [results.organisation.scores[i] for i in ids])
