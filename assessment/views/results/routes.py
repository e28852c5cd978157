"""Routes of the results pages for leads and trainers: dashboard, print view,
department, compare, plan, targets, challenges and chart files.

Routes read a round's analysis through ``services.results.analyse`` and build
their pages with the presenters beside them (see the package docstring); they
compute no score.  Charts are drawn by :func:`assessment.charts.draw`, imported
only inside the functions that draw, so starting the app never loads matplotlib.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from ...auth import requires
from ...chart_types import Chart
from ...core.names import display_name
from ...core.scoring import score_text
from ...core.trend import comparable
from ...queries import accounts as account_queries
from ...queries import responses as response_queries
from ...queries import results as result_queries
from ...services import results, review
from ..lookups import round_or_404
from . import challenges, forms
from .dashboard import tracker
from .department import answer_sections
from .figures import FigureView, compare_radar, department_radar, dot_plot, organisation_radar
from .gaps import gap_list, gaps_by_directorate
from .history import History, department_change, history
from .peers import peer_sections
from .plan import action_plan
from .table_page import LEVELS, extremes, page_numbers, table_page, table_query
from .view import RoundView

if TYPE_CHECKING:
    from ...report import BoardReport

bp = Blueprint("results", __name__)
# Every template writes a score as ``{{ score|score }}``: the one display rule, cut to one
# decimal place so the number never passes the level beside it (core.scoring.score_text).
bp.add_app_template_filter(score_text, "score")

#: How many earlier rounds the trend chart shows at most.
TREND_ROUNDS = 4
CHART_TYPES = {"svg": "image/svg+xml", "png": "image/png"}
#: The dashboard lists the first flags (dimensions first, see gaps.gap_list); each
#: department's page lists every flag naming it.
GAPS_SHOWN = 20
#: Above this many departments the dashboard stays small: the spread chart (a dot per
#: department per dimension) is an image of its own, not written into the page, and the
#: flags leave out the questions under them.
LARGE_ROUND = 200
#: The dashboard names this many departments still to submit (the round overview has them all).
CHASE_SHOWN = 30
#: The compare page offers at most this many departments to tick; a search finds others.
CHOOSER_SIZE = 50


def round_view(round_id: int) -> RoundView:
    """The signed-in user's round, analysed; 404 for another organisation's round."""
    found = round_or_404(round_id)
    return RoundView(found, results.analyse(found), tuple(result_queries.round_departments(round_id)),
                     str(get_locale() or "en"))


def round_history(view: RoundView) -> History | None:
    """This round against earlier rounds with the same dimensions and some scores."""
    earlier = []
    for assessment_round in result_queries.earlier_rounds(view.round):
        if len(earlier) == TREND_ROUNDS:
            break
        if not comparable(results.round_bank(assessment_round), view.bank):
            continue
        analysis = results.trend_analysis(assessment_round)
        if analysis.results.organisation.departments_scored:
            departments = tuple(result_queries.round_departments(assessment_round.id))
            earlier.append(RoundView(assessment_round, analysis, departments, view.language))
    return history(view, earlier)


def svg(figure: FigureView) -> Markup:
    from ... import charts

    drawn = charts.draw(figure.chart, "svg").decode("utf-8")
    return Markup(drawn)  # noqa: S704 (matplotlib escapes its text; see charts.py)


def chart_image(figure: FigureView, url: str) -> Markup:
    """A chart as an image its own URL draws, for a chart too big to write into the page."""
    return Markup('<img class="app-chart" src="{}" alt="{}">').format(url, figure.title)


def _dashboard_context(round_id: int) -> dict[str, object]:
    view = round_view(round_id)
    grouped = request.args.get("group") == "directorate" and view.has_directorates()
    every_gap = gap_list(view)
    large = len(view.results.departments) > LARGE_ROUND
    # In a large round each question flag names hundreds of departments: the dashboard keeps
    # the flags and leaves their questions to the department pages and the print view.
    gaps = [replace(gap, questions=()) if large else gap for gap in every_gap[:GAPS_SHOWN]]
    found_history = round_history(view)
    radar, dots = organisation_radar(view), dot_plot(view)
    dots_url = url_for("results.chart_file", round_id=round_id, name="dots", fmt="svg")
    return {
        "view": view,
        "more_gaps": len(every_gap) - len(gaps),
        "chase_shown": CHASE_SHOWN,
        "questions_left_out": large and any(gap.questions for gap in every_gap),
        "table": table_page(view, table_query(view, request.args, grouped)),
        "extremes": extremes(view),
        "grouped": grouped,
        "gaps": gaps,
        "gap_groups": gaps_by_directorate(view, gaps) if grouped else [],
        "tracker": tracker(response_queries.progress_counts(round_id)),
        "radar": radar, "radar_svg": svg(radar),
        "dots": dots,
        "dots_svg": chart_image(dots, dots_url) if large else svg(dots),
        "history": found_history,
        "trend_svg": svg(found_history.chart) if found_history else None,
        "overview_url": request.script_root + f"/rounds/{round_id}",
        "peers": peer_sections(view),
    }


@bp.route("/rounds/<int:round_id>/dashboard")
@requires("results")
def dashboard_page(round_id: int) -> ResponseReturnValue:
    return render_template("results/dashboard.html", **_dashboard_context(round_id),
                           levels=LEVELS, page_numbers=page_numbers)


def _board_report(round_id: int) -> tuple[RoundView, BoardReport]:
    # Imported here: assessment.report builds on this package's presenters.
    from ...report import board_report

    view = round_view(round_id)
    organisation = account_queries.organisation_of_round(round_id)
    counts = tracker(response_queries.progress_counts(round_id))
    organisation_name = display_name(organisation.name, organisation.name_cy, view.language) \
        if organisation else ""
    return view, board_report(view, counts, organisation_name,
                              format_date(date.today(), "d MMMM y"), round_history(view),
                              peer_sections(view))


@bp.route("/rounds/<int:round_id>/print")
@requires("results")
def print_page(round_id: int) -> ResponseReturnValue:
    view, report = _board_report(round_id)
    return render_template("results/print.html", view=view, report=report,
                           radar_svg=svg(report.radar), dots_svg=svg(report.dots),
                           trend_svg=svg(report.history.chart) if report.history else None)


@bp.route("/rounds/<int:round_id>/report.docx")
@requires("results")
def report_document(round_id: int) -> ResponseReturnValue:
    from ...report.word import word_document  # python-docx: loaded only when asked for

    view, report = _board_report(round_id)
    return send_file(io.BytesIO(word_document(report, view.language)), as_attachment=True,
                     mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                     download_name=f"round-{round_id}-board-report.docx", max_age=0)


def _department(view: RoundView, department_id: int) -> result_queries.RoundDepartment:
    found = next((d for d in view.departments if d.id == department_id), None)
    if found is None:
        abort(404)
    return found


@bp.route("/rounds/<int:round_id>/departments/<int:department_id>")
@requires("results")
def department_page(round_id: int, department_id: int) -> ResponseReturnValue:
    view = round_view(round_id)
    department = _department(view, department_id)
    scores = view.scored.get(department.name)
    chart = department_radar(view, department.name) if scores else None
    found_history = round_history(view)
    change = department_change(view, found_history, department.name) if found_history else None
    rows = result_queries.department_answer_rows(round_id, department_id)
    return render_template(
        "results/department.html", view=view, department=department, scores=scores,
        chart=chart, chart_svg=svg(chart) if chart else None,
        gaps=[g for g in gap_list(view) if department.name in g.departments],
        sections=answer_sections(view, scores, rows,
                                 response_queries.department_challenges(round_id, department_id)),
        history=found_history, change=change,
        challenge_states=challenges.STATE_TEXTS,
    )


@bp.route("/rounds/<int:round_id>/departments/<int:department_id>/answers/<int:answer_id>/challenge",
          methods=["GET", "POST"])
@requires("lead")
def challenge_page(round_id: int, department_id: int, answer_id: int) -> ResponseReturnValue:
    view = round_view(round_id)
    return challenges.challenge_page(view, _department(view, department_id), answer_id)


@bp.route("/rounds/<int:round_id>/compare")
@requires("results")
def compare_page(round_id: int) -> ResponseReturnValue:
    view = round_view(round_id)
    scored = [d for d in view.departments if d.name in view.scored]
    form = forms.compare_form(scored)
    chart = None
    # A search for departments to tick ("finding") is not yet a request to compare.
    if set(request.args) - {"find"} and "finding" not in request.args and form.validate():
        chosen = {int(value) for value in form.department.data or []}
        chart = compare_radar(view, [d.name for d in scored if d.id in chosen])
    chooser = department_chooser(scored, request.args.getlist("department"),
                                 request.args.get("find", "").strip()[:200])
    form.department.choices = [choice for choice in form.department.choices
                               if int(choice.value) in chooser.shown]
    return render_template("results/compare.html", view=view, form=form, chart=chart,
                           chart_svg=svg(chart) if chart else None, chooser=chooser,
                           query=request.query_string.decode("ascii", "replace"))


@dataclass(frozen=True)
class Chooser:
    """Which departments the compare page offers: those chosen, then those whose name
    contains ``find``, at most :data:`CHOOSER_SIZE` in all."""

    shown: frozenset[int]
    chosen: tuple[int, ...]
    find: str
    matching: int
    total: int


def department_chooser(scored: list[result_queries.RoundDepartment], chosen: list[str],
                       find: str) -> Chooser:
    picked = [d.id for d in scored if str(d.id) in chosen]
    matching = [d.id for d in scored if find.casefold() in d.name.casefold() and d.id not in picked]
    shown = frozenset(picked + matching[:max(CHOOSER_SIZE - len(picked), 0)])
    return Chooser(shown, tuple(picked), find, len(matching) + len(picked), len(scored))


@bp.route("/rounds/<int:round_id>/plan")
@requires("results")
def plan_page(round_id: int) -> ResponseReturnValue:
    view = round_view(round_id)
    return render_template("results/plan.html", view=view, plan=action_plan(view))


@bp.route("/rounds/<int:round_id>/targets", methods=["GET", "POST"])
@requires("lead")
def targets_page(round_id: int) -> ResponseReturnValue:
    view = round_view(round_id)
    form = forms.targets_form(view)
    if form.validate_on_submit():
        review.set_targets(round_id, forms.chosen_targets(form, view))
        flash(_("The targets are saved."), "success")
        return redirect(url_for("results.plan_page", round_id=round_id))
    return render_template("results/targets.html", view=view, form=form,
                           fields=forms.target_fields(form, view))


# --- chart files ---------------------------------------------------------------------


def _chart_file(chart: Chart, fmt: str, name: str, round_id: int) -> ResponseReturnValue:
    from ... import charts

    if fmt not in CHART_TYPES:
        abort(404)
    content = charts.draw(chart, fmt)
    response = send_file(
        io.BytesIO(content), mimetype=CHART_TYPES[fmt], as_attachment=fmt == "png",
        download_name=f"round-{round_id}-{name}.{fmt}", max_age=0,
        etag=hashlib.sha256(content).hexdigest()[:32],
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _compared(view: RoundView) -> FigureView | None:
    """The comparison the query string asks for, if it is a valid one."""
    scored = [d for d in view.departments if d.name in view.scored]
    form = forms.compare_form(scored)
    chosen = {int(v) for v in form.department.data or []} if form.validate() else set()
    return compare_radar(view, [d.name for d in scored if d.id in chosen]) if chosen else None


def _named_figure(view: RoundView, name: str) -> FigureView | None:
    if name == "radar":
        return organisation_radar(view)
    if name == "dots":
        return dot_plot(view)
    if name == "trend":
        found = round_history(view)
        return found.chart if found else None
    if name == "compare":
        return _compared(view)
    return None


@bp.route("/rounds/<int:round_id>/charts/<name>.<fmt>")
@requires("results")
def chart_file(round_id: int, name: str, fmt: str) -> ResponseReturnValue:
    figure = _named_figure(round_view(round_id), name)
    if figure is None:
        abort(404)
    return _chart_file(figure.chart, fmt, name, round_id)


@bp.route("/rounds/<int:round_id>/charts/departments/<int:department_id>/radar.<fmt>")
@requires("results")
def department_chart_file(round_id: int, department_id: int, fmt: str) -> ResponseReturnValue:
    view = round_view(round_id)
    department = _department(view, department_id)
    if department.name not in view.scored:
        abort(404)
    return _chart_file(department_radar(view, department.name).chart, fmt,
                       f"department-{department_id}", round_id)
