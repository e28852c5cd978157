"""Small helpers shared by app tests (not fixtures; see tests/conftest.py for those)."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from .conftest import RoundFactory

SMALL_BANK = Path(__file__).parent / "data" / "small_bank"


def csv_bytes(rows: list[list[str]]) -> bytes:
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def new_round(app: Flask, name: str = "Test round", status: str = "open") -> int:
    """An organisation (if none) and a new round; returns the round id.

    New tests take the ``round_factory`` fixture (tests/conftest.py) instead.
    """
    return RoundFactory(app)(name, status=status).id
