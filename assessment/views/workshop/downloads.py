"""The export page and its downloads: workbook, answers CSV, questionnaire.

Each download is written by a service, which records it in the audit log.
"""

from __future__ import annotations

import io

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from ... import jobs
from ...auth import requires
from ...queries import results as result_queries
from ...queries.rounds import RoundInfo
from ...services import exports
from ...workbook import WorkbookOptions
from ..lookups import round_or_404
from .common import download, language
from .forms import ExportForm, TemplateForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv"  # send_file adds "; charset=utf-8"


@requires("results")
def export(round_id: int) -> ResponseReturnValue:
    assessment_round = round_or_404(round_id)
    return render_template(
        "workshop/export.html", round=assessment_round,
        export_form=ExportForm(formdata=None), template_form=TemplateForm(formdata=None),
        department_count=len(result_queries.round_departments(round_id)),
        back=_back_link(round_id), background=jobs.export_in_background(round_id),
    )


def _back_link(round_id: int) -> str:
    """Leads came from the round page; trainers, who cannot see it, from the dashboard."""
    if current_user.can("lead"):
        return url_for("rounds.overview", round_id=round_id)
    if "results.dashboard_page" in current_app.view_functions:
        return url_for("results.dashboard_page", round_id=round_id)
    return url_for("main.home")


@requires("results")
def export_xlsx(round_id: int) -> ResponseReturnValue:
    """GET: the workbook at once.  A round too big for one request (see assessment.jobs)
    is written in the background instead: POST queues it and shows its progress."""
    assessment_round = round_or_404(round_id)
    form = ExportForm(request.form if request.method == "POST" else request.args)
    options = WorkbookOptions(anonymise=bool(form.anonymise.data),
                              no_comments=bool(form.no_comments.data))
    name = _workbook_name(assessment_round, options)
    if jobs.export_in_background(round_id):
        if request.method != "POST":  # a GET must not start work: ask on the export page
            flash(_("This round has many answers: prepare the workbook below."))
            return redirect(url_for("workshop.export", round_id=round_id, _anchor="workbook"))
        job_id = jobs.start_export(round_id, current_user.user_id, options, language(), name,
                                   request.remote_addr)
        return redirect(url_for("jobs.job_page", job_id=job_id))
    out = io.BytesIO()
    exports.write_round_workbook(round_id, out, options, language())
    return download(out.getvalue(), name, XLSX)


def _workbook_name(assessment_round: RoundInfo, options: WorkbookOptions) -> str:
    suffix = "workshop anonymised" if options.anonymise else "workshop"
    return exports.download_name(f"{assessment_round.name} {suffix}", "xlsx")


@requires("results")
def answers_csv(round_id: int) -> ResponseReturnValue:
    assessment_round = round_or_404(round_id)
    out = io.BytesIO()
    # utf-8-sig starts the file with the byte-order mark Excel needs to show ŵ and ŷ.
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    exports.write_answers_csv(round_id, text)
    text.detach()  # flushes, and leaves ``out`` open
    return download(out.getvalue(), exports.download_name(f"{assessment_round.name} answers", "csv"), CSV)


@requires("results")
def template_xlsx(round_id: int) -> ResponseReturnValue:
    from ...services import offline_template  # openpyxl: loaded when first used

    assessment_round = round_or_404(round_id)
    form = TemplateForm(request.args)
    questionnaires = []
    if form.sheets.data == "departments":
        questionnaires = [offline_template.Questionnaire(d.name, d.directorate)
                          for d in result_queries.round_departments(round_id)]
    out = io.BytesIO()
    offline_template.write_template(round_id, out, questionnaires, language())
    name = exports.download_name(f"{assessment_round.name} questionnaire", "xlsx")
    return download(out.getvalue(), name, XLSX)
