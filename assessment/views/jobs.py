"""The progress page of a background job, and its file once ready.

Only the person who asked sees a job: anyone else, and anyone once it has
expired, gets the plain 404 page.  While the job waits or runs, the page
refreshes itself every two seconds (a ``<meta>`` refresh: no script needed),
unless the person turns that off (``?updates=off``, WCAG 2.2.1: each refresh
moves a screen reader back to the top of the page).
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from ..auth import requires
from ..queries.jobs import JobInfo
from ..queries.rounds import organisation_round
from ..services import jobs as job_service
from .workshop.common import download
from .workshop.downloads import XLSX

bp = Blueprint("jobs", __name__)

#: Seconds between refreshes of a page whose job is not finished.
REFRESH_SECONDS = 2


def _own_job(job_id: str) -> JobInfo:
    job = job_service.job_of_user(job_id, current_user.user_id)
    # The job's round must be of the organisation this request is scoped to (a trainer who
    # switched organisation sees only that one's jobs).
    if job is None or organisation_round(current_user.organisation_id, job.round_id) is None:
        abort(404)
    return job


def _next_step(job: JobInfo) -> str:
    """Where to go from a finished or failed job."""
    if job.kind == "import_check" and job.status == "done":
        return url_for("workshop.check_import", round_id=job.round_id)
    if job.kind in ("import", "import_check") and job.status == "failed":
        return url_for("workshop.import_answers", round_id=job.round_id)
    if job.kind == "import" and current_user.can("lead"):
        return url_for("rounds.overview", round_id=job.round_id)
    return url_for("workshop.export", round_id=job.round_id)


def _failure(job: JobInfo, stalled: bool) -> str:
    """Why the job failed, in a sentence; an import always says nothing was imported."""
    reason = "stalled" if stalled else job.details.get("failure", "unexpected")
    if job.kind == "import_check" and reason == "invalid":
        return _("Nothing has been imported. Correct the problems listed below, then upload the "
                 "file again.")
    if job.kind in ("import", "import_check"):
        return {
            "stalled": _("It stopped without finishing, probably because the background worker "
                         "was restarted. Nothing has been imported. Upload the file again."),
            "invalid": _("The round has changed since the file was checked, so nothing has been "
                         "imported. Correct the problems listed below, then upload the file again."),
            "unavailable": _("The service is busy or unavailable. Nothing has been imported. "
                             "Try again in a few minutes."),
            "missing": _("The uploaded file is no longer there. Nothing has been imported. "
                         "Upload the file again."),
        }.get(reason, _("Sorry, there is a problem with the service. Nothing has been imported. "
                        "Try again later."))
    return {
        "stalled": _("It stopped without finishing, probably because the background worker was "
                     "restarted. Try again."),
        "invalid": _("The round could not be found."),
        "unavailable": _("The service is busy or unavailable. Try again in a few minutes."),
    }.get(reason, _("Sorry, there is a problem with the service. Try again later."))


@bp.route("/jobs/<job_id>")
@requires("results")
def job_page(job_id: str) -> ResponseReturnValue:
    job = _own_job(job_id)
    if job.kind == "import_check" and job.status == "done":
        return redirect(_next_step(job))  # the check page shows what the file will create
    stalled = job_service.is_stalled(job)
    waiting = job.status in ("queued", "running") and not stalled
    failed = stalled or job.status == "failed"
    automatic = request.args.get("updates") != "off"
    return render_template(
        "jobs/job.html", job=job, round=organisation_round(current_user.organisation_id, job.round_id),
        waiting=waiting, stalled=stalled, failure=_failure(job, stalled) if failed else None,
        slow_to_start=job_service.is_slow_to_start(job),
        refresh=REFRESH_SECONDS if waiting and automatic else None, next_step=_next_step(job),
        problems=(job.error or "").splitlines(), expires_at=job_service.as_utc(job.expires_at),
    )


@bp.route("/jobs/<job_id>/download")
@requires("results")
def download_file(job_id: str) -> ResponseReturnValue:
    job = _own_job(job_id)
    data = job_service.job_file(job) if job.kind == "export_xlsx" else None
    if data is None:
        abort(404)
    return download(data, job.file_name or "joined-up.xlsx", XLSX)
