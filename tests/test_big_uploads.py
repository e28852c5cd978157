"""A 1,000,000-row XLSX and a 300,000-row CSV through the web pages: no request
takes more than a few seconds, and both end with a readable result.

The files (benchmarks.upload_files) are written once per test session.  The
queue is not run inside the request here (JOBS_IMMEDIATE off): the test
plays the job consumer, between timed requests.
"""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.test import EnvironBuilder

from assessment import jobs
from assessment.extensions import db
from assessment.models import StagedUpload
from benchmarks.upload_files import write_big_csv, write_big_xlsx

REQUEST_SECONDS = 5.0
JOB_URL = re.compile(r"/jobs/([0-9a-f]{32})$")


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
    # The test client spools a body over 500 KB to a temporary file it never closes.
    builder = EnvironBuilder(path=f"/rounds/{round_id}/import", method="POST",
                             data={"file": (io.BytesIO(path.read_bytes()), path.name)})
    response = client.open(builder)
    response.request.environ["wsgi.input"].close()
    return response


@pytest.fixture
def queued_app(app: Flask, tmp_path) -> Flask:
    """Jobs wait in a real queue instead of running inside the request."""
    app.config.update(JOBS_IMMEDIATE=False, JOBS_SQLITE_PATH=str(tmp_path / "jobs.sqlite"))
    jobs.init_app(app)
    yield app
    app.config["JOBS_IMMEDIATE"] = True
    jobs.init_app(app)


def test_a_million_row_xlsx_is_refused_by_a_limit_at_once(queued_app, big_files, client_for, round_factory):
    round_id = round_factory().id
    client = client_for("trainer")
    timings: list[tuple[str, float]] = []
    page = timed(timings, "upload", lambda: upload(client, round_id, big_files["xlsx"]))
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "There is a problem" in text
    assert "when opened. It must be" in text, text[-2000:]
    assert timings[0][1] < REQUEST_SECONDS, timings
    with queued_app.app_context():
        assert db.session.query(StagedUpload).count() == 0


def test_a_million_row_xlsx_under_a_generous_size_limit_is_refused_by_its_row_count(
        queued_app, big_files, client_for, round_factory):
    queued_app.config["IMPORT_MAX_UNCOMPRESSED_BYTES"] = 10**9
    round_id = round_factory().id
    client = client_for("trainer")
    timings: list[tuple[str, float]] = []
    page = timed(timings, "upload", lambda: upload(client, round_id, big_files["xlsx"]))
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "The file has more than 400,000 rows" in text
    assert timings[0][1] < REQUEST_SECONDS, timings


def test_a_300000_row_csv_is_checked_in_the_background_then_can_be_confirmed(
        queued_app, big_files, client_for, round_factory):
    round_id = round_factory().id
    client = client_for("lead")
    timings: list[tuple[str, float]] = []
    started = timed(timings, "upload", lambda: upload(client, round_id, big_files["csv"]))
    assert started.status_code == 302, started.get_data(as_text=True)[-2000:]
    job_id = JOB_URL.search(started.location).group(1)
    assert timings[0][1] < REQUEST_SECONDS, timings
    early = timed(timings, "check too early", lambda: client.get(f"/rounds/{round_id}/import/check"))
    assert early.status_code == 302 and early.location.endswith(f"/jobs/{job_id}")
    waiting = timed(timings, "progress", lambda: client.get(started.location)).get_data(as_text=True)
    assert "Checking the file" in waiting and "Waiting to start" in waiting
    with queued_app.app_context():
        jobs.job_queue(queued_app).run_job.call_local(job_id)
    done = timed(timings, "progress", lambda: client.get(started.location))
    assert done.status_code == 302 and done.location.endswith(f"/rounds/{round_id}/import/check")
    page = timed(timings, "check", lambda: client.get(done.location)).get_data(as_text=True)
    assert "Check what the import will create" in page and "300,000" in page
    assert "Import these answers" in page
    assert max(seconds for _label, seconds in timings) < REQUEST_SECONDS, timings
