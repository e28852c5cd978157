"""Text that is safe in a spreadsheet: never a formula, an error value or a broken file.

Shared by the workshop workbook, the CSV export and the offline template.
Every string that came from a user (department and respondent names,
comments, question text) goes through these helpers before it reaches a cell.

- :func:`clean_text`: control characters Excel rejects removed, cut at 32,767
  characters with a visible marker.
- :func:`starts_like_formula`: text Excel would read as a formula (``=``,
  ``+``, ``-``, ``@``, tab, carriage return) or an error value (``#REF!``).
- :func:`text_cell`: a cleaned string for an openpyxl row; risky text becomes
  a string cell with the quote prefix (Excel's leading-apostrophe meaning).
- :func:`csv_field` / :func:`csv_value`: the same neutralising for CSV (a
  leading apostrophe), and its exact inverse for re-importing an export.
- :func:`sheet_title`: a valid, unique worksheet name from any text.

>>> csv_field("=HYPERLINK(1)"), csv_value(csv_field("=HYPERLINK(1)"))
("'=HYPERLINK(1)", '=HYPERLINK(1)')
>>> sheet_title("Parks / Open spaces: [north]", set())
'Parks Open spaces north'
"""

from __future__ import annotations

import re
from typing import Any

__all__ = [
    "CUT_MARKER",
    "MAX_CELL_LENGTH",
    "clean_text",
    "csv_field",
    "csv_value",
    "sheet_title",
    "starts_like_formula",
    "text_cell",
]

#: openpyxl's own rules (``openpyxl.cell.cell``), repeated so that reading an upload or
#: writing a CSV does not load openpyxl; tests/test_hostile_text.py checks they still agree.
#: Control characters a workbook cannot hold:
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
#: Text a spreadsheet shows as an error value.
ERROR_CODES = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A")
#: Excel's limit on the characters of one cell (counted in UTF-16 units).
MAX_CELL_LENGTH = 32_767
#: Ends a cut cell, so nobody mistakes it for the whole text.
CUT_MARKER = " [… cut: too long for one spreadsheet cell]"
#: Leading characters that make Excel or LibreOffice treat text as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_CSV_ESCAPED_STARTS = (*FORMULA_STARTS, "'")
MAX_SHEET_TITLE = 31
_SHEET_TITLE_FORBIDDEN = str.maketrans("", "", "[]:*?/\\")
_RESERVED_SHEET_TITLES = {"history"}


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def clean_text(text: str) -> str:
    """Remove characters a workbook cannot hold and cut text longer than a cell."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if len(text) > MAX_CELL_LENGTH // 2 and _utf16_length(text) > MAX_CELL_LENGTH:
        keep = MAX_CELL_LENGTH - len(CUT_MARKER)
        text = text[:keep]
        while _utf16_length(text) > keep:  # characters outside the BMP count twice
            text = text[:-1]
        text += CUT_MARKER
    return text


def starts_like_formula(text: str) -> bool:
    """True for text a spreadsheet would run as a formula or show as an error."""
    return text.startswith(FORMULA_STARTS) or text in ERROR_CODES


def text_cell(worksheet: Any, text: str | None, style: dict[str, Any] | None = None) -> Any:
    """A value for ``worksheet.append`` that is always stored as text (data type 's').

    Plain text is returned as a string (the fast path for big sheets); risky
    text, or text needing a style, becomes a write-only cell with the quote
    prefix, so editing it in Excel later cannot turn it into a formula either.
    """
    if text is None or text == "":
        return None if style is None else _styled(worksheet, None, style)
    text = clean_text(text)
    if not starts_like_formula(text) and style is None:
        return text
    cell = _styled(worksheet, text, style or {})
    if starts_like_formula(text):
        cell.quotePrefix = True
    return cell


def _styled(worksheet: Any, value: str | None, style: dict[str, Any]) -> Any:
    from openpyxl.cell.cell import WriteOnlyCell  # only here: see ILLEGAL_CHARACTERS_RE

    cell = WriteOnlyCell(worksheet)
    cell._value = value  # set directly: assigning would turn "=..." into a formula
    cell.data_type = "n" if value is None else "s"
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def csv_field(text: str | None) -> str:
    """A CSV field that spreadsheets show as text (a leading apostrophe if risky).

    Text already starting with an apostrophe gets one more, so that
    :func:`csv_value` gives back exactly what was exported.
    """
    text = clean_text(text or "")
    return "'" + text if text.startswith(_CSV_ESCAPED_STARTS) else text


def csv_value(field: str) -> str:
    """The inverse of :func:`csv_field`: the text a CSV field stands for.

    Like a spreadsheet, one leading apostrophe before a formula character (or
    another apostrophe) only marks the rest as text.
    """
    if field.startswith("'") and field[1:].startswith(_CSV_ESCAPED_STARTS):
        return field[1:]
    return field


def sheet_title(text: str, taken: set[str]) -> str:
    """A worksheet name made from ``text``: valid, at most 31 characters, unique.

    ``taken`` holds the names already used (compared without case, as Excel
    does); the new name is added to it.
    """
    title = ILLEGAL_CHARACTERS_RE.sub("", text).translate(_SHEET_TITLE_FORBIDDEN)
    title = " ".join(title.split()).strip("'").strip()
    title = title[:MAX_SHEET_TITLE].rstrip().rstrip("'") or "Sheet"
    if title.casefold() in _RESERVED_SHEET_TITLES:
        title = f"{title} (1)"
    candidate, number = title, 1
    while candidate.casefold() in {t.casefold() for t in taken}:
        number += 1
        suffix = f" ({number})"
        candidate = title[:MAX_SHEET_TITLE - len(suffix)].rstrip() + suffix
    taken.add(candidate)
    return candidate
