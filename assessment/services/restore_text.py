"""Restore's half of the one text rule: no control characters in a restored row.

A backup may come from a database that kept them (SQLite stores NUL, which
PostgreSQL refuses) or from an older version that did not clean every entry
point.  On restore, a one-line column (``String``) gets
:func:`~assessment.core.text.clean_line`, a long one (``Text``)
:func:`~assessment.core.text.clean_text`, and every string inside a JSON value
loses what the long-text rule removes.  A value without control characters is
left exactly as it is, so a clean backup restores unchanged.

Cleaning may make two rows the same where the schema wants them different
(``Parks`` and ``Parks<NUL>`` in one organisation): :func:`collisions` names
them, so the restore can refuse the whole file rather than half of it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Index, String, Table, Text, UniqueConstraint

from ..core.text import clean_line, clean_text, has_control_characters


def _clean_json(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value) if has_control_characters(value, long_text=True) else value
    if isinstance(value, list):
        return [_clean_json(item) for item in value]
    if isinstance(value, dict):
        return {_clean_json(key): _clean_json(item) for key, item in value.items()}
    return value


def _cleaner(column_type: Any) -> Any:
    """How a column's values are cleaned, or None for a column that holds no text."""
    if isinstance(column_type, Text):
        return lambda v: clean_text(v) if isinstance(v, str) and has_control_characters(v, True) else v
    if isinstance(column_type, String):
        return lambda v: clean_line(v) if isinstance(v, str) and has_control_characters(v) else v
    if isinstance(column_type, JSON):
        return _clean_json
    return None


def row_id(table: Table, record: dict[str, Any]) -> str:
    """The row's primary key, as a report names it."""
    return "/".join(str(record.get(column.name)) for column in table.primary_key.columns)


def clean_rows(table: Table, records: list[dict[str, Any]]) -> list[str]:
    """Clean ``records`` in place; the ids of the rows that changed."""
    cleaners = {column.name: cleaner for column in table.columns
                if (cleaner := _cleaner(column.type)) is not None}
    changed = []
    for record in records:
        before = {name: record[name] for name in cleaners if name in record}
        for name, value in before.items():
            record[name] = cleaners[name](value)
        if any(record[name] != value for name, value in before.items()):
            changed.append(row_id(table, record))
    return changed


def _unique_column_sets(table: Table) -> list[list[str]]:
    constraints = [c for c in table.constraints if isinstance(c, UniqueConstraint)]
    indexes = [i for i in table.indexes if isinstance(i, Index) and i.unique]
    return [[column.name for column in unique.columns] for unique in [*constraints, *indexes]]


def collisions(table: Table, records: list[dict[str, Any]], cleaned: list[str]) -> list[str]:
    """Each cleaned row that now has the same unique values as another row, described."""
    changed, found = set(cleaned), []
    for names in _unique_column_sets(table):
        seen: dict[tuple[Any, ...], str] = {}
        for record in records:
            key = tuple(record.get(name) for name in names)
            if any(value is None for value in key):
                continue
            this, other = row_id(table, record), seen.get(key)
            if other is not None and (this in changed or other in changed):
                found.append(f"{table.name} {this} has the same {' and '.join(names)} as row {other}")
            seen.setdefault(key, this)
    return found
