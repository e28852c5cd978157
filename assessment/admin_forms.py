"""Forms of the admin pages (users, audit log) and of the own-password page."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import PasswordField, RadioField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import EqualTo, Optional, ValidationError

from .forms import AppForm, Required
from .widgets import PasswordInput, Radios, Select, TextInput

ROLE_CHOICES = [
    SelectChoice("lead", _l("Lead: runs rounds, departments, invitations and targets; sees results, "
                            "exports and imports")),
    SelectChoice("trainer", _l("Trainer: sees results, exports and imports; cannot run rounds or "
                               "manage users")),
    SelectChoice("admin", _l("Administrator: manages users and settings, and can do everything a "
                             "lead can")),
]


def first_password_fields() -> tuple[PasswordField, PasswordField]:
    """"Password" and "Enter the password again" for an account someone else will use.

    Called inside a form's class body, so the fields take their place in the form's order
    (which the error summary follows)."""
    password = PasswordField(
        _l("Password"), widget=PasswordInput(),
        description=_l("At least 12 characters. Give it to them in person or by phone, not by email."),
        validators=[Required(_l("Enter a password"))],
    )
    confirm = PasswordField(
        _l("Enter the password again"), widget=PasswordInput(),
        validators=[Required(_l("Enter the password again")),
                    EqualTo("password", message=_l("The passwords do not match"))],
    )
    return password, confirm


def _role_field(label: str) -> RadioField:
    return RadioField(label, choices=ROLE_CHOICES, widget=Radios(),
                      validators=[Required(_l("Select a role"))])


class AddUserForm(AppForm):
    email = StringField(_l("Email address"), widget=TextInput(),
                        validators=[Required(_l("Enter their email address"))])
    role = _role_field(_l("Role"))
    password, confirm = first_password_fields()
    submit = SubmitField(_l("Add user"), widget=GovSubmitInput())


class RoleForm(AppForm):
    role = _role_field(_l("Role"))
    submit = SubmitField(_l("Change role"), widget=GovSubmitInput())


class ConfirmForm(AppForm):
    """A button alone (deactivate, reactivate): the form carries the CSRF token."""


class PasswordForm(AppForm):
    current_password = PasswordField(_l("Current password"), widget=PasswordInput(),
                                     validators=[Required(_l("Enter your current password"))])
    new_password = PasswordField(
        _l("New password"), widget=PasswordInput(),
        description=_l("At least 12 characters. A few unrelated words make a good password."),
        validators=[Required(_l("Enter a new password"))],
    )
    confirm = PasswordField(
        _l("Enter the new password again"), widget=PasswordInput(),
        validators=[Required(_l("Enter the new password again")),
                    EqualTo("new_password", message=_l("The passwords do not match"))],
    )
    submit = SubmitField(_l("Change password"), widget=GovSubmitInput())


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()) if value and value.strip() else None
    except ValueError:
        return None


def iso_date(_form: AppForm, field: StringField) -> None:
    if field.data and field.data.strip() and _parse_date(field.data) is None:
        raise ValidationError(_l("Enter a real date in the format YYYY-MM-DD, like 2026-03-31"))


class AuditFilterForm(AppForm):
    """Read from the query string: filtering changes nothing, so no CSRF token."""

    class Meta:
        csrf = False

    event = SelectField(_l("Event"), widget=Select(), validators=[Optional()])
    user = SelectField(_l("User"), widget=Select(), validators=[Optional()])
    since = StringField(_l("From (YYYY-MM-DD)"), widget=TextInput(), validators=[iso_date])
    until = StringField(_l("To (YYYY-MM-DD)"), widget=TextInput(), validators=[iso_date])
    submit = SubmitField(_l("Filter"), widget=GovSubmitInput())

    def dates(self) -> tuple[date | None, date | None]:
        return _parse_date(self.since.data or ""), _parse_date(self.until.data or "")

    def validate_until(self, field: StringField) -> None:
        since, until = self.dates()
        if since and until and since > until:
            raise ValidationError(_l("The 'to' date must be the same as or after the 'from' date"))
