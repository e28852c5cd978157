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
from markupsafe import Markup

from ...core.bank import Question, QuestionBank
from ...queries import survey as survey_queries
from ...queries.responses import AnswerWrite
from ...services import results
from .forms import QuestionForm, RespondentForm, SectionCompletedForm, SubmitForm
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
    hint = _("%(answered)s of %(total)s questions answered", answered=section.answered,
             total=section.total)
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
                  conflict: AnswerWrite | None = None,
                  yours: AnswerWrite | None = None) -> ResponseReturnValue:
    """The question page; after a clash, both versions (``conflict`` saved in another
    window, ``yours`` as it would be stored), with the typed one kept in the form."""
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
        title=asked.text.get(lang), back=back_url(where, return_to),
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


def confirmation_page(respondent: Respondent) -> ResponseReturnValue:
    """What was submitted, as a printable record, with the department's radar."""
    lang = language()
    record = [{"title": localised(d.name, lang),
               "rows": summary_rows(respondent, d.questions, None, lang)}
              for d in respondent.bank.dimensions]
    return render_template("survey/confirmation.html", respondent=respondent, record=record,
                           radar=department_radar(respondent, lang))


def department_radar(respondent: Respondent, lang: str) -> dict[str, Any] | None:
    """The department's scores against the organisation's, as a chart and a table."""
    if not respondent.round.show_department_radar:
        return None
    analysis = results.analyse(respondent.round)
    name = respondent.response.department
    department = next((d for d in analysis.results.departments if d.name == name), None)
    if department is None:
        return None
    bank = respondent.bank
    names = [d.name.get(lang) for d in bank.dimensions]
    ours = [department.scores.get(d.id) for d in bank.dimensions]
    organisation = [analysis.results.organisation.scores.get(d.id) for d in bank.dimensions]
    from ... import charts  # kept out of start-up (tests/test_charts.py holds it to that)

    title = _("%(department)s against the organisation", department=name)
    svg = charts.draw(charts.RadarChart(title, names, [(name, ours), (_("Organisation"), organisation)]))
    return {"svg": Markup(svg.decode("utf-8")),  # noqa: S704 (matplotlib escapes its text)
            "title": title,
            "rows": list(zip(names, ours, organisation, strict=True)), "department": name}


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
