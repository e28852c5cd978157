"""How the questionnaire's words are shown: bank text in the page's language,
level names, answers with their notes, and the answer radios' params."""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

from ...core.answers import DONT_KNOW, NOT_APPLICABLE
from ...core.bank import Question, QuestionBank, Text


def language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "en"


def localised(text: Text | None, language: str) -> Markup:
    """Bank text in the page's language; English text in Welsh pages is marked lang="en"."""
    if text is None:
        return Markup("")
    if language == "cy" and not text.cy:
        return Markup('<span lang="en">{}</span>').format(text.en)
    return escape(text.get(language))


def level_label(bank: QuestionBank, level: int, language: str) -> Markup:
    """ "Level 3: Learning" in the page's language."""
    return escape(_("Level %(number)s: %(name)s")) % {
        "number": level, "name": localised(bank.level_name(level), language)}


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


def answer_radio_params(bank: QuestionBank, question: Question, language: str,
                        heading: Markup) -> dict[str, Any]:
    """Params for the answer radios: the question as the page heading, descriptors as hints."""
    level_items = [
        {"html": level_label(bank, level.level, language),
         "hint": {"html": localised(question.descriptor(level.level), language)}}
        for level in bank.scale
    ]
    hint = localised(question.hint, language)
    if question.applies_to is not None:
        hint = Markup("{} {}").format(hint, localised(question.applies_to, language))
    return {
        "fieldset": {"legend": {"html": heading, "isPageHeading": True,
                                "classes": "govuk-fieldset__legend--l"}},
        "hint": {"html": hint} if hint else None,
        "items": [
            *level_items,
            {"text": _("I do not know")},
            {"text": _("Not applicable to my department")},
        ],
    }
