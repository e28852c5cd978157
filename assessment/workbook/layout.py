"""How every sheet looks: header style, widths, frozen header, print set-up.

Sheets are write-only (openpyxl streams rows to disk), so everything that
goes before the rows in the file (widths, frozen panes, fit-to-page) is set
by :func:`new_sheet` before the first row is appended.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl.cell.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..cells import text_cell
from ..core.scoring import shown_score

#: Scores are stored as they are shown (see :func:`score`), with one decimal place.
SCORE_FORMAT = "0.0"
PERCENT_FORMAT = "0%"
HEADER_STYLE = {
    "font": Font(bold=True, color="FFFFFF"),
    "fill": PatternFill("solid", fgColor="005A70"),
    "alignment": Alignment(wrap_text=True, vertical="top"),
}
TITLE_STYLE = {"font": Font(bold=True, size=14)}
WRAPPED_STYLE = {"alignment": Alignment(wrap_text=True, vertical="top")}


def new_sheet(workbook: Workbook, title: str, widths: Sequence[float], header_row: int = 1,
              freeze: str | None = "A2") -> Any:
    """A write-only sheet with column widths, a frozen header and landscape printing
    that fits the page width (as many pages down as needed), header repeated."""
    sheet = workbook.create_sheet(title)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    if freeze:
        sheet.freeze_panes = freeze
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    return sheet


def header(sheet: Any, labels: Sequence[str]) -> list[Any]:
    return [text_cell(sheet, label, HEADER_STYLE) for label in labels]


def number(sheet: Any, value: float | None, number_format: str = SCORE_FORMAT) -> Any:
    """A number cell shown with ``number_format``; empty when there is no value."""
    if value is None:
        return None
    cell = WriteOnlyCell(sheet, value)
    cell.number_format = number_format
    return cell


def score(sheet: Any, value: float | None) -> Any:
    """A score (or a spread or gap between scores) as every page shows it: cut to one
    decimal place by :func:`~assessment.core.scoring.shown_score`.

    The cut value is stored, not the exact one: a number format can only round, and a
    rounded 2.95 would read "3.0" beside its level, "Emerging" (level 2), on the same
    row.  The results JSON keeps the exact scores.
    """
    return number(sheet, shown_score(value))


def text(sheet: Any, value: str | None) -> Any:
    return text_cell(sheet, value)


def wrapped(sheet: Any, value: str | None) -> Any:
    return text_cell(sheet, value, WRAPPED_STYLE)
