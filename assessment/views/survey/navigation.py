"""Where a question sits in its section, and where Back and "Save and continue" lead."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from ...core.bank import Dimension, Question, QuestionBank

#: Where "Save and continue" goes back to after a Change link.
RETURN_PAGES = ("section", "check")


def return_page(asked: str | None) -> str | None:
    """The page to return to, if ``asked`` (from the address) is one of RETURN_PAGES."""
    return asked if asked in RETURN_PAGES else None


@dataclass(frozen=True)
class Position:
    """Where a question sits in its section."""

    dimension: Dimension
    number: int
    previous: Question | None
    next: Question | None

    @property
    def total(self) -> int:
        return len(self.dimension.questions)


def position(bank: QuestionBank, question: Question) -> Position:
    dimension = bank.dimension(question.dimension)
    questions = dimension.questions
    index = questions.index(question)
    return Position(dimension, index + 1, questions[index - 1] if index > 0 else None,
                    questions[index + 1] if index + 1 < len(questions) else None)


def next_url(position: Position, return_to: str | None) -> str:
    """Where "Save and continue" leads: the next question, or a check page."""
    if return_to == "check":
        return url_for("survey.check")
    if return_to == "section" or position.next is None:
        return url_for("survey.section", dimension_id=position.dimension.id)
    return url_for("survey.question", question_id=position.next.id)


def back_url(position: Position, return_to: str | None) -> str:
    if return_to == "check":
        return url_for("survey.check")
    if return_to == "section":
        return url_for("survey.section", dimension_id=position.dimension.id)
    if position.previous is not None:
        return url_for("survey.question", question_id=position.previous.id)
    return url_for("survey.tasks")
