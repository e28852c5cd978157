"""The respondent's side of the review loop: after submitting, the lead's
challenges are answered here, by keeping an answer with a reply or changing it
on the usual question page (which then shows the challenge).

Only an answer whose challenge awaits a reply can change; everything else
leads back to the challenges list, or to the record when there are none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from flask import abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy.exc import OperationalError

from ...core.bank import Question
from ...queries import survey as survey_queries
from ...queries.responses import AnswerWrite, Challenge
from ...services import review, survey
from . import pages
from .forms import ChallengeReplyForm, QuestionForm
from .respondent import Respondent

ClosedMeanwhile = Callable[[], ResponseReturnValue]


def after_submission(respondent: Respondent) -> ResponseReturnValue:
    """Where a submitted respondent goes: their challenges if any, else their record."""
    return redirect(url_for("survey.tasks" if respondent.challenges else "survey.confirmation"))


def _awaiting(respondent: Respondent, question_id: str | None) -> tuple[Challenge, Question] | None:
    found = respondent.challenge(question_id) if question_id else None
    if found is None or found.state != "open" or not respondent.bank.has_question(found.question_id):
        return None
    return found, respondent.bank.question(found.question_id)


def changed_answer(respondent: Respondent, question_id: str,
                   closed_meanwhile: ClosedMeanwhile) -> ResponseReturnValue:
    """The question page of a challenged answer: shown with the challenge, saved through review."""
    awaiting = _awaiting(respondent, question_id)
    if awaiting is None:
        return after_submission(respondent)
    found, asked = awaiting
    if request.method == "GET":
        form = QuestionForm.showing(respondent.answers.get(question_id))
        return pages.question_page(respondent, asked, form, None, challenge=found)
    form = QuestionForm()
    if not form.validate():
        return pages.question_page(respondent, asked, form, None, challenge=found)
    write = survey.answer_write(asked, form.answer.data, form.comment.data, form.evidence.data,
                                respondent.round.ask_evidence)
    try:
        revision = review.change_answer(respondent.response.id, write, form.expected_revision())
    except OperationalError:
        return pages.question_page(respondent, asked, form, None, status=503, notice="busy",
                                   challenge=found)
    except review.ChallengeClosed:
        return closed_meanwhile()
    if revision is None:
        return _changed_elsewhere(respondent, asked, form, write, found)
    flash(_("Your answer has been changed. Your lead will see the new answer."), "success")
    return redirect(url_for("survey.tasks"))


def _changed_elsewhere(respondent: Respondent, asked: Question, form: QuestionForm,
                       write: AnswerWrite, found: Challenge) -> ResponseReturnValue:
    """Another window saved first: both versions, the typed one kept in the form."""
    fresh = replace(respondent, answers=survey_queries.answers_of(respondent.response.id))
    stored = fresh.answers.get(asked.id)
    form.revision.data = str(stored.revision if stored else 0)
    theirs = AnswerWrite(asked.id, stored.value, stored.comment, stored.evidence) if stored else None
    return pages.question_page(fresh, asked, form, None, status=409, conflict=theirs,
                               yours=write, challenge=found)


def reply(respondent: Respondent, question_id: str,
          closed_meanwhile: ClosedMeanwhile) -> ResponseReturnValue:
    """One challenge: read-only once answered; otherwise keep (with a reply) or change."""
    found = respondent.challenge(question_id) if respondent.submitted else None
    if found is None or not respondent.bank.has_question(question_id):
        abort(404)
    asked = respondent.bank.question(question_id)
    if request.method == "GET" or found.state != "open":
        return pages.challenge_page(respondent, asked, found, ChallengeReplyForm())
    form = ChallengeReplyForm()
    if not form.validate():
        return pages.challenge_page(respondent, asked, found, form)
    if form.outcome.data == "change":
        return redirect(url_for("survey.question", question_id=question_id))
    try:
        review.keep_answer(respondent.response.id, question_id, form.reply.data or "")
    except OperationalError:
        return pages.challenge_page(respondent, asked, found, form, status=503, notice="busy")
    except review.ChallengeClosed:
        return closed_meanwhile()
    flash(_("Your reply has been sent to your lead."), "success")
    return redirect(url_for("survey.tasks"))


def expired(respondent: Respondent, question_id: str | None) -> ResponseReturnValue:
    """A reply or changed answer sent after its form expired: shown again, as typed."""
    awaiting = _awaiting(respondent, question_id)
    if awaiting is None and request.endpoint == "survey.challenge":
        # Nothing awaits a reply here: refused (400), as every expired form is.
        shown = pages.challenges_page(respondent) if respondent.challenges else pages.tasks_page(respondent)
        return shown, 400
    if awaiting is None:
        return after_submission(respondent)
    found, asked = awaiting
    if request.endpoint == "survey.challenge":
        return pages.challenge_page(respondent, asked, found, ChallengeReplyForm(), status=400,
                                    notice="expired")
    return pages.question_page(respondent, asked, QuestionForm(), None, status=400,
                               notice="expired", challenge=found)
