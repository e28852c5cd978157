"""A lead's pages for a round: create it, open or close it, track responses, invite.

Invitation links are shown once, in the response to the action that made
them: only a hash of each token is stored, so no page can show an old link.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..auth import requires
from ..core.errors import AssessmentError
from ..queries import responses as response_queries
from ..queries import survey as survey_queries
from ..queries.mail import MessageInfo
from ..queries.rounds import RoundInfo, WelshNames
from ..queries.survey import ProgressRow
from ..services import invitations, round_settings
from ..services import mail as mail_service
from .lookups import round_or_404
from .rounds_forms import InviteForm, RespondentsFileForm, RoundDetailsForm, RoundForm, SendForm

bp = Blueprint("rounds", __name__)

#: Pages of other blueprints linked from the overview when they exist.
RELATED_PAGES = (
    ("results.dashboard_page", _l("Results dashboard")),
    ("results.plan_page", _l("Action plan")),
    ("results.targets_page", _l("Targets")),
    ("workshop.export", _l("Workshop materials")),
    ("workshop.import_answers", _l("Import answers")),
)


@bp.route("/rounds/new", methods=["GET", "POST"])
@requires("lead")
def new() -> ResponseReturnValue:
    form = RoundForm()
    if form.validate_on_submit():
        settings = round_settings.SurveySettings(
            bool(form.ask_evidence.data), bool(form.show_department_radar.data), form.contact.data)
        try:
            created = round_settings.create_round(form.name.data or "", settings, form.name_cy.data,
                                                  current_user.organisation_id)
        except AssessmentError as error:
            form.name.errors = [*form.name.errors, str(error)]
        else:
            if form.purpose.data or form.closing_date.data:
                mail_service.set_round_details(created.id, form.purpose.data, form.closing_day())
            flash(_("Round created. Invite respondents, then open the round."), "success")
            return redirect(url_for("rounds.overview", round_id=created.id))
    return render_template("rounds/new.html", form=form)


# --- progress: counted once, by queries.responses (the dashboard and the API count the same) ---


def progress_state(row: ProgressRow) -> str:
    return response_queries.progress_state(row.status, row.answered > 0)


def link_state(row: ProgressRow, message: MessageInfo | None) -> str:
    """The furthest a respondent's link has gone: created, downloaded, emailed, opened,
    started, submitted ("no_link" and "revoked" when there is no working link to follow)."""
    if row.status == "submitted":
        return "submitted"
    if not row.has_link or row.link_revoked:
        return "revoked" if row.has_link else "no_link"
    if row.answered:
        return "started"
    if row.opened:
        return "opened"
    if message is not None and message.state == "sent":
        return "emailed"
    return "downloaded" if row.downloaded else "created"


@bp.route("/rounds/<int:round_id>")
@requires("lead")
def overview(round_id: int) -> ResponseReturnValue:
    return _overview_page(round_or_404(round_id), InviteForm(formdata=None))


def _overview_page(assessment_round: RoundInfo, form: InviteForm | None, status: int = 200,
                   details_form: RoundDetailsForm | None = None,
                   file_form: RespondentsFileForm | None = None,
                   problems: list[str] | None = None) -> ResponseReturnValue:
    rows = survey_queries.round_progress(assessment_round.id)
    if details_form is None:
        details_form = RoundDetailsForm(formdata=None, purpose=assessment_round.purpose,
                                        closing_date=_day_month_year(assessment_round.closing_date))
    related = [(url_for(endpoint, round_id=assessment_round.id), label)
               for endpoint, label in RELATED_PAGES if endpoint in current_app.view_functions]
    page = render_template(
        "rounds/overview.html", round=assessment_round, rows=rows,
        form=form or InviteForm(formdata=None), details_form=details_form,
        file_form=file_form or RespondentsFileForm(formdata=None), problems=problems or [],
        send_form=SendForm(formdata=None), messages=mail_service.latest_messages(assessment_round.id),
        sending_configured=mail_service.sending_configured(),
        progress=response_queries.progress_counts(assessment_round.id), state=progress_state,
        link_state=link_state,
        question_count=sum(len(d["questions"]) for d in assessment_round.bank_snapshot["dimensions"]),
        to_chase=[row for row in rows if row.status != "submitted"],
        without_link=sum(1 for row in rows if not row.has_link and row.status != "submitted"),
        next_statuses=round_settings.NEXT_STATUSES[assessment_round.status],
        related=related,
    )
    return page, status


@bp.route("/rounds/<int:round_id>/status", methods=["POST"])
@requires("lead")
def change_status(round_id: int) -> ResponseReturnValue:
    round_or_404(round_id)
    try:
        changed = round_settings.change_status(round_id, request.form.get("status", ""))
    except AssessmentError:
        flash(_("The round’s status has changed since you opened this page. Check it and try again."), "info")
    else:
        flash({"open": _("The round is open: invitation links work."),
               "closed": _("The round is closed: invitation links no longer work.")}[changed.status],
              "success")
    return redirect(url_for("rounds.overview", round_id=round_id))


@bp.route("/rounds/<int:round_id>/invitations", methods=["POST"])
@requires("lead")
def invite(round_id: int) -> ResponseReturnValue:
    assessment_round = round_or_404(round_id)
    form = InviteForm()
    if not form.validate():
        return _overview_page(assessment_round, form)
    try:  # a bad address is refused before anyone is added
        form.email.data = form.email.data and mail_service.clean_email(form.email.data)
    except AssessmentError as error:
        form.email.errors = [str(error)]
        return _overview_page(assessment_round, form)
    try:
        welsh = WelshNames(form.department_cy.data, form.directorate_cy.data)
        created = invitations.invite_many(round_id, form.department.data or "", form.respondent_names(),
                                          form.directorate.data, welsh)
    except AssessmentError as error:
        form.department.errors = [*form.department.errors, str(error)]
        return _overview_page(assessment_round, form)
    if form.email.data:
        return _with_email(assessment_round, form, created)
    if form.delivery.data == "csv":
        return _csv_download(assessment_round, created)
    return _links_page(assessment_round, created)


def _day_month_year(day: date | None) -> str | None:
    return None if day is None else f"{day.day} {day.month} {day.year}"


def _with_email(assessment_round: RoundInfo, form: InviteForm,
                created: list[invitations.Invitation]) -> ResponseReturnValue:
    """The respondent gets a mailable link instead of the one just shown to nobody."""
    recipient = mail_service.NewRecipient(created[0].response_id, form.email.data or "",
                                          form.language.data or "en")
    try:
        mail_service.give_email_links(assessment_round.id, [recipient])
    except AssessmentError as error:
        form.email.errors = [*form.email.errors, str(error)]
        return _overview_page(assessment_round, form)
    flash(_("%(respondent)s added with their email address. Preview the invitation, then send it.",
            respondent=created[0].respondent), "success")
    return redirect(url_for("rounds.overview", round_id=assessment_round.id) + "#email")


@bp.route("/rounds/<int:round_id>/invitations/<int:response_id>/replace", methods=["POST"])
@requires("lead")
def replace(round_id: int, response_id: int) -> ResponseReturnValue:
    assessment_round = round_or_404(round_id)
    try:
        invitation = invitations.replace_link(round_id, response_id)
    except AssessmentError:
        abort(404)
    return _links_page(assessment_round, [invitation], replaced=True)


@bp.route("/rounds/<int:round_id>/invitations/<int:response_id>/revoke", methods=["POST"])
@requires("lead")
def revoke(round_id: int, response_id: int) -> ResponseReturnValue:
    round_or_404(round_id)
    try:
        revoked = invitations.revoke_link(round_id, response_id)
    except AssessmentError:
        abort(404)
    flash(_("The link for %(respondent)s (%(department)s) no longer works. Their answers are kept.",
            respondent=revoked.respondent, department=revoked.department), "success")
    return redirect(url_for("rounds.overview", round_id=round_id))


@bp.route("/rounds/<int:round_id>/invitations/missing.csv", methods=["POST"])
@requires("lead")
def links_for_everyone_without_one(round_id: int) -> ResponseReturnValue:
    assessment_round = round_or_404(round_id)
    try:
        created = invitations.links_for_respondents_without_one(round_id)
    except AssessmentError:
        flash(_("The round is closed: reopen it before inviting anyone."), "info")
        return redirect(url_for("rounds.overview", round_id=round_id))
    if not created:
        flash(_("Every respondent who has not submitted already has a link."), "info")
        return redirect(url_for("rounds.overview", round_id=round_id))
    return _csv_download(assessment_round, created)


def _links_page(assessment_round: RoundInfo, created: list[invitations.Invitation],
                replaced: bool = False) -> ResponseReturnValue:
    page = render_template("rounds/links.html", round=assessment_round, invitations=created,
                           replaced=replaced)
    return page, 200, {"Cache-Control": "no-store"}


def _csv_download(assessment_round: RoundInfo, created: list[invitations.Invitation]) -> Response:
    # A byte-order mark, so Excel reads Welsh and other non-ASCII names correctly.
    body = "\ufeff" + invitations.invitations_csv(created)
    survey_queries.mark_downloaded([invitation.response_id for invitation in created])
    headers: dict[str, Any] = {
        "Content-Disposition": f'attachment; filename="invitation-links-round-{assessment_round.id}.csv"',
        "Cache-Control": "no-store",
    }
    return Response(body, mimetype="text/csv", headers=headers)
