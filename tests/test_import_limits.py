"""Uploads cannot stall a worker: every limit is checked before the file is
parsed, each with its own clear message, and nothing is held or written.
Bad CSV (a huge field, control characters, broken encoding) is a listed
problem, never a 500."""

from __future__ import annotations

import io
import zipfile

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.test import EnvironBuilder

from assessment.extensions import db
from assessment.models import Answer, Department, Response, StagedUpload
from assessment.services import importer, rounds

from .support.apps import SMALL_BANK_SETTINGS
from .support.files import csv_bytes
from .support.imports import answer_rows
from .support.rounds import IMPORT_HEADER


def upload(client, round_id: int, content: bytes, filename: str = "answers.csv"):
    # The test client spools a body over 500 KB to a temporary file it never closes.
    builder = EnvironBuilder(path=f"/rounds/{round_id}/import", method="POST",
                             data={"file": (io.BytesIO(content), filename)})
    response = client.open(builder)
    response.request.environ["wsgi.input"].close()
    return response


def written(app: Flask) -> tuple[int, int, int, int]:
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(model))
                     for model in (Department, Response, Answer, StagedUpload))


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def streamed_xlsx(rows: list[list[str]]) -> bytes:
    """Written in write-only mode, so its sheet does not declare its size: the
    row limit is then applied while reading."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Answers")
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def zip_bomb() -> bytes:
    """A "workbook" whose one part is 50 MB of zeros, compressed about 1,000 times."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 50_000_000)
    return out.getvalue()


def csv_of(app: Flask, extra_rows: int = 0, comment: str = "") -> bytes:
    rows = answer_rows(app, "Libraries", "Ann", comment=comment)
    return csv_bytes([IMPORT_HEADER, *rows, *rows[:1] * extra_rows])


@pytest.mark.parametrize(("setting", "value", "make", "filename", "message"), [
    ("IMPORT_MAX_FILE_BYTES", 1000, lambda app: csv_of(app, comment="x" * 1500), "answers.csv",
     "It must be 1,000 bytes or smaller"),
    ("IMPORT_MAX_UNCOMPRESSED_BYTES", 20_000,
     lambda app: xlsx_bytes([IMPORT_HEADER, *answer_rows(app, "Libraries", "Ann")] * 20), "answers.xlsx",
     "when opened. It must be 20 KB or smaller"),
    ("IMPORT_MAX_COMPRESSION_RATIO", 200, lambda app: zip_bomb(), "answers.xlsx",
     "compressed far more than a spreadsheet can be"),
    ("IMPORT_MAX_ROWS", 5, lambda app: csv_of(app), "answers.csv",
     "The file has more than 5 rows"),
    ("IMPORT_MAX_ROWS", 5, lambda app: xlsx_bytes([IMPORT_HEADER, *answer_rows(app, "L", "A")]),
     "answers.xlsx", "The file has more than 5 rows"),
    ("IMPORT_MAX_ROWS", 5, lambda app: streamed_xlsx([IMPORT_HEADER, *answer_rows(app, "L", "A")]),
     "answers.xlsx", "The file has more than 5 rows"),
    ("IMPORT_MAX_COLUMNS", 8, lambda app: csv_bytes([[*IMPORT_HEADER, "a", "b"]]), "answers.csv",
     "Row 1: it has more than 8 columns"),
    ("IMPORT_MAX_FIELD_CHARACTERS", 100, lambda app: csv_of(app, comment="y" * 101), "answers.csv",
     "Row 2: a value is longer than 100 characters"),
])
def test_each_limit_refuses_the_file_with_its_own_message_and_writes_nothing(
        app, setting, value, make, filename, message, client_for, round_factory):
    round_id = round_factory().id
    app.config[setting] = value
    page = upload(client_for("trainer"), round_id, make(app), filename)
    text = page.get_data(as_text=True)
    assert page.status_code == 200, text
    assert "There is a problem" in text and message in text, text[-3000:]
    assert written(app) == (0, 0, 0, 0)


def test_a_body_over_the_request_limit_gets_the_import_page_not_a_bare_413(app, client_for, round_factory):
    round_id = round_factory().id
    app.config["IMPORT_MAX_FILE_BYTES"] = 1000  # the page allows 1 MB more for its form
    page = upload(client_for("trainer"), round_id, b"x" * 2_000_000)
    assert page.status_code == 413
    assert "Import answers" in page.get_data(as_text=True)
    assert "It must be 1,000 bytes or smaller" in page.get_data(as_text=True)
    assert written(app) == (0, 0, 0, 0)


def test_a_csv_field_over_the_csv_modules_limit_is_a_listed_problem_not_a_500(app, client_for, round_factory):
    round_id = round_factory().id
    app.config["IMPORT_MAX_FIELD_CHARACTERS"] = 500_000  # past csv's own 131,072
    page = upload(client_for("trainer"), round_id, csv_of(app, comment="z" * 140_000))
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Row 2: a value is longer than" in text
    assert written(app) == (0, 0, 0, 0)


@pytest.mark.parametrize(("content", "message"), [
    (b"department,respondent,question_id,answer,comment\n" + b'Parks,"Dan,x,3,\n' + b"x" * 10,
     "Row 2: it could not be read as CSV: check its quotation marks"),
    ("département".encode("latin-1"), "not UTF-8"),
    (b"PK\x03\x04 broken", "could not be read as an XLSX workbook"),
])
def test_broken_files_are_a_clear_problem(app, content, message, client_for, round_factory):
    round_id = round_factory().id
    filename = "answers.xlsx" if content.startswith(b"PK") else "answers.csv"
    page = upload(client_for("trainer"), round_id, content, filename)
    assert page.status_code == 200 and message in page.get_data(as_text=True)
    assert written(app) == (0, 0, 0, 0)


