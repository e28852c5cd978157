"""Forms for sign-in and set-up.  Messages follow the GOV.UK style."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import BooleanField, PasswordField, StringField, SubmitField
from wtforms.validators import EqualTo, InputRequired, Length

from .widgets import Checkbox, PasswordInput, TextInput


class Required(InputRequired):
    """Server-side check only: no HTML ``required`` attribute (GOV.UK advice)."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message)
        # WTForms 3.3 sets the flags per instance, so clear them here.
        self.field_flags = {}


class SignInForm(FlaskForm):
    email = StringField(_l("Email address"), widget=TextInput(),
                        validators=[Required(_l("Enter your email address"))])
    password = PasswordField(_l("Password"), widget=PasswordInput(),
                             validators=[Required(_l("Enter your password"))])
    submit = SubmitField(_l("Sign in"), widget=GovSubmitInput())


class SetupForm(FlaskForm):
    organisation = StringField(
        _l("Name of your organisation"), widget=TextInput(),
        validators=[Required(_l("Enter the name of your organisation")),
                    Length(max=200, message=_l("The name must be 200 characters or fewer"))],
    )
    email = StringField(_l("Your email address"), widget=TextInput(),
                        validators=[Required(_l("Enter your email address"))])
    password = PasswordField(
        _l("Create a password"), widget=PasswordInput(),
        description=_l("At least 12 characters. A few unrelated words make a good password."),
        validators=[Required(_l("Enter a password"))],
    )
    confirm = PasswordField(
        _l("Enter the password again"), widget=PasswordInput(),
        validators=[Required(_l("Enter the password again")),
                    EqualTo("password", message=_l("The passwords do not match"))],
    )
    load_demo = BooleanField(
        _l("Load the demonstration council, with a closed round of answers to explore"),
        widget=Checkbox(),
    )
    submit = SubmitField(_l("Set up Joined-Up"), widget=GovSubmitInput())
