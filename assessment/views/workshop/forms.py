"""Forms of the workshop pages: export options, template choice, import upload."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import BooleanField, RadioField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, ValidationError

from ...forms import AppForm, Required
from ...widgets import Checkbox, FileInput, Radios

#: File types the importer reads.
IMPORT_EXTENSIONS = (".csv", ".xlsx")


class ExportForm(AppForm):
    """Sent with GET to the download itself, so it carries no CSRF token."""

    class Meta:
        csrf = False

    anonymise = BooleanField(
        _l("Anonymise departments"), widget=Checkbox(),
        description=_l("Departments become Department A, B, C and so on, the same on every "
                       "sheet. Respondent and directorate names are left out."),
    )
    no_comments = BooleanField(
        _l("Leave out comments"), widget=Checkbox(),
        description=_l("Comments, evidence notes and challenge notes are left out: they may "
                       "name people or departments."),
    )
    submit = SubmitField(_l("Download the workbook"), widget=GovSubmitInput())


class TemplateForm(AppForm):
    """Sent with GET to the download itself, so it carries no CSRF token."""

    class Meta:
        csrf = False

    sheets = RadioField(
        _l("Which questionnaire do you need?"), widget=Radios(), default="blank",
        choices=[SelectChoice("blank", _l("One blank questionnaire")),
                 SelectChoice("departments", _l("One sheet for each department in this round"))],
        validators=[AnyOf(["blank", "departments"], message=_l("Select which questionnaire"))],
    )
    submit = SubmitField(_l("Download the questionnaire"), widget=GovSubmitInput())


class ImportForm(AppForm):
    file = FileField(
        _l("Upload a file"), widget=FileInput(),
        description=_l("A CSV or XLSX file in the import format, or a filled-in questionnaire."),
        validators=[Required(_l("Select a CSV or XLSX file"))],
    )
    submit = SubmitField(_l("Check the file"), widget=GovSubmitInput())

    def validate_file(self, field: FileField) -> None:
        name = (getattr(field.data, "filename", "") or "").lower()
        if not name.endswith(IMPORT_EXTENSIONS):
            raise ValidationError(_l("The file must be a CSV or an XLSX file"))


class ConfirmImportForm(AppForm):
    submit = SubmitField(_l("Import these answers"), widget=GovSubmitInput())
