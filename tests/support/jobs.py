"""A real job consumer process for the background-job tests (not fixtures).

:func:`export_through_consumer` gives the consumer the test's database and
queue in a settings file (``JOINED_UP_SETTINGS``), asks for a big export
through the page as a trainer, waits for the consumer to write it, and checks
the file.  The consumer's log is shown when anything goes wrong.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assessment import jobs
from assessment.extensions import db
from assessment.models import BackgroundJob

from .apps import AppFactory
from .files import open_xlsx
from .people import signed_in_client
from .rounds import RoundFactory

ROOT = Path(__file__).resolve().parents[2]
CONSUMER = Path(sys.executable).parent / "huey_consumer"
JOB_TIMEOUT_SECONDS = 60


def reachable_redis(url: str) -> Iterator[str]:
    """``url``, or a skip (a failure under CI) if unreachable."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is required under CI at {url}: {error}")
        pytest.skip(f"Redis not reachable at {url}: {error}")
    client.close()
    yield url


def _settings_file(tmp_path: Path, settings: dict[str, Any]) -> Path:
    path = tmp_path / "consumer_settings.py"
    path.write_text("".join(f"{name} = {value!r}\n" for name, value in settings.items()))
    return path


def start_consumer(settings_file: Path, log: Path) -> subprocess.Popen[bytes]:
    environment = {name: value for name, value in os.environ.items()
                   if name not in ("DATABASE_URL", "REDIS_URL", "RATELIMIT_STORAGE_URI")}
    environment["JOINED_UP_SETTINGS"] = str(settings_file)
    with log.open("wb") as out:
        return subprocess.Popen(
            [str(CONSUMER), "assessment.worker.huey", "--workers", "1", "--max-delay", "0.5"],
            cwd=ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT,
        )


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_for_job(app: Any, job_id: str, log: Path) -> BackgroundJob:
    deadline = time.monotonic() + JOB_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        with app.app_context():
            job = db.session.get(BackgroundJob, job_id)
        assert job is not None
        if job.status in ("done", "failed"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"The job did not finish in {JOB_TIMEOUT_SECONDS} s. Consumer log:\n"
                         + log.read_text(errors="replace"))


def export_through_consumer(app_on: AppFactory, tmp_path: Path, database_url: str,
                            queue: dict[str, Any]) -> None:
    """A big export asked for on the page and written by a separate consumer process
    (``app_on`` is the fixture: the test's app on ``database_url``)."""
    settings = {"SQLALCHEMY_DATABASE_URI": database_url, "JOBS_IMMEDIATE": False,
                # A queue of its own: another test run may share this machine's Redis.
                "JOBS_QUEUE_NAME": f"joined-up-test-{uuid.uuid4().hex[:8]}",
                "JOBS_SQLITE_PATH": str(tmp_path / "jobs.sqlite"),
                "SECRET_KEY": "test-secret-key-not-for-production", **queue}
    app = app_on(database_url, BACKGROUND_EXPORT_MIN_ANSWERS=1, **settings)
    log = tmp_path / "consumer.log"
    consumer = start_consumer(_settings_file(tmp_path, settings), log)
    try:
        round_id = RoundFactory(app).demo().round_id
        client = signed_in_client(app, "trainer")
        asked = client.post(f"/rounds/{round_id}/export.xlsx")
        assert asked.status_code == 302 and asked.location.startswith("/jobs/"), asked.status_code
        job_id = asked.location.rsplit("/", 1)[1]
        job = wait_for_job(app, job_id, log)
        assert job.status == "done", f"{job.status}: {job.details}\n{log.read_text(errors='replace')}"
        assert job.done == job.total == 540
        download = client.get(f"/jobs/{job_id}/download")
        assert download.status_code == 200
        assert open_xlsx(download.data)["Answers"].max_row == 541
    finally:
        stop(consumer)
        jobs.job_queue(app).storage.flush_all()  # this test's own queue
