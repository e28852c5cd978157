"""Big exports and imports run as background jobs with a progress page.

Most tests run the queue in immediate mode (the job runs inside the request
that asks for it, as under TESTING); the last two start a real consumer
process, once with the SQLite queue and once with Redis.  Thresholds are
lowered so the demonstration round (540 answers) counts as big.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from assessment import jobs, settings
from assessment.extensions import db
from assessment.models import Answer, AuditEvent, BackgroundJob, utcnow
from assessment.services import exports
from assessment.services import jobs as job_service
from assessment.workbook import WorkbookOptions
from assessment.workbook import answers as answers_sheet

from .support.apps import AppFactory
from .support.databases import empty_postgres, migrated_sqlite
from .support.files import csv_bytes, open_xlsx
from .support.imports import answer_rows, import_rows
from .support.jobs import export_through_consumer, reachable_redis
from .support.people import signed_in_client
from .support.rounds import IMPORT_HEADER, RoundFactory

JOB_URL = re.compile(r"^/jobs/([0-9a-f]{32})$")


BIG = {"BACKGROUND_EXPORT_MIN_ANSWERS": 1, "BACKGROUND_IMPORT_MIN_ANSWERS": 1}


@pytest.fixture
def big_app(app: Flask, tmp_path) -> Flask:
    """The app (on each database) with every export and import counted as big."""
    app.config.update(BIG)
    app.instance_path = str(tmp_path / "instance")  # held import files
    return app


@pytest.fixture
def page_app(app_on: AppFactory, tmp_path) -> Flask:
    """The same on SQLite only, for what the pages say (the database makes no difference)."""
    return app_on(migrated_sqlite(tmp_path / "jobs-test.sqlite"), **BIG)


def job_id_of(response) -> str:
    assert response.status_code == 302, response.status_code
    match = JOB_URL.match(response.location)
    assert match, response.location
    return match.group(1)


def job(app: Flask, job_id: str) -> BackgroundJob:
    with app.app_context():
        found = db.session.get(BackgroundJob, job_id)
        assert found is not None
        return found


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


# --- exports ----------------------------------------------------------------------------------


def test_a_small_export_is_still_instant(page_app: Flask) -> None:
    page_app.config["BACKGROUND_EXPORT_MIN_ANSWERS"] = settings.BACKGROUND_EXPORT_MIN_ANSWERS
    round_id = RoundFactory(page_app).demo().round_id
    client = signed_in_client(page_app, "trainer")
    response = client.get(f"/rounds/{round_id}/export.xlsx")
    assert response.status_code == 200
    assert open_xlsx(response.data)["Answers"].max_row == 541
    with page_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(BackgroundJob)) == 0


def test_a_big_export_is_asked_for_with_a_form_and_a_get_starts_nothing(page_app: Flask) -> None:
    round_id = RoundFactory(page_app).demo().round_id
    client = signed_in_client(page_app, "trainer")
    page = text_of(client.get(f"/rounds/{round_id}/export"))
    assert 'method="post"' in page and "Prepare the workbook" in page
    assert "written in the background" in page
    response = client.get(f"/rounds/{round_id}/export.xlsx")
    assert response.status_code == 302 and response.location.endswith(f"/rounds/{round_id}/export#workbook")
    with page_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(BackgroundJob)) == 0


def test_a_big_export_runs_as_a_job_and_only_its_owner_gets_the_file(
        big_app: Flask, trainer_client: FlaskClient, lead_client: FlaskClient, round_factory) -> None:
    round_id = round_factory.demo().round_id
    trainer = trainer_client
    job_id = job_id_of(trainer.post(f"/rounds/{round_id}/export.xlsx", data={"anonymise": "y"}))

    page = trainer.get(f"/jobs/{job_id}")
    assert page.status_code == 200
    html = text_of(page)
    assert "Your workbook is ready" in html and "540 answers" in html
    assert 'http-equiv="refresh"' not in html  # finished: no more refreshing
    download = trainer.get(f"/jobs/{job_id}/download")
    assert download.status_code == 200
    assert "workshop-anonymised.xlsx" in download.headers["Content-Disposition"]
    assert download.headers["Cache-Control"] == "no-store"
    workbook = open_xlsx(download.data)
    assert workbook["Answers"].max_row == 541
    assert workbook["Heatmap"]["A2"].value == "Department A"  # the options were kept

    lead = lead_client
    assert lead.get(f"/jobs/{job_id}").status_code == 404
    assert lead.get(f"/jobs/{job_id}/download").status_code == 404
    anonymous = big_app.test_client().get(f"/jobs/{job_id}")
    assert anonymous.status_code == 302 and "/sign-in" in anonymous.location

    with big_app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.event == "export")).all()
    assert [(e.user_email, e.details["answers"], e.details["anonymise"]) for e in events] == [
        ("trainer@example.org", 540, True)]


def test_the_progress_page_shows_rows_written_of_total_and_refreshes_itself(page_app: Flask) -> None:
    round_id = RoundFactory(page_app).demo().round_id
    client = signed_in_client(page_app, "trainer")
    job_id = job_id_of(client.post(f"/rounds/{round_id}/export.xlsx"))
    with page_app.app_context(), db.transaction() as session:
        session.execute(update(BackgroundJob).where(BackgroundJob.id == job_id)
                        .values(status="running", done=12_000, total=360_000, updated_at=utcnow()))
    html = text_of(client.get(f"/jobs/{job_id}"))
    assert '<meta http-equiv="refresh" content="2">' in html
    assert '<progress id="job-progress" class="app-progress" max="360000" value="12000">' in html
    assert "12,000 of 360,000 rows" in html and "Preparing your workbook" in html
    assert client.get(f"/jobs/{job_id}/download").status_code == 404  # not ready yet
    still = text_of(client.get(f"/jobs/{job_id}?updates=off"))  # a screen reader's user can stop it
    assert 'http-equiv="refresh"' not in still and "12,000 of 360,000 rows" in still
    assert f'<a class="govuk-link" href="/jobs/{job_id}?updates=off">Update this page</a> to see' in still


def test_a_job_whose_worker_died_says_it_stopped_and_a_slow_start_says_why(page_app: Flask) -> None:
    round_id = RoundFactory(page_app).demo().round_id
    client = signed_in_client(page_app, "trainer")
    job_id = job_id_of(client.post(f"/rounds/{round_id}/export.xlsx"))
    long_ago = utcnow() - timedelta(hours=1)
    with page_app.app_context(), db.transaction() as session:
        session.execute(update(BackgroundJob).where(BackgroundJob.id == job_id)
                        .values(status="queued", created_at=long_ago, updated_at=long_ago))
    html = text_of(client.get(f"/jobs/{job_id}"))
    assert "Waiting to start" in html and "background worker is running" in html
    with page_app.app_context(), db.transaction() as session:
        session.execute(update(BackgroundJob).where(BackgroundJob.id == job_id).values(status="running"))
    html = text_of(client.get(f"/jobs/{job_id}"))
    assert "could not be prepared" in html and "stopped without finishing" in html
    assert 'http-equiv="refresh"' not in html


def test_expired_jobs_are_gone_for_everyone_and_then_deleted(
        big_app: Flask, trainer_client: FlaskClient, round_factory) -> None:
    round_id = round_factory.demo().round_id
    client = trainer_client
    job_id = job_id_of(client.post(f"/rounds/{round_id}/export.xlsx"))
    with big_app.app_context(), db.transaction() as session:
        session.execute(update(BackgroundJob).where(BackgroundJob.id == job_id)
                        .values(expires_at=utcnow() - timedelta(seconds=1)))
    assert client.get(f"/jobs/{job_id}").status_code == 404
    assert client.get(f"/jobs/{job_id}/download").status_code == 404
    with big_app.app_context():
        assert job_service.delete_expired() == 1
        assert db.session.get(BackgroundJob, job_id) is None


def test_a_queue_that_cannot_be_reached_fails_the_job_with_a_reason(page_app: Flask) -> None:
    round_id = RoundFactory(page_app).demo().round_id
    client = signed_in_client(page_app, "trainer")
    page_app.config.update(JOBS_IMMEDIATE=False, REDIS_URL="redis://127.0.0.1:1/0")
    jobs.init_app(page_app)  # a Redis queue on a port where nothing listens
    try:
        job_id = job_id_of(client.post(f"/rounds/{round_id}/export.xlsx"))
    finally:
        page_app.config.update(JOBS_IMMEDIATE=True)
        jobs.init_app(page_app)
    html = text_of(client.get(f"/jobs/{job_id}"))
    assert "could not be prepared" in html and "busy or unavailable" in html


def test_the_workbook_builder_reports_its_progress(page_app: Flask, monkeypatch) -> None:
    round_id = RoundFactory(page_app).demo().round_id
    monkeypatch.setattr(answers_sheet, "PROGRESS_EVERY", 100)
    reported: list[int] = []
    with page_app.test_request_context():
        count = exports.write_round_workbook(round_id, io.BytesIO(), WorkbookOptions(),
                                             progress=reported.append)
    assert count == 540 and reported == [100, 200, 300, 400, 500]


# --- imports ----------------------------------------------------------------------------------


def upload_and_check(client: FlaskClient, round_id: int, content: bytes) -> None:
    response = client.post(f"/rounds/{round_id}/import", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(content), "answers.csv")})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert client.get(f"/rounds/{round_id}/import/check").status_code == 200


def answer_count(page_app: Flask) -> int:
    with page_app.app_context():
        return db.session.scalar(select(func.count()).select_from(Answer))


def test_a_big_import_runs_as_a_job_after_the_check(
        big_app: Flask, lead_client: FlaskClient, round_factory) -> None:
    round_id = round_factory.demo().round_id
    before = answer_count(big_app)
    client = lead_client
    upload_and_check(client, round_id, csv_bytes([IMPORT_HEADER, *answer_rows(big_app, "Harbour", "Ann")]))
    job_id = job_id_of(client.post(f"/rounds/{round_id}/import/check"))
    questions = len(big_app.extensions["question_bank"].questions)
    assert answer_count(big_app) == before + questions
    html = text_of(client.get(f"/jobs/{job_id}"))
    assert "Answers imported" in html and f"Imported {questions} answers from 1 respondent." in html
    assert f'href="/rounds/{round_id}"' in html
    finished = job(big_app, job_id)
    assert finished.status == "done" and finished.done == questions
    with big_app.app_context():
        assert job_service.job_file(finished) is None  # the upload is not kept
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.event == "import")).one()
    assert event.user_email == "lead@example.org" and event.details["answers"] == questions


def test_a_big_import_that_no_longer_fits_the_round_fails_and_writes_nothing(
        big_app: Flask, trainer_client: FlaskClient, round_factory) -> None:
    round_id = round_factory.demo().round_id
    client = trainer_client
    upload_and_check(client, round_id, csv_bytes([IMPORT_HEADER, *answer_rows(big_app, "Harbour", "Ann")]))
    import_rows(big_app, round_id, answer_rows(big_app, "Harbour", "Ann")[:1])  # meanwhile, elsewhere
    before = answer_count(big_app)
    job_id = job_id_of(client.post(f"/rounds/{round_id}/import/check"))
    assert answer_count(big_app) == before
    html = text_of(client.get(f"/jobs/{job_id}"))
    assert "could not be imported" in html and "nothing has been imported" in html
    assert "&#39;Ann&#39; of &#39;Harbour&#39; already has a response in this round" in html
    assert f'href="/rounds/{round_id}/import"' in html


# --- a real consumer process ------------------------------------------------------------------


@pytest.fixture
def redis_url() -> Iterator[str]:
    yield from reachable_redis("redis://127.0.0.1:6379/15")


def test_a_consumer_process_runs_jobs_from_the_sqlite_queue(app_on: AppFactory, tmp_path) -> None:
    export_through_consumer(app_on, tmp_path, migrated_sqlite(tmp_path / "jobs-test.sqlite"), {})


def test_a_consumer_process_runs_jobs_from_redis_on_postgresql(
        app_on: AppFactory, tmp_path, postgres_url: str, redis_url: str) -> None:
    empty_postgres(postgres_url)
    export_through_consumer(app_on, tmp_path, postgres_url, {"REDIS_URL": redis_url})
