"""The questionnaire: responses found by link, answers saved with a revision check,
invitation tokens, and the round's response tracker.

Pages get plain frozen values (:class:`ResponseInfo`, :class:`StoredAnswer`,
:class:`~.rounds.RoundInfo`), never ORM rows; services writing in a transaction
get the rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import Answer, Department, Response, Round, utcnow
from .responses import AnswerWrite
from .rounds import RoundInfo


@dataclass(frozen=True)
class ProgressRow:
    """One respondent of a round, for the tracker and invitation list."""

    response_id: int
    department: str
    directorate: str | None
    respondent: str
    status: str
    has_link: bool
    link_revoked: bool
    answered: int
    submitted_at: datetime | None


@dataclass(frozen=True)
class ResponseInfo:
    """One respondent's response as pages see it: plain values, no ORM session behind it."""

    id: int
    round_id: int
    department: str
    directorate: str | None
    respondent: str
    status: str
    started: bool
    completed_sections: tuple[str, ...]
    token_hash: str | None = field(repr=False)
    token_revoked: bool
    department_cy: str | None = None
    directorate_cy: str | None = None

    @classmethod
    def of(cls, response: Response) -> ResponseInfo:
        return cls(
            id=response.id, round_id=response.round_id, department=response.department.name,
            directorate=response.department.directorate, respondent=response.respondent,
            status=response.status, started=response.started_at is not None,
            completed_sections=tuple(response.completed_sections or ()),
            token_hash=response.token_hash, token_revoked=response.token_revoked,
            department_cy=response.department.name_cy,
            directorate_cy=response.department.directorate_cy,
        )


@dataclass(frozen=True)
class StoredAnswer:
    """One stored answer with the revision a page sends back when it saves."""

    question_id: str
    value: str
    comment: str | None
    evidence: str | None
    revision: int


def response_by_token_hash(token_hash: str) -> ResponseInfo | None:
    found = db.session.scalars(select(Response).where(Response.token_hash == token_hash)).first()
    return None if found is None else ResponseInfo.of(found)


def response_info(response_id: int) -> ResponseInfo | None:
    found = db.session.get(Response, response_id)
    return None if found is None else ResponseInfo.of(found)


def round_info(round_id: int) -> RoundInfo | None:
    """Any organisation's round: a respondent's link, not a signed-in user, chose it."""
    found = db.session.get(Round, round_id)
    return None if found is None else RoundInfo.of(found)


def lock_response(session: Session, response_id: int) -> Response | None:
    """The response, its row locked until the transaction ends (PostgreSQL).

    ``FOR NO KEY UPDATE``: saves and submits of one response wait for each other,
    but inserting answers that refer to the row (an import) is not blocked.
    SQLite needs no row lock: every write transaction there holds the database
    write lock from its start (BEGIN IMMEDIATE).
    """
    query = (select(Response).where(Response.id == response_id)
             .with_for_update(of=Response, key_share=True))
    return session.scalars(query).first()


def get_round_in(session: Session, round_id: int) -> Round | None:
    return session.get(Round, round_id)


def answers_of(response_id: int) -> dict[str, StoredAnswer]:
    """A response's answers by question id."""
    query = select(Answer.question_id, Answer.value, Answer.comment, Answer.evidence,
                   Answer.revision).where(Answer.response_id == response_id)
    return {row.question_id: StoredAnswer(*row) for row in db.session.execute(query)}


def answer_in(session: Session, response_id: int, question_id: str) -> Answer | None:
    query = select(Answer).where(Answer.response_id == response_id,
                                 Answer.question_id == question_id)
    return session.scalars(query).first()


def answered_question_ids(session: Session, response_id: int) -> set[str]:
    query = select(Answer.question_id).where(Answer.response_id == response_id)
    return set(session.scalars(query))


def save_answer_if_unchanged(session: Session, response_id: int, write: AnswerWrite,
                             expected_revision: int) -> int | None:
    """Store the answer only if its revision is still ``expected_revision``.

    One ``INSERT ... ON CONFLICT DO UPDATE ... WHERE`` statement, atomic on SQLite
    and PostgreSQL.  ``expected_revision`` 0 means "there was no answer yet".
    Returns the new revision, or None when another save got there first.
    """
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(Answer).values(
        response_id=response_id, question_id=write.question_id, value=write.value,
        comment=write.comment, evidence=write.evidence, revision=1, updated_at=utcnow(),
    )
    statement = statement.on_conflict_do_update(
        index_elements=["response_id", "question_id"],
        set_={
            "value": statement.excluded.value,
            "comment": statement.excluded.comment,
            "evidence": statement.excluded.evidence,
            "updated_at": statement.excluded.updated_at,
            "revision": Answer.revision + 1,
        },
        where=Answer.revision == expected_revision,
    ).returning(Answer.revision)
    return session.scalars(statement).first()


def mark_started(session: Session, response_id: int) -> None:
    session.execute(
        update(Response).where(Response.id == response_id, Response.started_at.is_(None))
        .values(started_at=utcnow())
    )


def set_completed_sections(session: Session, response_id: int, sections: list[str]) -> None:
    session.execute(
        update(Response).where(Response.id == response_id).values(completed_sections=sections)
    )


def mark_submitted(session: Session, response_id: int) -> None:
    session.execute(
        update(Response).where(Response.id == response_id)
        .values(status="submitted", submitted_at=utcnow())
    )


def set_token(session: Session, response_id: int, token_hash: str) -> None:
    session.execute(
        update(Response).where(Response.id == response_id)
        .values(token_hash=token_hash, token_revoked=False)
    )


def revoke_token(session: Session, response_id: int) -> None:
    session.execute(update(Response).where(Response.id == response_id).values(token_revoked=True))


def round_response(session: Session, round_id: int, response_id: int) -> Response | None:
    query = select(Response).where(Response.id == response_id, Response.round_id == round_id)
    return session.scalars(query).first()


def responses_without_link(session: Session, round_id: int) -> list[Response]:
    """Unsubmitted respondents who never had a link (imported, for example)."""
    query = (
        select(Response).join(Department)
        .where(Response.round_id == round_id, Response.token_hash.is_(None),
               Response.status == "in_progress")
        .order_by(Department.name, Response.respondent)
    )
    return list(session.scalars(query))


def round_progress(round_id: int) -> list[ProgressRow]:
    """Every respondent of a round with how many questions they have answered."""
    answered = (
        select(Answer.response_id, func.count().label("answered"))
        .group_by(Answer.response_id).subquery()
    )
    query = (
        select(Response.id, Department.name, Department.directorate, Response.respondent,
               Response.status, Response.token_hash.is_not(None), Response.token_revoked,
               func.coalesce(answered.c.answered, 0), Response.submitted_at)
        .join(Department, Department.id == Response.department_id)
        .outerjoin(answered, answered.c.response_id == Response.id)
        .where(Response.round_id == round_id)
        .order_by(Department.name, Response.respondent)
    )
    return [ProgressRow(*row) for row in db.session.execute(query)]


def contact_for_response(response_id: int) -> str | None:
    """The "whom to ask" text of the round a response belongs to."""
    query = select(Round.contact).join(Response, Response.round_id == Round.id).where(
        Response.id == response_id)
    return db.session.scalar(query)


def set_survey_settings(session: Session, round_id: int, ask_evidence: bool,
                        show_department_radar: bool, contact: str | None) -> None:
    session.execute(
        update(Round).where(Round.id == round_id).values(
            ask_evidence=ask_evidence, show_department_radar=show_department_radar,
            contact=contact,
        )
    )
