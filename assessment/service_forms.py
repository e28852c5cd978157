"""Forms of the service administrator's pages and of the "Switch organisation" page (issue 15)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import RadioField, SelectField, StringField, SubmitField
from wtforms.validators import Length

from .admin_forms import first_password_fields
from .forms import AppForm, Required
from .widgets import Radios, Select, TextInput


class NewOrganisationForm(AppForm):
    """An organisation and its first administrator."""

    name = StringField(_l("Name of the organisation"), widget=TextInput(),
                       validators=[Required(_l("Enter the name of the organisation")),
                                   Length(max=200, message=_l("The name must be 200 characters or fewer"))])
    email = StringField(_l("Email address of its first administrator"), widget=TextInput(),
                        validators=[Required(_l("Enter their email address"))])
    password, confirm = first_password_fields()
    submit = SubmitField(_l("Create the organisation"), widget=GovSubmitInput())


class TrainerAccessForm(AppForm):
    """Give (or take away) a trainer's access to an organisation other than their own.

    The service administrator chooses the organisation; an organisation's admin
    grants access to their own, so the form has no ``organisation`` field there.
    """

    email = StringField(_l("Trainer's email address"), widget=TextInput(),
                        validators=[Required(_l("Enter the trainer's email address"))])
    organisation = SelectField(_l("Organisation"), widget=Select(), choices=[],
                               validators=[Required(_l("Select an organisation"))])
    grant = SubmitField(_l("Give access"), widget=GovSubmitInput())
    revoke = SubmitField(_l("Take access away"), widget=GovSubmitInput())


class SwitchOrganisationForm(AppForm):
    organisation = RadioField(_l("Which organisation do you want to work in?"), choices=[],
                              widget=Radios(), validators=[Required(_l("Select an organisation"))])
    submit = SubmitField(_l("Switch"), widget=GovSubmitInput())


class BenchmarkGroupForm(AppForm):
    """A new benchmark group: organisations contribute closed rounds to it (issue 15)."""

    name = StringField(_l("Name of the group"), widget=TextInput(),
                       description=_l("For example, Welsh councils, or NHS trusts in the North West"),
                       validators=[Required(_l("Enter a name for the benchmark group")),
                                   Length(max=200, message=_l("The name must be 200 characters or fewer"))])
    name_cy = StringField(
        _l("Welsh name (optional)"), widget=TextInput(),
        validators=[Length(max=200, message=_l("The name must be 200 characters or fewer"))])
    submit = SubmitField(_l("Create the group"), widget=GovSubmitInput())
