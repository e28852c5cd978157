"""Columns, rows and problems of the import format."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from ..core.errors import AssessmentError

REQUIRED_COLUMNS = ("department", "respondent", "question_id", "answer", "comment")
#: ``department_cy`` and ``directorate_cy`` are the Welsh names, shown to Welsh readers.
OPTIONAL_COLUMNS = ("evidence", "directorate", "department_cy", "directorate_cy")
ALL_COLUMNS = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
#: Department, respondent and directorate names (English or Welsh) are at most this long.
MAX_NAME_LENGTH = 200

#: A problem with a file, shown in the reader's language (``str()`` renders it).
Problem = LazyString | str


class ImportInvalid(AssessmentError):
    """The file cannot be imported; ``problems`` lists every one."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problem(s)")

    def rendered(self, limit: int | None = None) -> list[str]:
        """The problems as text in the current language (the first ``limit``)."""
        return [str(problem) for problem in self.problems[:limit]]

    def __str__(self) -> str:
        return "\n".join(self.rendered())


@dataclass(frozen=True, slots=True)
class Row:
    """One row of a file as text, and where it came from: row ``number`` of
    the file, or of questionnaire ``sheet``."""

    cells: list[str]
    number: int
    sheet: str | None = None


@dataclass(frozen=True)
class Upload:
    """The rows of a file, header first, read one at a time (never all in memory
    by the reader)."""

    rows: Iterable[Row]


def row_name(number: int, sheet: str | None = None) -> Problem:
    """Where a row is, inside a sentence: "row 9", "sheet 'Parks', row 9"."""
    if sheet is None:
        return _l("row %(row)d", row=number)
    return _l("sheet '%(sheet)s', row %(row)d", sheet=sheet, row=number)


def at(row: Row, problem: Problem) -> Problem:
    """A problem with a row, starting with where it is: "Row 9: ..."."""
    if row.sheet is None:
        return _l("Row %(row)d: %(problem)s", row=row.number, problem=problem)
    return _l("Sheet '%(sheet)s', row %(row)d: %(problem)s", sheet=row.sheet, row=row.number,
              problem=problem)
