"""``flask backup`` and ``flask restore``: every table, ids kept, versioned.

A backup is one JSON document::

    {"format": "joined-up-backup", "version": 1, "schema": "<alembic revision>",
     "created_at": "...", "tables": {"<table>": {"columns": [...], "rows": [[...], ...]}}}

It holds every table of ``assessment.models`` (organisations, users, rounds,
departments, responses, answers, API tokens, the audit log ...) except the
short-lived ones (:data:`SKIPPED_TABLES`), so an organisation can move from
SQLite to PostgreSQL and back.  Times are written in ISO 8601 with their UTC
offset, binary values as ``{"base64": "..."}``.

Restore is all or nothing (one transaction), refuses a file from a newer
version of Joined-Up, and refuses a database that already holds data unless
asked to replace it.  On PostgreSQL the id sequences continue after the
restored ids.  Text loses its control characters on the way in (the one rule
of ``assessment.core.text``, see :mod:`.restore_text`): every row arrives, and
:class:`RestoreReport` names the rows that were cleaned, by table and id.
"""

from __future__ import annotations

import base64
import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import DateTime, LargeBinary, Table
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from ..core.errors import AssessmentError
from ..extensions import db
from ..migrate import alembic_config
from ..models import Base
from ..queries import admin as admin_queries
from ..queries import backup as backup_queries
from . import restore_text

FORMAT = "joined-up-backup"
VERSION = 1
#: Attempt counters of assessment.ratelimit: they expire within minutes.  Background
#: jobs (assessment.jobs) and their files expire within a day and belong to one host's queue.
#: Derived or short-lived rows: stored round results (assessment.services.results_store) are
#: computed again from the answers; staged uploads (import files waiting for confirmation)
#: expire within hours and hold raw file bytes.
SKIPPED_TABLES = frozenset({"rate_limit_counter", "background_job", "round_results", "staged_upload"})


class BackupError(AssessmentError):
    """A backup cannot be written or restored as asked; nothing was changed."""


def backup_tables() -> list[Table]:
    """The tables a backup holds, parents before children."""
    return [table for table in Base.metadata.sorted_tables if table.name not in SKIPPED_TABLES]


