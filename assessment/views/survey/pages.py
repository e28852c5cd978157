"""The questionnaire's pages, each built from plain values: the respondent
(:class:`.respondent.Respondent`), the question asked, and the form to show.

The routes in ``routes.py`` decide what happens; these functions only show it.
"""

from __future__ import annotations

from math import ceil
from typing import Any

from flask import render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup

from ...core.bank import Question, QuestionBank
from ...queries import survey as survey_queries
from ...queries.responses import AnswerWrite, Challenge
from .forms import ChallengeReplyForm, QuestionForm, RespondentForm, SectionCompletedForm, SubmitForm
from .navigation import back_url, position
from .rendering import answer_html, answer_radio_params, language, localised
from .respondent import Respondent, Section, SectionStatus

#: Minutes a respondent needs per question, for the start page's estimate.
MINUTES_PER_QUESTION = 1.5


def _for_this_response(form: RespondentForm, respondent: Respondent) -> None:
    form.response_ref.data = respondent.reference


def start_page(respondent: Respondent) -> ResponseReturnValue:
    questions = len(respondent.bank.questions)
    minutes = max(5, ceil(questions * MINUTES_PER_QUESTION / 5) * 5)
    return render_template("survey/start.html", respondent=respondent, questions=questions,
                           minutes=minutes)


def _task_item(section: Section, lang: str) -> dict[str, Any]:
    if section.first_unanswered is None:
        href = url_for("survey.section", dimension_id=section.dimension.id)
    else:
        href = url_for("survey.question", question_id=section.first_unanswered.id)
    status: dict[str, Any] = {
        SectionStatus.COMPLETED: {"text": _("Completed")},
        SectionStatus.IN_PROGRESS: {"tag": {"text": _("In progress"), "classes": "govuk-tag--light-blue"}},
        SectionStatus.NOT_STARTED: {"tag": {"text": _("Not yet started"), "classes": "govuk-tag--blue"}},
    }[section.status]
    hint = ngettext("%(answered)s of %(num)s question answered",
                    "%(answered)s of %(num)s questions answered", section.total,
                    answered=section.answered)
    return {"title": {"html": localised(section.dimension.name, lang)}, "href": href,
            "hint": {"text": hint}, "status": status}


def tasks_page(respondent: Respondent) -> ResponseReturnValue:
    lang = language()
    sections = respondent.sections
    items = [_task_item(section, lang) for section in sections]
    completed = sum(section.status is SectionStatus.COMPLETED for section in sections)
    return render_template("survey/tasks.html", respondent=respondent, items=items,
                           completed=completed, total=len(sections),
                           can_submit=completed == len(sections))


def summary_rows(respondent: Respondent, questions: tuple[Question, ...],
                 return_to: str | None, lang: str) -> list[dict[str, Any]]:
    """Summary-list rows: question, answer, and a Change (or Answer) link."""
    rows = []
    for question in questions:
        answer = respondent.answers.get(question.id)
        href = url_for("survey.question", question_id=question.id, return_to=return_to)
        if answer is None:
            value: dict[str, Any] = {"text": _("Not answered yet")}
            action = _("Answer")
        else:
            value = {"html": answer_html(respondent.bank, answer.value, answer.comment,
                                         answer.evidence, lang)}
            action = _("Change")
        row: dict[str, Any] = {"key": {"html": localised(question.text, lang)}, "value": value}
        if not respondent.submitted:
            row["actions"] = {"items": [{"href": href, "text": action,
                                         "visuallyHiddenText": question.text.get(lang)}]}
        rows.append(row)
    return rows


def _version(bank: QuestionBank, version: AnswerWrite | None, lang: str) -> Markup | None:
    """One side of a clash between two windows, as the summary list shows it."""
    if version is None:
        return None
    return answer_html(bank, version.value, version.comment, version.evidence, lang)


