"""The state of background jobs, kept in the database so every worker and host sees it.

A job is ``queued`` when asked for, ``running`` once a queue worker has taken
it (reporting ``done`` of ``total`` as it goes), then ``done`` or ``failed``
(with the reason).  Only the person who asked may see it, until it expires
(``BACKGROUND_JOB_KEEP`` after it was asked for or finished); expired jobs and
their files are deleted by :func:`delete_expired`, which the queue runs every
few minutes.  :mod:`assessment.jobs` runs the work; this module only records it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app

from ..extensions import db
from ..models import BackgroundJob, utcnow
from ..queries import jobs as job_queries
from ..queries.jobs import JobInfo

#: A running job that has reported nothing for this long has died with its worker.
STALLED_AFTER = timedelta(minutes=15)
#: A job still queued after this long suggests no queue worker is running.
SLOW_TO_START_AFTER = timedelta(minutes=2)

#: Why a job failed, as stored in ``details["failure"]``; the page explains each.
FAILURE_REASONS = ("invalid", "unavailable", "unexpected", "missing")


def _keep() -> timedelta:
    return current_app.config["BACKGROUND_JOB_KEEP"]


def as_utc(moment: datetime) -> datetime:
    """SQLite gives back naive times; the app writes them in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def create_job(kind: str, round_id: int, user_id: int, total: int, details: dict[str, Any],
               file_name: str | None = None, file_data: bytes | None = None) -> str:
    """Record a queued job; its id (random, 32 hex digits)."""
    now = utcnow()
    job = BackgroundJob(
        id=uuid.uuid4().hex, kind=kind, status="queued", user_id=user_id, round_id=round_id,
        done=0, total=total, details=details, file_name=file_name, file_data=file_data,
        created_at=now, updated_at=now, expires_at=now + _keep(),
    )
    with db.transaction() as session:
        job_queries.delete_expired(session, now)
        job_queries.add_job(session, job)
    return job.id


def _update(job_id: str, **values: Any) -> None:
    # An app context of its own: db.transaction() ends the read session of its
    # context, and an export is still streaming answers through that session.
    with current_app.app_context(), db.transaction() as session:
        job_queries.update_job(session, job_id, updated_at=utcnow(), **values)


def claim(job_id: str) -> bool:
    """Mark a queued job running; False when it is not queued any more."""
    with db.transaction() as session:
        return job_queries.claim_job(session, job_id, utcnow())


def report_progress(job_id: str, done: int) -> None:
    _update(job_id, done=done)


def finish(job_id: str, done: int, details: dict[str, Any], file_data: bytes | None = None,
           file_name: str | None = None) -> None:
    """Done: keep the result (or, for an import, drop the upload) until it expires."""
    now = utcnow()
    _update(job_id, status="done", done=done, details=details, file_data=file_data,
            file_name=file_name, expires_at=now + _keep())


def fail(job_id: str, details: dict[str, Any], reason: str, error: str | None = None) -> None:
    """Failed for ``reason`` (one of FAILURE_REASONS); ``error`` lists problems to show."""
    assert reason in FAILURE_REASONS
    _update(job_id, status="failed", details={**details, "failure": reason}, error=error,
            file_data=None, expires_at=utcnow() + _keep())


def get_job(job_id: str) -> BackgroundJob | None:
    return job_queries.get_job(job_id)


def job_of_user(job_id: str, user_id: int) -> JobInfo | None:
    """The job, if ``user_id`` asked for it and it has not expired; else None."""
    return job_queries.live_job_of_user(job_id, user_id, utcnow())


def job_file(job: BackgroundJob | JobInfo) -> bytes | None:
    return job_queries.job_file(job.id) if job.status == "done" else None


def is_stalled(job: JobInfo) -> bool:
    """Running, but silent for so long that its worker must have stopped."""
    return job.status == "running" and utcnow() - as_utc(job.updated_at) > STALLED_AFTER


def is_slow_to_start(job: JobInfo) -> bool:
    return job.status == "queued" and utcnow() - as_utc(job.created_at) > SLOW_TO_START_AFTER


def delete_expired() -> int:
    """Delete expired jobs and their files; how many."""
    with db.transaction() as session:
        return job_queries.delete_expired(session, utcnow())
