"""The Summary sheet: organisation scores, the scale, and two radar charts.

The native chart (openpyxl's RadarChart) reads the score table on the sheet,
so a trainer can restyle it in Excel; the picture beside it is the app's
own chart (assessment.charts), as the dashboard shows it.  Neither names a
department.
"""

from __future__ import annotations

import io
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from openpyxl.chart import RadarChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.drawing.image import Image
from openpyxl.workbook import Workbook
from openpyxl.worksheet.pagebreak import Break

from ..cells import text_cell
from ..core.scoring import level_reached
from ..flags import shown_difference
from .content import WorkbookContent
from .layout import (
    TITLE_STYLE,
    FittedRows,
    fit_headings,
    header,
    new_sheet,
    number,
    text,
    wrapped,
)
from .layout import score as score_cell
from .styles import coloured, ruled

HEADER_ROW = 4
SCORE_COLUMN, TARGET_COLUMN = 2, 6
CHART_SIZE_CM = (13.0, 11.0)
PICTURE_WIDTH_PX = 470
#: Wide enough for every heading in one or two whole words.
WIDTHS = (30, 14, 10, 10, 10, 10, 10, 10, 16)


def add_summary(workbook: Workbook, content: WorkbookContent) -> None:
    bank, organisation = content.bank, content.results.organisation
    dimensions = content.dimension_names()
    # On paper each page repeats the title (the charts' page would make no sense of the
    # table's header); on screen the table's header stays in view.
    headings = [
        _("Dimension"), _("Organisation score"), _("Median"), _("Lowest"), _("Highest"),
        _("Target"), _("Gap to target"), _("Level reached"), _("Level name"),
    ]
    sheet = new_sheet(workbook, "Summary", fit_headings(WIDTHS, headings), header_row=1,
                      freeze=f"A{HEADER_ROW + 1}", presentation=True)
    rows = FittedRows(sheet)
    title = _("%(round)s: workshop workbook", round=content.round_name)
    rows.append([text_cell(sheet, title, TITLE_STYLE)])
    rows.append([wrapped(sheet, " ".join((
        _("Question bank %(bank)s, version %(version)s.", bank=bank.id, version=bank.version),
        ngettext("%(num)d department scored.", "%(num)d departments scored.",
                 organisation.departments_scored),
        _("The organisation score of a dimension is the mean of department scores; the level "
          "reached is the whole level at or below the score."),
    )))], spans={1: len(WIDTHS)})
    rows.append([])
    rows.append(header(sheet, headings))
    for key, name in dimensions:
        rows.append(_dimension_row(sheet, content, key, name))
    rows.append([])
    last_row = _add_scale(sheet, rows, content)
    charts_row = last_row + 2
    sheet.row_breaks.append(Break(id=charts_row - 1))  # the charts start a page: never split
    sheet.add_chart(_radar(sheet, content), f"A{charts_row}")
    if content.chart_png:
        sheet.add_image(_picture(content.chart_png), f"F{charts_row}")


def _add_scale(sheet: Any, rows: FittedRows, content: WorkbookContent) -> int:
    """The scale, each level in its heatmap colours (so it is the heatmap's key) beside
    its meaning across the table's width; the last row's number."""
    last = rows.append([*header(sheet, [_("Level"), _("What it means")]),
                        *header(sheet, [""] * (len(WIDTHS) - 2))], spans={2: len(WIDTHS)})
    for level in content.bank.scale:
        name = coloured(sheet, text(sheet, f"{level.level} {level.name.get(content.language)}"),
                        level.level)
        last = rows.append(ruled(sheet, [name, wrapped(sheet, level.meaning.get(content.language)),
                                         *[None] * (len(WIDTHS) - 2)]), spans={2: len(WIDTHS)})
    return last


def _dimension_row(sheet: Any, content: WorkbookContent, key: str, name: str) -> list[Any]:
    organisation, results = content.results.organisation, content.results
    score = organisation.scores[key]
    level = level_reached(score)
    level_name = None if level is None else content.bank.level_name(level).get(content.language)
    return ruled(sheet, [
        text(sheet, name),
        # Scores as shown (layout.score): the level name sits on the same row.
        score_cell(sheet, score),
        score_cell(sheet, organisation.median[key]),
        score_cell(sheet, organisation.min[key]),
        score_cell(sheet, organisation.max[key]),
        number(sheet, results.targets.get(key)),
        number(sheet, shown_difference(results.targets.get(key), score)),
        coloured(sheet, level, level),
        coloured(sheet, text(sheet, level_name), level),
    ])


def _radar(sheet: Any, content: WorkbookContent) -> RadarChart:
    """A native, editable radar of the organisation score (and targets, if set)."""
    count = len(content.bank.dimensions)
    chart = RadarChart()
    chart.type = "marker"
    chart.title = _("Organisation scores by dimension")
    chart.width, chart.height = CHART_SIZE_CM
    columns = [SCORE_COLUMN]
    if content.results.targets:
        columns.append(TARGET_COLUMN)
    for column in columns:
        data = Reference(sheet, min_col=column, min_row=HEADER_ROW, max_row=HEADER_ROW + count)
        chart.add_data(data, titles_from_data=True)
    # Dimension names are text: a string reference, so Excel shows them on the spokes.
    names = Reference(sheet, min_col=1, min_row=HEADER_ROW + 1, max_row=HEADER_ROW + count)
    for series, symbol in zip(chart.series, ("circle", "square"), strict=False):
        series.cat = AxDataSource(strRef=StrRef(f=str(names)))
        series.marker.symbol, series.marker.size = symbol, 7
    if len(chart.series) > 1:  # the target: dashed, so it differs by more than colour
        chart.series[1].graphicalProperties.line.dashStyle = "dash"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 5
    chart.y_axis.majorUnit = 1
    chart.y_axis.number_format = "0"
    chart.y_axis.delete = False
    chart.legend.position = "b"
    return chart


def _picture(png: bytes) -> Image:
    picture = Image(io.BytesIO(png))
    scale = PICTURE_WIDTH_PX / picture.width
    picture.width, picture.height = PICTURE_WIDTH_PX, round(picture.height * scale)
    return picture
