"""The Heatmap, Departments and Questions sheets."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook

from ..core.scoring import DepartmentScores
from .content import WorkbookContent
from .layout import PERCENT_FORMAT, header, new_sheet, number, score, text, wrapped
from .naming import Names

#: Light colours, so the black number on each cell stays readable.
LOW_COLOUR, MIDDLE_COLOUR, HIGH_COLOUR = "F8CBAD", "FFEB84", "A9D08E"


def _department_columns(names: Names) -> list[str]:
    columns = [_("Department")]
    if not names.anonymise:
        columns.append(_("Directorate"))
    return [*columns, _("Respondents")]


def _department_widths(names: Names) -> tuple[float, ...]:
    return (30, 12) if names.anonymise else (30, 20, 12)


def _department_cells(sheet: Any, names: Names, department: DepartmentScores) -> list[Any]:
    cells = [text(sheet, names.department(department.name))]
    if not names.anonymise:
        cells.append(text(sheet, department.directorate))
    return [*cells, department.respondents]


def add_heatmap(workbook: Workbook, content: WorkbookContent, names: Names) -> None:
    """Departments x dimensions: the score in every cell, coloured by a colour scale."""
    dimensions = content.dimension_names()
    departments = content.results.departments
    fixed = _department_columns(names)
    sheet = new_sheet(workbook, "Heatmap", (*_department_widths(names), *(14,) * len(dimensions)),
                      freeze=f"{get_column_letter(len(fixed) + 1)}2")
    sheet.append(header(sheet, [*fixed, *(name for _key, name in dimensions)]))
    for department in departments:
        # As shown (layout.score), so a cell reads as the dashboard's heatmap does.
        scores = [score(sheet, department.scores[key]) for key, _name in dimensions]
        sheet.append([*_department_cells(sheet, names, department), *scores])
    if departments:
        first, last = len(fixed) + 1, len(fixed) + len(dimensions)
        cells = f"{get_column_letter(first)}2:{get_column_letter(last)}{len(departments) + 1}"
        sheet.conditional_formatting.add(cells, ColorScaleRule(
            start_type="num", start_value=1, start_color=LOW_COLOUR,
            mid_type="num", mid_value=3, mid_color=MIDDLE_COLOUR,
            end_type="num", end_value=5, end_color=HIGH_COLOUR,
        ))


def add_departments(workbook: Workbook, content: WorkbookContent, names: Names) -> None:
    """One row per department and dimension."""
    bank, language = content.bank, content.language
    fixed = _department_columns(names)
    sheet = new_sheet(workbook, "Departments", (*_department_widths(names), 24, 10, 10, 16, 12))
    sheet.append(header(sheet, [*fixed, _("Dimension"), _("Score"), _("Level reached"),
                                _("Level name"), _("Don't know rate")]))
    for department in content.results.departments:
        for key, name in content.dimension_names():
            level = department.levels[key]
            sheet.append([
                *_department_cells(sheet, names, department),
                text(sheet, name),
                score(sheet, department.scores[key]),  # as shown: the level is beside it
                level,
                text(sheet, None if level is None else bank.level_name(level).get(language)),
                number(sheet, department.dont_know_rate[key], PERCENT_FORMAT),
            ])


def add_questions(workbook: Workbook, content: WorkbookContent) -> None:
    """The round's question bank: every question and its five level descriptors."""
    bank, language = content.bank, content.language
    sheet = new_sheet(workbook, "Questions", (18, 24, 45, 35, 8, 25, *(35,) * len(bank.scale)),
                      freeze="D2")
    sheet.append(header(sheet, [
        _("Dimension"), _("Question ID"), _("Question"), _("Hint"), _("Weight"), _("Applies to"),
        *(_("Level %(level)d: %(name)s", level=lv.level, name=lv.name.get(language))
          for lv in bank.scale),
    ]))
    for dimension in bank.dimensions:
        for question in dimension.questions:
            sheet.append([
                text(sheet, dimension.name.get(language)),
                text(sheet, question.id),
                wrapped(sheet, question.text.get(language)),
                wrapped(sheet, question.hint.get(language) if question.hint else None),
                question.weight,
                wrapped(sheet, question.applies_to.get(language) if question.applies_to else None),
                *(wrapped(sheet, d.get(language)) for d in question.descriptors),
            ])
