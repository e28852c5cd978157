"""The questionnaire a respondent fills in through an invitation link.

What the survey pages call: finding a response by its link, the progress of
each section, saving one answer (with a check that no other window saved a
newer one), marking sections completed and submitting, each in one transaction
that also bumps the round's ``data_version`` (the results cache key).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from ..core.answers import ANSWER_CHOICES, MAX_NOTE_LENGTH, is_level, parse_answer
from ..core.bank import Dimension, Question, QuestionBank
from ..core.errors import AssessmentError
from ..extensions import db
from ..models import Answer, Response, Round
from ..queries import rounds as round_queries
from ..queries import survey as survey_queries
from ..queries.responses import AnswerWrite
from .invitations import hash_token
from .results import round_bank


class SurveyClosed(AssessmentError):
    """The response can no longer change: submitted, or the round is not open."""


class SurveyIncomplete(AssessmentError):
    """Some questions have no answer yet, so the response cannot be submitted."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(f"{len(missing)} question(s) have no answer yet.")
        self.missing = missing


class SectionStatus(Enum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


@dataclass(frozen=True)
class Respondent:
    """Everything a survey page needs about the signed-in respondent."""

    response: Response
    round: Round
    bank: QuestionBank
    answers: dict[str, Answer]

    @property
    def submitted(self) -> bool:
        return self.response.status == "submitted"

    @property
    def sections(self) -> list[Section]:
        return section_progress(self.bank, self.answers, self.response.completed_sections or [])


@dataclass(frozen=True)
class Section:
    dimension: Dimension
    answered: int
    marked_completed: bool
    first_unanswered: Question | None

    @property
    def total(self) -> int:
        return len(self.dimension.questions)

    @property
    def status(self) -> SectionStatus:
        if self.answered == 0:
            return SectionStatus.NOT_STARTED
        if self.marked_completed and self.answered == self.total:
            return SectionStatus.COMPLETED
        return SectionStatus.IN_PROGRESS


@dataclass(frozen=True)
class SaveOutcome:
    """``saved``; otherwise ``current`` is what another window saved first."""

    saved: bool
    revision: int
    current: AnswerWrite | None = None


def section_progress(bank: QuestionBank, answers: dict[str, Answer],
                     completed: list[str]) -> list[Section]:
    sections = []
    for dimension in bank.dimensions:
        unanswered = [q for q in dimension.questions if q.id not in answers]
        sections.append(Section(
            dimension=dimension,
            answered=len(dimension.questions) - len(unanswered),
            marked_completed=dimension.id in completed,
            first_unanswered=unanswered[0] if unanswered else None,
        ))
    return sections


def session_check(response: Response) -> str:
    """A value kept in the respondent's session: it changes when the link is replaced."""
    return (response.token_hash or "")[:16]


def _usable(response: Response | None) -> Round | None:
    """The response's round, when its link may still be used."""
    if response is None or response.token_hash is None or response.token_revoked:
        return None
    assessment_round = round_queries.get_round(response.round_id)
    if assessment_round is None or assessment_round.status != "open":
        return None
    return assessment_round


def response_for_token(token: str) -> Response | None:
    """The response an invitation link opens, or None if the link does not work now."""
    if not token or len(token) > 100:
        return None
    response = survey_queries.response_by_token_hash(hash_token(token))
    return response if _usable(response) else None


def load_respondent(response_id: int, check: str) -> Respondent | None:
    """The respondent a session is bound to, or None if the binding no longer holds."""
    response = survey_queries.get_response(response_id)
    assessment_round = _usable(response)
    if assessment_round is None or response is None or session_check(response) != check:
        return None
    return Respondent(response, assessment_round, round_bank(assessment_round),
                      survey_queries.answers_of(response.id))


def clean_note(text: str | None) -> str | None:
    """Comments and evidence: trimmed, line endings unified, None when empty."""
    text = (text or "").replace("\r\n", "\n").strip()
    return text or None


def answer_write(question: Question, value: str, comment: str | None, evidence: str | None,
                 ask_evidence: bool) -> AnswerWrite:
    """What to store; evidence is kept only with levels 4 and 5 (CONTRACT section 3)."""
    if value not in ANSWER_CHOICES:
        raise AssessmentError(f"{value!r} is not an answer.")
    parsed = parse_answer(value)
    keep_evidence = ask_evidence and is_level(parsed) and int(value) >= 4
    write = AnswerWrite(question.id, value, clean_note(comment),
                        clean_note(evidence) if keep_evidence else None)
    for note in (write.comment, write.evidence):
        if note is not None and len(note) > MAX_NOTE_LENGTH:
            raise AssessmentError(f"Notes are at most {MAX_NOTE_LENGTH} characters.")
    return write


def _lock_open_response(session, response_id: int) -> Response:
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
