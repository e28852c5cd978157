"""The questionnaire for department heads: an invitation link, then token-free pages.

``/r/<token>`` binds the browser's session to one response (the session keeps
its id and a check value that changes when the link is replaced) and
redirects to ``/respond/...``, so the token never stays in the address bar,
the history or a Referer header.  Every page loads the respondent from the
session again; a revoked link or a closed round ends the session's access.

Nothing typed is lost: a validation error, an expired form (CSRF), a busy
database or an answer changed in another window re-shows the page with what
was typed.
"""

from __future__ import annotations

from math import ceil
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug import Response

from .. import audit
from ..core.bank import Question
from ..services import survey
from ..services.survey import Respondent, SectionStatus
from ..survey_forms import QuestionForm, SectionCompletedForm, SubmitForm, localised
from . import survey_pages as pages

bp = Blueprint("survey", __name__)

SESSION_KEY = "respondent_response_id"
CHECK_KEY = "respondent_check"
#: Minutes a respondent needs per question, for the start page's estimate.
MINUTES_PER_QUESTION = 1.5


def _respondent() -> Respondent | None:
    if "respondent" not in g:
        response_id, check = session.get(SESSION_KEY), session.get(CHECK_KEY)
        bound = isinstance(response_id, int) and isinstance(check, str)
        g.respondent = survey.load_respondent(response_id, check) if bound else None
    return g.respondent


def _current() -> Respondent:
    respondent = _respondent()
    assert respondent is not None  # require_respondent has checked
    return respondent


def _typed_notes() -> list[tuple[str, str]]:
    """What the respondent typed in a form that cannot be saved, to copy elsewhere."""
    notes = [(_("Comment"), request.form.get("comment", "")),
             (_("Evidence"), request.form.get("evidence", ""))]
    return [(label, text) for label, text in notes if text.strip()]


@bp.before_request
def require_respondent() -> ResponseReturnValue | None:
    if request.endpoint in ("survey.follow_link", "survey.link_not_working"):
        return None
    if _respondent() is None:
        return pages.link_not_working(session.get(SESSION_KEY), _typed_notes())
    session.modified = True  # re-signs the cookie: the session lasts from the last visit
    return None


