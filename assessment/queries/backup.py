"""Whole tables, read and written as they are, for backup and restore."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Integer, Table, delete, false, func, insert, select
from sqlalchemy.orm import Session


def table_rows(session: Session, table: Table) -> list[tuple[Any, ...]]:
    """Every row of ``table`` in primary-key order, columns in table order."""
    query = select(*table.columns).order_by(*table.primary_key.columns)
    return [tuple(row) for row in session.execute(query)]


def count_rows(session: Session, table: Table) -> int:
    return session.scalar(select(func.count()).select_from(table)) or 0


def delete_rows(session: Session, table: Table) -> None:
    session.execute(delete(table))


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(table), list(rows))


def reset_sequence(session: Session, table: Table) -> None:
    """PostgreSQL: continue the id sequence after the highest restored id.

    Rows restored with their own ids do not advance the sequence, so without
    this the next new row would collide with a restored one.
    """
    if session.get_bind().dialect.name != "postgresql":
        return  # SQLite's next id is always one past the highest
    key = list(table.primary_key.columns)
    if len(key) != 1 or not isinstance(key[0].type, Integer):
        return
    column = key[0]
    sequence = func.pg_get_serial_sequence(table.name, column.name)
    session.execute(select(func.setval(sequence, func.coalesce(func.max(column), 0) + 1, false())))
