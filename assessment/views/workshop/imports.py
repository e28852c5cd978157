"""Importing answers from a file: upload, check what will be created, confirm.

Between the check and the confirmation the uploaded file waits on the server
(``instance/imports/``, a random name kept only in the user's signed
session), never in the page: confirming reads and checks that file again, so
nothing the browser sends can change what is written.  The file is deleted
once imported or cancelled, and any left behind over an hour are swept away.
"""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from ... import jobs
from ...auth import requires
from ...models import Round
from ...services import importer, results
from ...services.importer import ImportInvalid, ImportPlan
from .common import own_round
from .forms import ConfirmImportForm, ImportForm

SESSION_KEY = "workshop_import"
UPLOAD_LIFETIME_SECONDS = 3600
#: The web page lists this many problems; the command line lists them all.
PROBLEMS_SHOWN = 1000
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


# --- the uploaded file, held between the check and the confirmation ----------------------


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _held_path() -> Path | None:
    held = session.get(SESSION_KEY) or {}
    token = held.get("token", "")
    return _folder() / f"{token}.upload" if _TOKEN.fullmatch(token) else None


def hold_upload(round_id: int, filename: str, content: bytes) -> None:
    discard_upload()
    cutoff = time.time() - UPLOAD_LIFETIME_SECONDS
    for old in _folder().glob("*.upload"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    path = _folder() / f"{token}.upload"
    path.touch(mode=0o600)
    path.write_bytes(content)
    session[SESSION_KEY] = {"token": token, "round_id": round_id,
                            "filename": Path(filename).name[-200:]}


def held_upload(round_id: int) -> tuple[str, bytes] | None:
    """The file this session uploaded for this round, if it is still there."""
    held = session.get(SESSION_KEY) or {}
    path = _held_path()
    if held.get("round_id") != round_id or path is None or not path.exists():
        return None
    return held["filename"], path.read_bytes()


def discard_upload() -> None:
    path = _held_path()
    if path is not None:
        path.unlink(missing_ok=True)
    session.pop(SESSION_KEY, None)


# --- what the import will create ----------------------------------------------------------


@dataclass(frozen=True)
class DepartmentPreview:
    name: str
    new: bool
    respondents: int
    submitted: int
    answers: int


def department_previews(plan: ImportPlan) -> list[DepartmentPreview]:
    rows: dict[str, list[int]] = {}
    for response in plan.responses:
        counts = rows.setdefault(response.department, [0, 0, 0])
        counts[0] += 1
        counts[1] += int(response.submitted)
        counts[2] += len(response.answers)
    new = set(plan.new_departments)
    return [DepartmentPreview(name, name in new, *counts) for name, counts in sorted(rows.items())]


def _plan(assessment_round: Round, filename: str, content: bytes) -> ImportPlan:
    upload = importer.read_upload(filename, content)
    return importer.plan_import(assessment_round, results.round_bank(assessment_round),
                                upload.rows, upload.row_names)


def _upload_page(assessment_round: Round, form: ImportForm, problems: list[str] | None = None,
                 status: int = 200) -> ResponseReturnValue:
    problems = problems or []
    return render_template("workshop/import.html", round=assessment_round, form=form,
                           problems=problems[:PROBLEMS_SHOWN], problem_count=len(problems)), status


# --- pages ------------------------------------------------------------------------------


@requires("results")
def import_answers(round_id: int) -> ResponseReturnValue:
    assessment_round = own_round(round_id)
    form = ImportForm()
    if not form.validate_on_submit():
        return _upload_page(assessment_round, form)
    upload = form.file.data
    content = upload.read()
    try:
        _plan(assessment_round, upload.filename, content)
    except ImportInvalid as error:
        form.file.errors = [_("The file cannot be imported. Nothing has been imported. "
                              "Correct the problems listed below, then upload the file again.")]
        return _upload_page(assessment_round, form, error.problems)
    hold_upload(round_id, upload.filename, content)
    return redirect(url_for("workshop.check_import", round_id=round_id))


@requires("results")
def check_import(round_id: int) -> ResponseReturnValue:
    assessment_round = own_round(round_id)
    held = held_upload(round_id)
    if held is None:
        flash(_("Upload the file again: the file you checked is no longer waiting to be imported."))
        return redirect(url_for("workshop.import_answers", round_id=round_id))
    filename, content = held
    form = ConfirmImportForm()
    try:
        if form.validate_on_submit():
            answers = (session.get(SESSION_KEY) or {}).get("answers")
            if answers is not None and jobs.import_in_background(answers):
                return _import_in_background(round_id, filename, content, answers)
            plan = importer.import_file(assessment_round, results.round_bank(assessment_round),
                                        filename, content)
            discard_upload()
            flash(_("Imported %(answers)d answers from %(responses)d respondents.",
                    answers=plan.answer_count, responses=len(plan.responses)), "success")
            return redirect(_after_import(round_id))
        plan = _plan(assessment_round, filename, content)
        # What confirming will write: a big file is then imported in the background.
        session[SESSION_KEY] = {**session[SESSION_KEY], "answers": plan.answer_count}
    except ImportInvalid as error:  # the round changed since the file was checked
        discard_upload()
        form = ImportForm(formdata=None)
        form.file.errors = [_("The round has changed since the file was checked. Nothing has "
                              "been imported. Correct the problems listed below, then upload "
                              "the file again.")]
        return _upload_page(assessment_round, form, error.problems)
    return render_template("workshop/check.html", round=assessment_round, form=form,
                           filename=filename, plan=plan, departments=department_previews(plan))


def _import_in_background(round_id: int, filename: str, content: bytes,
                          answers: int) -> ResponseReturnValue:
    """Queue the checked file (the job checks it again) and show the job's progress."""
    job_id = jobs.start_import(round_id, current_user.user_id, filename, content, answers,
                               request.remote_addr)
    discard_upload()
    return redirect(url_for("jobs.job_page", job_id=job_id))


@requires("results")
def cancel_import(round_id: int) -> ResponseReturnValue:
    own_round(round_id)
    discard_upload()
    flash(_("The import was cancelled. Nothing has been imported."))
    return redirect(url_for("workshop.import_answers", round_id=round_id))


def _after_import(round_id: int) -> str:
    if current_user.can("lead"):
        return url_for("rounds.overview", round_id=round_id)
    return url_for("workshop.export", round_id=round_id)