@bp.after_request
def private_pages(response: Response) -> Response:
    """Answers are personal: never cached, and no page leaks its address onwards."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/r/<token>")
def follow_link(token: str) -> ResponseReturnValue:
    response = survey.response_for_token(token)
    if response is None:
        audit.record("invalid_token")
        return redirect(url_for("survey.link_not_working"))
    session[SESSION_KEY] = response.id
    session[CHECK_KEY] = survey.session_check(response)
    if response.status == "submitted":
        return redirect(url_for("survey.confirmation"))
    return redirect(url_for("survey.tasks" if response.started_at else "survey.start"))


@bp.route("/respond/link-not-working")
def link_not_working() -> ResponseReturnValue:
    """Where every unknown, revoked or expired link leads: the same page for all."""
    return pages.link_not_working(session.get(SESSION_KEY))


@bp.route("/respond/")
def start() -> ResponseReturnValue:
    respondent = _current()
    if respondent.submitted:
        return redirect(url_for("survey.confirmation"))
    questions = len(respondent.bank.questions)
    minutes = max(5, ceil(questions * MINUTES_PER_QUESTION / 5) * 5)
    return render_template("survey/start.html", respondent=respondent, questions=questions,
                           minutes=minutes)


@bp.route("/respond/tasks")
def tasks() -> ResponseReturnValue:
    respondent = _current()
    if respondent.submitted:
        return redirect(url_for("survey.confirmation"))
    lang = pages.language()
    sections = respondent.sections
    items = [_task_item(section, lang) for section in sections]
    completed = sum(section.status is SectionStatus.COMPLETED for section in sections)
    return render_template("survey/tasks.html", respondent=respondent, items=items,
                           completed=completed, total=len(sections),
                           can_submit=completed == len(sections))


def _task_item(section: survey.Section, lang: str) -> dict[str, Any]:
    if section.first_unanswered is None:
        href = url_for("survey.section", dimension_id=section.dimension.id)
    else:
        href = url_for("survey.question", question_id=section.first_unanswered.id)
    status: dict[str, Any] = {
        SectionStatus.COMPLETED: {"text": _("Completed")},
        SectionStatus.IN_PROGRESS: {"tag": {"text": _("In progress"), "classes": "govuk-tag--light-blue"}},
        SectionStatus.NOT_STARTED: {"tag": {"text": _("Not yet started"), "classes": "govuk-tag--blue"}},
    }[section.status]
    hint = _("%(answered)s of %(total)s questions answered", answered=section.answered,
             total=section.total)
    return {"title": {"html": localised(section.dimension.name, lang)}, "href": href,
            "hint": {"text": hint}, "status": status}


@bp.route("/respond/questions/<question_id>", methods=["GET", "POST"])
def question(question_id: str) -> ResponseReturnValue:
    respondent = _current()
    if respondent.submitted:
        return redirect(url_for("survey.confirmation"))
    if not respondent.bank.has_question(question_id):
        abort(404)
    asked = respondent.bank.question(question_id)
    return_to = request.args.get("return_to")
    return_to = return_to if return_to in pages.RETURN_PAGES else None
    if request.method == "GET":
        form = QuestionForm(data=pages.stored_answer(respondent.answers.get(question_id)))
        return pages.question_page(respondent, asked, form, return_to)
    return _save_answer(respondent, asked, QuestionForm(), return_to)


def _nothing_typed(form: QuestionForm) -> bool:
    return not form.answer.data and not (form.comment.data or "").strip() \
        and not (form.evidence.data or "").strip()


def _save_answer(respondent: Respondent, asked: Question, form: QuestionForm,
                 return_to: str | None) -> ResponseReturnValue:
    later = request.form.get("action") == "later"
    if later and _nothing_typed(form):
        return redirect(url_for("survey.tasks"))
    if not form.validate():
        return pages.question_page(respondent, asked, form, return_to)
    write = survey.answer_write(asked, form.answer.data, form.comment.data, form.evidence.data,
                                respondent.round.ask_evidence)
    try:
        outcome = survey.save_answer(respondent.response.id, write, form.expected_revision())
    except OperationalError:
        current_app.logger.warning("Database busy: answer to %s not saved", asked.id, exc_info=True)
        return pages.question_page(respondent, asked, form, return_to, status=503, notice="busy")
    except survey.SurveyClosed:
        return _closed_meanwhile()
    if not outcome.saved:
        form.revision.data = str(outcome.revision)
        return pages.question_page(respondent, asked, form, return_to, status=409,
                              conflict=outcome.current)
    if later:
        flash(_("Your answers have been saved. To carry on, use the link in your invitation "
                "again."), "success")
        return redirect(url_for("survey.tasks"))
    return redirect(pages.next_url(pages.position(respondent.bank, asked), return_to))


def _closed_meanwhile() -> ResponseReturnValue:
    """Submitted in another window, or the round closed while the page was open."""
    g.pop("respondent", None)
    respondent = _respondent()
    if respondent is not None and respondent.submitted:
        return redirect(url_for("survey.confirmation"))
    return pages.link_not_working(session.get(SESSION_KEY), _typed_notes(), status=409)


@bp.route("/respond/sections/<dimension_id>", methods=["GET", "POST"])
def section(dimension_id: str) -> ResponseReturnValue:
    respondent = _current()
    if respondent.submitted:
        return redirect(url_for("survey.confirmation"))
    found = [s for s in respondent.sections if s.dimension.id == dimension_id]
    if not found:
        abort(404)
    if request.method == "GET":
        answer = {True: "yes", False: None}[found[0].marked_completed]
        return pages.section_page(respondent, found[0], SectionCompletedForm(data={"completed": answer}))
    form = SectionCompletedForm()
    if found[0].first_unanswered is not None or not form.validate():
        return pages.section_page(respondent, found[0], form)
    try:
        survey.mark_section(respondent.response.id, dimension_id, form.completed.data == "yes")
    except OperationalError:
        return pages.section_page(respondent, found[0], form, status=503, notice="busy")
    except survey.SurveyClosed:
        return _closed_meanwhile()
    return redirect(url_for("survey.tasks"))


@bp.route("/respond/check")
def check() -> ResponseReturnValue:
    respondent = _current()
    if respondent.submitted:
        return redirect(url_for("survey.confirmation"))
    if any(s.status is not SectionStatus.COMPLETED for s in respondent.sections):
        return redirect(url_for("survey.tasks"))
    return pages.check_page(respondent, SubmitForm())


@bp.route("/respond/submit", methods=["POST"])
def submit() -> ResponseReturnValue:
    respondent = _current()
    try:
        newly = survey.submit(respondent.response.id, respondent.bank)
    except survey.SurveyIncomplete:
        flash(_("Answer every question, then check your answers before you submit."), "info")
        return redirect(url_for("survey.tasks"))
    except OperationalError:
        return pages.check_page(respondent, SubmitForm(), status=503, notice="busy")
    except survey.SurveyClosed:
        return _closed_meanwhile()
    if newly:
        audit.record("response_submitted", respondent.round.id,
                     response_id=respondent.response.id,
                     department=respondent.response.department.name)
    return redirect(url_for("survey.confirmation"))


@bp.route("/respond/confirmation")
def confirmation() -> ResponseReturnValue:
    respondent = _current()
    if not respondent.submitted:
        return redirect(url_for("survey.tasks"))
    lang = pages.language()
    record = [{"title": localised(d.name, lang),
               "rows": pages.summary_rows(respondent, d.questions, None, lang)}
              for d in respondent.bank.dimensions]
    return render_template("survey/confirmation.html", respondent=respondent, record=record,
                           radar=pages.department_radar(respondent, lang))


@bp.errorhandler(CSRFError)
def form_expired(_error: CSRFError) -> ResponseReturnValue:
    """The form was open too long (or its token is missing): show it again, as typed."""
    audit.record("csrf_failed", path=request.path)
    respondent = _respondent()
    if respondent is None:
        return pages.link_not_working(session.get(SESSION_KEY), _typed_notes(), status=400)
    if respondent.submitted:
        return redirect(url_for("survey.confirmation"))
    args = request.view_args or {}
    if request.endpoint == "survey.question" and respondent.bank.has_question(args["question_id"]):
        return_to = request.args.get("return_to")
        return pages.question_page(respondent, respondent.bank.question(args["question_id"]),
                              QuestionForm(), return_to if return_to in pages.RETURN_PAGES else None,
                              status=400, notice="expired")
    found = [s for s in respondent.sections if s.dimension.id == args.get("dimension_id")]
    if request.endpoint == "survey.section" and found:
        return pages.section_page(respondent, found[0], SectionCompletedForm(), status=400,
                             notice="expired")
    if request.endpoint == "survey.submit":
        return pages.check_page(respondent, SubmitForm(), status=400, notice="expired")
    return redirect(url_for("survey.tasks"))
