"""Answers read for exports: streamed in batches, never all as ORM objects."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from ..extensions import db
from ..models import Answer, Department, Response

#: Rows fetched from the database at a time while streaming an export.
BATCH_SIZE = 5_000


def answer_export_rows(round_id: int, submitted_only: bool) -> Iterator[tuple]:
    """Every answer of a round as plain tuples, streamed.

    Columns: department, directorate, respondent, question_id, value, comment,
    evidence, challenged, challenge_note, challenge_state, challenge_reply.  Ordered
    by department, respondent, then the order the answers were first saved.
    """
    query = (
        select(Department.name, Department.directorate, Response.respondent,
               Answer.question_id, Answer.value, Answer.comment, Answer.evidence,
               Answer.challenged, Answer.challenge_note, Answer.challenge_state,
               Answer.challenge_reply)
        .join(Response, Response.department_id == Department.id)
        .join(Answer, Answer.response_id == Response.id)
        .where(Response.round_id == round_id)
        .order_by(Department.name, Response.respondent, Response.id, Answer.id)
    )
    if submitted_only:
        query = query.where(Response.status == "submitted")
    result = db.session.execute(query.execution_options(yield_per=BATCH_SIZE))
    for row in result:
        yield tuple(row)