def _encode(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"base64": base64.b64encode(value).decode("ascii")}
    if isinstance(value, datetime):
        # SQLite gives back naive times; the app writes them in UTC.
        return (value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    return value


def make_backup() -> dict[str, Any]:
    session = db.session
    tables = {
        table.name: {
            "columns": [column.name for column in table.columns],
            "rows": [[_encode(value) for value in row]
                     for row in backup_queries.table_rows(session, table)],
        }
        for table in backup_tables()
    }
    return {"format": FORMAT, "version": VERSION, "schema": admin_queries.database_revision(),
            "created_at": datetime.now(UTC).isoformat(), "tables": tables}


def write_backup(path: Path) -> int:
    """Write the backup to ``path`` (whole or not at all); returns the number of rows."""
    document = make_backup()
    handle, temporary = tempfile.mkstemp(dir=path.resolve().parent, prefix=".backup-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(document, out, ensure_ascii=False)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return sum(len(table["rows"]) for table in document["tables"].values())


def read_backup(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(f"{path} is not a Joined-Up backup: it is not valid JSON ({error}).") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(f"{path} is not a Joined-Up backup (its format is not {FORMAT!r}).")
    version = document.get("version")
    if not isinstance(version, int) or version < 1:
        raise BackupError(f"{path} has no valid backup format version.")
    if version > VERSION:
        raise BackupError(
            f"{path} was made by a newer version of Joined-Up (backup format {version}; this version "
            f"reads format {VERSION}). Upgrade Joined-Up, then restore."
        )
    if not isinstance(document.get("tables"), dict):
        raise BackupError(f"{path} has no tables.")
    return document


def _parse_time(value: str, table: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise BackupError(f"The table {table} in the backup has a time that is not valid: {value[:40]!r}.") \
            from None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _decode_bytes(value: dict[str, Any], table: str) -> bytes:
    try:
        return base64.b64decode(value["base64"], validate=True)
    except (KeyError, TypeError, ValueError):
        raise BackupError(f"The table {table} in the backup has binary data that is not valid.") from None


def _check_schema(schema: Any) -> None:
    """The database must be migrated, and the backup's schema one this version knows."""
    scripts = ScriptDirectory.from_config(alembic_config(db.engine))
    current = admin_queries.database_revision() if admin_queries.is_migrated() else None
    if current not in scripts.get_heads():
        raise BackupError("The database is not ready: run 'flask init-db' first, then restore.")
    known = isinstance(schema, str) and schema in {script.revision for script in scripts.walk_revisions()}
    if not known:
        raise BackupError(
            f"The backup's database schema ({schema}) is not one this version of Joined-Up knows: "
            "it was made by a newer version. Upgrade Joined-Up, then restore."
        )


def _rows_for(table: Table, data: Any) -> list[dict[str, Any]]:
    if not isinstance(data, dict) or not isinstance(data.get("columns"), list) \
            or not isinstance(data.get("rows"), list):
        raise BackupError(f"The table {table.name} in the backup is not in the expected form.")
    columns: list[str] = data["columns"]
    known = {column.name: column for column in table.columns}
    unknown = [name for name in columns if name not in known]
    if unknown:
        raise BackupError(f"The table {table.name} in the backup has columns this version does not know "
                          f"({', '.join(map(str, unknown))}): it was made by a newer version.")
    times = [name for name in columns if isinstance(known[name].type, DateTime)]
    binaries = [name for name in columns if isinstance(known[name].type, LargeBinary)]
    records = []
    for number, row in enumerate(data["rows"], start=1):
        if not isinstance(row, list) or len(row) != len(columns):
            raise BackupError(f"Row {number} of the table {table.name} in the backup does not have "
                              f"{len(columns)} values.")
        record = dict(zip(columns, row, strict=True))
        for name in times:
            if isinstance(record[name], str):
                record[name] = _parse_time(record[name], table.name)
        for name in binaries:
            if isinstance(record[name], dict):
                record[name] = _decode_bytes(record[name], table.name)
        records.append(record)
    return records


def _require_empty(session: Session, tables: list[Table]) -> None:
    filled = [table.name for table in tables if backup_queries.count_rows(session, table)]
    if filled:
        raise BackupError(
            f"The database already holds data (in {', '.join(filled)}). Restore into an empty database, "
            "or add --replace to delete everything in it first."
        )


#: How many cleaned rows of one table a report names before "and N more".
REPORTED_IDS_PER_TABLE = 20


@dataclass
class RestoreReport:
    """What a restore did: the rows restored, and the ids of those whose text was cleaned."""

    rows: int = 0
    cleaned: dict[str, list[str]] = field(default_factory=dict)

    def cleaned_summary(self) -> str | None:
        """One sentence naming the cleaned rows by table and id, or None if there were none."""
        if not self.cleaned:
            return None
        parts = []
        for table, ids in self.cleaned.items():
            more = len(ids) - REPORTED_IDS_PER_TABLE
            shown = ", ".join(ids[:REPORTED_IDS_PER_TABLE]) + (f" and {more} more" if more > 0 else "")
            parts.append(f"{table} {shown}")
        count = sum(len(ids) for ids in self.cleaned.values())
        return f"Removed control characters from {count} row(s): {'; '.join(parts)}."


def _clean_text_in(prepared: list[tuple[Table, list[dict[str, Any]]]]) -> dict[str, list[str]]:
    """Clean every row's text in place; refuses rows that cleaning would make duplicates."""
    cleaned, clashes = {}, []
    for table, rows in prepared:
        if ids := restore_text.clean_rows(table, rows):
            cleaned[table.name] = ids
            clashes += restore_text.collisions(table, rows, ids)
    if clashes:
        raise BackupError("The backup could not be restored, so nothing was changed: once its control "
                          f"characters are removed, {'; '.join(clashes)}.")
    return cleaned


def restore(document: dict[str, Any], replace: bool = False) -> RestoreReport:
    """Restore a document from :func:`read_backup`; what was restored and cleaned."""
    _check_schema(document.get("schema"))
    tables = backup_tables()
    unknown = sorted(set(document["tables"]) - {table.name for table in tables})
    if unknown:
        raise BackupError(f"The backup has tables this version does not know ({', '.join(unknown)}): "
                          "it was made by a newer version.")
    prepared = [(table, _rows_for(table, document["tables"][table.name]))
                for table in tables if table.name in document["tables"]]
    cleaned = _clean_text_in(prepared)
    try:
        with db.transaction() as session:
            if replace:
                for table in reversed(tables):
                    backup_queries.delete_rows(session, table)
            else:
                _require_empty(session, tables)
            for table, rows in prepared:
                backup_queries.insert_rows(session, table, rows)
            for table in tables:
                backup_queries.reset_sequence(session, table)
    except OperationalError:
        raise
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        raise BackupError(f"The backup could not be restored, so nothing was changed: {reason}") from None
    return RestoreReport(sum(len(rows) for _table, rows in prepared), cleaned)
