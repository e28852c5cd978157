"""What each questionnaire address does: check the session, act, then hand the
respondent and a form to a page builder in ``pages.py``.

Every page loads the respondent from the session again; a revoked link or a
closed round ends the session's access.  Nothing typed is lost: a validation
error, an expired form (CSRF), a busy database or an answer changed in another
window re-shows the page with what was typed.  A page left open from another
invitation link is refused before anything is written.
"""

from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug import Response

from ... import audit
from ...core.bank import Question
from ...services import survey
from . import pages
from .forms import QuestionForm, SectionCompletedForm, SubmitForm, sent_for_another_response
from .navigation import next_url, position, return_page
from .respondent import (
    Respondent,
    Section,
    SectionStatus,
    load_respondent,
    response_for_token,
    session_check,
    waiting_for_round,
)

SESSION_KEY = "respondent_response_id"
CHECK_KEY = "respondent_check"


def _respondent() -> Respondent | None:
    if "respondent" not in g:
        response_id, check = session.get(SESSION_KEY), session.get(CHECK_KEY)
        bound = isinstance(response_id, int) and isinstance(check, str)
        g.respondent = load_respondent(response_id, check) if bound else None
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


def _from_another_link(respondent: Respondent) -> bool:
    """A form shown for another response (another link followed since) was sent."""
    return request.method == "POST" and sent_for_another_response(request.form, respondent.reference)


def require_respondent() -> ResponseReturnValue | None:
    """Before every page: a session bound to a working link, and a form of its own response."""
    if request.endpoint in ("survey.follow_link", "survey.link_not_working"):
        return None
    respondent = _respondent()
    if respondent is None:
        return pages.link_not_working(session.get(SESSION_KEY), _typed_notes())
    if _from_another_link(respondent):
        return pages.other_link_page(respondent, _typed_notes())
    session.modified = True  # re-signs the cookie: the session lasts from the last visit
    return None


def private_pages(response: Response) -> Response:
    """Answers are personal: never cached, and no page leaks its address onwards."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def follow_link(token: str) -> ResponseReturnValue:
    response = response_for_token(token)
    if response is None:
        waiting = waiting_for_round(token)
        if waiting is not None:  # a good link, early: say so rather than "may have ended"
            return pages.link_not_working(waiting, status=200, not_open_yet=True)
        audit.record("invalid_token")
        return redirect(url_for("survey.link_not_working"))
    session[SESSION_KEY] = response.id
    session[CHECK_KEY] = session_check(response)
    if response.status == "submitted":
        return redirect(url_for("survey.confirmation"))
    return redirect(url_for("survey.tasks" if response.started else "survey.start"))


def link_not_working() -> ResponseReturnValue:
    """Where every unknown, revoked or expired link leads: the same page for all."""
    return pages.link_not_working(session.get(SESSION_KEY))


def start() -> ResponseReturnValue:
    respondent = _current()
    if respondent.submitted:
        return redirect(url_for("survey.confirmation"))
    return pages.start_page(respondent)


def tasks() -> ResponseReturnValue:
    respondent = _current()
    if respondent.submitted:
        return redirect(url_for("survey.confirmation"))
    return pages.tasks_page(respondent)


def question(question_id: str) -> ResponseReturnValue:
    respondent = _current()
    if respondent.submitted:
        return redirect(url_for("survey.confirmation"))
    if not respondent.bank.has_question(question_id):
        abort(404)
    asked = respondent.bank.question(question_id)
    return_to = return_page(request.args.get("return_to"))
    if request.method == "GET":
        form = QuestionForm.showing(respondent.answers.get(question_id))
        return pages.question_page(respondent, asked, form, return_to)
    return _save_answer(respondent, asked, QuestionForm(), return_to)


def _save_answer(respondent: Respondent, asked: Question, form: QuestionForm,
                 return_to: str | None) -> ResponseReturnValue:
    later = request.form.get("action") == "later"
    if later and form.nothing_typed():
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
                                   conflict=outcome.current, yours=write)
    if later:
        flash(_("Your answers have been saved. To carry on, use the link in your invitation "
                "again."), "success")
        return redirect(url_for("survey.tasks"))
    return redirect(next_url(position(respondent.bank, asked), return_to))


def _closed_meanwhile() -> ResponseReturnValue:
    """Submitted in another window, or the round closed while the page was open."""
    g.pop("respondent", None)
    respondent = _respondent()
    if respondent is not None and respondent.submitted:
        return redirect(url_for("survey.confirmation"))
    return pages.link_not_working(session.get(SESSION_KEY), _typed_notes(), status=409)


def _section_of(respondent: Respondent, dimension_id: str | None) -> Section | None:
    return next((s for s in respondent.sections if s.dimension.id == dimension_id), None)


def section(dimension_id: str) -> ResponseReturnValue:
    respondent = _current()
    if respondent.submitted:
        return redirect(url_for("survey.confirmation"))
    shown = _section_of(respondent, dimension_id)
    if shown is None:
        abort(404)
    if request.method == "GET":
        answer = {True: "yes", False: None}[shown.marked_completed]
        return pages.section_page(respondent, shown, SectionCompletedForm(data={"completed": answer}))
    form = SectionCompletedForm()
    if shown.first_unanswered is not None or not form.validate():
        return pages.section_page(respondent, shown, form)
    try:
        survey.mark_section(respondent.response.id, dimension_id, form.completed.data == "yes")
    except OperationalError:
        return pages.section_page(respondent, shown, form, status=503, notice="busy")
    except survey.SurveyClosed:
        return _closed_meanwhile()
    return redirect(url_for("survey.tasks"))


def check() -> ResponseReturnValue:
    respondent = _current()
    if respondent.submitted:
        return redirect(url_for("survey.confirmation"))
    if any(s.status is not SectionStatus.COMPLETED for s in respondent.sections):
        return redirect(url_for("survey.tasks"))
    return pages.check_page(respondent, SubmitForm())


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
                     department=respondent.response.department)
    return redirect(url_for("survey.confirmation"))


def confirmation() -> ResponseReturnValue:
    respondent = _current()
    if not respondent.submitted:
        return redirect(url_for("survey.tasks"))
    return pages.confirmation_page(respondent)


def form_expired(_error: CSRFError) -> ResponseReturnValue:
    """The form was open too long (or its token is missing): show it again, as typed.

    Runs before :func:`require_respondent`, so it refuses another link's page itself.
    """
    audit.record("csrf_failed", path=request.path)
    respondent = _respondent()
    if respondent is None:
        return pages.link_not_working(session.get(SESSION_KEY), _typed_notes(), status=400)
    if _from_another_link(respondent):
        return pages.other_link_page(respondent, _typed_notes())
    if respondent.submitted:
        return redirect(url_for("survey.confirmation"))
    args = request.view_args or {}
    if request.endpoint == "survey.question" and respondent.bank.has_question(args["question_id"]):
        return pages.question_page(respondent, respondent.bank.question(args["question_id"]),
                                   QuestionForm(), return_page(request.args.get("return_to")),
                                   status=400, notice="expired")
    shown = _section_of(respondent, args.get("dimension_id"))
    if request.endpoint == "survey.section" and shown is not None:
        return pages.section_page(respondent, shown, SectionCompletedForm(), status=400,
                                  notice="expired")
    if request.endpoint == "survey.submit":
        return pages.check_page(respondent, SubmitForm(), status=400, notice="expired")
    return redirect(url_for("survey.tasks"))
