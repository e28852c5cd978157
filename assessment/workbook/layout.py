"""How every sheet looks: header style, widths, row heights, frozen header, print set-up.

Sheets are write-only (openpyxl streams rows to disk), so everything that
goes before the rows in the file (widths, frozen panes, fit-to-page, each
row's height) is set before the row is appended: :func:`new_sheet` before the
first row, :class:`FittedRows` just before each row.  The print set-up that
goes after the rows (margins, footer) can be set until the workbook is saved.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Sequence
from typing import Any

from flask_babel import gettext as _
from openpyxl.cell.cell import Cell, WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from ..cells import clean_text, text_cell
from ..core.scoring import shown_score
from .styles import HEADER_STYLE, TITLE_STYLE, WRAPPED_STYLE, wrap

__all__ = [  # the styles are here too: the offline questionnaire lays out its sheets alike
    "HEADER_STYLE", "PERCENT_FORMAT", "SCORE_FORMAT", "TITLE_STYLE", "WRAPPED_STYLE",
    "FittedRows", "add_footer", "fit_headings", "header", "lines_needed", "new_sheet",
    "number", "row_height", "text", "wrapped",
]

#: Scores are stored as they are shown (see :func:`score`), with one decimal place.
SCORE_FORMAT = "0.0"
PERCENT_FORMAT = "0%"
#: Excel's column width counts the default font's digit "0"; ordinary text fits
#: 1.2 characters a unit or more (measured in LibreOffice, whose stand-in for
#: Calibri, DejaVu Sans, is wider than Calibri), so rows err on the tall side.
CHARACTERS_PER_WIDTH_UNIT = 1.1
#: Units a bold character may take, capitals and all, so a heading's word is never split.
BOLD_CHARACTER_UNITS = 1.0
#: Lines of 11-point text, with the space between them, as Excel spaces wrapped lines.
POINTS_PER_LINE = 14.5
DEFAULT_FONT_POINTS = 11.0
#: A column's width when none is set (Excel's default).
DEFAULT_WIDTH = 8.43
#: Room above and below the text, so the last line is never touched by the rule below.
ROW_PADDING_POINTS = 3.0
#: Excel's tallest row.
MAX_ROW_POINTS = 409.0
#: Margins in inches: narrow, so fit-to-width shrinks the text as little as it can.
MARGINS = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6, header=0.25, footer=0.3)
#: Excel's limit on one header or footer's text.
MAX_FOOTER_CHARACTERS = 255


def lines_needed(text: str, width: float) -> int:
    """The lines ``text`` takes wrapped in a column ``width`` units wide.

    >>> lines_needed("short", 10), lines_needed("one two three four", 9), lines_needed("a\\nb", 30)
    (1, 3, 2)
    """
    per_line = max(1, math.floor(width * CHARACTERS_PER_WIDTH_UNIT) - 1)
    return sum(1 if len(paragraph) <= per_line
               else len(textwrap.wrap(paragraph, per_line, break_long_words=True))
               for paragraph in text.splitlines() or [""])


def row_height(cells: Iterable[tuple[str | None, float]],
               font_points: float = DEFAULT_FONT_POINTS) -> float | None:
    """Points of height a row needs for its wrapped cells, as (text, column width) pairs;
    None when one line is enough (the row keeps the default height).

    >>> row_height([("a few words", 30)]) is None, row_height([("one two three four", 9)])
    (True, 46.5)
    """
    lines = max((lines_needed(text, width) for text, width in cells if text), default=1)
    if lines <= 1:
        return None
    return min(MAX_ROW_POINTS, lines * POINTS_PER_LINE * font_points / DEFAULT_FONT_POINTS
               + ROW_PADDING_POINTS)


class FittedRows:
    """Appends rows to a write-only sheet, each as tall as its wrapped text needs.

    A cell counts as wrapped when its alignment says so; its width is its
    column's, or the merged columns' together.
    """

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet
        self.written = 0

    def width(self, column: int) -> float:
        return self.sheet.column_dimensions[get_column_letter(column)].width or DEFAULT_WIDTH

    def append(self, cells: Sequence[Any], spans: dict[int, int] | None = None) -> int:
        """Append one row; its number.  ``spans`` merges cells: first column -> last."""
        self.written += 1
        widths = {}
        for first, last in (spans or {}).items():
            self.sheet.merged_cells.add(
                f"{get_column_letter(first)}{self.written}:{get_column_letter(last)}{self.written}")
            widths[first] = sum(self.width(column) for column in range(first, last + 1))
        styled = [(column, cell) for column, cell in enumerate(cells, start=1)
                  if isinstance(cell, Cell)]
        wrapped = [(cell.value, widths.get(column) or self.width(column)) for column, cell in styled
                   if isinstance(cell.value, str) and cell.alignment.wrap_text]
        font_points = max((cell.font.sz or DEFAULT_FONT_POINTS for _column, cell in styled),
                          default=DEFAULT_FONT_POINTS)
        height = row_height(wrapped, font_points)
        if height is not None:
            self.sheet.row_dimensions[self.written].height = height
        self.sheet.append(cells)
        return self.written


def fit_headings(widths: Sequence[float], headings: Sequence[str]) -> list[float]:
    """Each column widened, if need be, to hold its heading's longest word: headings
    wrap between words, never inside one ("Gwasgariad", not "Gwasgar" over "iad").

    >>> fit_headings([8, 8], ["Gwasgariad neu fwlch", "Sgôr"])
    [12.0, 8]
    """
    return [max(width, max((len(word) for word in heading.split()), default=0)
                * BOLD_CHARACTER_UNITS + 2)
            for width, heading in zip(widths, headings, strict=False)] + list(widths[len(headings):])


def new_sheet(workbook: Workbook, title: str, widths: Sequence[float], header_row: int = 1,
              freeze: str | None = "A2", presentation: bool = False) -> Any:
    """A write-only sheet with column widths, a frozen header and landscape A4 printing
    that fits the page width (as many pages down as needed), header repeated, no
    gridlines on paper.  A ``presentation`` sheet, one shown on a projector, has
    no gridlines on screen either."""
    sheet = workbook.create_sheet(title)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    if freeze:
        sheet.freeze_panes = freeze
    sheet.sheet_view.showGridLines = not presentation
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = False
    sheet.page_margins = MARGINS
    sheet.print_title_rows = f"{header_row}:{header_row}"
    return sheet


def add_footer(sheet: Any, round_name: str) -> None:
    """The round's name on the left of every printed page, "Page 1 of 3" on the right."""
    pages = _("Page %(page)s of %(pages)s", page="&P", pages="&N")
    room = MAX_FOOTER_CHARACTERS - len(pages) - 10
    # "&" starts a code in a header or footer: a name's own ampersands are doubled.
    name = clean_text(round_name)[:room // 2].replace("&", "&&")
    sheet.oddFooter.left.text = name
    sheet.oddFooter.right.text = pages


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
    """Text wrapped in its cell (styled through the cache: a sheet may hold thousands)."""
    return wrap(text_cell(sheet, value, {}))
