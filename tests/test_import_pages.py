"""Importing answers through the round's pages: upload, check what will be
created, confirm; the file waits on the server, never in the page."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from assessment.extensions import db
from assessment.models import Answer, AuditEvent, Response, StagedUpload
from assessment.services import invitations

from .support.files import csv_bytes
from .support.imports import answer_rows, import_rows
from .support.rounds import IMPORT_HEADER


class HeldFiles:
    """The uploads waiting between the check and the confirmation: rows of the
    staged_upload table (never files in the instance folder, checked too)."""

    def __init__(self, app, folder: Path) -> None:
        self.app, self.folder = app, folder

    def iterdir(self) -> list[str]:
        assert not self.folder.exists(), "uploads must wait in the database, not on one host's disk"
        with self.app.app_context():
            return list(db.session.scalars(select(StagedUpload.id)))

    def exists(self) -> bool:
        return bool(self.iterdir())


@pytest.fixture
def held_files(app, tmp_path) -> HeldFiles:
    """Where uploads wait between the check and the confirmation (the database)."""
    app.instance_path = str(tmp_path / "instance")
    return HeldFiles(app, tmp_path / "instance" / "imports")


def upload(client, round_id: int, content: bytes, filename: str = "answers.csv"):
    return client.post(f"/rounds/{round_id}/import", data={"file": (io.BytesIO(content), filename)},
                       content_type="multipart/form-data")


def counts(app) -> tuple[int, int]:
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(Response)),
                db.session.scalar(select(func.count()).select_from(Answer)))


def two_respondents(app) -> bytes:
    """Libraries (already in the organisation) complete, Parks (new) started."""
    first = app.extensions["question_bank"].questions[0].id
    return csv_bytes([IMPORT_HEADER, *answer_rows(app, "Libraries", "Ann"),
                      ["Parks", "Dan", first, "2", "Started", "", ""]])


def test_the_check_page_shows_what_will_be_created_and_confirming_imports_it(
        app, held_files, client_for, round_factory):
    round_id = round_factory().id
    with app.app_context():
        invitations.invite(round_id, "Libraries", "Bea")
    client = client_for("trainer")
    checked = upload(client, round_id, two_respondents(app))
    assert checked.status_code == 302 and checked.location.endswith(f"/rounds/{round_id}/import/check")
    assert len(list(held_files.iterdir())) == 1 and counts(app) == (1, 0)

    page = client.get(checked.location).get_data(as_text=True)
    questions = len(app.extensions["question_bank"].questions)
    for expected in ("answers.csv", "1 new, 1 existing", "2: 1 submitted, 1 in progress",
                     "Parks", "Libraries", "New", "Existing"):
        assert expected in page, expected
    assert re.search(rf"Answers\s*</dt>\s*<dd[^>]*>\s*{questions + 1}\s*</dd>", page)

    done = client.post(checked.location)
    assert done.status_code == 302 and done.location.endswith(f"/rounds/{round_id}/export")
    assert counts(app) == (3, questions + 1)
    assert list(held_files.iterdir()) == []
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.event == "import")).one()
    assert (event.round_id, event.details["answers"], event.user_email) == (
        round_id, questions + 1, "trainer@example.org")
    assert "Imported" in client.get(done.location).get_data(as_text=True)


def test_a_bad_file_lists_every_problem_by_row_and_nothing_is_held_or_written(
        app, held_files, client_for, round_factory):
    round_id = round_factory().id
    question = app.extensions["question_bank"].questions[0].id
    content = csv_bytes([IMPORT_HEADER, ["Parks", "Dan", "no-such-question", "3", "", "", ""],
                         ["Parks", "Dan", question, "seven", "", "", ""],
                         ["", "Dan", question, "3", "", "", ""]])
    page = upload(client_for("trainer"), round_id, content)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "There is a problem" in text
    assert "3 problems in the file" in text
    for row in (2, 3, 4):
        assert f"Row {row}: " in text
    assert "Row 2: unknown question_id &#39;no-such-question&#39;" in text
    assert counts(app) == (0, 0)
    assert not held_files.exists() or not list(held_files.iterdir())


@pytest.mark.parametrize(("filename", "content", "message"), [
    (None, b"", "Select a CSV or XLSX file"),
    ("answers.txt", b"department", "The file must be a CSV or an XLSX file"),
    ("answers.xlsx", b"not a zip", "The file could not be read as an XLSX workbook."),
])
def test_missing_or_unreadable_files_get_a_specific_message(app, held_files, filename, content,
                                                             message, client_for, round_factory):
    round_id = round_factory().id
    data = {} if filename is None else {"file": (io.BytesIO(content), filename)}
    page = client_for("trainer").post(f"/rounds/{round_id}/import", data=data,
                               content_type="multipart/form-data")
    assert page.status_code == 200 and message in page.get_data(as_text=True)
    assert counts(app) == (0, 0)


def test_confirming_needs_the_file_this_session_checked(app, held_files, client_for, round_factory):
    round_id = round_factory().id
    checker = client_for("trainer")
    upload(checker, round_id, two_respondents(app))
    other = client_for("lead")  # another person's session holds no file
    refused = other.post(f"/rounds/{round_id}/import/check", data={"plan": "anything at all"})
    assert refused.status_code == 302 and refused.location.endswith(f"/rounds/{round_id}/import")
    assert counts(app) == (0, 0)
    another_round = round_factory("Another").id
    wrong_round = checker.post(f"/rounds/{another_round}/import/check")
    assert wrong_round.status_code == 302 and counts(app) == (0, 0)


def test_cancelling_deletes_the_waiting_file(app, held_files, client_for, round_factory):
    round_id = round_factory().id
    client = client_for("trainer")
    upload(client, round_id, two_respondents(app))
    cancelled = client.post(f"/rounds/{round_id}/import/cancel")
    assert cancelled.status_code == 302 and list(held_files.iterdir()) == []
    assert client.post(f"/rounds/{round_id}/import/check").status_code == 302
    assert counts(app) == (0, 0)


def test_a_change_to_the_round_after_the_check_stops_the_import(app, held_files, client_for, round_factory):
    round_id = round_factory().id
    client = client_for("trainer")
    upload(client, round_id, two_respondents(app))
    import_rows(app, round_id, answer_rows(app, "Libraries", "Ann"))  # someone else was quicker
    before = counts(app)
    page = client.post(f"/rounds/{round_id}/import/check")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "The round has changed since the file was checked" in text
    assert "already has a response in this round" in text
    assert counts(app) == before and list(held_files.iterdir()) == []


def test_a_filled_in_questionnaire_imports_through_the_pages(app, held_files, client_for, round_factory):
    round_id = round_factory().id
    client = client_for("lead")
    workbook = load_workbook(io.BytesIO(client.get(f"/rounds/{round_id}/template.xlsx").data))
    sheet = workbook["Questionnaire"]
    sheet["C2"], sheet["C4"] = "Highways", "Kim"
    for row in sheet.iter_rows(min_row=8):
        row[3].value = 3
    out = io.BytesIO()
    workbook.save(out)
    checked = upload(client, round_id, out.getvalue(), "Highways questionnaire.xlsx")
    assert "Highways" in client.get(checked.location).get_data(as_text=True)
    done = client.post(checked.location)
    assert done.location.endswith(f"/rounds/{round_id}")  # a lead goes back to the round
    with app.app_context():
        response = db.session.scalars(select(Response)).one()
    assert (response.respondent, response.status) == ("Kim", "submitted")


def test_the_import_pages_need_sign_in(app, held_files, round_factory):
    round_id = round_factory().id
    anonymous = app.test_client()
    for response in (anonymous.get(f"/rounds/{round_id}/import"),
                     upload(anonymous, round_id, two_respondents(app))):
        assert response.status_code == 302 and "/sign-in" in response.location
    assert counts(app) == (0, 0)
