"""Big import files for the upload benchmark and tests/test_big_uploads.py.

Written directly (the XLSX as its XML parts straight into the zip), not cell
by cell through openpyxl: its write-only mode takes minutes for a million
rows on a busy machine, this takes seconds.
"""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

HEADER = ["department", "respondent", "question_id", "answer", "comment", "evidence", "directorate"]
#: Respondents per department in the generated files.
RESPONDENTS = 5

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_XML = '<?xml version="1.0" encoding="UTF-8"?>'
PARTS = {
    "[Content_Types].xml": (
        f'{_XML}<Types xmlns="{_TYPES}"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
        '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/></Types>'),
    "_rels/.rels": (
        f'{_XML}<Relationships xmlns="{_RELS}"><Relationship Id="rId1" Type="{_DOC_RELS}/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_DOC_RELS}"><sheets><sheet name="Answers" '
        'sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        f'{_XML}<Relationships xmlns="{_RELS}"><Relationship Id="rId1" Type="{_DOC_RELS}/'
        'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
}


def answer_row(number: int, questions: list[str]) -> list[str]:
    """Row ``number`` (from 0): every question of each respondent in turn, answered 3."""
    respondent, question = divmod(number, len(questions))
    department, person = divmod(respondent, RESPONDENTS)
    return [f"Department {department}", f"Respondent {person}", questions[question], "3", "", "", ""]


def _cells(values: list[str]) -> str:
    return "".join(f'<c t="inlineStr"><is><t>{value}</t></is></c>' for value in values if value)


def write_big_xlsx(path: Path, rows: int, questions: list[str]) -> None:
    """An XLSX of a header and ``rows`` answer rows; its sheet declares its size
    (``<dimension>``), as spreadsheet programs write it."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'{_XML}<worksheet xmlns="{_MAIN}"><dimension ref="A1:G{rows + 1}"/>'
                        f"<sheetData><row>{_cells(HEADER)}</row>".encode())
            chunk = []
            for number in range(rows):
                chunk.append(f"<row>{_cells(answer_row(number, questions))}</row>")
                if len(chunk) == 10_000:
                    sheet.write("".join(chunk).encode())
                    chunk = []
            sheet.write(("".join(chunk) + "</sheetData></worksheet>").encode())


def write_big_csv(path: Path, rows: int, questions: list[str]) -> None:
    """A CSV of a header and ``rows`` answer rows."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(answer_row(number, questions) for number in range(rows))
