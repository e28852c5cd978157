"""The offline questionnaire's layout, shared by its writer
(:mod:`assessment.services.offline_template`) and the reader below.

A questionnaire sheet holds one respondent's answers::

    row 1   title
    row 2   Department              (name in column C: filled in, or printed)
    row 3   Directorate (optional)  (column C)
    row 4   Your name               (column C)
    row 5   How to fill it in       (column C)
    row 7   question_id | dimension | question | answer | comment | evidence | level 1 ... level 5
    row 8+  one row per question, the five level descriptors beside it

A workbook may hold several questionnaire sheets: one per department, or
copies of a sheet for more people; every sheet whose row 7 starts with these
column names is read, and blank copies are skipped.

A questionnaire in another language (Welsh) shows translated headings and
translated answers in its drop-down ("Nid wyf yn gwybod" for ``dont_know``).
Its hidden sheet :data:`CODES_SHEET` lists each label shown beside its import
code, so the file reads back to the same codes whatever language wrote it::

    row 1   label | code
    row 2+  1 | 1 ... Nid wyf yn gwybod | dont_know, Amherthnasol | not_applicable,
            then each heading beside its column name (ID y cwestiwn | question_id ...)

The codes themselves are always accepted, so a label typed over with a code imports too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from .limits import Limits, too_many_rows
from .rows import ALL_COLUMNS, Row

FIELD_ROWS = {"department": 2, "directorate": 3, "respondent": 4}
HEADER_ROW = 7
COLUMNS = ("question_id", "dimension", "question", "answer", "comment", "evidence")
#: The hidden sheet of labels and their import codes (its title is never translated).
CODES_SHEET = "answer_codes"

#: A shown label (folded by :func:`label_key`) -> its import code.
Codes = dict[str, str]
_ANSWER, _COMMENT, _EVIDENCE = (COLUMNS.index(c) for c in ("answer", "comment", "evidence"))

CellText = Callable[[Any], str]


def is_questionnaire(header_row: Sequence[str]) -> bool:
    """True for the header row (row 7) of a questionnaire sheet."""
    return tuple(cell.strip().lower() for cell in header_row[:len(COLUMNS)]) == COLUMNS


def label_key(label: str) -> str:
    return " ".join(label.split()).casefold()


def answer_codes(workbook: Any, cell_text: CellText) -> Codes:
    """The labels of the hidden :data:`CODES_SHEET` and their codes ({} if there is none)."""
    if CODES_SHEET not in workbook.sheetnames:
        return {}
    codes: Codes = {}
    for values in workbook[CODES_SHEET].iter_rows(min_row=2, max_col=2, values_only=True):
        label, code = (cell_text(value) for value in (*values, None, None)[:2])
        if label.strip() and code.strip():
            codes[label_key(label)] = code.strip()
    return codes


def coded(text: str, codes: Codes) -> str:
    """The import code of a shown label; any other text as it is."""
    return codes.get(label_key(text), text) if text.strip() else text


def questionnaire_sheets(workbook: Any, cell_text: CellText) -> list[Any]:
    """The questionnaire sheets of an open read-only workbook (only their first rows are read)."""
    codes = answer_codes(workbook, cell_text)
    found = []
    for sheet in workbook.worksheets:
        header = next(sheet.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW, values_only=True), ())
        if is_questionnaire([coded(cell_text(cell), codes) for cell in header]):
            found.append(sheet)
    return found


def questionnaire_rows(sheets: list[Any], cell_text: CellText, max_rows: int,
                       codes: Codes | None = None) -> Iterator[Row]:
    """Import rows (header first) from questionnaire sheets, each named by sheet and row.

    A sheet is read whole before its rows are given (a blank copy gives none),
    so a sheet longer than ``max_rows`` stops with too many rows.
    """
    yield Row(list(ALL_COLUMNS), 1)
    for sheet in sheets:
        rows = []
        for values in sheet.iter_rows(values_only=True):
            if len(rows) >= max_rows:
                raise too_many_rows(Limits(rows=max_rows))
            rows.append([cell_text(value) for value in values])
        for number, record in _sheet_records(rows, codes or {}):
            yield Row([record.get(column, "") for column in ALL_COLUMNS], number, sheet.title)


def _field(rows: list[list[str]], name: str) -> str:
    row = rows[FIELD_ROWS[name] - 1] if len(rows) >= FIELD_ROWS[name] else []
    return next((cell for cell in row[1:4] if cell.strip()), "")


def _sheet_records(rows: list[list[str]], codes: Codes) -> list[tuple[int, dict[str, str]]]:
    """(sheet row number, import record) for each question row; [] for a blank copy."""
    fields = {name: _field(rows, name) for name in FIELD_ROWS}
    records = []
    for number, row in enumerate(rows[HEADER_ROW:], start=HEADER_ROW + 1):
        row = [*row, *[""] * len(COLUMNS)]
        if not row[0].strip():
            continue
        records.append((number, {**fields, "question_id": row[0], "answer": coded(row[_ANSWER], codes),
                                 "comment": row[_COMMENT], "evidence": row[_EVIDENCE]}))
    filled = fields["respondent"].strip() or any(
        r["answer"].strip() or r["comment"].strip() or r["evidence"].strip() for _n, r in records)
    return records if filled else []
