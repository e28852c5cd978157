"""Import files waiting between their check and their confirmation.

An upload is checked before anything is written: a small file at once, a big
one by the job queue (:func:`run_check`, with the progress page).  The file
and, once checked, a summary of what it will create wait in the database
(:class:`assessment.models.StagedUpload`), so every web host can show the
check page and take the confirmation.  Confirming reads and checks the file
again (:func:`assessment.services.importer.import_file`), so nothing the
browser sends can change what is written.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import PurePosixPath
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from ..core.text import clean_line
from ..extensions import db
from ..import_format import ImportInvalid, Limits, read_upload
from ..models import BackgroundJob, StagedUpload, utcnow
from ..queries import staged_uploads as staged_queries
from . import importer
from . import jobs as job_service
from .importer import ImportPlan
from .results import round_bank
from .rounds import require_round

#: The check page lists this many departments.
DEPARTMENTS_SHOWN = 500
#: Problems of a failed check kept for its page (the command line lists them all).
PROBLEMS_KEPT = 1000


@dataclass(frozen=True)
class DepartmentPreview:
    name: str
    new: bool
    respondents: int
    submitted: int
    answers: int


@dataclass(frozen=True)
class ImportSummary:
    """What an import will create, for the check page."""

    responses: int
    submitted: int
    answers: int
    new_departments: int
    department_count: int
    departments: tuple[DepartmentPreview, ...]  # the first DEPARTMENTS_SHOWN

    @classmethod
    def of(cls, plan: ImportPlan) -> ImportSummary:
        previews = department_previews(plan)
        return cls(len(plan.responses), plan.submitted_count, plan.answer_count,
                   len(plan.new_departments), len(previews), tuple(previews[:DEPARTMENTS_SHOWN]))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImportSummary:
        departments = tuple(DepartmentPreview(**d) for d in data["departments"])
        return cls(**{**data, "departments": departments})


@dataclass(frozen=True)
class HeldUpload:
    id: str
    file_name: str
    job_id: str | None
    summary: ImportSummary | None


def department_previews(plan: ImportPlan) -> list[DepartmentPreview]:
    rows: dict[str, list[int]] = {}
    for response in plan.responses:
        counts = rows.setdefault(response.department, [0, 0, 0])
        counts[0] += 1
        counts[1] += int(response.submitted)
        counts[2] += len(response.answers)
    new = set(plan.new_departments)
    return [DepartmentPreview(name, name in new, *counts) for name, counts in sorted(rows.items())]


def safe_name(file_name: str) -> str:
    """The name a browser sent, without folders or control characters (NUL fails on PostgreSQL)."""
    return clean_line(PurePosixPath(file_name.replace("\\", "/")).name)[-200:]


def limits() -> Limits:
    return Limits.from_config(current_app.config)


def check(round_id: int, file_name: str, content: bytes,
          progress: Callable[[int], None] | None = None) -> ImportSummary:
    """Read and check a file against the round; what it will create, or :class:`ImportInvalid`."""
    assessment_round = require_round(round_id)
    upload = read_upload(file_name, content, limits(), progress)
    return ImportSummary.of(importer.plan_upload(assessment_round, round_bank(assessment_round), upload))


def stage(round_id: int, user_id: int, file_name: str, content: bytes,
          summary: ImportSummary | None) -> str:
    """Keep a file until it is confirmed (``summary`` once checked); its id."""
    now = utcnow()
    staged = StagedUpload(
        id=secrets.token_hex(16), user_id=user_id, round_id=round_id, file_name=safe_name(file_name),
        file_data=content, summary=asdict(summary) if summary else None, created_at=now,
        expires_at=now + current_app.config["IMPORT_STAGED_LIFETIME"],
    )
    with db.transaction() as session:
        staged_queries.delete_expired(session, now)
        staged_queries.add(session, staged)
    return staged.id


def held(upload_id: str, user_id: int, round_id: int, organisation_id: int | None) -> HeldUpload | None:
    """The upload, if this user made it for this round of this organisation and it has
    not expired."""
    staged = staged_queries.live_upload(upload_id, user_id, round_id, organisation_id, utcnow())
    if staged is None:
        return None
    summary = ImportSummary.from_json(staged.summary) if staged.summary else None
    return HeldUpload(staged.id, staged.file_name, staged.job_id, summary)


def content(upload_id: str) -> bytes | None:
    return staged_queries.upload_file(upload_id)


def attach_job(upload_id: str, job_id: str) -> None:
    with db.transaction() as session:
        staged_queries.update_upload(session, upload_id, job_id=job_id)


def discard(upload_id: str) -> None:
    with db.transaction() as session:
        staged_queries.delete_upload(session, upload_id)


def delete_expired() -> int:
    with db.transaction() as session:
        return staged_queries.delete_expired(session, utcnow())


def run_check(job: BackgroundJob) -> None:
    """The background check of a staged upload (job kind ``import_check``).

    Problems are written in the language of the person who uploaded the file.
    """
    upload_id = job.details["upload"]
    data = content(upload_id)
    if data is None:
        job_service.fail(job.id, job.details, "missing")
        return
    with force_locale(job.details.get("language") or "en"):
        try:
            summary = check(job.round_id, job.file_name or "upload", data,
                            lambda rows: job_service.report_progress(job.id, rows))
        except ImportInvalid as error:
            discard(upload_id)
            job_service.fail(job.id, job.details, "invalid", "\n".join(error.rendered(PROBLEMS_KEPT)))
            return
    with db.transaction() as session:
        staged_queries.update_upload(session, upload_id, summary=asdict(summary))
    job_service.finish(job.id, job.total, {**job.details, "answers": summary.answers}, None,
                       job.file_name)


def import_now(upload_id: str, round_id: int) -> ImportPlan:
    """Check the waiting file again and write it (audited), then let it go.

    :class:`ImportInvalid` when the round has changed since the check; the file
    is let go either way.
    """
    data = content(upload_id)
    staged = staged_queries.get_upload(upload_id)
    if data is None or staged is None:
        raise ImportInvalid([_l("The file is no longer waiting to be imported. Upload it again.")])
    assessment_round = require_round(round_id)
    try:
        return importer.import_file(assessment_round, round_bank(assessment_round),
                                    staged.file_name, data, limits())
    finally:
        discard(upload_id)
