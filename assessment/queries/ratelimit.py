"""Fixed-window attempt counters (the rate_limit_counter table).

:func:`count_hit` and :func:`clear_counters` stand alone: each is one write
transaction of its own, so assessment.ratelimit never touches a session.
"""

from __future__ import annotations

from sqlalchemy import case, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import RateLimitCounter


def add_hits(session: Session, key: str, amount: int, expiry: int, now: int) -> int:
    """Add ``amount`` to the counter ``key`` and return its new value.

    One ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` (SQLite and
    PostgreSQL): a window that has expired starts again from ``amount``, so two
    workers counting at once never lose a hit.  Expired rows are removed first.
    """
    session.execute(delete(RateLimitCounter).where(RateLimitCounter.expires_at <= now))
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(RateLimitCounter).values(key=key, hits=amount, expires_at=now + expiry)
    expired = RateLimitCounter.expires_at <= now
    statement = statement.on_conflict_do_update(
        index_elements=["key"],
        set_={
            "hits": case((expired, statement.excluded.hits),
                         else_=RateLimitCounter.hits + statement.excluded.hits),
            "expires_at": case((expired, statement.excluded.expires_at),
                               else_=RateLimitCounter.expires_at),
        },
    ).returning(RateLimitCounter.hits)
    return int(session.execute(statement).scalar_one())


def current(session: Session, key: str, now: int) -> RateLimitCounter | None:
    """The counter ``key`` if its window is still running."""
    query = select(RateLimitCounter).where(
        RateLimitCounter.key == key, RateLimitCounter.expires_at > now
    )
    return session.scalars(query).first()


def clear(session: Session, key: str | None = None) -> int:
    """Delete one counter, or every counter when ``key`` is None; returns how many."""
    statement = delete(RateLimitCounter)
    if key is not None:
        statement = statement.where(RateLimitCounter.key == key)
    return session.execute(statement).rowcount or 0


def count_hit(key: str, amount: int, expiry: int, now: int) -> int:
    """:func:`add_hits` in a write transaction of its own; the counter's new value."""
    with db.transaction() as session:
        return add_hits(session, key, amount, expiry, now)


def clear_counters(key: str | None = None) -> int:
    """:func:`clear` in a write transaction of its own; how many counters went."""
    with db.transaction() as session:
        return clear(session, key)
