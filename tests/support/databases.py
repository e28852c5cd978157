"""Databases for the tests: a new migrated SQLite file, an emptied PostgreSQL database."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text

from assessment.migrate import upgrade
from assessment.models import Base


def migrated_sqlite(path: Path) -> str:
    """The URL of a new SQLite database at ``path``, migrated to the latest schema."""
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


def empty_postgres(url: str) -> None:
    """Every table of the PostgreSQL database at ``url`` emptied, ids starting again at 1."""
    engine = create_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
