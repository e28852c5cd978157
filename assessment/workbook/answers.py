"""The Answers sheet: one row per submitted answer, as an Excel table with filters.

Written row by row from a generator, so a round of 400,000 answers never
holds more than one row in memory (see benchmarks/workbook_bench.py).
Question texts, answer labels and names are worked out once, not per row.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from operator import itemgetter
from typing import Any

from flask_babel import gettext as _
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from ..core.answers import DONT_KNOW, NOT_APPLICABLE
from .content import AnswerRecord, WorkbookContent, WorkbookOptions
from .layout import FittedRows, fit_headings, header, new_sheet, text
from .naming import Names

TABLE_NAME = "AnswersTable"
#: Columns left out of an anonymised workbook, and of one without comments.
_NAMES_ONLY = ("directorate",)
_NOTES = ("comment", "evidence", "challenge_note", "challenge_reply")
#: How often, in rows, :func:`add_answers` reports its progress.
PROGRESS_EVERY = 5_000


def _columns() -> list[tuple[str, str, float]]:
    """(key, heading, width) of every column, in order (headings translated now)."""
    return [
        ("department", _("Department"), 28), ("directorate", _("Directorate"), 18),
        ("respondent", _("Respondent"), 22), ("dimension", _("Dimension"), 16),
        ("question_id", _("Question ID"), 22), ("question", _("Question"), 50),
        ("answer", _("Answer"), 16), ("level", _("Level"), 8), ("comment", _("Comment"), 50),
        ("evidence", _("Evidence"), 40), ("challenged", _("Challenged"), 12),
        ("challenge_note", _("Challenge note"), 40),
        ("challenge_state", _("Challenge state"), 18), ("challenge_reply", _("Challenge reply"), 40),
    ]


class _Rows:
    """Turns answer records into sheet rows, working out once what repeats."""

    def __init__(self, sheet: Any, content: WorkbookContent, names: Names) -> None:
        self.sheet, self.names = sheet, names
        bank, language = content.bank, content.language
        self.questions = {
            q.id: (text(sheet, bank.dimension(q.dimension).name.get(language)),
                   text(sheet, q.id), text(sheet, q.text.get(language)))
            for q in bank.questions
        }
        self.answers: dict[str, tuple[str, int | None]] = {
            str(lv.level): (f"{lv.level} {lv.name.get(language)}", lv.level) for lv in bank.scale
        }
        self.answers[DONT_KNOW] = (_("Don't know"), None)
        self.answers[NOT_APPLICABLE] = (_("Not applicable"), None)
        self.yes_no = (_("No"), _("Yes"))
        self.states = {None: None, "open": _("Waiting for the respondent"),
                       "kept": _("Answer kept"), "changed": _("Answer changed"),
                       "resolved": _("Resolved")}
        self._people: dict[tuple[str, str], tuple[Any, Any, Any]] = {}

    def _who(self, record: AnswerRecord) -> tuple[Any, Any, Any]:
        """Department, directorate and respondent cells, made once per respondent."""
        key = (record.department, record.respondent)
        if key not in self._people:
            self._people[key] = (text(self.sheet, self.names.department(record.department)),
                                 text(self.sheet, record.directorate),
                                 text(self.sheet, self.names.respondent(*key)))
        return self._people[key]

    def row(self, record: AnswerRecord) -> tuple[Any, ...]:
        """Every column of :func:`_columns` for one answer."""
        sheet = self.sheet
        return (*self._who(record), *self.questions[record.question_id],
                *self.answers[record.value], text(sheet, record.comment),
                text(sheet, record.evidence), self.yes_no[bool(record.challenged)],
                text(sheet, record.challenge_note), self.states.get(record.challenge_state),
                text(sheet, record.challenge_reply))


def add_answers(workbook: Workbook, content: WorkbookContent, names: Names,
                options: WorkbookOptions, progress: Callable[[int], None] | None = None) -> int:
    """Write the sheet and its table; the number of answer rows written.

    ``progress``, if given, is called with the rows written so far every
    :data:`PROGRESS_EVERY` rows (a background export shows it).
    """
    left_out = (_NAMES_ONLY if options.anonymise else ()) + (_NOTES if options.no_comments else ())
    columns = [(i, heading, width) for i, (key, heading, width) in enumerate(_columns())
               if key not in left_out]
    headings = [heading for _i, heading, _width in columns]
    sheet = new_sheet(workbook, "Answers",
                      fit_headings([width for _i, _heading, width in columns], headings))
    FittedRows(sheet).append(header(sheet, headings))  # answer rows: one line each, streamed
    keep = itemgetter(*(i for i, _heading, _width in columns))
    rows = _Rows(sheet, content, names)
    count = 0
    for record in content.answers:
        sheet.append(keep(rows.row(record)))
        count += 1
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
    _add_table(sheet, headings, count)
    return count


def _add_table(sheet: Any, headings: list[str], count: int) -> None:
    """An Excel table over the rows (one empty data row when there are none)."""
    ref = f"A1:{get_column_letter(len(headings))}{max(count, 1) + 1}"
    table = Table(displayName=TABLE_NAME, ref=ref, autoFilter=AutoFilter(ref=ref))
    table.tableColumns = [TableColumn(id=i, name=h) for i, h in enumerate(headings, start=1)]
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    with warnings.catch_warnings():
        # openpyxl warns that write-only tables need their columns set by hand: they are.
        warnings.filterwarnings("ignore", message="In write-only mode you must add table columns")
        sheet.add_table(table)
