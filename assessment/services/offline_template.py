"""The offline questionnaire: an XLSX to fill in on paper or in a spreadsheet,
which imports back through :mod:`assessment.services.importer`.

Its layout (which row holds what) belongs to the import format, so this writer
and the reader share it: see :mod:`assessment.import_format.questionnaire`.
The answer column has a drop-down of the import values (1 to 5, dont_know,
not_applicable); in Welsh, of Welsh labels, which the hidden codes sheet maps
back to those values on import.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.datavalidation import DataValidation

from .. import audit
from ..cells import clean_text, sheet_title, text_cell
from ..core.answers import ANSWER_CHOICES, DONT_KNOW, MAX_NOTE_LENGTH, NOT_APPLICABLE
from ..core.bank import QuestionBank
from ..core.names import display_name
from ..import_format.questionnaire import (
    CODES_SHEET,
    COLUMNS,
    DESCRIPTOR_WIDTH,
    HEADER_ROW,
    HIDDEN_COLUMNS,
    SHOWN_HEADER_ROW,
    WIDTHS,
)
from ..workbook.layout import (
    TITLE_STYLE,
    WRAPPED_STYLE,
    FittedRows,
    add_footer,
    header,
    new_sheet,
)
from ..workbook.styles import FONT_NAME
from .results import round_bank
from .rounds import require_round

_INPUT = {
    "fill": PatternFill("solid", fgColor="FFF7D6"),
    "border": Border(*(Side(style="thin", color="B1B4B6"),) * 4),
    "alignment": Alignment(wrap_text=True, vertical="top"),
}
_WRAPPED_LABEL = {"font": Font(name=FONT_NAME, bold=True),
                  "alignment": Alignment(wrap_text=True, vertical="top")}


@dataclass(frozen=True)
class Questionnaire:
    """One sheet to print: for a department (and its directorate), or blank."""

    department: str = ""
    directorate: str | None = None


def write_template(round_id: int, out: BinaryIO, questionnaires: Sequence[Questionnaire],
                   language: str = "en") -> None:
    """Write a questionnaire workbook for the round: one sheet per questionnaire."""
    assessment_round = require_round(round_id)
    bank = round_bank(assessment_round)
    with force_locale(language):
        workbook = Workbook(write_only=True)
        round_name = display_name(assessment_round.name, assessment_round.name_cy, language)
        workbook.properties.title = clean_text(_("%(round)s: questionnaire", round=round_name))
        workbook.properties.creator = "Joined-Up"
        taken = {"Levels", CODES_SHEET}
        for questionnaire in questionnaires or [Questionnaire()]:
            name = questionnaire.department or _("Questionnaire")
            _add_questionnaire(workbook, sheet_title(name, taken), round_name, bank,
                               questionnaire, language)
        _add_levels(workbook, bank, language)
        if language != "en":
            _add_codes(workbook, language)
        workbook.save(out)
    audit.record("export", round_id, format="template", sheets=len(questionnaires) or 1)


def _add_questionnaire(workbook: Workbook, title: str, round_name: str, bank: QuestionBank,
                       questionnaire: Questionnaire, language: str) -> None:
    levels = [f"{lv.level} {lv.name.get(language)}" for lv in bank.scale]
    sheet = _printable_sheet(workbook, title, round_name, len(levels), language)
    rows = FittedRows(sheet)
    # Column A holds the hidden question IDs: the title and labels start in column B.
    rows.append([None, text_cell(sheet, _("%(round)s: questionnaire", round=round_name),
                                 TITLE_STYLE)])
    for label, value in ((_("Department"), questionnaire.department),
                         (_("Directorate (optional)"), questionnaire.directorate),
                         (_("Your name"), None)):
        rows.append([None, text_cell(sheet, label, _WRAPPED_LABEL), text_cell(sheet, value, _INPUT)])
    dont_know, not_applicable = _other_choices(language)
    rows.append([None, text_cell(sheet, _("How to fill it in"), _WRAPPED_LABEL), text_cell(sheet, _(
        "Fill in the yellow cells. Choose an answer from 1 to 5 (the level descriptors are on the "
        "right), %(dont_know)s or %(not_applicable)s. Evidence goes only with levels 4 and 5. "
        "For another person, copy this sheet.", dont_know=dont_know,
        not_applicable=not_applicable), WRAPPED_STYLE)], spans={3: 6})
    if language == "en":  # headings to read above the hidden row of import codes
        rows.append(header(sheet, [*_friendly_headings(), *levels]))
    else:
        rows.append([])
    rows.append(header(sheet, [*_headings(language), *levels]))
    for question in bank.questions:
        cells = [question.id, bank.dimension(question.dimension).name.get(language),
                 question.text.get(language)]
        rows.append([
            *(text_cell(sheet, value, WRAPPED_STYLE) for value in cells),
            *(text_cell(sheet, None, _INPUT) for _column in range(3)),
            *(text_cell(sheet, d.get(language), WRAPPED_STYLE) for d in question.descriptors),
        ])
    _add_validation(sheet, HEADER_ROW + len(bank.questions), language)


def _printable_sheet(workbook: Workbook, title: str, round_name: str, levels: int,
                     language: str) -> Any:
    """A questionnaire sheet that prints on A4 portrait, one row a question, fitted to the
    page width; the import's codes (column A, and the English row of column names) hidden."""
    sheet = new_sheet(workbook, title, (*WIDTHS, *(DESCRIPTOR_WIDTH,) * levels),
                      header_row=HEADER_ROW, freeze=f"D{HEADER_ROW + 1}")
    sheet.page_setup.orientation = "portrait"
    sheet.sheet_view.showGridLines = False
    for column in HIDDEN_COLUMNS:
        sheet.column_dimensions[column].hidden = True
    if language == "en":
        sheet.row_dimensions[HEADER_ROW].hidden = True
        sheet.print_title_rows = f"{SHOWN_HEADER_ROW}:{HEADER_ROW}"
    add_footer(sheet, round_name)
    return sheet


