"""The Gaps sheet: every flag, with the level descriptors at its two ends, so a
workshop can argue about what the two ends actually do.

The flags are worked out once, by :func:`assessment.flags.explain_flags` (as
the dashboard lists them); this sheet lays them out one row each.  For a
question, the descriptors are the question's own; for a dimension, the scale's
level names and meanings.  Targets without a score yet are left out.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from openpyxl.workbook import Workbook

from ..flags import End, Flag, Wording, explain_flags
from .content import WorkbookContent
from .layout import (
    FittedRows,
    fit_headings,
    header,
    new_sheet,
    score,
    wrapped,
)
from .naming import Names
from .styles import coloured, ruled

#: Flag, dimension, question (id and text), spread, standard deviation, then each end:
#: who, score, level, what the level means.  Narrow enough to print at a readable size.
WIDTHS = (16, 12, 14, 28, 8, 10, 14, 6, 6, 28, 14, 6, 6, 28)


def flag_title(flag: Flag) -> str:
    """What kind of flag a row is, as its first cell says."""
    return {
        "dimension": _("Departments differ on this dimension"),
        "question": _("Departments differ on this question"),
        "behind": _("Department behind the others"),
        "ahead": _("Department ahead of the others"),
        "within_department": _("Respondents of one department disagree"),
        "target": _("Gap to the target"),
    }[flag.kind]


def gap_flags(content: WorkbookContent) -> list[Flag]:
    """The flags the sheet lists: every one, except targets not yet scored."""
    flags = explain_flags(content.results, Wording(content.bank, content.language))
    return [f for f in flags if not (f.kind == "target" and f.size is None)]


def add_gaps(workbook: Workbook, content: WorkbookContent, names: Names) -> None:
    dimension_names = dict(content.dimension_names())
    bank, language = content.bank, content.language
    headings = [
        _("Flag"), _("Dimension"), _("Question ID"), _("Question"), _("Spread or gap"),
        _("Standard deviation"), _("Lower"), _("Score"), _("Level"), _("What the lower level means"),
        _("Higher"), _("Score"), _("Level"), _("What the higher level means"),
    ]
    sheet = new_sheet(workbook, "Gaps", fit_headings(WIDTHS, headings), freeze="B2",
                      presentation=True)
    rows = FittedRows(sheet)
    rows.append(header(sheet, headings))
    for flag in gap_flags(content):
        question = bank.question(flag.question_id).text.get(language) if flag.question_id else None
        rows.append(ruled(sheet, [
            wrapped(sheet, flag_title(flag)), wrapped(sheet, dimension_names[flag.dimension]),
            wrapped(sheet, flag.question_id), wrapped(sheet, question),
            score(sheet, flag.shown_size), score(sheet, flag.std_dev),
            *_end_cells(sheet, flag.lower, names), *_end_cells(sheet, flag.higher, names),
        ]))


def _end_cells(sheet: Any, end: End, names: Names) -> list[Any]:
    return [wrapped(sheet, end.label(names.department)), score(sheet, end.score),
            coloured(sheet, end.level, end.level), wrapped(sheet, end.meaning)]
