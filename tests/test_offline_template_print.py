"""The offline questionnaire on paper (issue 10, item 3): A4 portrait, one readable row per
question with its level descriptors whole, headings in the respondent's language, and the
import codes (column A, the English row of column names) hidden but still read on import."""

from __future__ import annotations

import io
import re
from pathlib import Path

from openpyxl import load_workbook

from assessment.import_format.questionnaire import HEADER_ROW, HIDDEN_COLUMNS, SHOWN_HEADER_ROW

from .support.ci import skip_or_fail_in_ci
from .support.pdf import PDFTOTEXT, missing_texts, overprinted, pdf_plain_text
from .support.people import signed_in_client
from .test_libreoffice import convert_to_pdf, soffice_installed  # noqa: F401 (autouse fixture)

#: A4 in points (595.3 x 841.9), with a point of slack for rounding.
A4_POINTS = (595.3, 841.9)
_MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*([\d.\s-]+)\]")


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    sizes = []
    for box in _MEDIA_BOX.findall(pdf.read_bytes()):
        left, bottom, right, top = (float(n) for n in box.split())
        sizes.append((right - left, top - bottom))
    return sizes


def templates(app, round_id: int) -> dict[str, bytes]:
    """The blank questionnaire in English and in Welsh, downloaded by one signed-in user."""
    client = signed_in_client(app, "trainer")
    found = {}
    for language in ("en", "cy"):
        response = client.get(f"/rounds/{round_id}/template.xlsx?sheets=blank&lang={language}")
        assert response.status_code == 200, language
        found[language] = response.data
    return found


def descriptors(app, language: str) -> list[str]:
    bank = app.extensions["question_bank"]
    return [d.get(language) for question in bank.questions for d in question.descriptors]


def test_the_questionnaire_sheets_are_set_up_for_a4_portrait(app, survey_round):
    for language, content in templates(app, survey_round).items():
        workbook = load_workbook(io.BytesIO(content))
        sheet = workbook.worksheets[0]
        setup = sheet.page_setup
        assert (setup.orientation, setup.paperSize) == ("portrait", int(sheet.PAPERSIZE_A4)), language
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert not sheet.print_options.gridLines and not sheet.sheet_view.showGridLines
        assert "&P" in sheet.oddFooter.right.text and sheet.oddFooter.left.text
        assert all(sheet.column_dimensions[column].hidden for column in HIDDEN_COLUMNS)
        first_question = HEADER_ROW + 1
        assert sheet.row_dimensions[first_question].height  # fitted to its wrapped descriptors
        if language == "en":
            assert sheet.print_title_rows == f"${SHOWN_HEADER_ROW}:${HEADER_ROW}"
            assert sheet.row_dimensions[HEADER_ROW].hidden  # the import's column names
            assert sheet.cell(SHOWN_HEADER_ROW, 2).value == "Dimension"
        else:
            assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
            assert sheet.cell(HEADER_ROW, 2).value == "Dimensiwn"


def test_the_questionnaire_prints_every_descriptor_whole_on_portrait_a4(app, tmp_path, survey_round):
    files = []
    for language, content in templates(app, survey_round).items():
        xlsx = tmp_path / f"questionnaire-{language}.xlsx"
        xlsx.write_bytes(content)
        files.append(xlsx)
    pdfs = dict(zip(("en", "cy"), convert_to_pdf(files, tmp_path), strict=True))
    for language, pdf in pdfs.items():
        sizes = page_sizes(pdf)
        assert sizes, language
        for width, height in sizes:
            assert width < height, f"{language}: a landscape page {width} x {height}"
            assert abs(width - A4_POINTS[0]) < 1 and abs(height - A4_POINTS[1]) < 1, language
    if PDFTOTEXT is None:
        skip_or_fail_in_ci("poppler-utils' pdftotext is not installed: the printed text is not read")
    for language, pdf in pdfs.items():
        assert missing_texts(pdf, descriptors(app, language)) == [], language
        assert overprinted(pdf) == [], language
        printed = pdf_plain_text(pdf)
        assert "question_id" not in printed, language
        # "dont_know" is no heading: it is printed only in the sentence on how to fill it in.
        assert printed.count("dont_know") <= 1, language