def _friendly_headings() -> list[str]:
    return [_("Question ID"), _("Dimension"), _("Question"), _("Answer"), _("Comment"),
            _("Evidence")]


def _headings(language: str) -> list[str]:
    """The column headings: the import's column names in English, translated otherwise."""
    if language == "en":
        return list(COLUMNS)
    return _friendly_headings()


def _answer_labels() -> list[tuple[str, str]]:
    """(label in the drop-down, import code) for every answer, in the current language."""
    words = {"dont_know": _("I do not know"), "not_applicable": _("Not applicable")}
    return [(words.get(code, code), code) for code in ANSWER_CHOICES]


def _other_choices(language: str) -> tuple[str, str]:
    """"Don't know" and "not applicable" as the drop-down offers them in ``language``
    (the import codes in English, the translated labels otherwise), for the instructions."""
    shown = dict((code, label) for label, code in _answer_labels()) if language != "en" else {}
    return shown.get(DONT_KNOW, DONT_KNOW), shown.get(NOT_APPLICABLE, NOT_APPLICABLE)


def _add_codes(workbook: Workbook, language: str) -> None:
    """The hidden sheet the importer reads to turn labels back into codes."""
    sheet = workbook.create_sheet(CODES_SHEET)
    sheet.sheet_state = "hidden"
    sheet.append(["label", "code"])
    for label, code in [*_answer_labels(), *zip(_headings(language), COLUMNS, strict=True)]:
        sheet.append([text_cell(sheet, label), code])


def _answer_list(language: str) -> str:
    """The drop-down's list: codes in English; the hidden sheet's labels otherwise."""
    if language == "en":
        return '"' + ",".join(ANSWER_CHOICES) + '"'
    return f"'{CODES_SHEET}'!$A$2:$A${len(ANSWER_CHOICES) + 1}"


def _add_validation(sheet: Any, last_row: int, language: str) -> None:
    first = HEADER_ROW + 1
    dont_know, not_applicable = _other_choices(language)
    answers = DataValidation(
        type="list", formula1=_answer_list(language), allow_blank=True,
        showErrorMessage=True, errorTitle=_("Not an answer"),
        error=_("Choose 1 to 5, %(dont_know)s or %(not_applicable)s.", dont_know=dont_know,
                not_applicable=not_applicable),
        showInputMessage=True, promptTitle=_("Answer"),
        prompt=_("1 to 5, %(dont_know)s or %(not_applicable)s", dont_know=dont_know,
                 not_applicable=not_applicable),
    )
    answers.add(f"D{first}:D{last_row}")
    notes = DataValidation(
        type="textLength", operator="lessThanOrEqual", formula1=str(MAX_NOTE_LENGTH),
        allow_blank=True, showErrorMessage=True, errorTitle=_("Too long"),
        error=_("Notes are at most %(count)d characters.", count=MAX_NOTE_LENGTH),
    )
    notes.add(f"E{first}:F{last_row}")
    sheet.data_validations.append(answers)
    sheet.data_validations.append(notes)


def _add_levels(workbook: Workbook, bank: QuestionBank, language: str) -> None:
    sheet = new_sheet(workbook, "Levels", (8, 16, 60))
    sheet.page_setup.orientation = "portrait"
    rows = FittedRows(sheet)
    rows.append(header(sheet, [_("Level"), _("Name"), _("What it means")]))
    for level in bank.scale:
        rows.append([level.level, text_cell(sheet, level.name.get(language)),
                      text_cell(sheet, level.meaning.get(language), WRAPPED_STYLE)])
