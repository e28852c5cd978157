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
from .layout import header, new_sheet, score, text, wrapped
from .naming import Names


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
    sheet = new_sheet(workbook, "Gaps", (28, 18, 20, 40, 10, 10,
                                         24, 9, 8, 40, 24, 9, 8, 40), freeze="B2")
    sheet.append(header(sheet, [
        _("Flag"), _("Dimension"), _("Question ID"), _("Question"), _("Spread or gap"),
        _("Standard deviation"), _("Lower"), _("Score"), _("Level"), _("What the lower level means"),
        _("Higher"), _("Score"), _("Level"), _("What the higher level means"),
    ]))
    for flag in gap_flags(content):
        question = bank.question(flag.question_id).text.get(language) if flag.question_id else None
        sheet.append([
            wrapped(sheet, flag_title(flag)), text(sheet, dimension_names[flag.dimension]),
            text(sheet, flag.question_id), wrapped(sheet, question),
            # Spreads, gaps and scores as shown (layout.score): each end's level sits beside it.
            score(sheet, flag.shown_size), score(sheet, flag.std_dev),
            *_end_cells(sheet, flag.lower, names), *_end_cells(sheet, flag.higher, names),
        ])


def _end_cells(sheet: Any, end: End, names: Names) -> list[Any]:
    return [wrapped(sheet, end.label(names.department)), score(sheet, end.score), end.level,
            wrapped(sheet, end.meaning)]
