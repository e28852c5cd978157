"""What the questionnaire's pages show: answer wording, summary rows, positions,
the question, section and check pages, the department's radar.  Kept apart
from the routes in ``survey.py``, which decide what happens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from ..core.answers import ANSWER_CHOICES, DONT_KNOW, NOT_APPLICABLE
from ..core.bank import Dimension, Question, QuestionBank
from ..models import Answer
from ..queries import rounds as round_queries
from ..queries import survey as survey_queries
from ..queries.responses import AnswerWrite
from ..services import results, survey
from ..services.survey import Respondent
from ..survey_forms import (
    QuestionForm,
    SectionCompletedForm,
    SubmitForm,
    answer_radio_params,
    level_label,
    localised,
)

#: Where "Save and continue" goes back to after a Change link.
RETURN_PAGES = ("section", "check")


def language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "en"


def answer_label(bank: QuestionBank, value: str, lang: str) -> Markup:
    """How an answer reads: "Level 3: Learning", "I do not know" ..."""
    if value == DONT_KNOW:
        return Markup.escape(_("I do not know"))
    if value == NOT_APPLICABLE:
        return Markup.escape(_("Not applicable to my department"))
    return level_label(bank, int(value), lang)


def answer_html(bank: QuestionBank, value: str, comment: str | None, evidence: str | None,
                lang: str) -> Markup:
    """An answer with its comment and evidence, for summary lists and the record."""
    parts = [Markup("<p class=\"govuk-body govuk-!-margin-bottom-1\">{}</p>").format(
        answer_label(bank, value, lang))]
    for heading, note in ((_("Comment"), comment), (_("Evidence"), evidence)):
        if note:
            parts.append(Markup(
                '<p class="govuk-body govuk-!-margin-bottom-1 app-note">'
                '<span class="govuk-!-font-weight-bold">{}:</span> {}</p>').format(heading, note))
    return Markup("").join(parts)


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


@dataclass(frozen=True)
class Position:
    """Where a question sits in its section."""

    dimension: Dimension
    number: int
    previous: Question | None
    next: Question | None

    @property
    def total(self) -> int:
        return len(self.dimension.questions)


def position(bank: QuestionBank, question: Question) -> Position:
    dimension = bank.dimension(question.dimension)
    questions = dimension.questions
    index = questions.index(question)
    return Position(dimension, index + 1, questions[index - 1] if index > 0 else None,
                    questions[index + 1] if index + 1 < len(questions) else None)


def next_url(position: Position, return_to: str | None) -> str:
    """Where "Save and continue" leads: the next question, or a check page."""
    if return_to == "check":
        return url_for("survey.check")
    if return_to == "section" or position.next is None:
        return url_for("survey.section", dimension_id=position.dimension.id)
    return url_for("survey.question", question_id=position.next.id)


def back_url(position: Position, return_to: str | None) -> str:
    if return_to == "check":
        return url_for("survey.check")
    if return_to == "section":
        return url_for("survey.section", dimension_id=position.dimension.id)
    if position.previous is not None:
        return url_for("survey.question", question_id=position.previous.id)
    return url_for("survey.tasks")


def stored_answer(answer: Answer | None) -> dict[str, Any]:
    """Form data for a stored answer (nothing when there is none: never pre-selected)."""
    if answer is None:
        return {"revision": "0"}
    return {"answer": answer.value, "comment": answer.comment or "",
            "evidence": answer.evidence or "", "revision": str(answer.revision)}


def question_page(respondent: Respondent, asked: Question, form: QuestionForm,
                  return_to: str | None, status: int = 200, conflict: AnswerWrite | None = None,
                  notice: str | None = None) -> ResponseReturnValue:
    """The question page; after a clash, both versions, with the typed one kept in the form."""
    lang = language()
    bank = respondent.bank
    where = position(bank, asked)
    caption = Markup(
        '<span class="govuk-caption-l">{}<span class="govuk-visually-hidden">,</span> '
        '<span class="app-question-number">{}</span></span>'
    ).format(localised(where.dimension.name, lang),
             _("Question %(number)s of %(total)s", number=where.number, total=where.total))
    heading = caption + localised(asked.text, lang)
    yours = None
    if conflict is not None and form.answer.data in ANSWER_CHOICES:
        kept = survey.answer_write(asked, form.answer.data, form.comment.data, form.evidence.data,
                                   respondent.round.ask_evidence)
        yours = answer_html(bank, kept.value, kept.comment, kept.evidence, lang)
    theirs = None if conflict is None else answer_html(
        bank, conflict.value, conflict.comment, conflict.evidence, lang)
    page = render_template(
        "survey/question.html", respondent=respondent, question=asked, form=form,
        radio_params=answer_radio_params(bank, asked, lang, heading),
        title=asked.text.get(lang), back=back_url(where, return_to),
        action=url_for("survey.question", question_id=asked.id, return_to=return_to),
        conflict=conflict is not None, theirs=theirs, yours=yours, notice=notice,
    )
    return page, status


def section_page(respondent: Respondent, shown: survey.Section, form: SectionCompletedForm,
                 status: int = 200, notice: str | None = None) -> ResponseReturnValue:
    lang = language()
    rows = summary_rows(respondent, shown.dimension.questions, "section", lang)
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
    page = render_template("survey/check.html", respondent=respondent, cards=cards, form=form,
                           notice=notice)
    return page, status


def department_radar(respondent: Respondent, lang: str) -> dict[str, Any] | None:
    """The department's scores against the organisation's, as a chart and a table."""
    if not respondent.round.show_department_radar:
        return None
    analysis = results.analyse(respondent.round)
    name = respondent.response.department.name
    department = next((d for d in analysis.results.departments if d.name == name), None)
    if department is None:
        return None
    bank = respondent.bank
    names = [d.name.get(lang) for d in bank.dimensions]
    ours = [department.scores.get(d.id) for d in bank.dimensions]
    organisation = [analysis.results.organisation.scores.get(d.id) for d in bank.dimensions]
    from .. import charts  # matplotlib costs a second to import: only here

    title = _("%(department)s against the organisation", department=name)
    svg = charts.radar_chart(title, names, [(name, ours), (_("Organisation"), organisation)])
    return {"svg": Markup(svg.decode("utf-8")),  # noqa: S704 (matplotlib escapes its text)
            "title": title,
            "rows": list(zip(names, ours, organisation, strict=True)), "department": name}


def link_not_working(response_id: int | None = None, typed: list[tuple[str, str]] | None = None,
                     status: int = 404) -> tuple[str, int]:
    """The same friendly page for an unknown, revoked or expired link; says whom to ask."""
    contact = None
    response = survey_queries.get_response(response_id) if response_id else None
    if response is not None:
        assessment_round = round_queries.get_round(response.round_id)
        contact = assessment_round.contact if assessment_round else None
    # Only a visitor whose session held a response of the round sees its contact:
    # anyone can reach this page by typing any /r/ address.
    page = render_template("survey/link_not_working.html", contact=contact, typed=typed or [])
    return page, status
