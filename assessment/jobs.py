"""The job queue: workbook exports and imports too big to run inside a web request.

A workbook of 250,000 answers takes about 30 s to write, past gunicorn's
timeout, so exports and imports of ``BACKGROUND_EXPORT_MIN_ANSWERS`` /
``BACKGROUND_IMPORT_MIN_ANSWERS`` answers or more are queued here with huey
and run by a separate consumer process::

    .venv/bin/huey_consumer assessment.worker.huey

(``make run`` and ``make serve`` start it beside the web server).  The queue is
Redis when ``REDIS_URL`` is set (several hosts share it), else a SQLite file,
``JOBS_SQLITE_PATH`` (default ``instance/jobs.sqlite``), for one machine.
With ``JOBS_IMMEDIATE`` (on by default under ``TESTING``) a job runs at once
inside the request that asked for it.

A job runs the same services as the synchronous pages
(:func:`exports.write_round_workbook`, :func:`importer.import_file`), inside a
request context that carries who asked and from where, so the audit log names
them exactly as it does for a small export.  Its state, progress and result
are kept in the database (:mod:`assessment.services.jobs`), never in the queue.
"""

from __future__ import annotations

import functools
import io
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app, g
from flask_login import AnonymousUserMixin
from sqlalchemy.exc import DBAPIError, OperationalError

from .auth import SignedInUser
from .core.errors import AssessmentError
from .mail.runner import RUNNERS as MAIL_RUNNERS
from .models import BackgroundJob
from .queries import accounts as account_queries
from .queries import jobs as job_queries
from .services import exports, importer, results, staged_uploads
from .services import jobs as job_service
from .services.rounds import require_round
from .workbook import WorkbookOptions

#: Problems of a failed import kept for its page (the command line lists them all).
PROBLEMS_KEPT = 1000

_EXTENSION = "joined_up_jobs"
#: Two threads of one worker asking for the queue at once build it once.
_BUILDING = threading.Lock()

if TYPE_CHECKING:
    from .job_queue import JobQueue


def init_app(app: Flask) -> None:
    """Give the app a job queue of its own (``app.extensions["joined_up_jobs"]``), built
    when first used (:func:`job_queue`), so huey is loaded only by processes that queue jobs.

    Calling it again replaces the queue (a test switches a live app to Redis).
    """
    previous = app.extensions.get(_EXTENSION)
    if previous is not None:
        previous.storage.close()
    app.extensions[_EXTENSION] = None


def job_queue(app: Flask) -> JobQueue:
    """The app's queue (what the consumer runs: ``assessment.worker.huey``)."""
    queue = app.extensions.get(_EXTENSION)
    if queue is None:
        with _BUILDING:
            queue = app.extensions.get(_EXTENSION)
            if queue is None:
                from .job_queue import build_queue

                # The queue runs jobs after the request is gone: it keeps the app itself,
                # never the ``current_app`` proxy a caller may have passed.
                real_app = getattr(app, "_get_current_object", lambda: app)()
                queue = app.extensions[_EXTENSION] = build_queue(real_app, _run_job)
    return queue


# --- deciding, and asking ------------------------------------------------------------------


def export_in_background(round_id: int) -> bool:
    """Whether a workbook of this round is big enough to need the queue."""
    threshold = current_app.config["BACKGROUND_EXPORT_MIN_ANSWERS"]
    return job_queries.round_answer_count(round_id, submitted_only=True) >= threshold


def import_in_background(answer_count: int) -> bool:
    return answer_count >= current_app.config["BACKGROUND_IMPORT_MIN_ANSWERS"]


def check_import_in_background(text_bytes: int) -> bool:
    """Whether an upload has so much to read (see import_format.FileFacts) that its check is queued."""
    return text_bytes > current_app.config["IMPORT_CHECK_INLINE_MAX_BYTES"]


def start_import_check(round_id: int, user_id: int, upload_id: str, file_name: str,
                       rows_estimate: int, language: str, address: str | None) -> str:
    """Queue the check of a staged upload (services.staged_uploads); the job's id."""
    details = {"upload": upload_id, "language": language, "address": address}
    job_id = job_service.create_job("import_check", round_id, user_id, rows_estimate, details,
                                    file_name)
    _enqueue(job_id, details)
    return job_id


