"""The questionnaire's forms and the widgets and checks they use.

Every form carries ``response_ref``, the reference of the response it was shown
for (:func:`.respondent.response_reference`), so a page left open from one
invitation link cannot save into the response of a link followed later in the
same browser.

The widgets are govuk-frontend-wtf's with one fix: the hidden "Error:" prefix
of an error message goes through gettext ("Gwall:" in Welsh), because the
stock widgets overwrite ``errorMessage`` after the template's params.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice, TextAreaField
from wtforms.validators import StopValidation, ValidationError

from ...core.answers import ANSWER_CHOICES, DONT_KNOW, MAX_NOTE_LENGTH
from ...core.text import clean_text
from ...forms import AppForm
from ...queries.survey import StoredAnswer
from ...widgets import CharacterCount, Radios

#: The name of the hidden field that says which response a form belongs to.
REFERENCE_FIELD = "response_ref"


class AnswerRadios(Radios):
    """The five levels, then "or", then "I do not know" and "Not applicable"."""

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        params = super().map_gov_params(field, **kwargs)
        items = params["items"]
        at = next(i for i, item in enumerate(items) if item.get("value") == DONT_KNOW)
        items.insert(at, {"divider": _("or")})
        return params


class NoteLength:
    """At most MAX_NOTE_LENGTH characters as stored, a line break counting as one (as the
    browser's counter counts it)."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form: FlaskForm, field: Any) -> None:
        if len(clean_text(field.data or "")) > MAX_NOTE_LENGTH:
            raise ValidationError(self.message)


class ExactChoice:
    """The answer must be one of the exact written choices (no lenient coercion)."""

    def __init__(self, choices: tuple[str, ...], message: str) -> None:
        self.choices, self.message = choices, message

    def __call__(self, form: FlaskForm, field: Any) -> None:
        if field.data not in self.choices:
            field.errors[:] = []
            raise StopValidation(self.message)


def sent_for_another_response(formdata: Mapping[str, Any], reference: str) -> bool:
    """True when a posted form names a response other than ``reference``.

    A form without the field (a script, or a page from before this check)
    belongs to nobody else: the session's binding decides as it always did.
    """
    sent = formdata.get(REFERENCE_FIELD)
    return bool(sent) and sent != reference


class RespondentForm(AppForm):
    """A form of one response's pages: it says which response it was shown for."""

    response_ref = HiddenField()


class QuestionForm(RespondentForm):
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

    @classmethod
    def showing(cls, stored: StoredAnswer | None) -> QuestionForm:
        """The form for a stored answer (nothing chosen when there is none: never pre-selected)."""
        if stored is None:
            return cls(data={"revision": "0"})
        return cls(data={"answer": stored.value, "comment": stored.comment or "",
                         "evidence": stored.evidence or "", "revision": str(stored.revision)})

    def expected_revision(self) -> int:
        raw = self.revision.data or "0"
        return int(raw) if raw.isascii() and raw.isdigit() else -1

    def nothing_typed(self) -> bool:
        return not self.answer.data and not (self.comment.data or "").strip() \
            and not (self.evidence.data or "").strip()


class SectionCompletedForm(RespondentForm):
    completed = RadioField(
        _l("Have you completed this section?"),
        choices=[SelectChoice("yes", _l("Yes, I’ve completed this section")),
                 SelectChoice("no", _l("No, I’ll come back to it later"))],
        validate_choice=False, widget=Radios(),
        validators=[ExactChoice(("yes", "no"), _l("Select whether you have completed this section"))],
    )


class SubmitForm(RespondentForm):
    """Only the CSRF token and the response's reference: submitting needs no other input."""


class ChallengeReplyForm(RespondentForm):
    """The respondent's answer to a lead's challenge: keep the answer and say why, or change it."""

    outcome = RadioField(
        _l("What do you want to do?"),
        choices=[SelectChoice("keep", _l("Keep my answer and reply")),
                 SelectChoice("change", _l("Change my answer"))],
        validate_choice=False, widget=Radios(),
        validators=[ExactChoice(("keep", "change"), _l("Select whether you keep or change your answer"))],
    )
    reply = TextAreaField(
        _l("Your reply"), widget=CharacterCount(),
        validators=[NoteLength(_l("Your reply must be 2,000 characters or fewer"))],
    )

    def validate_reply(self, field: Any) -> None:
        if self.outcome.data == "keep" and not clean_text(field.data or ""):
            raise ValidationError(_("Enter your reply to your lead"))
