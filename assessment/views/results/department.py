"""The department page's answers, grouped by dimension and question."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from ...core.answers import DONT_KNOW, NOT_APPLICABLE, parse_answer, takes_evidence
from ...core.scoring import DepartmentScores
from ...queries.responses import Challenge
from .view import RoundView


@dataclass(frozen=True)
class AnswerItem:
    answer_id: int
    respondent: str
    value: str
    comment: str | None
    evidence: str | None
    lacks_evidence: bool
    challenged: bool
    challenge_note: str | None
    challenge_state: str | None = None
    challenge_reply: str | None = None


@dataclass(frozen=True)
class QuestionAnswers:
    question_id: str
    text: str
    score: str
    answers: tuple[AnswerItem, ...]


@dataclass(frozen=True)
class DimensionAnswers:
    dimension_id: str
    name: str
    questions: tuple[QuestionAnswers, ...]


def answer_text(view: RoundView, raw: str) -> str:
    """'4 – Developing', "Don't know" or 'Not applicable'."""
    value = parse_answer(raw)
    if value == DONT_KNOW:
        return _("Don't know")
    if value == NOT_APPLICABLE:
        return _("Not applicable")
    return f"{value} – {view.level_name(int(value))}" if value is not None else _("Not answered")


def answer_item(view: RoundView, row: Sequence[Any],
                challenge: Challenge | None = None) -> AnswerItem:
    """One row of ``queries.results.department_answer_rows`` for the page, with the
    state and reply of its challenge (``queries.responses.department_challenges``)."""
    answer_id, respondent, _question, raw, comment, evidence, challenged, note = row
    return AnswerItem(answer_id, respondent, answer_text(view, raw), comment, evidence,
                      takes_evidence(parse_answer(raw)) and not (evidence or "").strip(),
                      bool(challenged), note, challenge.state if challenge else None,
                      challenge.reply if challenge else None)


def answer_sections(view: RoundView, scores: DepartmentScores | None,
                    rows: Sequence[Sequence[Any]],
                    challenges: Mapping[int, Challenge] | None = None) -> list[DimensionAnswers]:
    """The department's answers under each dimension and question, in bank order."""
    by_question: dict[str, list[AnswerItem]] = {}
    for row in rows:
        challenge = challenges.get(row[0]) if challenges else None
        by_question.setdefault(row[2], []).append(answer_item(view, row, challenge))
    sections = []
    for dimension in view.bank.dimensions:
        questions = tuple(
            QuestionAnswers(q.id, q.text.get(view.language),
                            view.score_and_level(scores.question_scores[q.id]) if scores else "",
                            tuple(by_question[q.id]))
            for q in dimension.questions if q.id in by_question
        )
        if questions:
            sections.append(DimensionAnswers(dimension.id, dimension.name.get(view.language), questions))
    return sections
