"""Reading an uploaded CSV or XLSX file one row at a time, within limits.

A CSV is UTF-8 (with or without the byte-order mark Excel writes).  An XLSX
is read with openpyxl in read-only mode, row by row: its "Answers" sheet (or
first sheet) in the import format, or every questionnaire sheet of a
filled-in offline questionnaire (:mod:`.questionnaire`).  Rows past the row
limit, rows wider than the column limit and values longer than the field
limit stop the reading at once with a problem naming the row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from flask_babel import lazy_gettext as _l

from ..cells import csv_value
from .limits import NO_LIMITS, Limits, file_kind, not_xlsx, too_many_rows
from .questionnaire import answer_codes, questionnaire_rows, questionnaire_sheets
from .rows import ImportInvalid, Row, Upload, at

#: How often (in rows) reading reports its progress.
PROGRESS_EVERY = 10_000


def read_upload(filename: str, content: bytes | BinaryIO, limits: Limits | None = None,
                progress: Callable[[int], None] | None = None) -> Upload:
    """The rows of a CSV or XLSX file, header first, as they are read.

    ``limits`` default to none (the command line); the web pages pass the
    app's.  ``progress`` is called with the number of rows read so far, every
    :data:`PROGRESS_EVERY` rows.  Problems raise :class:`ImportInvalid`, as
    the rows are read.  ``content`` is the file's bytes or an open binary
    file: either is decoded as it is read, never held as one string.
    """
    limits = limits or NO_LIMITS
    stream = io.BytesIO(content) if isinstance(content, bytes) else content
    reader = _csv_rows if file_kind(filename) == "csv" else _xlsx_rows
    rows = reader(stream, limits)
    return Upload(_within_limits(rows, limits, progress))


def _within_limits(rows: Iterator[Row], limits: Limits,
                   progress: Callable[[int], None] | None) -> Iterator[Row]:
    for count, row in enumerate(rows, start=1):
        if count > limits.rows:
            raise too_many_rows(limits)
        while row.cells and not row.cells[-1]:
            row.cells.pop()  # spreadsheets pad rows with empty cells
        if len(row.cells) > limits.columns:
            raise ImportInvalid([at(row, _l("it has more than %(limit)d columns",
                                            limit=limits.columns))])
        if any(len(cell) > limits.field_characters for cell in row.cells):
            raise ImportInvalid([field_too_long(row.number, row.sheet, limits)])
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
        yield row


def field_too_long(number: int, sheet: str | None, limits: Limits) -> Any:
    return at(Row([], number, sheet), _l("a value is longer than %(limit)s characters",
                                         limit=f"{limits.field_characters:,}"))


def _not_utf8() -> ImportInvalid:
    return ImportInvalid([_l("The file is not UTF-8 text: save it as 'CSV UTF-8'.")])


def _csv_rows(stream: BinaryIO, limits: Limits) -> Iterator[Row]:
    # Decoded as read; the caller's stream is left open (detached), the caller's to close.
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        yield from _csv_text_rows(text, limits)
    finally:
        text.detach()


def _csv_text_rows(text: io.TextIOWrapper, limits: Limits) -> Iterator[Row]:
    # strict: a broken quotation is a problem named by row, not rows run together.
    reader = csv.reader(text, strict=True)
    number = 0
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError:
            raise _not_utf8() from None
        except csv.Error as error:
            # The csv module refuses a field over 131,072 characters: that is
            # a value over our own, lower, limit.
            if "field larger than field limit" in str(error):
                raise ImportInvalid([field_too_long(number, None, limits)]) from None
            raise ImportInvalid([at(Row([], number), _l(
                "it could not be read as CSV: check its quotation marks"))]) from None
        # csv_value drops the apostrophe our CSV export puts before formula-like text.
        yield Row([csv_value(cell) for cell in cells], number)


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text a person sees (3.0 -> "3", None -> "")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_rows(stream: BinaryIO, limits: Limits) -> Iterator[Row]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a damaged file
        raise not_xlsx() from None
    try:
        sheets = questionnaire_sheets(workbook, cell_text)
        if sheets:
            yield from questionnaire_rows(sheets, cell_text, limits.rows,
                                          answer_codes(workbook, cell_text))
            return
        sheet = workbook["Answers"] if "Answers" in workbook.sheetnames else workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield Row([cell_text(value) for value in values], number)
    except ImportInvalid:
        raise
    except Exception:  # a part that is damaged further in
        raise not_xlsx() from None
    finally:
        workbook.close()
