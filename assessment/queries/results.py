"""What the results pages and the API read and write beyond the answers themselves.

Departments of a round (with their ids), earlier rounds, one department's
answers, challenges, targets and API tokens.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, select, update
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import Answer, ApiToken, Department, Response, Round, User, utcnow
from .rounds import RoundInfo


@dataclass(frozen=True)
class RoundDepartment:
    """A department with at least one response in a round."""

    id: int
    name: str
    directorate: str | None
    name_cy: str | None = None
    directorate_cy: str | None = None


def round_departments(round_id: int) -> list[RoundDepartment]:
    """Every department with a response (of any status) in the round, by name."""
    query = (
        select(Department.id, Department.name, Department.directorate, Department.name_cy,
               Department.directorate_cy)
        .where(Department.id.in_(select(Response.department_id).where(Response.round_id == round_id)))
        .order_by(Department.name)
    )
    return [RoundDepartment(*row) for row in db.session.execute(query)]


def earlier_rounds(assessment_round: RoundInfo) -> list[RoundInfo]:
    """Rounds of the same organisation created before this one, newest first.

    A demonstration round is compared only with demonstration rounds, a real
    round only with real ones: made-up departments never move real scores.
    """
    query = (
        select(Round)
        .where(Round.organisation_id == assessment_round.organisation_id,
               Round.id != assessment_round.id,
               Round.is_demo.is_(assessment_round.is_demo),
               (Round.created_at < assessment_round.created_at)
               | ((Round.created_at == assessment_round.created_at) & (Round.id < assessment_round.id)))
        .order_by(Round.created_at.desc(), Round.id.desc())
    )
    return [RoundInfo.of(found) for found in db.session.scalars(query)]


def department_answer_rows(round_id: int, department_id: int) -> list[Row[Any]]:
    """The submitted answers of one department in a round.

    Columns: answer id, respondent, question_id, value, comment, evidence,
    challenged, challenge_note.  Ordered by respondent, then answer.
    """
    query = (
        select(Answer.id, Response.respondent, Answer.question_id, Answer.value, Answer.comment,
               Answer.evidence, Answer.challenged, Answer.challenge_note)
        .join(Response, Answer.response_id == Response.id)
        .where(Response.round_id == round_id, Response.department_id == department_id,
               Response.status == "submitted")
        .order_by(Response.respondent, Response.id, Answer.id)
    )
    return list(db.session.execute(query))


def find_round_answer(round_id: int, department_id: int, answer_id: int) -> Row[Any] | None:
    """One submitted answer of a department in a round, with the columns above."""
    query = (
        select(Answer.id, Response.respondent, Answer.question_id, Answer.value, Answer.comment,
               Answer.evidence, Answer.challenged, Answer.challenge_note)
        .join(Response, Answer.response_id == Response.id)
        .where(Answer.id == answer_id, Response.round_id == round_id,
               Response.department_id == department_id, Response.status == "submitted")
    )
    return db.session.execute(query).first()


def set_challenge(session: Session, answer_id: int, challenged: bool, note: str | None) -> None:
    session.execute(
        update(Answer).where(Answer.id == answer_id)
        .values(challenged=challenged, challenge_note=note)
    )


def set_targets(session: Session, round_id: int, targets: dict[str, int]) -> None:
    session.execute(update(Round).where(Round.id == round_id).values(targets=targets))


def add_api_token(session: Session, user_id: int, token_hash: str) -> ApiToken:
    token = ApiToken(user_id=user_id, token_hash=token_hash)
    session.add(token)
    session.flush()
    return token


def api_token_owner(token_hash: str) -> tuple[ApiToken, User] | None:
    """The unrevoked token with this hash and its user, if any."""
    query = (
        select(ApiToken, User).join(User, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == token_hash, ApiToken.revoked.is_(False))
    )
    row = db.session.execute(query).first()
    return None if row is None else (row[0], row[1])


def touch_api_token(session: Session, token_id: int) -> None:
    session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=utcnow()))
