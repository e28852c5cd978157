"""A 1,000,000-row XLSX and a 300,000-row CSV through the web pages: no request
takes more than a few seconds, and both end with a readable result.

The files are written directly (their XML, not cell by cell through a
library: openpyxl's write-only mode takes minutes for a million rows on a
busy machine) and cached for the test session.  The queue is not run inside
the request here (JOBS_IMMEDIATE off): the test plays the job consumer.
"""

from __future__ import annotations

import csv
import io
import re
import time
import zipfile
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.test import EnvironBuilder

from assessment import jobs
from assessment.extensions import db
from assessment.models import StagedUpload

from .helpers import new_round
from .workshop_support import IMPORT_HEADER, signed_in

REQUEST_SECONDS = 5.0
JOB_URL = re.compile(r"/jobs/([0-9a-f]{32})$")


def _cells(values: list[str]) -> str:
    return "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in values)


def write_big_xlsx(path: Path, rows: int, questions: list[str]) -> None:
    """An XLSX of ``rows`` answer rows, written as XML straight into the zip."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
            '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
            '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/></Types>'))
        archive.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'))
        archive.writestr("xl/workbook.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.'
            'org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships"><sheets><sheet name="Answers" sheetId="1" '
            'r:id="rId1"/></sheets></workbook>'))
        archive.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>'))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                        b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            sheet.write(f"<row>{_cells(IMPORT_HEADER)}</row>".encode())
            chunk = []
            for number in range(rows):
                department, question = divmod(number, len(questions))
                chunk.append(f"<row>{_cells([f'Dept {department // 5}', f'R{department % 5}', questions[question], '3', ''])}</row>")
                if len(chunk) == 10_000:
                    sheet.write("".join(chunk).encode())
                    chunk = []
            sheet.write("".join(chunk).encode() + b"</sheetData></worksheet>")


def write_big_csv(path: Path, rows: int, questions: list[str]) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(IMPORT_HEADER)
        for number in range(rows):
            department, question = divmod(number, len(questions))
            writer.writerow([f"Department {department // 5}", f"Respondent {department % 5}",
                             questions[question], "3", "", "", ""])


@pytest.fixture(scope="session")
def big_files(tmp_path_factory) -> dict[str, Path]:
    from assessment.question_bank import load_question_bank

    bank = load_question_bank()
    questions = [q.id for q in bank.questions]
    folder = tmp_path_factory.mktemp("big-uploads")
    files = {"xlsx": folder / "million.xlsx", "csv": folder / "answers.csv"}
    write_big_xlsx(files["xlsx"], 1_000_000, questions)
    write_big_csv(files["csv"], 300_000, questions)
    return files


def timed(timings: list[tuple[str, float]], label: str, call):
    started = time.monotonic()
    response = call()
    timings.append((label, time.monotonic() - started))
    return response


def upload(client, round_id: int, path: Path):
    # The builder spools the body to a temporary file: closed here, whatever the answer.
    builder = EnvironBuilder(path=f"/rounds/{round_id}/import", method="POST",
                             data={"file": (io.BytesIO(path.read_bytes()), path.name)})
    try:
        return client.open(builder)
    finally:
        builder.close()


@pytest.fixture
def queued_app(app: Flask, tmp_path) -> Flask:
    """Jobs wait in a real queue instead of running inside the request."""
    app.config.update(JOBS_IMMEDIATE=False, JOBS_SQLITE_PATH=str(tmp_path / "jobs.sqlite"))
    jobs.init_app(app)
    yield app
    app.config["JOBS_IMMEDIATE"] = True
    jobs.init_app(app)


def test_a_million_row_xlsx_is_refused_by_a_limit_at_once(queued_app, big_files):
    round_id = new_round(queued_app)
    client = signed_in(queued_app)
    timings: list[tuple[str, float]] = []
    page = timed(timings, "upload", lambda: upload(client, round_id, big_files["xlsx"]))
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "There is a problem" in text
    assert "when opened. It must be" in text, text[-2000:]
    assert timings[0][1] < REQUEST_SECONDS, timings
    with queued_app.app_context():
        assert db.session.query(StagedUpload).count() == 0


def test_a_million_row_xlsx_under_a_generous_size_limit_is_refused_by_its_row_count(
        queued_app, big_files):
    queued_app.config["IMPORT_MAX_UNCOMPRESSED_BYTES"] = 10**9
    round_id = new_round(queued_app)
    client = signed_in(queued_app)
    timings: list[tuple[str, float]] = []
    started = timed(timings, "upload", lambda: upload(client, round_id, big_files["xlsx"]))
    job_id = JOB_URL.search(started.location).group(1)
    assert timings[0][1] < REQUEST_SECONDS, timings
    assert "Checking the file" in timed(timings, "progress", lambda: client.get(started.location)).get_data(as_text=True)
    with queued_app.app_context():
        jobs.run_job.call_local(job_id)  # the consumer's turn
    page = timed(timings, "result", lambda: client.get(started.location)).get_data(as_text=True)
    assert "The file cannot be imported" in page and "The file has more than 400,000 rows" in page
    assert max(seconds for _label, seconds in timings) < REQUEST_SECONDS, timings


def test_a_300000_row_csv_is_checked_in_the_background_then_can_be_confirmed(queued_app, big_files):
    round_id = new_round(queued_app)
    client = signed_in(queued_app, "lead")
    timings: list[tuple[str, float]] = []
    started = timed(timings, "upload", lambda: upload(client, round_id, big_files["csv"]))
    assert started.status_code == 302, started.get_data(as_text=True)[-2000:]
    job_id = JOB_URL.search(started.location).group(1)
    assert timings[0][1] < REQUEST_SECONDS, timings
    early = timed(timings, "check too early", lambda: client.get(f"/rounds/{round_id}/import/check"))
    assert early.status_code == 302 and early.location.endswith(f"/jobs/{job_id}")
    with queued_app.app_context():
        jobs.run_job.call_local(job_id)
    done = timed(timings, "progress", lambda: client.get(started.location))
    assert done.status_code == 302 and done.location.endswith(f"/rounds/{round_id}/import/check")
    page = timed(timings, "check", lambda: client.get(done.location)).get_data(as_text=True)
    assert "Check what the import will create" in page and "300,000" in page
    assert "Import these answers" in page
    assert max(seconds for _label, seconds in timings) < REQUEST_SECONDS, timings
