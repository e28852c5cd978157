"""Small helpers shared by app tests (not fixtures)."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from assessment.services import accounts, rounds

SMALL_BANK = Path(__file__).parent / "data" / "small_bank"


def csv_bytes(rows: list[list[str]]) -> bytes:
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def new_round(app: Flask, name: str = "Test round", status: str = "open") -> int:
    """An organisation (if none) and a new round; returns the round id."""
    with app.app_context():
        accounts.ensure_organisation("Test Council")
        return rounds.create_round(name, status).id
