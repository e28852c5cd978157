"""Forms of the questionnaire and of the lead's round pages.

The widgets are govuk-frontend-wtf's with one fix: the hidden "Error:" prefix
of an error message goes through gettext ("Gwall:" in Welsh), because the
stock widgets overwrite ``errorMessage`` after the template's params.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import BooleanField, HiddenField, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import Length, Optional, StopValidation, ValidationError

from .core.answers import ANSWER_CHOICES, DONT_KNOW, MAX_NOTE_LENGTH
from .core.bank import Question, QuestionBank, Text
from .forms import Required
from .widgets import CharacterCount, Checkbox, Radios, TextInput


class AnswerRadios(Radios):
    """The five levels, then "or", then "I do not know" and "Not applicable"."""

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        params = super().map_gov_params(field, **kwargs)
        items = params["items"]
        at = next(i for i, item in enumerate(items) if item.get("value") == DONT_KNOW)
        items.insert(at, {"divider": _("or")})
        return params


class NoteLength:
    """At most MAX_NOTE_LENGTH characters, counting a line break as one (as the counter does)."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form: FlaskForm, field: Any) -> None:
        if len((field.data or "").replace("\r\n", "\n").strip()) > MAX_NOTE_LENGTH:
            raise ValidationError(self.message)


class ExactChoice:
    """The answer must be one of the exact written choices (no lenient coercion)."""

    def __init__(self, choices: tuple[str, ...], message: str) -> None:
        self.choices, self.message = choices, message

    def __call__(self, form: FlaskForm, field: Any) -> None:
        if field.data not in self.choices:
            field.errors[:] = []
            raise StopValidation(self.message)


class QuestionForm(FlaskForm):
    answer = RadioField(
        choices=[SelectChoice(c) for c in ANSWER_CHOICES], validate_choice=False, widget=AnswerRadios(),
        validators=[ExactChoice(ANSWER_CHOICES, _l("Select the level that best describes your "
                                                   "department, or ‘I do not know’"))],
    )
    comment = TextAreaField(
        _l("Comment (optional)"), widget=CharacterCount(),
        validators=[NoteLength(_l("Your comment must be 2,000 characters or fewer"))],
    )
    evidence = TextAreaField(
        _l("Evidence (optional)"), widget=CharacterCount(),
        validators=[NoteLength(_l("Your evidence must be 2,000 characters or fewer"))],
    )
    revision = HiddenField()

    def expected_revision(self) -> int:
        raw = self.revision.data or "0"
        return int(raw) if raw.isascii() and raw.isdigit() else -1


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


class SectionCompletedForm(FlaskForm):
    completed = RadioField(
        _l("Have you completed this section?"),
        choices=[SelectChoice("yes", _l("Yes, I’ve completed this section")),
                 SelectChoice("no", _l("No, I’ll come back to it later"))],
        validate_choice=False, widget=Radios(),
        validators=[ExactChoice(("yes", "no"), _l("Select whether you have completed this section"))],
    )


class SubmitForm(FlaskForm):
    """Only the CSRF token: submitting needs no other input."""


class RoundForm(FlaskForm):
    name = StringField(
        _l("Name of the round"), widget=TextInput(),
        description=_l("For example, 2026 baseline"),
        validators=[Required(_l("Enter a name for the round")),
                    Length(max=200, message=_l("The name must be 200 characters or fewer"))],
    )
    contact = StringField(
        _l("Whom should respondents ask if they need help?"), widget=TextInput(),
        description=_l("A name and an email address or phone number. Respondents see this if "
                       "their link stops working."),
        validators=[Optional(), Length(max=300, message=_l("This must be 300 characters or fewer"))],
    )
    ask_evidence = BooleanField(
        _l("Ask for evidence when someone chooses level 4 or 5"), default=True, widget=Checkbox(),
    )
    show_department_radar = BooleanField(
        _l("Show each respondent their department’s chart against the organisation after they "
           "submit"), default=True, widget=Checkbox(),
    )


class InviteForm(FlaskForm):
    department = StringField(
        _l("Department"), widget=TextInput(),
        validators=[Required(_l("Enter the name of the department")),
                    Length(max=200, message=_l("The name must be 200 characters or fewer"))],
    )
    directorate = StringField(
        _l("Directorate (optional)"), widget=TextInput(),
        validators=[Optional(), Length(max=200, message=_l("The name must be 200 characters or fewer"))],
    )
    respondents = TextAreaField(
        _l("Respondents (optional)"), widget=CharacterCount(),
        description=_l("One name on each line. Leave this empty to make one link for an unnamed "
                       "respondent. A name that already has a link gets a new one."),
        validators=[NoteLength(_l("The list must be 2,000 characters or fewer"))],
    )
    delivery = RadioField(
        _l("How do you want the links?"),
        choices=[SelectChoice("screen", _l("Show them on the next page")),
                 SelectChoice("csv", _l("Download them as a CSV file for a mail merge"))],
        default="screen", validate_choice=False, widget=Radios(),
        validators=[ExactChoice(("screen", "csv"), _l("Select how you want the links"))],
    )

    def respondent_names(self) -> list[str]:
        return [line.strip() for line in (self.respondents.data or "").splitlines() if line.strip()]

    def validate_respondents(self, field: Any) -> None:
        if any(len(name) > 200 for name in self.respondent_names()):
            raise ValidationError(_l("Each name must be 200 characters or fewer"))
