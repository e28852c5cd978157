"""Helpers for the workbook, CSV, template and import tests (not fixtures).

Question ids always come from the app's bank, so the tests pass with the
small test bank and with the real one in ``questions/``.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from openpyxl.workbook import Workbook

from assessment.services import accounts, demo, importer, results, rounds
from assessment.services.importer import ImportPlan

PASSWORD = "a long enough password"
IMPORT_HEADER = [*importer.REQUIRED_COLUMNS, "evidence", "directorate"]


def demo_round(app: Flask) -> int:
    """The demonstration council's closed round (12 departments)."""
    with app.app_context():
        accounts.ensure_organisation(demo.ORGANISATION_NAME)
        return demo.load_demo(app.extensions["question_bank"]).round_id


def signed_in(app: Flask, role: str = "trainer") -> FlaskClient:
    """A client signed in as a new user with ``role`` (the organisation made if needed)."""
    email = f"{role}@example.org"
    with app.app_context():
        accounts.ensure_organisation("Test Council")
        accounts.create_user(email, PASSWORD, role)
    client = app.test_client()
    response = client.post("/sign-in", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def answer_rows(app: Flask, department: str, respondent: str, level: str = "3",
                comment: str = "", directorate: str = "") -> list[list[str]]:
    """Import rows answering every question of the app's bank at ``level``."""
    return [[department, respondent, q.id, level, comment if i == 0 else "", "", directorate]
            for i, q in enumerate(app.extensions["question_bank"].questions)]


def import_rows(app: Flask, round_id: int, rows: list[list[str]]) -> ImportPlan:
    """Import rows (without header) into a round through the importer."""
    with app.app_context():
        assessment_round = rounds.require_round(round_id)
        plan = importer.plan_import(assessment_round, results.round_bank(assessment_round),
                                    [IMPORT_HEADER, *rows])
        importer.apply_import(assessment_round, plan)
        return plan


def results_of(app: Flask, round_id: int) -> dict:
    with app.app_context():
        return results.results_document(results.analyse(rounds.require_round(round_id)))


def open_xlsx(content: bytes) -> Workbook:
    return load_workbook(io.BytesIO(content))


def every_cell(workbook: Workbook) -> Iterator[object]:
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            yield from row


def zip_texts(content: bytes) -> dict[str, str]:
    """Every XML part of an xlsx (cells, charts, drawings, properties) as text."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()
                if name.endswith((".xml", ".rels"))}
