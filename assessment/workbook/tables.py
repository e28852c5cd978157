"""The Heatmap, Departments and Questions sheets."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook

from ..core.scoring import DepartmentScores
from .content import WorkbookContent
from .layout import (
    PERCENT_FORMAT,
    FittedRows,
    fit_headings,
    header,
    new_sheet,
    number,
    score,
    text,
    wrapped,
)
from .naming import Names
from .styles import centred, coloured, restyle, ruled

#: A heatmap score, beside its level's name under one dimension heading.
SCORE_WIDTH = 7


def _space_after_the_score(cell: Cell) -> None:
    """The level's name set off from the score before it."""
    cell.alignment = Alignment(horizontal="left", indent=1, vertical="top", wrap_text=True)


def _level_name_width(content: WorkbookContent) -> float:
    """Wide enough for every level's name on one line, and the dimension heading above."""
    longest = max(len(level.name.get(content.language)) for level in content.bank.scale)
    return max(12, longest + 3)


def _department_columns(names: Names) -> list[str]:
    columns = [_("Department")]
    if not names.anonymise:
        columns.append(_("Directorate"))
    return [*columns, _("Respondents")]


def _department_widths(names: Names) -> tuple[float, ...]:
    return (30, 12) if names.anonymise else (30, 18, 12)


def _department_cells(sheet: Any, names: Names, department: DepartmentScores,
                      wrap: bool = True) -> list[Any]:
    cell = wrapped if wrap else text
    cells = [cell(sheet, names.department(department.name))]
    if not names.anonymise:
        cells.append(cell(sheet, department.directorate))
    return [*cells, centred(sheet, department.respondents)]


def add_heatmap(workbook: Workbook, content: WorkbookContent, names: Names) -> None:
    """Departments x dimensions: the score and its level's name, in the level's colours
    (the web heatmap's), under each dimension; the level is never told by colour alone."""
    bank, language = content.bank, content.language
    dimensions = content.dimension_names()
    fixed = _department_columns(names)
    pair = (SCORE_WIDTH, _level_name_width(content))
    sheet = new_sheet(workbook, "Heatmap", (*fit_headings(_department_widths(names), fixed),
                                            *pair * len(dimensions)),
                      freeze=f"{get_column_letter(len(fixed) + 1)}2", presentation=True)
    rows = FittedRows(sheet)
    # Each dimension's heading spans its score and level-name columns.
    spans = {len(fixed) + 1 + 2 * i: len(fixed) + 2 + 2 * i for i in range(len(dimensions))}
    rows.append(header(sheet, [*fixed, *(label for _key, name in dimensions
                                         for label in (name, ""))]), spans=spans)
    not_scored = _("Not scored")
    for department in content.results.departments:
        cells = []
        for key, _name in dimensions:
            level = department.levels[key]
            level_name = not_scored if level is None else bank.level_name(level).get(language)
            name_cell = restyle(coloured(sheet, wrapped(sheet, level_name), level), "level name",
                                _space_after_the_score)
            cells += [coloured(sheet, score(sheet, department.scores[key]), level), name_cell]
        rows.append(ruled(sheet, [*_department_cells(sheet, names, department), *cells]))


def add_departments(workbook: Workbook, content: WorkbookContent, names: Names) -> None:
    """One row per department and dimension."""
    bank, language = content.bank, content.language
    fixed = _department_columns(names)
    headings = [*fixed, _("Dimension"), _("Score"), _("Level reached"), _("Level name"),
                _("Don't know rate")]
    sheet = new_sheet(workbook, "Departments", fit_headings(
        (*_department_widths(names), 18, 10, 10, _level_name_width(content), 10), headings))
    FittedRows(sheet).append(header(sheet, headings))
    for department in content.results.departments:
        for key, name in content.dimension_names():
            level = department.levels[key]
            # Plain cells, one line each: styling every cell of 10,000 rows costs seconds.
            sheet.append([
                *_department_cells(sheet, names, department, wrap=False),
                text(sheet, name),
                score(sheet, department.scores[key]),  # as shown: the level is beside it
                centred(sheet, level),
                text(sheet, None if level is None else bank.level_name(level).get(language)),
                number(sheet, department.dont_know_rate[key], PERCENT_FORMAT),
            ])


def add_questions(workbook: Workbook, content: WorkbookContent) -> None:
    """The round's question bank: every question and its five level descriptors."""
    bank, language = content.bank, content.language
    headings = [
        _("Dimension"), _("Question ID"), _("Question"), _("Hint"), _("Weight"), _("Applies to"),
        *(_("Level %(level)d: %(name)s", level=lv.level, name=lv.name.get(language))
          for lv in bank.scale),
    ]
    sheet = new_sheet(workbook, "Questions", fit_headings(
        (14, 18, 34, 28, 8, 18, *(28,) * len(bank.scale)), headings), freeze="D2")
    rows = FittedRows(sheet)
    rows.append(header(sheet, headings))
    for dimension in bank.dimensions:
        for question in dimension.questions:
            rows.append(ruled(sheet, [
                wrapped(sheet, dimension.name.get(language)),
                wrapped(sheet, question.id),
                wrapped(sheet, question.text.get(language)),
                wrapped(sheet, question.hint.get(language) if question.hint else None),
                question.weight,
                wrapped(sheet, question.applies_to.get(language) if question.applies_to else None),
                *(wrapped(sheet, d.get(language)) for d in question.descriptors),
            ]))
