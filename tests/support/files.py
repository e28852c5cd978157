"""Files: CSV made from rows, and xlsx workbooks read back."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator

from openpyxl import load_workbook
from openpyxl.workbook import Workbook


def csv_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def open_xlsx(content: bytes) -> Workbook:
    return load_workbook(io.BytesIO(content))


def every_cell(workbook: Workbook) -> Iterator[object]:
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            yield from row


def zip_texts(content: bytes) -> dict[str, str]:
    """Every XML part of an xlsx (cells, charts, drawings, properties) as text."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()
                if name.endswith((".xml", ".rels"))}
