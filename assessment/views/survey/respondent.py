"""Who is answering: the response an invitation link or a session is bound to,
as plain values the pages show, with each section's progress."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from enum import Enum

from flask import current_app

from ...core.bank import Dimension, Question, QuestionBank
from ...queries import survey as survey_queries
from ...queries.rounds import RoundInfo
from ...queries.survey import ResponseInfo, StoredAnswer
from ...services.invitations import hash_token
from ...services.results import round_bank


class SectionStatus(Enum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


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


def section_progress(bank: QuestionBank, answers: dict[str, StoredAnswer],
                     completed: tuple[str, ...]) -> list[Section]:
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


def response_reference(response_id: int) -> str:
    """The reference a form carries of the response it was shown for.

    Not secret and grants nothing (the session's binding does that), but not
    the response's number either, so a page does not tell how many responses
    exist: a keyed digest of the number.  Never anything of the link's token.
    """
    secret = current_app.secret_key or ""
    key = secret if isinstance(secret, bytes) else str(secret).encode("utf-8")
    message = f"joined-up response reference {response_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:20]


@dataclass(frozen=True)
class Respondent:
    """Everything a survey page needs about the respondent the session is bound to."""

    response: ResponseInfo
    round: RoundInfo
    bank: QuestionBank
    answers: dict[str, StoredAnswer]

    @property
    def submitted(self) -> bool:
        return self.response.status == "submitted"

    @property
    def sections(self) -> list[Section]:
        return section_progress(self.bank, self.answers, self.response.completed_sections)

    @property
    def reference(self) -> str:
        return response_reference(self.response.id)


def session_check(response: ResponseInfo) -> str:
    """A value kept in the respondent's session: it changes when the link is replaced."""
    return (response.token_hash or "")[:16]


def _usable(response: ResponseInfo | None) -> RoundInfo | None:
    """The response's round, when its link may still be used."""
    if response is None or response.token_hash is None or response.token_revoked:
        return None
    assessment_round = survey_queries.round_info(response.round_id)
    if assessment_round is None or assessment_round.status != "open":
        return None
    return assessment_round


def response_for_token(token: str) -> ResponseInfo | None:
    """The response an invitation link opens, or None if the link does not work now."""
    if not token or len(token) > 100:
        return None
    response = survey_queries.response_by_token_hash(hash_token(token))
    return response if _usable(response) else None


def waiting_for_round(token: str) -> int | None:
    """The response of a working link whose round has not opened yet, so the page can say so."""
    if not token or len(token) > 100:
        return None
    response = survey_queries.response_by_token_hash(hash_token(token))
    if response is None or response.token_hash is None or response.token_revoked:
        return None
    assessment_round = survey_queries.round_info(response.round_id)
    return response.id if assessment_round is not None and assessment_round.status == "draft" else None


def load_respondent(response_id: int, check: str) -> Respondent | None:
    """The respondent a session is bound to, or None if the binding no longer holds."""
    response = survey_queries.response_info(response_id)
    assessment_round = _usable(response)
    if assessment_round is None or response is None or session_check(response) != check:
        return None
    return Respondent(response, assessment_round, round_bank(assessment_round),
                      survey_queries.answers_of(response.id))
