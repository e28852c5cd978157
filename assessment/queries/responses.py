"""Responses (one respondent for one department in one round) and answers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Row, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import Answer, Department, Response, utcnow


@dataclass(frozen=True)
class AnswerWrite:
    """One answer to store: the written value (``"3"``, ``"dont_know"`` ...)."""

    question_id: str
    value: str
    comment: str | None = None
    evidence: str | None = None


def find_response(session: Session, round_id: int, department_id: int,
                  respondent: str) -> Response | None:
    query = select(Response).where(
        Response.round_id == round_id,
        Response.department_id == department_id,
        Response.respondent == respondent,
    )
    return session.scalars(query).first()


def create_response(session: Session, round_id: int, department_id: int, respondent: str,
                    token_hash: str | None = None, status: str = "in_progress") -> Response:
    response = Response(round_id=round_id, department_id=department_id, respondent=respondent,
                        token_hash=token_hash, status=status)
    if status == "submitted":
        response.submitted_at = utcnow()
    session.add(response)
    session.flush()
    return response


def upsert_answers(session: Session, response_id: int, answers: Iterable[AnswerWrite]) -> None:
    """Insert or update answers, one row per (response, question).

    ``INSERT ... ON CONFLICT DO UPDATE`` is atomic on SQLite and PostgreSQL, so
    two saves of the same answer at once never lose either write or fail.
    """
    rows = [
        {"response_id": response_id, "question_id": a.question_id, "value": a.value,
         "comment": a.comment, "evidence": a.evidence, "revision": 1, "updated_at": utcnow()}
        for a in answers
    ]
    if not rows:
        return
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(Answer).values(rows)
    statement = statement.on_conflict_do_update(
        index_elements=["response_id", "question_id"],
        set_={
            "value": statement.excluded.value,
            "comment": statement.excluded.comment,
            "evidence": statement.excluded.evidence,
            "updated_at": statement.excluded.updated_at,
            "revision": Answer.revision + 1,
        },
    )
    session.execute(statement)


def response_answers(response_id: int) -> list[Answer]:
    query = select(Answer).where(Answer.response_id == response_id).order_by(Answer.id)
    return list(db.session.scalars(query))


def round_answer_rows(round_id: int, submitted_only: bool = True) -> list[Row]:
    """Every answer of a round as plain rows, for results and exports.

    Columns: department, directorate, response_id, respondent, question_id,
    value, comment, evidence.  Ordered by department, respondent, answer.
    """
    query = (
        select(Department.name, Department.directorate, Response.id, Response.respondent,
               Answer.question_id, Answer.value, Answer.comment, Answer.evidence)
        .join(Response, Response.department_id == Department.id)
        .join(Answer, Answer.response_id == Response.id)
        .where(Response.round_id == round_id)
        .order_by(Department.name, Response.respondent, Response.id, Answer.id)
    )
    if submitted_only:
        query = query.where(Response.status == "submitted")
    return list(db.session.execute(query))


def round_responses(round_id: int) -> list[Response]:
    """Every response of a round with its department, for trackers and lists."""
    query = (
        select(Response).join(Department)
        .where(Response.round_id == round_id)
        .order_by(Department.name, Response.respondent)
    )
    return list(db.session.scalars(query))
