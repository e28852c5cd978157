"""The Peers sheet: where the organisation sits in each benchmark group the round
contributes to (docs/benchmarks.md).  Written only when the round is in a group.

Each group has its name, a sentence, then a table of dimensions and one of questions:
the round's score, its position, how many organisations score below it, and the
group's lowest, quartiles, median and highest.  No other organisation is named.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from openpyxl.workbook import Workbook

from ..cells import text_cell
from ..peer_words import PeerGroup, PeerRow, peer_head
from .content import WorkbookContent
from .layout import TITLE_STYLE, FittedRows, fit_headings, header, new_sheet, score, wrapped
from .styles import ruled

#: The dimension or question, the score, the position, organisations below, five figures.
WIDTHS = (44, 9, 22, 14, 9, 10, 9, 10, 9)


def add_peers(workbook: Workbook, content: WorkbookContent) -> None:
    """The Peers sheet, when the round contributes to a benchmark group."""
    if not content.peers:
        return
    headings = [_("Dimension or question"), *peer_head()]
    sheet = new_sheet(workbook, "Peers", fit_headings(WIDTHS, headings), freeze=None)
    rows = FittedRows(sheet)
    rows.append([text_cell(sheet, _("Compared with peers"), TITLE_STYLE)])
    for group in content.peers:
        _group(sheet, rows, group)


def _group(sheet: Any, rows: FittedRows, group: PeerGroup) -> None:
    rows.append([])
    rows.append([text_cell(sheet, group.name, TITLE_STYLE)])
    rows.append([wrapped(sheet, group.summary)], spans={1: len(WIDTHS)})
    for heading, found in ((_("Dimension"), group.dimensions), (_("Question"), group.questions)):
        if not found:
            continue
        rows.append(header(sheet, [heading, *peer_head()]))
        for row in found:
            rows.append(ruled(sheet, _cells(sheet, row)))


def _cells(sheet: Any, row: PeerRow) -> list[Any]:
    return [wrapped(sheet, row.label), score(sheet, row.score), wrapped(sheet, row.position),
            wrapped(sheet, row.below), *(score(sheet, figure) for figure in row.figures)]
