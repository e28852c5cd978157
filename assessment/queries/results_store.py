"""The round_results table: a round's analysed results at one data version.

Read with the request's session.  :func:`save_results` writes in a short
transaction of its own, on its own connection, and leaves the request's read
session alone: unlike ``db.transaction()`` it does not end the read session's
transaction, so storing derived results never expires the objects a page has
loaded (which would cost a statement each to load again).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import StoredRoundResults, utcnow


@dataclass(frozen=True)
class StoredVersion:
    """What a stored row was computed from, and one of its compressed payloads."""

    data_version: int
    inputs_digest: str
    data: bytes


def stored_results(round_id: int, summary: bool = False) -> StoredVersion | None:
    """The round's stored results (or only their summary for the trend), if any.

    One statement that reads only the payload asked for.
    """
    column = StoredRoundResults.summary if summary else StoredRoundResults.payload
    query = select(StoredRoundResults.data_version, StoredRoundResults.inputs_digest, column).where(
        StoredRoundResults.round_id == round_id)
    row = db.session.execute(query).first()
    return None if row is None else StoredVersion(row[0], row[1], row[2])


def store_results(session: Session, round_id: int, data_version: int, bank_version: str,
                  inputs_digest: str, payload: bytes, summary: bytes) -> None:
    """Insert or replace the round's row (``INSERT ... ON CONFLICT DO UPDATE``).

    Two workers storing the same round at once both succeed; the last one's row
    stays, and either is right for the version it names.
    """
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    values = {"data_version": data_version, "bank_version": bank_version,
              "inputs_digest": inputs_digest, "payload": payload, "summary": summary,
              "computed_at": utcnow()}
    statement = dialect.insert(StoredRoundResults).values(round_id=round_id, **values)
    session.execute(statement.on_conflict_do_update(index_elements=["round_id"], set_=values))


def save_results(round_id: int, data_version: int, bank_version: str, inputs_digest: str,
                 payload: bytes, summary: bytes) -> None:
    """:func:`store_results` in a write transaction of its own (see the module docstring)."""
    engine = db.engine.execution_options(sqlite_immediate=True)
    with Session(engine) as session, session.begin():
        store_results(session, round_id, data_version, bank_version, inputs_digest,
                      payload, summary)


def forget_results(round_id: int | None = None) -> None:
    """Delete one round's stored results, or every round's, in a transaction of its own."""
    statement = delete(StoredRoundResults)
    if round_id is not None:
        statement = statement.where(StoredRoundResults.round_id == round_id)
    engine = db.engine.execution_options(sqlite_immediate=True)
    with Session(engine) as session, session.begin():
        session.execute(statement)