def question_page(respondent: Respondent, asked: Question, form: QuestionForm,
                  return_to: str | None, status: int = 200, notice: str | None = None,
                  conflict: AnswerWrite | None = None, yours: AnswerWrite | None = None,
                  challenge: Challenge | None = None) -> ResponseReturnValue:
    """The question page; after a clash, both versions (``conflict`` saved in another
    window, ``yours`` as it would be stored), with the typed one kept in the form.
    With ``challenge``, the submitted answer is being changed in reply to the lead."""
    lang = language()
    bank = respondent.bank
    where = position(bank, asked)
    caption = Markup(
        '<span class="govuk-caption-l">{}<span class="govuk-visually-hidden">,</span> '
        '<span class="app-question-number">{}</span></span>'
    ).format(localised(where.dimension.name, lang),
             _("Question %(number)s of %(total)s", number=where.number, total=where.total))
    heading = caption + localised(asked.text, lang)
    _for_this_response(form, respondent)
    page = render_template(
        "survey/question.html", respondent=respondent, question=asked, form=form,
        radio_params=answer_radio_params(bank, asked, lang, heading),
        title=asked.text.get(lang), challenge=challenge,
        back=url_for("survey.challenge", question_id=asked.id) if challenge else back_url(where, return_to),
        action=url_for("survey.question", question_id=asked.id, return_to=return_to),
        conflict=conflict is not None, theirs=_version(bank, conflict, lang),
        yours=_version(bank, yours, lang), notice=notice,
    )
    return page, status


def section_page(respondent: Respondent, shown: Section, form: SectionCompletedForm,
                 status: int = 200, notice: str | None = None) -> ResponseReturnValue:
    lang = language()
    rows = summary_rows(respondent, shown.dimension.questions, "section", lang)
    _for_this_response(form, respondent)
    page = render_template("survey/section.html", respondent=respondent, section=shown,
                           name=localised(shown.dimension.name, lang), rows=rows, form=form,
                           notice=notice)
    return page, status


def check_page(respondent: Respondent, form: SubmitForm, status: int = 200,
               notice: str | None = None) -> ResponseReturnValue:
    lang = language()
    cards = [{"title": localised(d.name, lang),
              "rows": summary_rows(respondent, d.questions, "check", lang)}
             for d in respondent.bank.dimensions]
    _for_this_response(form, respondent)
    page = render_template("survey/check.html", respondent=respondent, cards=cards, form=form,
                           notice=notice)
    return page, status


def challenge_status(state: str) -> dict[str, Any]:
    """The task list status of a challenge, as the respondent sees it."""
    if state == "open":
        return {"tag": {"text": _("Waiting for your reply"), "classes": "govuk-tag--blue"}}
    if state == "resolved":
        return {"text": _("Resolved")}
    return {"tag": {"text": _("Replied"), "classes": "govuk-tag--light-blue"}}


def challenges_page(respondent: Respondent) -> ResponseReturnValue:
    """After submitting: the lead's challenges, as a task list, and a link to the record."""
    lang = language()
    items = []
    for challenge in respondent.challenges:
        if not respondent.bank.has_question(challenge.question_id):
            continue
        asked = respondent.bank.question(challenge.question_id)
        items.append({"title": {"html": localised(asked.text, lang)},
                      "href": url_for("survey.challenge", question_id=asked.id),
                      "hint": {"text": localised(respondent.bank.dimension(asked.dimension).name, lang)},
                      "status": challenge_status(challenge.state)})
    return render_template("survey/challenges.html", respondent=respondent, items=items,
                           awaiting=len(respondent.awaiting_reply))


def challenge_page(respondent: Respondent, asked: Question, challenge: Challenge,
                   form: ChallengeReplyForm, status: int = 200,
                   notice: str | None = None) -> ResponseReturnValue:
    """One challenge: the question, the answer given, the lead's note, and the reply form."""
    lang = language()
    stored = respondent.answers.get(asked.id)
    answer = (answer_html(respondent.bank, stored.value, stored.comment, stored.evidence, lang)
              if stored else Markup(""))
    _for_this_response(form, respondent)
    page = render_template(
        "survey/challenge.html", respondent=respondent, question=localised(asked.text, lang),
        title=asked.text.get(lang), answer=answer, challenge=challenge, form=form,
        status=challenge_status(challenge.state), notice=notice,
    )
    return page, status


def link_not_working(response_id: int | None = None, typed: list[tuple[str, str]] | None = None,
                     status: int = 404, not_open_yet: bool = False) -> tuple[str, int]:
    """The same friendly page for an unknown, revoked or expired link; says whom to ask.

    ``not_open_yet``: the link works but its round has not opened, which the page says instead.
    """
    # Only a visitor whose session held a response of the round sees its contact:
    # anyone can reach this page by typing any /r/ address.
    contact = survey_queries.contact_for_response(response_id) if response_id else None
    page = render_template("survey/link_not_working.html", contact=contact, typed=typed or [],
                           not_open_yet=not_open_yet)
    return page, status


def other_link_page(respondent: Respondent, typed: list[tuple[str, str]]) -> tuple[str, int]:
    """A page left open from another invitation link was sent: refused, nothing saved."""
    page = render_template("survey/other_link.html", respondent=respondent, typed=typed)
    return page, 409
