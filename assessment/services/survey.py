"""Saving and submitting a respondent's answers: what the survey pages, the API
and the CLI share.

Saving one answer (with a check that no other window saved a newer one),
marking sections completed and submitting each run in one transaction that
also bumps the round's ``data_version`` (the results cache key).  How the
pages find and show a respondent lives beside them, in ``views/survey/``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from ..core.answers import ANSWER_CHOICES, MAX_NOTE_LENGTH, parse_answer, takes_evidence
from ..core.bank import Question, QuestionBank
from ..core.errors import AssessmentError
from ..core.text import clean_text
from ..extensions import db
from ..models import Answer, Response
from ..queries import rounds as round_queries
from ..queries import survey as survey_queries
from ..queries.responses import AnswerWrite


class SurveyClosed(AssessmentError):
    """The response can no longer change: submitted, or the round is not open."""


class SurveyIncomplete(AssessmentError):
    """Some questions have no answer yet, so the response cannot be submitted."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(f"{len(missing)} question(s) have no answer yet.")
        self.missing = missing


@dataclass(frozen=True)
class SaveOutcome:
    """``saved``; otherwise ``current`` is what another window saved first."""

    saved: bool
    revision: int
    current: AnswerWrite | None = None


def clean_note(text: str | None) -> str | None:
    """Comments and evidence: the one text rule (``core.text``), None when empty."""
    return clean_text(text or "") or None


def answer_write(question: Question, value: str, comment: str | None, evidence: str | None,
                 ask_evidence: bool) -> AnswerWrite:
    """What to store; evidence is kept only where ``core.answers.takes_evidence`` allows."""
    if value not in ANSWER_CHOICES:
        raise AssessmentError(f"{value!r} is not an answer.")
    keep_evidence = ask_evidence and takes_evidence(parse_answer(value))
    write = AnswerWrite(question.id, value, clean_note(comment),
                        clean_note(evidence) if keep_evidence else None)
    for note in (write.comment, write.evidence):
        if note is not None and len(note) > MAX_NOTE_LENGTH:
            raise AssessmentError(f"Notes are at most {MAX_NOTE_LENGTH} characters.")
    return write


def _lock_open_response(session: Session, response_id: int) -> Response:
    response = survey_queries.lock_response(session, response_id)
    if response is None or response.status != "in_progress":
        raise SurveyClosed("These answers have been submitted.")
    assessment_round = survey_queries.get_round_in(session, response.round_id)
    if assessment_round is None or assessment_round.status != "open":
        raise SurveyClosed("The round is not open.")
    return response


def _as_write(answer: Answer) -> AnswerWrite:
    return AnswerWrite(answer.question_id, answer.value, answer.comment, answer.evidence)


def save_answer(response_id: int, write: AnswerWrite, expected_revision: int) -> SaveOutcome:
    """Store one answer unless another window saved a newer one since the page was shown.

    Saving exactly what is already stored (a double click) counts as saved.
    """
    with db.transaction() as session:
        response = _lock_open_response(session, response_id)
        revision = survey_queries.save_answer_if_unchanged(session, response_id, write,
                                                           expected_revision)
        if revision is None:
            current = survey_queries.answer_in(session, response_id, write.question_id)
            assert current is not None  # the conflict means a row exists
            if _as_write(current) == write:
                return SaveOutcome(True, current.revision)
            return SaveOutcome(False, current.revision, _as_write(current))
        survey_queries.mark_started(session, response_id)
        round_queries.bump_data_version(session, response.round_id)
    return SaveOutcome(True, revision)


def mark_section(response_id: int, dimension_id: str, completed: bool) -> None:
    """Record the answer to "Have you completed this section?"."""
    with db.transaction() as session:
        response = _lock_open_response(session, response_id)
        sections = [s for s in response.completed_sections or [] if s != dimension_id]
        if completed:
            sections.append(dimension_id)
        survey_queries.set_completed_sections(session, response_id, sections)


def submit(response_id: int, bank: QuestionBank) -> bool:
    """Submit the response; True if this call submitted it, False if it already was.

    A double click or a refresh waits for the first submission, then finds it done.
    """
    with db.transaction() as session:
        response = survey_queries.lock_response(session, response_id)
        if response is None:
            raise SurveyClosed("There is no such response.")
        if response.status == "submitted":
            return False
        _lock_open_response(session, response_id)
        answered = survey_queries.answered_question_ids(session, response_id)
        missing = [q.id for q in bank.questions if q.id not in answered]
        if missing:
            raise SurveyIncomplete(missing)
        survey_queries.mark_submitted(session, response_id)
        round_queries.bump_data_version(session, response.round_id)
    return True