def start_export(round_id: int, user_id: int, options: WorkbookOptions, language: str,
                 file_name: str, address: str | None) -> str:
    """Queue the round's workshop workbook; the job's id."""
    total = job_queries.round_answer_count(round_id, submitted_only=True)
    details = {"anonymise": options.anonymise, "no_comments": options.no_comments,
               "language": language, "address": address}
    job_id = job_service.create_job("export_xlsx", round_id, user_id, total, details, file_name)
    _enqueue(job_id, details)
    return job_id


def start_import(round_id: int, user_id: int, file_name: str, content: bytes, answers: int,
                 address: str | None) -> str:
    """Queue the import of a checked file (it is checked again when it runs); the job's id."""
    details = {"address": address}
    job_id = job_service.create_job("import", round_id, user_id, answers, details, file_name, content)
    _enqueue(job_id, details)
    return job_id


def _enqueue(job_id: str, details: dict[str, Any]) -> None:
    try:
        job_queue(current_app).run_job(job_id)
    except Exception:  # the queue's storage (Redis, the SQLite file) cannot be reached
        current_app.logger.exception("Could not queue job %s", job_id)
        job_service.fail(job_id, details, "unavailable")


# --- running ---------------------------------------------------------------------------------


def _run_job(app: Flask, job_id: str) -> None:
    with app.app_context():
        job = job_service.get_job(job_id)
        if job is None or not job_service.claim(job_id):
            return  # expired and deleted, or already taken by another worker
        with _as_requester(app, job):
            _run(job, RUNNERS[job.kind])


@contextmanager
def _as_requester(app: Flask, job: BackgroundJob) -> Iterator[None]:
    """A request context for the person who asked, so the services' audit
    records name them and their address, as on the synchronous pages."""
    user = account_queries.get_user(job.user_id)
    organisation = account_queries.organisation_of_round(job.round_id)  # a switched trainer's too
    address = job.details.get("address") or "unknown"
    with app.test_request_context(environ_base={"REMOTE_ADDR": address}):
        g._login_user = (SignedInUser(user, organisation.id if organisation else None)
                         if user is not None else AnonymousUserMixin())
        yield


def _run(job: BackgroundJob, runner: Callable[[BackgroundJob], None]) -> None:
    try:
        runner(job)
    except importer.ImportInvalid as error:
        job_service.fail(job.id, job.details, "invalid", "\n".join(error.rendered(PROBLEMS_KEPT)))
    except AssessmentError as error:
        job_service.fail(job.id, job.details, "invalid", str(error))
    except (OperationalError, DBAPIError) as error:
        current_app.logger.warning("Job %s: database unavailable: %s", job.id, error)
        job_service.fail(job.id, job.details, "unavailable")
    except Exception:
        current_app.logger.exception("Job %s failed", job.id)
        job_service.fail(job.id, job.details, "unexpected")


def _run_export(job: BackgroundJob) -> None:
    details = job.details
    options = WorkbookOptions(anonymise=details["anonymise"], no_comments=details["no_comments"])
    out = io.BytesIO()
    count = exports.write_round_workbook(
        job.round_id, out, options, details["language"],
        progress=functools.partial(job_service.report_progress, job.id),
    )
    job_service.finish(job.id, count, details, out.getvalue(), job.file_name)


def _run_import(job: BackgroundJob) -> None:
    content = job_queries.job_file(job.id)
    if content is None:
        job_service.fail(job.id, job.details, "missing")
        return
    assessment_round = require_round(job.round_id)
    plan = importer.import_file(assessment_round, results.round_bank(assessment_round),
                                job.file_name or "upload", content)
    outcome = {**job.details, "responses": len(plan.responses), "answers": plan.answer_count}
    job_service.finish(job.id, plan.answer_count, outcome, None, job.file_name)


RUNNERS: dict[str, Callable[[BackgroundJob], None]] = {
    "export_xlsx": _run_export, "import": _run_import, "import_check": staged_uploads.run_check,
    **MAIL_RUNNERS,
}
