"""The lead's side of the review loop: challenge an answer with a note, read the
respondent's reply, mark it resolved or keep it open.  Read-only once the round
is closed (``services.review`` refuses any change then, too)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...core.answers import parse_answer
from ...queries import responses as response_queries
from ...queries import results as result_queries
from ...queries.responses import Challenge
from ...services import review
from . import forms
from .department import answer_item
from .view import RoundView

#: A challenge's state (``models.CHALLENGE_STATES``) in words, translated when shown.
STATE_TEXTS = {
    "open": _l("Waiting for the respondent"),
    "kept": _l("Answer kept: reply to read"),
    "changed": _l("Answer changed: to check"),
    "resolved": _l("Resolved"),
}


def state_text(state: str | None) -> str:
    return str(STATE_TEXTS.get(state or "", ""))


def descriptor(view: RoundView, question_id: str, raw: str) -> str | None:
    """What the chosen level means for this question ("5 – Mastering" alone says little)."""
    value = parse_answer(raw)
    if not isinstance(value, int) or isinstance(value, bool) or not view.bank.has_question(question_id):
        return None
    return view.bank.question(question_id).descriptor(value).get(view.language)


def _handle_post(view: RoundView, department_id: int, answer_id: int,
                 challenge: Challenge | None, context: dict[str, Any]) -> ResponseReturnValue | None:
    """Act on the form sent; a redirect when done, None to show the page again."""
    round_id = view.round.id
    form, withdraw, resolve = context["form"], context["withdraw"], context["resolve"]
    try:
        if withdraw.withdraw.data and withdraw.validate_on_submit():
            review.withdraw_challenge(round_id, department_id, answer_id)
            flash(_("The challenge was withdrawn."), "success")
        elif resolve.resolve.data and challenge is not None:
            if not resolve.validate_on_submit():
                return None
            if challenge.state == "open":
                resolve.decision.errors = [_("The respondent has not replied to this challenge yet")]
                return None
            resolved = resolve.decision.data == "resolved"
            review.resolve_challenge(round_id, department_id, answer_id, resolved)
            flash(_("The challenge is resolved.") if resolved else
                  _("The challenge is open again: the respondent will see it on their link."), "success")
        elif not withdraw.withdraw.data and not resolve.resolve.data and form.validate_on_submit():
            review.challenge_answer(round_id, department_id, answer_id, form.note.data or "")
            flash(_("The answer is marked as challenged. The respondent will see your note "
                    "through their link while the round is open."), "success")
        else:
            return None
    except review.ChallengeClosed:
        context["closed_now"] = True
        return None
    except review.ReviewError as error:
        field = context["resolve"].decision if context["resolve"].resolve.data else form.note
        field.errors = [str(error)]
        return None
    return redirect(context["back"])


def challenge_page(view: RoundView, department: result_queries.RoundDepartment,
                   answer_id: int) -> ResponseReturnValue:
    row = result_queries.find_round_answer(view.round.id, department.id, answer_id)
    if row is None:
        abort(404)
    challenge = response_queries.department_challenges(view.round.id, department.id).get(answer_id)
    closed = view.round.status == "closed"
    context: dict[str, Any] = {
        "form": forms.ChallengeForm(), "withdraw": forms.WithdrawChallengeForm(),
        "resolve": forms.ResolveChallengeForm(),
        "back": url_for("results.department_page", round_id=view.round.id,
                        department_id=department.id, _anchor=f"answer-{answer_id}"),
    }
    if request.method == "POST" and not closed:
        done = _handle_post(view, department.id, answer_id, challenge, context)
        if done is not None:
            return done
    if request.method == "GET" and challenge is not None and challenge.note:
        context["form"].note.data = challenge.note
    refused = request.method == "POST" and (closed or context.pop("closed_now", False))
    page = render_template(
        "results/challenge.html", view=view, department=department, closed=closed or refused,
        answer=answer_item(view, row), question=view.question_text(row.question_id),
        descriptor=descriptor(view, row.question_id, row.value), challenge=challenge,
        state=state_text(challenge.state if challenge else None), **context,
    )
    return page, 409 if refused else 200
