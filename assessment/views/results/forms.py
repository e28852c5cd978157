"""Forms of the results pages: compare, targets and challenges.

Values are checked against the exact strings offered (never coerced), and
field names never come from user or bank text.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import RadioField, SelectField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, Length, ValidationError

from ...core.answers import MAX_NOTE_LENGTH
from ...core.bank import LEVELS
from ...forms import AppForm, Required
from ...queries.results import RoundDepartment
from ...widgets import CharacterCount, Checkboxes, Radios, Select
from .view import RoundView

MIN_COMPARED = 2
MAX_COMPARED = 5


class CompareForm(AppForm):
    """Sent with GET, so it carries no CSRF token (it changes nothing)."""

    class Meta:
        csrf = False

    department = SelectMultipleField(
        _l("Departments to compare"), widget=Checkboxes(), validate_choice=False,
        description=_l("Select 2 to 5 departments."),
    )
    submit = SubmitField(_l("Compare"), widget=GovSubmitInput())

    def validate_department(self, field: SelectMultipleField) -> None:
        offered = {choice.value for choice in field.choices}  # type: ignore[union-attr]
        chosen = field.data or []
        if any(value not in offered for value in chosen):
            raise ValidationError(_("Select departments from the list"))
        if len(set(chosen)) < MIN_COMPARED:
            raise ValidationError(_("Select at least 2 departments to compare"))
        if len(set(chosen)) > MAX_COMPARED:
            raise ValidationError(_("Select no more than 5 departments to compare"))


def compare_form(departments: Sequence[RoundDepartment]) -> CompareForm:
    form = CompareForm(formdata=request.args if request.args else None)
    form.department.choices = [SelectChoice(str(d.id), d.name) for d in departments]
    return form


class TargetsForm(AppForm):
    submit = SubmitField(_l("Save targets"), widget=GovSubmitInput())


def targets_form(view: RoundView) -> TargetsForm:
    """One select per dimension (``target_0``, ``target_1`` ... in bank order)."""
    choices = [SelectChoice("", _("No target"))] + [
        SelectChoice(str(level), f"{level} – {view.level_name(level)}") for level in LEVELS
    ]
    allowed = [choice.value for choice in choices]

    class Form(TargetsForm):
        pass

    for index, dimension in enumerate(view.bank.dimensions):
        current = view.round.targets.get(dimension.id) if view.round.targets else None
        setattr(Form, f"target_{index}", SelectField(
            dimension.name.get(view.language), choices=choices, widget=Select(),
            default="" if current is None else str(int(current)), validate_choice=False,
            validators=[AnyOf(allowed, message=_("Select a target level from 1 to 5, or no target"))],
        ))
    return Form()


def target_fields(form: TargetsForm, view: RoundView) -> list[SelectField]:
    return [getattr(form, f"target_{i}") for i in range(len(view.bank.dimensions))]


def chosen_targets(form: TargetsForm, view: RoundView) -> dict[str, int]:
    """Dimension id -> level for every dimension given a target (already validated)."""
    fields = target_fields(form, view)
    return {d.id: int(field.data) for d, field in zip(view.bank.dimensions, fields, strict=True)
            if field.data}


class ChallengeForm(AppForm):
    note = TextAreaField(
        _l("Why are you challenging this answer?"), widget=CharacterCount(),
        description=_l("For example, what evidence you would expect to see. Respondents and "
                       "workshop trainers will see this note."),
        validators=[Required(_l("Enter why you are challenging this answer")),
                    Length(max=MAX_NOTE_LENGTH,
                           message=_l("The note must be 2,000 characters or fewer"))],
    )
    submit = SubmitField(_l("Challenge this answer"), widget=GovSubmitInput())


class WithdrawChallengeForm(AppForm):
    withdraw = SubmitField(_l("Withdraw the challenge"), widget=GovSubmitInput())


class ResolveChallengeForm(AppForm):
    """After the respondent's reply: resolved, or open again for another reply."""

    decision = RadioField(
        _l("Is the challenge resolved?"),
        choices=[SelectChoice("resolved", _l("Yes, mark it as resolved")),
                 SelectChoice("open", _l("No, keep it open and ask again"))],
        validate_choice=False, widget=Radios(),
        validators=[AnyOf(("resolved", "open"),
                          message=_l("Select whether the challenge is resolved"))],
    )
    resolve = SubmitField(_l("Save decision"), widget=GovSubmitInput())
