"""Importing answers from a file: upload, check what will be created, confirm.

Limits are checked before a file is parsed (assessment.import_format.limits).
A small file is then checked inside the request; a big one by the job queue,
with the progress page, so no request reads a big file.  Between the check
and the confirmation the file waits in the database
(:mod:`assessment.services.staged_uploads`), under a random id kept only in
the user's signed session, never in the page: any web host can serve the
next step, and confirming checks that file again, so nothing the browser
sends can change what is written.  The file is deleted once imported or
cancelled; expired ones are swept away.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from ... import jobs
from ...auth import requires
from ...http_errors import error_page
from ...import_format import FileFacts, ImportInvalid, Limits, Problem, check_file
from ...import_format.limits import file_too_big
from ...queries.rounds import RoundInfo
from ...services import staged_uploads
from ...services.staged_uploads import HeldUpload
from .common import language, own_round
from .forms import ConfirmImportForm, ImportForm

SESSION_KEY = "workshop_import"
#: The web page lists this many problems; the command line lists them all.
PROBLEMS_SHOWN = 1000
#: Room in an import request for the rest of the form around the file.
FORM_OVERHEAD_BYTES = 1024 * 1024


def allow_import_files() -> None:
    """Let the import page's request body hold an import file (other pages keep
    the app's smaller MAX_CONTENT_LENGTH).  Runs before any before_request
    function, so before CSRF protection reads the form."""
    request.max_content_length = current_app.config["IMPORT_MAX_FILE_BYTES"] + FORM_OVERHEAD_BYTES


# --- the uploaded file, held between the check and the confirmation ----------------------


def _held(round_id: int) -> HeldUpload | None:
    held = session.get(SESSION_KEY) or {}
    if held.get("round_id") != round_id or not isinstance(held.get("id"), str):
        return None
    return staged_uploads.held(held["id"], current_user.user_id, round_id, current_user.organisation_id)


def _hold(round_id: int, filename: str, content: bytes,
          summary: staged_uploads.ImportSummary | None) -> str:
    _discard()
    upload_id = staged_uploads.stage(round_id, current_user.user_id, filename, content, summary)
    session[SESSION_KEY] = {"id": upload_id, "round_id": round_id}
    return upload_id


def _discard() -> None:
    held = session.pop(SESSION_KEY, None) or {}
    if isinstance(held.get("id"), str):
        staged_uploads.discard(held["id"])


def _upload_page(assessment_round: RoundInfo, form: ImportForm, problems: list[Problem] | None = None,
                 status: int = 200) -> ResponseReturnValue:
    problems = problems or []
    # Rendered here, in the reader's language, as plain text: a lazy string
    # would reach the template marked safe (it has __html__) and skip escaping.
    shown = [str(problem) for problem in problems[:PROBLEMS_SHOWN]]
    return render_template("workshop/import.html", round=assessment_round, form=form,
                           problems=shown, problem_count=len(problems)), status


def _refused(assessment_round: RoundInfo, form: ImportForm, error: ImportInvalid,
             status: int = 200) -> ResponseReturnValue:
    form.file.errors = [_("The file cannot be imported. Nothing has been imported. "
                          "Correct the problems listed below, then upload the file again.")]
    return _upload_page(assessment_round, form, error.problems, status)


# --- pages ------------------------------------------------------------------------------


@requires("results")
def import_answers(round_id: int) -> ResponseReturnValue:
    assessment_round = own_round(round_id)
    form = ImportForm()
    if not form.validate_on_submit():
        return _upload_page(assessment_round, form)
    filename = staged_uploads.safe_name(form.file.data.filename)
    content = form.file.data.read()
    try:
        facts = check_file(filename, content, staged_uploads.limits())
        if jobs.check_import_in_background(facts.text_bytes):
            return _check_in_background(round_id, filename, content, facts)
        summary = staged_uploads.check(round_id, filename, content)
    except ImportInvalid as error:
        return _refused(assessment_round, form, error)
    _hold(round_id, filename, content, summary)
    return redirect(url_for("workshop.check_import", round_id=round_id))


def _check_in_background(round_id: int, filename: str, content: bytes,
                         facts: FileFacts) -> ResponseReturnValue:
    upload_id = _hold(round_id, filename, content, None)
    job_id = jobs.start_import_check(round_id, current_user.user_id, upload_id, filename,
                                     facts.rows_estimate, language(), request.remote_addr)
    staged_uploads.attach_job(upload_id, job_id)
    return redirect(url_for("jobs.job_page", job_id=job_id))


def too_large(error: RequestEntityTooLarge) -> ResponseReturnValue:
    """A body over the import page's limit: the page, saying how big a file may be."""
    if (request.endpoint != "workshop.import_answers" or not current_user.is_authenticated
            or not current_user.can("results")):
        return error_page(error.code or 413)
    assessment_round = own_round(request.view_args["round_id"])  # type: ignore[index]
    limit = current_app.config["IMPORT_MAX_FILE_BYTES"]
    refusal = file_too_big(Limits(file_bytes=limit), request.content_length or limit + 1)
    return _refused(assessment_round, ImportForm(formdata=None), refusal, 413)


