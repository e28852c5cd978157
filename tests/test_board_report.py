"""The board report as a Word document: the same organisation scores, gap sentences and
department rows as the results document (each score in the pages' own words, by the one
display rule), in English or Welsh, with charts as images and tables as Word tables;
LibreOffice converts it to PDF.  And the board report's content
on its own: notes quoting the round's thresholds, large rounds summarised.
"""

from __future__ import annotations

import io
import shutil

from docx import Document
from pypdf import PdfReader

from .support.ci import skip_or_fail_in_ci
from .support.reports import build_report, large_round, page_words, results_document

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def word_report(client, round_id: int, query: str = ""):
    response = client.get(f"/rounds/{round_id}/report.docx{query}")
    assert response.status_code == 200
    assert response.mimetype == DOCX
    assert response.headers["Content-Disposition"].startswith("attachment")
    return Document(io.BytesIO(response.data)), response.data


def table_rows(document) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]


def test_the_word_report_says_what_the_results_document_says(app, client_for, round_factory):
    round_id = round_factory.demo().round_id
    found = results_document(app, round_id)
    document, _ = word_report(client_for("lead"), round_id)
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    rows = table_rows(document)
    dimensions = found["dimensions"]
    organisation = page_words(app, round_id, [found["organisation"]["scores"][d["id"]]
                                              for d in dimensions])
    for dimension, expected in zip(dimensions, organisation, strict=True):
        assert [dimension["name"], expected] in [row[:2] for row in rows], dimension["name"]
    heat_rows = {row[0]: row[2:] for row in rows if len(row) == 2 + len(dimensions)}
    for department in found["departments"]:
        expected = page_words(app, round_id, [department["scores"][d["id"]] for d in dimensions])
        shown = [", ".join(cell.split("\n")) for cell in heat_rows[department["name"]]]
        assert shown == expected, department["name"]
    report = build_report(app, round_id)
    flags = len(found["inconsistencies"]) + len(found["outliers"]) + len(found["within_department"])
    assert len(report.gap_sentences()) == flags  # every flag of the document, as a sentence
    text = "\n".join(paragraphs)
    missing = [sentence for sentence in report.gap_sentences() if sentence not in text]
    assert missing == []
    assert "Aberbrook County Council: 2026 baseline" in paragraphs
    assert len(document.inline_shapes) == 3  # radar, spread, trend: PNG images
    assert "Method" in paragraphs and "Action plan" in paragraphs


def test_the_word_report_is_in_welsh_when_asked_in_welsh(app, client_for, round_factory):
    round_id = round_factory.demo().round_id
    welsh = results_document(app, round_id, "cy")
    document, _ = word_report(client_for("lead"), round_id, "?lang=cy")
    cells = {cell for row in table_rows(document) for cell in row}
    for dimension in welsh["dimensions"]:
        assert dimension["name"] in cells
    assert document.core_properties.language == "cy-GB"


def test_a_large_round_is_summarised_in_the_report(app):
    round_id = large_round(app, 70)
    report = build_report(app, round_id)
    found = report.departments
    assert found.summarised and len(found.tables) >= 1
    assert found.tables[0].row_heading == "Directorate"
    outliers = {o["department"] for o in results_document(app, round_id)["outliers"]}
    assert outliers <= set(found.names())
    assert report.plan.departments == () and report.plan.departments_note
    assert report.changes is None


def test_the_method_note_quotes_the_round_thresholds(app, round_factory):
    round_id = round_factory.demo().round_id
    with app.app_context():
        from assessment.extensions import db
        from assessment.models import Round

        db.session.get(Round, round_id).thresholds = {"dimension_spread": 1.25}
        db.session.commit()
    method = " ".join(build_report(app, round_id).method.paragraphs)
    assert "1.25 or more apart; a question, when they are 2 or more apart" in method


def test_a_round_with_nothing_submitted_prints_and_downloads_saying_so(app, round_factory,
                                                                       lead_client):
    made = round_factory(invited=["Parks"])
    nothing = "There is nothing to analyse yet: nobody has submitted their answers."
    page = lead_client.get(f"/rounds/{made.id}/print")
    assert page.status_code == 200 and nothing in page.get_data(as_text=True)
    document, _ = word_report(lead_client, made.id)
    assert any(paragraph.text.startswith(nothing) for paragraph in document.paragraphs)


def test_only_staff_get_the_word_report(app, client, client_for, round_factory):
    round_id = round_factory.demo().round_id
    response = client.get(f"/rounds/{round_id}/report.docx")
    assert response.status_code == 302 and "/sign-in" in response.location
    assert client_for("lead").get("/rounds/99999/report.docx").status_code == 404


def test_libreoffice_converts_the_word_report_to_pdf(app, tmp_path, client_for, round_factory):
    if shutil.which("soffice") is None:
        skip_or_fail_in_ci("LibreOffice's soffice is not installed (.ci/run installs it)")
    from .test_libreoffice import convert_to_pdf

    round_id = round_factory.demo().round_id
    _, content = word_report(client_for("trainer"), round_id)
    (tmp_path / "board-report.docx").write_bytes(content)
    [pdf] = convert_to_pdf([tmp_path / "board-report.docx"], tmp_path)
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 3
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Where the organisation is not joined up" in text


def test_a_score_of_2_95_shows_as_2_9_emerging_in_the_word_report(app, round_factory, lead_client):
    made = round_factory(departments={"Parks": ["3"] * 19 + ["2"], "Roads": "3"})
    document, _ = word_report(lead_client, made.id)
    parks = next(row for row in table_rows(document) if row[0] == "Parks")
    assert set(parks[1:]) == {"2.9\nEmerging"}  # 2.95 has not reached level 3, nor does its number
