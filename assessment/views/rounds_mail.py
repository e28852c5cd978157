"""A lead's email pages for a round (issue 16): details, respondents by CSV, preview, send.

Sending starts a background job and answers at once with the job's page;
each message's state then shows on the round overview.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from ..auth import requires
from ..core.errors import AssessmentError
from ..ratelimit import client_address
from ..services import mail as mail_service
from ..services import mail_respondents
from .lookups import round_or_404
from .rounds import _overview_page, bp
from .rounds_forms import RespondentsFileForm, RoundDetailsForm, SendForm

#: The previews shown: each language a respondent may get.
PREVIEW_LANGUAGES = ("en", "cy", "both")


@bp.route("/rounds/<int:round_id>/details", methods=["POST"])
@requires("lead")
def details(round_id: int) -> ResponseReturnValue:
    assessment_round = round_or_404(round_id)
    form = RoundDetailsForm()
    if not form.validate():
        return _overview_page(assessment_round, None, details_form=form)
    mail_service.set_round_details(round_id, form.purpose.data, form.closing_day())
    flash(_("The round’s purpose and closing date are saved."), "success")
    return redirect(url_for("rounds.overview", round_id=round_id))


@bp.route("/rounds/<int:round_id>/respondents", methods=["POST"])
@requires("lead")
def upload_respondents(round_id: int) -> ResponseReturnValue:
    assessment_round = round_or_404(round_id)
    form = RespondentsFileForm()
    upload = request.files.get("file")
    data = upload.read(2_000_000 + 1) if upload else b""
    problems: list[str] = []
    try:
        if not data:
            raise mail_service.MailError(_("Select a CSV file of respondents"))
        if len(data) > 2_000_000:
            raise mail_service.MailError(_("The file must be 2 MB or smaller"))
        added = mail_respondents.add_respondents(round_id, mail_respondents.parse_csv(data))
    except mail_respondents.CsvRowsError as error:
        form.file.errors = [str(error)]
        problems = error.problems
    except AssessmentError as error:
        form.file.errors = [str(error)]
    else:
        flash(_("%(count)s respondents added with their email addresses. Preview the "
                "invitation, then send it.", count=len(added)), "success")
        return redirect(url_for("rounds.preview", round_id=round_id, kind="invitation"))
    return _overview_page(assessment_round, None, file_form=form, problems=problems)


@bp.route("/rounds/<int:round_id>/email/<any(invitation, reminder):kind>")
@requires("lead")
def preview(round_id: int, kind: str = "invitation") -> ResponseReturnValue:
    assessment_round = round_or_404(round_id)
    previews = [(language, mail_service.preview(round_id, kind, language))
                for language in PREVIEW_LANGUAGES]
    return render_template("rounds/email_preview.html", round=assessment_round, kind=kind,
                           previews=previews, form=SendForm(),
                           configured=mail_service.sending_configured())


@bp.route("/rounds/<int:round_id>/email/<any(invitation, reminder):kind>", methods=["POST"])
@requires("lead")
def send(round_id: int, kind: str) -> ResponseReturnValue:
    round_or_404(round_id)
    if not SendForm().validate():
        return redirect(url_for("rounds.preview", round_id=round_id, kind=kind))
    try:
        if kind == "invitation":
            job_id = mail_service.start_invitations(
                round_id, current_user.user_id, mail_service.not_yet_invited(round_id),
                client_address())
        else:
            job_id = mail_service.start_reminders(round_id, current_user.user_id, client_address())
    except AssessmentError as error:
        flash(str(error), "info")
        return redirect(url_for("rounds.overview", round_id=round_id))
    return redirect(url_for("jobs.job_page", job_id=job_id))
