"""Forms of the lead's round pages: creating a round, inviting respondents, emailing them.

Messages follow the GOV.UK style; the length and choice checks are the
questionnaire's own (``views/survey/forms.py``), so both count the same way.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from ..forms import AppForm, Required
from ..widgets import CharacterCount, Checkbox, FileInput, Radios, TextInput
from .survey.forms import ExactChoice, NoteLength

#: Day, month and year, as GOV.UK asks for dates: "27 3 2027", "27/3/2027" or "2027-03-27".
DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[ /.-]+(\d{1,2})[ /.-]+(\d{4})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def parse_date(text: str) -> date | None:
    """The date typed, or None when it is not a real day in day-month-year order."""
    text = text.strip()
    if found := ISO_DATE.match(text):
        year, month, day = (int(part) for part in found.groups())
    elif found := DAY_MONTH_YEAR.match(text):
        day, month, year = (int(part) for part in found.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


class RoundDetailsFields:
    """The round's purpose and closing date, on the new-round form and the overview."""

    purpose = StringField(
        _l("What is the round for? (optional)"), widget=TextInput(),
        description=_l("One sentence. Respondents see it on the start page and in their invitation."),
        validators=[Optional(), Length(max=500, message=_l("This must be 500 characters or fewer"))],
    )
    closing_date = StringField(
        _l("Closing date (optional)"), widget=TextInput(),
        description=_l("Day, month and year, for example 27 3 2027. Respondents see it, and "
                       "reminders can go 7 and 2 days before."),
        validators=[Optional()],
    )

    def closing_day(self) -> date | None:
        return parse_date(self.closing_date.data or "")  # type: ignore[attr-defined]

    def validate_closing_date(self, field: Any) -> None:
        if field.data and parse_date(field.data) is None:
            raise ValidationError(_l("Enter the closing date as a real day, month and year, "
                                     "like 27 3 2027"))


class RoundDetailsForm(RoundDetailsFields, AppForm):
    pass


class RoundForm(RoundDetailsFields, AppForm):
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
    email = StringField(
        _l("Email address (optional)"), widget=TextInput(),
        description=_l("To email the invitation, enter one respondent's name above and their "
                       "address here."),
        validators=[Optional(), Length(max=320, message=_l("The address must be 320 characters or fewer"))],
    )
    language = RadioField(
        _l("Language of the email"),
        choices=[SelectChoice("en", _l("English")), SelectChoice("cy", _l("Welsh")),
                 SelectChoice("both", _l("Welsh and English"))],
        default="en", validate_choice=False, widget=Radios(),
        validators=[ExactChoice(("en", "cy", "both"), _l("Select the language of the email"))],
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
        if self.email.data and len(self.respondent_names()) != 1:
            raise ValidationError(_l("Enter exactly one name to go with the email address"))


class RespondentsFileForm(AppForm):
    file = FileField(
        _l("Upload a CSV file"), widget=FileInput(),
        description=_l("Columns: department, name, email and, if you like, language (en, cy "
                       "or both). The first row can be headings."),
    )


class SendForm(AppForm):
    """Only the CSRF token: the button says what is sent."""

