"""Forms of the lead's round pages: creating a round and inviting respondents.

Messages follow the GOV.UK style; the length and choice checks are the
questionnaire's own (``views/survey/forms.py``), so both count the same way.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from ..forms import AppForm, Required
from ..widgets import CharacterCount, Checkbox, Radios, TextInput
from .survey.forms import ExactChoice, NoteLength


class RoundForm(AppForm):
    name = StringField(
        _l("Name of the round"), widget=TextInput(),
        description=_l("For example, 2026 baseline"),
        validators=[Required(_l("Enter a name for the round")),
                    Length(max=200, message=_l("The name must be 200 characters or fewer"))],
    )
    name_cy = StringField(
        _l("Welsh name of the round (optional)"), widget=TextInput(),
        description=_l("Shown to people reading in Welsh. Leave it empty to show the name above."),
        validators=[Optional(), Length(max=200, message=_l("The name must be 200 characters or fewer"))],
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


class InviteForm(AppForm):
    department = StringField(
        _l("Department"), widget=TextInput(),
        validators=[Required(_l("Enter the name of the department")),
                    Length(max=200, message=_l("The name must be 200 characters or fewer"))],
    )
    directorate = StringField(
        _l("Directorate (optional)"), widget=TextInput(),
        validators=[Optional(), Length(max=200, message=_l("The name must be 200 characters or fewer"))],
    )
    department_cy = StringField(
        _l("Welsh name of the department (optional)"), widget=TextInput(),
        validators=[Optional(), Length(max=200, message=_l("The name must be 200 characters or fewer"))],
    )
    directorate_cy = StringField(
        _l("Welsh name of the directorate (optional)"), widget=TextInput(),
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
