"""Background jobs (the background_job table) and the answer counts that size them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import Answer, BackgroundJob, Response


@dataclass(frozen=True)
class JobInfo:
    """A job as its progress page sees it: plain values, never its file."""

    id: str
    kind: str
    status: str
    user_id: int
    round_id: int
    done: int
    total: int
    details: dict[str, Any]
    error: str | None
    file_name: str | None
    created_at: datetime
    updated_at: datetime
    expires_at: datetime


def _info(job: BackgroundJob) -> JobInfo:
    return JobInfo(job.id, job.kind, job.status, job.user_id, job.round_id, job.done, job.total,
                   dict(job.details or {}), job.error, job.file_name, job.created_at,
                   job.updated_at, job.expires_at)


def add_job(session: Session, job: BackgroundJob) -> None:
    session.add(job)
    session.flush()


def get_job(job_id: str) -> BackgroundJob | None:
    """The job without its file (``file_data`` is deferred)."""
    return db.session.get(BackgroundJob, job_id)


def live_job_of_user(job_id: str, user_id: int, now: datetime) -> JobInfo | None:
    """The job if ``user_id`` asked for it and it has not expired."""
    query = select(BackgroundJob).where(
        BackgroundJob.id == job_id, BackgroundJob.user_id == user_id, BackgroundJob.expires_at > now
    )
    found = db.session.scalars(query).first()
    return None if found is None else _info(found)


def job_file(job_id: str) -> bytes | None:
    query = select(BackgroundJob.file_data).where(BackgroundJob.id == job_id)
    return db.session.scalars(query).first()


def update_job(session: Session, job_id: str, **values: Any) -> None:
    session.execute(update(BackgroundJob).where(BackgroundJob.id == job_id).values(**values))


def claim_job(session: Session, job_id: str, now: datetime) -> bool:
    """Mark a queued job running; False if it was not queued (another worker has it)."""
    result = session.execute(
        update(BackgroundJob).where(BackgroundJob.id == job_id, BackgroundJob.status == "queued")
        .values(status="running", updated_at=now)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def delete_expired(session: Session, now: datetime) -> int:
    result = session.execute(delete(BackgroundJob).where(BackgroundJob.expires_at <= now))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def round_answer_count(round_id: int, submitted_only: bool) -> int:
    """How many answers the round has (of submitted responses only, if asked)."""
    query = (select(func.count(Answer.id)).join(Response, Response.id == Answer.response_id)
             .where(Response.round_id == round_id))
    if submitted_only:
        query = query.where(Response.status == "submitted")
    return int(db.session.scalar(query) or 0)
