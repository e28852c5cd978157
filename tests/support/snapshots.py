"""Every row of every table, for "nothing changed" checks."""

from __future__ import annotations

from typing import Any

from flask import Flask

from assessment.services import backup

#: Following a link records when it was first opened, and downloading the links when they were
#: downloaded (a link's honest state): the only writes a GET may make, so "nothing changed"
#: checks leave them out.
LINK_STATE_COLUMNS = {"opened_at", "downloaded_at"}


def table_snapshot(app: Flask, leave_out: tuple[str, ...] = ("audit_event",)) -> dict[str, Any]:
    """Every row of every table (as a backup holds them), the link states left out."""
    with app.app_context():
        tables = backup.make_backup()["tables"]
    return {name: _without_link_states(table) for name, table in tables.items() if name not in leave_out}


def _without_link_states(table: dict[str, Any]) -> dict[str, Any]:
    kept = [i for i, column in enumerate(table["columns"]) if column not in LINK_STATE_COLUMNS]
    return {"columns": [table["columns"][i] for i in kept],
            "rows": [[row[i] for i in kept] for row in table["rows"]]}
