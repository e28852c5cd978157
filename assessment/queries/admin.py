"""User administration, the audit log, and the database's own state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, inspect, select, text, update
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import AuditEvent, User


def database_revision(session: Session | None = None) -> str | None:
    """The Alembic revision the database is at (reads a real table, so a
    missing or empty database fails here rather than looking healthy)."""
    return (session or db.session).scalar(text("SELECT version_num FROM alembic_version"))


def is_migrated() -> bool:
    """Whether ``flask init-db`` has run on this database."""
    return inspect(db.session.connection()).has_table("alembic_version")


def ping_database() -> None:
    database_revision()


def list_users(organisation_id: int) -> list[User]:
    query = select(User).where(User.organisation_id == organisation_id).order_by(User.email)
    return list(db.session.scalars(query))


def lock_user(session: Session, user_id: int) -> User | None:
    """The user, read inside a write transaction (locked on PostgreSQL)."""
    return session.scalars(select(User).where(User.id == user_id).with_for_update()).first()


def bump_session_version(session: Session, user_id: int) -> None:
    """End every session of the user: their cookies carry the old version."""
    session.execute(
        update(User).where(User.id == user_id).values(session_version=User.session_version + 1)
    )


def session_version(session: Session, user_id: int) -> int:
    return session.scalar(select(User.session_version).where(User.id == user_id)) or 0


def add_audit_event(row: dict[str, Any]) -> None:
    """One audit event (:func:`assessment.audit.event_row`) in a write transaction of its
    own, so it is kept even if the caller's own work then fails."""
    with db.transaction() as session:
        session.add(AuditEvent(**row))


@dataclass(frozen=True)
class AuditFilter:
    """Which events an admin asked for; ``organisation_id`` is always the admin's own."""

    organisation_id: int
    event: str | None = None
    user_id: int | None = None
    since: datetime | None = None
    before: datetime | None = None


def _filtered(query, criteria: AuditFilter):  # type: ignore[no-untyped-def]
    query = query.where(AuditEvent.organisation_id == criteria.organisation_id)
    if criteria.event:
        query = query.where(AuditEvent.event == criteria.event)
    if criteria.user_id is not None:
        query = query.where(AuditEvent.user_id == criteria.user_id)
    if criteria.since is not None:
        query = query.where(AuditEvent.created_at >= criteria.since)
    if criteria.before is not None:
        query = query.where(AuditEvent.created_at < criteria.before)
    return query


def audit_events(criteria: AuditFilter, limit: int, offset: int = 0) -> list[AuditEvent]:
    """Matching events, newest first."""
    query = _filtered(select(AuditEvent), criteria)
    query = query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()).limit(limit).offset(offset)
    return list(db.session.scalars(query))


def count_audit_events(criteria: AuditFilter) -> int:
    return db.session.scalar(_filtered(select(func.count()).select_from(AuditEvent), criteria)) or 0
