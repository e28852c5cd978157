"""Demonstration rounds: marking them, counting them and deleting every trace of them.

Deleting follows the foreign keys of :mod:`assessment.models` rather than a
fixed list of tables, so a table added later that hangs off a round, a
response or an answer (challenges, stored results, staged uploads ...) goes
with the demo instead of blocking its removal or being left behind.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, Table, delete, func, select, update
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import AuditEvent, Base, Department, Response, Round


@dataclass(frozen=True)
class DemoSummary:
    """What the demonstration holds: its rounds by name, and how much is in them."""

    round_names: tuple[str, ...]
    responses: int
    departments: int

    @property
    def exists(self) -> bool:
        return bool(self.round_names)


def mark_demo(session: Session, round_id: int) -> None:
    session.execute(update(Round).where(Round.id == round_id).values(is_demo=True))


def _demo_round_ids(organisation_id: int) -> Select[tuple[int]]:
    return select(Round.id).where(Round.is_demo.is_(True), Round.organisation_id == organisation_id)


def _demo_only_department_ids(organisation_id: int) -> Select[tuple[int]]:
    """The organisation's departments with responses in demonstration rounds and in no real round."""
    demo_rounds = _demo_round_ids(organisation_id)
    in_real_rounds = select(Response.department_id).where(Response.round_id.not_in(demo_rounds))
    return (select(Response.department_id)
            .where(Response.round_id.in_(demo_rounds),
                   Response.department_id.not_in(in_real_rounds))
            .distinct())


def demo_summary(organisation_id: int, session: Session | None = None) -> DemoSummary:
    """The organisation's demonstration rounds by name, and how much is in them."""
    session = session or db.session
    names = session.scalars(select(Round.name).where(Round.id.in_(_demo_round_ids(organisation_id)))
                            .order_by(Round.id))
    responses = session.scalar(select(func.count()).select_from(Response)
                               .where(Response.round_id.in_(_demo_round_ids(organisation_id))))
    departments = session.scalar(
        select(func.count()).select_from(_demo_only_department_ids(organisation_id).subquery()))
    return DemoSummary(tuple(names), responses or 0, departments or 0)


def _delete_with_dependants(session: Session, table: Table, where: ColumnElement[bool]) -> None:
    """Delete the rows of ``table`` matching ``where``, after every row that refers to them."""
    for child in Base.metadata.sorted_tables:
        for key in child.foreign_keys:
            if key.column.table is table and child is not table:
                referred = select(key.column).where(where).scalar_subquery()
                _delete_with_dependants(session, child, key.parent.in_(referred))
    session.execute(delete(table).where(where))


def delete_demo(session: Session, organisation_id: int) -> list[int]:
    """Delete the organisation's demonstration rounds, their audit entries and departments
    only they used.

    Returns the ids of the deleted rounds.  Answers, responses (and so their
    links), targets and thresholds (columns of the round) and anything else
    referring to the rounds go with them.
    """
    round_ids = list(session.scalars(_demo_round_ids(organisation_id)))
    if not round_ids:
        return []
    department_ids = list(session.scalars(_demo_only_department_ids(organisation_id)))
    rounds_table = Round.__table__
    departments_table = Department.__table__
    assert isinstance(rounds_table, Table) and isinstance(departments_table, Table)
    _delete_with_dependants(session, rounds_table, rounds_table.c.id.in_(round_ids))
    if department_ids:
        _delete_with_dependants(session, departments_table, departments_table.c.id.in_(department_ids))
    session.execute(delete(AuditEvent).where(AuditEvent.round_id.in_(round_ids)))
    return round_ids
