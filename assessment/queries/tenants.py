"""What the service administrator sees of the organisations: names, rounds, counts.

Never a department, respondent, answer or comment: only how many responses
each round has and how many are submitted (issue 15).
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import case, func, select

from ..extensions import db
from ..models import Organisation, Response, Round, User


class RoundProgress(NamedTuple):
    """One round of an organisation: its name, status and response counts."""

    organisation_id: int
    round_id: int
    name: str
    status: str
    responses: int
    submitted: int


def rounds_progress() -> list[RoundProgress]:
    """Every organisation's rounds, newest first, with their response counts, in one query."""
    submitted = func.sum(case((Response.status == "submitted", 1), else_=0))
    query = (select(Round.organisation_id, Round.id, Round.name, Round.status,
                    func.count(Response.id), func.coalesce(submitted, 0))
             .outerjoin(Response, Response.round_id == Round.id)
             .group_by(Round.organisation_id, Round.id, Round.name, Round.status)
             .order_by(Round.id.desc()))
    return [RoundProgress(*row) for row in db.session.execute(query)]


def member_counts() -> dict[int, int]:
    """How many accounts each organisation has, by organisation id."""
    query = (select(User.organisation_id, func.count(User.id))
             .where(User.organisation_id.is_not(None)).group_by(User.organisation_id))
    return {organisation_id: count for organisation_id, count in db.session.execute(query)}


def organisation_names() -> list[tuple[int, str]]:
    """Every organisation's id and name, by name."""
    query = select(Organisation.id, Organisation.name).order_by(Organisation.name)
    return [(row[0], row[1]) for row in db.session.execute(query)]