def test_control_characters_in_a_csv_never_reach_the_database(app, client_for, round_factory):
    round_id = round_factory().id
    first, *rest = app.extensions["question_bank"].questions
    rows = [["Adult\x00 Social\x07 Care\x1b", "Ann\x00", first.id, "3", "Line one\x00\nline\x07 two",
             "", "Commun\x1bities"]]
    rows += [["Adult Social Care", "Ann", q.id, "3", "", "", "Communities"] for q in rest]
    client = client_for("trainer")
    checked = upload(client, round_id, csv_bytes([IMPORT_HEADER, *rows]), "C:\\My files\\ans\x00wers.csv")
    assert checked.status_code == 302, checked.get_data(as_text=True)
    assert "answers.csv" in client.get(checked.location).get_data(as_text=True)
    assert client.post(checked.location).status_code == 302
    with app.app_context():
        department = db.session.scalars(select(Department)).one()
        response = db.session.scalars(select(Response)).one()
        comments = db.session.scalars(select(Answer.comment).where(Answer.comment.is_not(None))).all()
    assert (department.name, department.directorate) == ("Adult Social Care", "Communities")
    assert response.respondent == "Ann"
    assert comments == ["Line one\nline two"]


@pytest.mark.app_settings(**SMALL_BANK_SETTINGS)
def test_the_importer_uses_the_core_evidence_rule_and_cleans_names(app, round_factory):
    round_id = round_factory().id
    rows = [[*IMPORT_HEADER[:5], "evidence"], ["Libraries\x1b", "Ann\x07", "alpha-one", "4", "", "Minutes"]]
    with app.app_context():
        assessment_round = rounds.require_round(round_id)
        plan = importer.plan_import(assessment_round, app.extensions["question_bank"], rows)
    assert (plan.responses[0].department, plan.responses[0].respondent) == ("Libraries", "Ann")
    assert not hasattr(importer, "is_level")  # the rule lives in core.answers.takes_evidence


def test_staged_uploads_live_in_the_database_and_expired_ones_are_deleted(
        app, tmp_path, client_for, round_factory):
    from datetime import timedelta

    from sqlalchemy import update

    from assessment.models import utcnow

    app.instance_path = str(tmp_path / "instance")
    round_id = round_factory().id
    client = client_for("trainer")
    assert upload(client, round_id, csv_of(app)).status_code == 302
    assert not (tmp_path / "instance" / "imports").exists()
    assert written(app)[3] == 1
    with app.app_context(), db.transaction() as session:
        session.execute(update(StagedUpload).values(expires_at=utcnow() - timedelta(seconds=1)))
    other = client_for("lead")
    assert upload(other, round_id, csv_of(app)).status_code == 302  # sweeps the expired one
    assert written(app)[3] == 1
    refused = client.get(f"/rounds/{round_id}/import/check")
    assert refused.status_code == 302 and refused.location.endswith(f"/rounds/{round_id}/import")


@pytest.mark.app_settings(**SMALL_BANK_SETTINGS)
def test_problems_are_translated_lazily_and_the_cli_prints_english(app, round_factory):
    from flask_babel import force_locale

    round_id = round_factory().id
    with app.app_context():
        assessment_round = rounds.require_round(round_id)
        with pytest.raises(importer.ImportInvalid) as caught:
            importer.plan_import(assessment_round, app.extensions["question_bank"],
                                 [IMPORT_HEADER[:5], ["Libraries", "Ann", "nope", "3", ""]])
        problem = caught.value.problems[0]
        assert not isinstance(problem, str)  # rendered when shown, in the reader's language
        with app.test_request_context(), force_locale("cy"):
            assert "nope" in str(problem)
    assert str(problem) == "Row 2: unknown question_id 'nope'"


def test_the_check_and_the_confirmation_may_land_on_another_host(app, make_app, tmp_path, client_for,
                                                                 round_factory):
    """Two app hosts share the database and the secret key, nothing else."""
    app.instance_path = str(tmp_path / "host-a")
    round_id = round_factory().id
    first_host = client_for("lead")
    assert upload(first_host, round_id, csv_of(app)).status_code == 302
    other_host_app = make_app()
    other_host_app.instance_path = str(tmp_path / "host-b")
    other_host = other_host_app.test_client()
    for name in (app.config["SESSION_COOKIE_NAME"],):
        other_host.set_cookie(name, first_host.get_cookie(name).value)
    page = other_host.get(f"/rounds/{round_id}/import/check")
    assert page.status_code == 200 and "Check what the import will create" in page.get_data(as_text=True)
    assert other_host.post(f"/rounds/{round_id}/import/check").status_code == 302
    questions = len(app.extensions["question_bank"].questions)
    assert written(app) == (1, 1, questions, 0)
    assert not (tmp_path / "host-a").exists() and not (tmp_path / "host-b").exists()


@pytest.mark.app_settings(WTF_CSRF_ENABLED=True)
def test_with_csrf_protection_on_a_big_body_still_gets_the_import_page(app, round_factory, client_for):
    """CSRF protection reads the form before the page does: the import page's own
    body limit must already apply then."""
    import re

    token = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
    app.config["IMPORT_MAX_FILE_BYTES"] = 1000
    round_id = round_factory().id
    client = client_for("trainer")
    form = token.search(client.get(f"/rounds/{round_id}/import").get_data(as_text=True)).group(1)
    builder = EnvironBuilder(path=f"/rounds/{round_id}/import", method="POST", data={
        "csrf_token": form, "file": (io.BytesIO(b"x" * 1_500_000), "answers.csv")})
    page = client.open(builder)
    page.request.environ["wsgi.input"].close()
    assert page.status_code == 413
    assert "It must be 1,000 bytes or smaller" in page.get_data(as_text=True)
