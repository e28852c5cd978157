"""The workshop workbook on paper and on a projector: rows as tall as their wrapped
text, whole headings, print set-up on every sheet, the web heatmap's colours.

(What LibreOffice actually prints is checked in tests/test_libreoffice.py.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl.cell.cell import MergedCell
from openpyxl.utils import get_column_letter

from assessment.services import demo
from assessment.workbook import SHEETS
from assessment.workbook.layout import (
    POINTS_PER_LINE,
    fit_headings,
    lines_needed,
    row_height,
)
from assessment.workbook.styles import LEVEL_COLOURS

from .support.files import open_xlsx
from .test_workbook import export

SCSS = Path(__file__).parents[1] / "assessment" / "static" / "src" / "_results.scss"
PRESENTATION_SHEETS = ("Summary", "Heatmap", "Gaps")


# --- row heights and widths (no app) ---------------------------------------------------------


def test_lines_follow_the_words_and_the_column_width():
    sentence = "Passwords are shared by email or on paper, and people who have left may know them."
    assert lines_needed(sentence, 200) == 1
    assert lines_needed(sentence, 28) == 3
    assert lines_needed(sentence, 14) > lines_needed(sentence, 28)
    assert lines_needed("first\nsecond\n\nfourth", 200) == 4  # line breaks in the text count
    assert lines_needed("governance-account-security", 10) >= 3  # a long word is broken
    assert lines_needed("", 10) == 1


def test_a_row_is_as_tall_as_its_longest_wrapped_cell():
    long, short = "word " * 40, "a few words"
    assert row_height([(short, 30)]) is None  # one line: Excel's own height
    assert row_height([]) is None and row_height([(None, 30)]) is None
    few = row_height([(long, 80)])
    many = row_height([(short, 30), (long, 28)])
    assert few is not None and many is not None and lines_needed(long, 80) >= 2
    assert many - few == pytest.approx(
        (lines_needed(long, 28) - lines_needed(long, 80)) * POINTS_PER_LINE)
    assert row_height([(long, 28)], font_points=22) == pytest.approx(2 * many - 3)
    assert row_height([("x " * 10_000, 10)]) == 409  # Excel's tallest row


def test_headings_never_break_inside_a_word():
    assert fit_headings([8, 30, 8], ["Gwasgariad neu fwlch", "Question", "Score"]) == [12, 30, 8]
    assert fit_headings([10, 10], ["Level"]) == [10, 10]  # columns without a heading keep theirs


def test_the_palette_is_the_web_heatmaps():
    scss = SCSS.read_text(encoding="utf-8")
    block = scss[scss.index("$app-heat-colours"):scss.index(");", scss.index("$app-heat-colours"))]
    web = {int(level): (fill.upper(), text)
           for level, fill, text in re.findall(r"(\d): \(#(\w{6}), ([^)]+)\)", block)}
    assert set(web) == set(LEVEL_COLOURS) == {1, 2, 3, 4, 5}
    for level, (fill, text) in web.items():
        assert LEVEL_COLOURS[level][0] == fill
        # Dark text on the light levels, white on the dark ones, as on the web.
        assert LEVEL_COLOURS[level][1] == ("FFFFFF" if text == "#ffffff" else "0B0C0C")


# --- the exported workbook -------------------------------------------------------------------


def test_every_sheet_prints_fitted_to_the_width_with_headings_and_a_footer(
        app, runner, tmp_path, round_factory):
    workbook = open_xlsx(export(runner, round_factory.demo().round_id, tmp_path))
    assert workbook.sheetnames == list(SHEETS)
    for sheet in workbook.worksheets:
        setup = sheet.page_setup
        assert (setup.orientation, int(setup.paperSize)) == ("landscape", 9), sheet.title  # A4
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert re.fullmatch(r"\$?\d+:\$?\d+", sheet.print_title_rows), sheet.title
        assert sheet.print_options.gridLines is not True, sheet.title
        assert sheet.freeze_panes, sheet.title
        footer = sheet.oddFooter
        assert footer.left.text == demo.ROUND_NAME, sheet.title
        assert footer.right.text == "Page &P of &N", sheet.title
        assert sheet.sheet_view.showGridLines is (sheet.title not in PRESENTATION_SHEETS)


def _width(sheet, row: int, column: int) -> float:
    """A cell's width: its column's, or its merged columns' together."""
    for merged in sheet.merged_cells.ranges:
        if (merged.min_row, merged.min_col) == (row, column):
            columns = range(merged.min_col, merged.max_col + 1)
            return sum(sheet.column_dimensions[get_column_letter(c)].width for c in columns)
    return sheet.column_dimensions[get_column_letter(column)].width


def _headings(sheet, row: int) -> list[tuple[float, str]]:
    return [(_width(sheet, row, cell.column), cell.value) for cell in sheet[row]
            if not isinstance(cell, MergedCell) and isinstance(cell.value, str)]


def test_headings_are_whole_and_wrapped_rows_tall_enough(app, runner, tmp_path, round_factory):
    workbook = open_xlsx(export(runner, round_factory.demo().round_id, tmp_path))
    header_rows = {"Summary": 4}
    for sheet in workbook.worksheets:
        for width, heading in _headings(sheet, header_rows.get(sheet.title, 1)):
            assert max(len(word) for word in heading.split()) + 2 <= width, (sheet.title, heading)
    for title in ("Gaps", "Questions", "Heatmap", "Departments"):
        sheet = workbook[title]
        for row in sheet.iter_rows():
            wrapped = [(cell.value, _width(sheet, cell.row, cell.column))
                       for cell in row if isinstance(cell.value, str) and cell.alignment.wrap_text]
            needed = row_height(wrapped)
            height = sheet.row_dimensions[row[0].row].height
            assert (height is None and needed is None) or height == needed, (title, row[0].row)
    gaps = workbook["Gaps"]
    assert sum(1 for r in range(2, gaps.max_row + 1) if gaps.row_dimensions[r].height) > 5


def test_the_summary_scale_is_the_heatmaps_key_and_the_charts_start_a_page(
        app, runner, tmp_path, round_factory):
    workbook = open_xlsx(export(runner, round_factory.demo().round_id, tmp_path))
    sheet = workbook["Summary"]
    scale = [row for row in sheet.iter_rows(min_row=12) if isinstance(row[0].value, str)
             and row[0].value[:1].isdigit()]
    assert [row[0].value[0] for row in scale] == ["1", "2", "3", "4", "5"]
    for level, row in enumerate(scale, start=1):
        assert row[0].fill.fgColor.rgb == f"00{LEVEL_COLOURS[level][0]}"
        # Each meaning spans the table's width, wrapped, in a row tall enough for it.
        assert f"B{row[0].row}:I{row[0].row}" in {str(r) for r in sheet.merged_cells.ranges}
        assert row[1].alignment.wrap_text
    charts_row = scale[-1][0].row + 2
    assert [brk.id for brk in sheet.row_breaks.brk] == [charts_row - 1]
    assert sheet._charts and sheet._charts[0].anchor._from.row == charts_row - 1


def test_a_round_name_with_an_ampersand_prints_in_the_footer(app, runner, tmp_path, round_factory):
    workbook = open_xlsx(export(runner, round_factory("R&D review 2026").id, tmp_path))
    # "&" starts a footer code: doubled, it prints as itself.
    assert {sheet.oddFooter.left.text for sheet in workbook.worksheets} == {"R&&D review 2026"}
