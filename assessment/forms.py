"""The base of every form in the app, and the forms for sign-in and set-up.

Every form inherits :class:`AppForm` (not ``FlaskForm``): that is the one way
typed text meets the rule of :mod:`assessment.core.text`.  Its ``Meta`` gives
each text field (``StringField`` and its kinds: ``EmailField``, ``SearchField``,
``HiddenField`` ...) the filter :func:`~assessment.core.text.clean_line`, and each
``TextAreaField`` :func:`~assessment.core.text.clean_text`, before any validator
runs: NUL and other control characters are removed (a textarea keeps tab and
line breaks), so PostgreSQL never sees a NUL and both databases store the same
text.  Passwords are left exactly as typed: they are only hashed, never stored
or shown.  A field's own ``filters`` run after the cleaning one, and
:class:`Required` counts text that cleaning emptied as missing.

To write a form: ``class ThingForm(AppForm)`` with ``from assessment.forms
import AppForm``; nothing else is needed (a ``class Meta`` of its own, such as
``csrf = False``, adds to the base one).  A test checks that every form of the
app inherits it.  The command line applies the same rule (``cli.LINE``), and so
does ``flask restore`` (``services.restore_text``).

Messages follow the GOV.UK style.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import BooleanField, Field, PasswordField, StringField, SubmitField, TextAreaField
from wtforms.csrf.core import CSRFTokenField
from wtforms.fields.core import UnboundField
from wtforms.validators import EqualTo, InputRequired, Length, Optional, StopValidation

from .core.text import clean_line, clean_text
from .widgets import Checkbox, PasswordInput, TextInput


def _clean_line_filter(value: Any) -> Any:
    return clean_line(value) if isinstance(value, str) else value


def _clean_text_filter(value: Any) -> Any:
    return clean_text(value) if isinstance(value, str) else value


def text_filter(field_class: type[Field]) -> Callable[[Any], Any] | None:
    """The cleaning filter for a kind of field, or None for a field that is not typed text."""
    if not issubclass(field_class, StringField) or issubclass(field_class, (PasswordField, CSRFTokenField)):
        return None
    return _clean_text_filter if issubclass(field_class, TextAreaField) else _clean_line_filter


class AppForm(FlaskForm):
    """``FlaskForm`` with the app's one rule for typed text (see the module docstring)."""

    class Meta:
        def bind_field(self, form: Any, unbound_field: UnboundField, options: dict[str, Any]) -> Field:
            cleaning = text_filter(unbound_field.field_class)
            if cleaning is not None:
                options = {**options,
                           "filters": (cleaning, *unbound_field.kwargs.get("filters", ()))}
            return super().bind_field(form, unbound_field, options)  # type: ignore[misc]


class Required(InputRequired):
    """Server-side check only: no HTML ``required`` attribute (GOV.UK advice).

    Text that was nothing but control characters (or spaces) is empty once
    cleaned, so it is missing too.
    """

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message)
        # WTForms 3.3 sets the flags per instance, so clear them here.
        self.field_flags = {}

    def __call__(self, form: Any, field: Field) -> None:
        super().__call__(form, field)
        if field.data == "" and text_filter(type(field)) is not None:
            field.errors[:] = []
            raise StopValidation(self.message or field.gettext("This field is required."))


class SignInForm(AppForm):
    email = StringField(_l("Email address"), widget=TextInput(),
                        validators=[Required(_l("Enter your email address"))])
    password = PasswordField(_l("Password"), widget=PasswordInput(),
                             validators=[Required(_l("Enter your password"))])
    submit = SubmitField(_l("Sign in"), widget=GovSubmitInput())


class SetupForm(AppForm):
    organisation = StringField(
        _l("Name of your organisation"), widget=TextInput(),
        validators=[Required(_l("Enter the name of your organisation")),
                    Length(max=200, message=_l("The name must be 200 characters or fewer"))],
    )
    organisation_cy = StringField(
        _l("Welsh name of your organisation (optional)"), widget=TextInput(),
        validators=[Optional(), Length(max=200, message=_l("The name must be 200 characters or fewer"))],
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