@requires("results")
def check_import(round_id: int) -> ResponseReturnValue:
    assessment_round = own_round(round_id)
    held = _held(round_id)
    if held is None:
        flash(_("Upload the file again: the file you checked is no longer waiting to be imported."))
        return redirect(url_for("workshop.import_answers", round_id=round_id))
    if held.summary is None:  # still being checked in the background
        return redirect(url_for("jobs.job_page", job_id=held.job_id))
    form = ConfirmImportForm()
    if form.validate_on_submit():
        return _confirm(assessment_round, held)
    return render_template("workshop/check.html", round=assessment_round, form=form,
                           filename=held.file_name, summary=held.summary)


def _confirm(assessment_round: RoundInfo, held: HeldUpload) -> ResponseReturnValue:
    assert held.summary is not None
    if jobs.import_in_background(held.summary.answers):
        return _import_in_background(assessment_round.id, held)
    try:
        plan = staged_uploads.import_now(held.id, assessment_round.id)
    except ImportInvalid as error:  # the round changed since the file was checked
        session.pop(SESSION_KEY, None)
        form = ImportForm(formdata=None)
        form.file.errors = [_("The round has changed since the file was checked. Nothing has "
                              "been imported. Correct the problems listed below, then upload "
                              "the file again.")]
        return _upload_page(assessment_round, form, error.problems)
    session.pop(SESSION_KEY, None)
    answers = ngettext("%(count)s answer", "%(count)s answers", plan.answer_count,
                       count=f"{plan.answer_count:,}")
    flash(ngettext("Imported %(answers)s from %(count)s respondent.",
                   "Imported %(answers)s from %(count)s respondents.", len(plan.responses),
                   answers=answers, count=f"{len(plan.responses):,}"), "success")
    return redirect(_after_import(assessment_round.id))


def _import_in_background(round_id: int, held: HeldUpload) -> ResponseReturnValue:
    """Queue the checked file (the job checks it again) and show the job's progress."""
    assert held.summary is not None
    content = staged_uploads.content(held.id) or b""
    job_id = jobs.start_import(round_id, current_user.user_id, held.file_name, content,
                               held.summary.answers, request.remote_addr)
    _discard()
    return redirect(url_for("jobs.job_page", job_id=job_id))


@requires("results")
def cancel_import(round_id: int) -> ResponseReturnValue:
    own_round(round_id)
    _discard()
    flash(_("The import was cancelled. Nothing has been imported."))
    return redirect(url_for("workshop.import_answers", round_id=round_id))


def _after_import(round_id: int) -> str:
    if current_user.can("lead"):
        return url_for("rounds.overview", round_id=round_id)
    return url_for("workshop.export", round_id=round_id)
