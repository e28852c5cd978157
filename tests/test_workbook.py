"""The workshop workbook: the contract's sheets, numbers from the results, text
that never becomes a formula, and anonymity that reaches the charts."""

from __future__ import annotations

import io
import zipfile

import pytest
from flask_babel import force_locale
from markupsafe import escape
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.workbook import Workbook
from sqlalchemy import func, select

from assessment.cells import CUT_MARKER, MAX_CELL_LENGTH, clean_text, sheet_title, text_cell
from assessment.core.scoring import level_reached, shown_score
from assessment.extensions import db
from assessment.flags import Wording, explain_flags, shown_difference
from assessment.models import Answer, AuditEvent, Department, Response
from assessment.services import demo, results, review, rounds
from assessment.workbook import SHEETS
from assessment.workbook.styles import LEVEL_COLOURS

from .support.files import every_cell, open_xlsx, zip_texts
from .support.imports import answer_rows, import_rows
from .support.rounds import results_of


def export(runner, round_id: int, tmp_path, *flags: str) -> bytes:
    out = tmp_path / "workshop.xlsx"
    result = runner.invoke(args=["export-xlsx", str(round_id), str(out), *flags])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def records(sheet, header_row: int = 1, count: int | None = None) -> list[dict]:
    rows = list(sheet.iter_rows(min_row=header_row, values_only=True))
    header, body = rows[0], rows[1:] if count is None else rows[1:count + 1]
    return [dict(zip(header, row, strict=True)) for row in body]


def column(sheet, name: str, header_row: int = 1) -> list:
    return [row[name] for row in records(sheet, header_row)]


# --- structure ---------------------------------------------------------------------------


def test_sheets_come_in_the_contract_order_ready_to_print(app, runner, tmp_path, round_factory):
    workbook = open_xlsx(export(runner, round_factory.demo().round_id, tmp_path))
    assert workbook.sheetnames == list(SHEETS) == [
        "Summary", "Heatmap", "Gaps", "Departments", "Answers", "Questions"]
    assert workbook.properties.title == f"{demo.ROUND_NAME}: workshop workbook"
    assert workbook.properties.creator == demo.ORGANISATION_NAME
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes, sheet.title
        assert sheet.print_title_rows, sheet.title
        assert sheet.page_setup.orientation == "landscape"
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert all(sheet.column_dimensions[c].width >= 8 for c in "ABC"), sheet.title


def test_summary_has_a_native_radar_chart_and_the_app_chart_picture(app, runner, tmp_path, round_factory):
    content = export(runner, round_factory.demo().round_id, tmp_path)
    texts = zip_texts(content)
    chart = texts["xl/charts/chart1.xml"]
    assert "<radarChart>" in chart and "Organisation scores by dimension" in chart
    assert "<strRef><f>'Summary'!$A$5:$A$9</f></strRef>" in chart
    assert "<numRef><f>'Summary'!$B$5:$B$9</f></numRef>" in chart
    drawing = texts["xl/drawings/drawing1.xml"]
    assert drawing.count("<graphicFrame") == 1 and drawing.count("<pic>") == 1
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.read("xl/media/image1.png").startswith(b"\x89PNG")


def test_heatmap_shows_a_number_in_every_cell_with_its_level_in_the_web_colours(
        app, runner, tmp_path, round_factory):
    sheet = open_xlsx(export(runner, round_factory.demo().round_id, tmp_path))["Heatmap"]
    # Each dimension: its score, then the score's level name, under one merged heading.
    cells = [cell for row in sheet.iter_rows(min_row=2, min_col=4) for cell in row[::2]]
    assert len(cells) == 12 * 5
    assert all(isinstance(c.value, float | int) and c.number_format == "0.0" for c in cells)
    assert not list(sheet.conditional_formatting)  # the colours are the levels', fixed
    bank = app.extensions["question_bank"]
    for cell in cells:
        level = level_reached(cell.value)
        level_cell = sheet.cell(cell.row, cell.column + 1)
        fill, font = LEVEL_COLOURS[level]
        for coloured in (cell, level_cell):
            assert coloured.fill.fgColor.rgb == f"00{fill}" and coloured.font.color.rgb == f"00{font}"
        assert level_cell.value == bank.level_name(level).get("en")


def test_answers_sheet_is_a_filterable_table_with_challenges_and_evidence(
        app, runner, tmp_path, round_factory):
    round_id = round_factory.demo().round_id
    with app.app_context():
        answer_id, department_id = db.session.execute(
            select(Answer.id, Response.department_id).join(Response)
            .where(Answer.evidence.is_not(None), Response.round_id == round_id).limit(1)).one()
        # Challenges change only while a round is open: the demo round is closed.
        rounds.set_status(round_id, "open")
        review.challenge_answer(round_id, department_id, answer_id, "Where is the report?")
        rounds.set_status(round_id, "closed")
        submitted = db.session.scalar(
            select(func.count()).select_from(Answer).join(Response)
            .where(Response.status == "submitted", Response.round_id == round_id))
    sheet = open_xlsx(export(runner, round_id, tmp_path))["Answers"]
    table = sheet.tables["AnswersTable"]
    assert table.ref == f"A1:N{submitted + 1}" == table.autoFilter.ref  # two review-loop columns
    rows = records(sheet)
    assert [c.name for c in table.tableColumns] == list(rows[0])
    assert {"Evidence", "Challenged", "Challenge note"} <= set(rows[0])
    challenged = [r for r in rows if r["Challenged"] == "Yes"]
    assert len(challenged) == 1 and challenged[0]["Challenge note"] == "Where is the report?"
    assert challenged[0]["Evidence"] and challenged[0]["Level"] in (4, 5)
    assert challenged[0]["Challenge state"] == "Waiting for the respondent"
    assert challenged[0]["Challenge reply"] is None


def test_a_round_without_answers_still_exports(app, runner, tmp_path, round_factory):
    workbook = open_xlsx(export(runner, round_factory().id, tmp_path))
    assert workbook.sheetnames == list(SHEETS)
    assert workbook["Answers"].tables["AnswersTable"].ref == "A1:N2"  # two review-loop columns


# --- numbers -----------------------------------------------------------------------------


def same(expected):
    """Equal to the results as Excel stores numbers: 16 significant digits (openpyxl's
    writer), more than the 15 Excel itself keeps."""
    return pytest.approx(expected, rel=1e-15, abs=1e-15)


def test_numbers_equal_the_results_document(app, runner, tmp_path, round_factory):
    round_id = round_factory.demo().round_id
    with app.app_context():
        review.set_targets(round_id, {"objectives": 4})
    document = results_of(app, round_id)
    workbook = open_xlsx(export(runner, round_id, tmp_path))
    organisation, dimensions = document["organisation"], document["dimensions"]

    summary = records(workbook["Summary"], header_row=4, count=len(dimensions))
    for dimension, row in zip(dimensions, summary, strict=True):
        key = dimension["id"]
        assert row["Dimension"] == dimension["name"]
        # Scores are stored as shown (cut to one decimal place), as every page shows them.
        assert [row["Organisation score"], row["Median"], row["Lowest"], row["Highest"]] == [
            shown_score(organisation["scores"][key]), shown_score(organisation["median"][key]),
            shown_score(organisation["min"][key]), shown_score(organisation["max"][key])]
        assert row["Target"] == organisation["targets"].get(key)
    assert summary[0]["Gap to target"] == shown_difference(4, organisation["scores"]["objectives"])

    heatmap = records(workbook["Heatmap"])
    assert [row["Department"] for row in heatmap] == [d["name"] for d in document["departments"]]
    for department, row in zip(document["departments"], heatmap, strict=True):
        assert row["Respondents"] == department["respondents"]
        assert [row[d["name"]] for d in dimensions] == [shown_score(department["scores"][d["id"]])
                                                        for d in dimensions]

    rows = records(workbook["Departments"])
    expected = [(d, dim["id"]) for d in document["departments"] for dim in dimensions]
    assert [(r["Department"], r["Dimension"]) for r in rows] == [
        (d["name"], dim["name"]) for d in document["departments"] for dim in dimensions]
    assert [[r["Score"], r["Level reached"], r["Don't know rate"]] for r in rows] == [
        [shown_score(d["scores"][key]), d["levels"][key], same(d["dont_know_rate"][key])]
        for d, key in expected]

    gaps = list(workbook["Gaps"].iter_rows(min_row=2, values_only=True))
    spreads = [row[4] for row in gaps[:len(document["inconsistencies"])]]
    # A spread as the two ends shown beside it give it (within the display's 0.1).
    assert spreads == [pytest.approx(flag["spread"], abs=0.1 + 1e-9)
                       for flag in document["inconsistencies"]]
    assert all(row[4] == shown_difference(row[11], row[7]) for row in gaps if row[4] is not None)
    assert {row[0] for row in gaps} >= {"Departments differ on this dimension",
                                        "Respondents of one department disagree",
                                        "Gap to the target"}


def test_the_gaps_sheet_and_the_dashboard_show_the_same_flags_explained_once(
        app, runner, tmp_path, client_for, round_factory):
    round_id = round_factory.demo().round_id
    with app.app_context():
        review.set_targets(round_id, {"objectives": 5, "listening": 1})
    rows = records(open_xlsx(export(runner, round_id, tmp_path))["Gaps"])
    with app.test_request_context(), force_locale("en"):
        analysis = results.analyse(rounds.require_round(round_id))
        flags = explain_flags(analysis.results, Wording(analysis.bank, "en"))
    listed = [f for f in flags if not (f.kind == "target" and f.size is None)]
    assert [(r["Lower"], r["Higher"]) for r in rows] == [
        (f.lower.label(), f.higher.label()) for f in listed]
    assert [r["Spread or gap"] for r in rows] == [f.shown_size for f in listed]
    assert all(f.size is None or abs(f.shown_size - f.size) < 0.1 + 1e-9 for f in listed)
    dashboard = client_for("trainer").get(f"/rounds/{round_id}/dashboard").get_data(as_text=True)
    shown = [f for f in flags if not f.met]
    assert shown and all(str(escape(f.sentence)) in dashboard for f in shown)
    assert {f.kind for f in flags} >= {"dimension", "question", "behind", "within_department", "target"}


def test_the_export_page_leads_back_to_where_each_role_came_from(app, client_for, round_factory):
    round_id = round_factory.demo().round_id
    trainer = client_for("trainer").get(f"/rounds/{round_id}/export").get_data(as_text=True)
    # A trainer cannot see the round page: back to the dashboard, not the home page.
    assert f'href="/rounds/{round_id}/dashboard" class="govuk-back-link"' in trainer
    lead = client_for("lead").get(f"/rounds/{round_id}/export").get_data(as_text=True)
    assert f'href="/rounds/{round_id}" class="govuk-back-link"' in lead


# --- text that is always text --------------------------------------------------------------


HYPERLINK = '=HYPERLINK("http://example.invalid","x")'


def test_user_text_that_looks_like_a_formula_arrives_as_text(app, runner, tmp_path, round_factory):
    round_id = round_factory().id
    import_rows(app, round_id, [
        *answer_rows(app, "@SUM(1)", "#REF!", comment=HYPERLINK),
        *answer_rows(app, "-Minus", "+Plus", comment="Bell\x07 and =1+2"),
    ])
    content = export(runner, round_id, tmp_path)
    workbook = open_xlsx(content)
    assert not [c.coordinate for c in every_cell(workbook) if c.data_type == "f"]
    assert not [name for name, xml in zip_texts(content).items()
                if name.startswith("xl/worksheets/") and ("<f>" in xml or "<f " in xml)]
    answers = workbook["Answers"]
    by_value = {cell.value: cell for row in answers.iter_rows(min_row=2) for cell in row}
    for text in ("@SUM(1)", "#REF!", HYPERLINK, "-Minus", "+Plus"):
        assert by_value[text].data_type == "s" and by_value[text].quotePrefix, text
    assert "Bell and =1+2" in by_value  # the control character Excel rejects is gone
    assert "@SUM(1)" in column(workbook["Heatmap"], "Department")


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx", *ERROR_CODES])
def test_risky_text_becomes_a_quoted_string_cell(text):
    sheet = Workbook(write_only=True).create_sheet("S")
    cell = text_cell(sheet, text)
    assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)


def test_plain_text_stays_a_plain_string_and_bad_characters_go():
    sheet = Workbook(write_only=True).create_sheet("S")
    assert text_cell(sheet, "Parks & Open Spaces") == "Parks & Open Spaces"
    assert text_cell(sheet, "a\x00b\x1fc\x0bd") == "abcd"
    assert text_cell(sheet, "") is None and text_cell(sheet, None) is None


@pytest.mark.parametrize("filler", ["x", "😀"])
def test_text_longer_than_a_cell_is_cut_with_a_visible_marker(filler):
    cut = clean_text(filler * 40_000)
    assert cut.endswith(CUT_MARKER)
    assert len(cut.encode("utf-16-le")) // 2 <= MAX_CELL_LENGTH
    assert clean_text("y" * MAX_CELL_LENGTH) == "y" * MAX_CELL_LENGTH


def test_sheet_names_from_data_are_valid_unique_and_short():
    taken = {"Levels"}
    names = [sheet_title(text, taken) for text in (
        "Parks/Open: Spaces?", "parks open spaces", "A" * 40, "A" * 40, "History", "'Quoted'",
        "[*]", "levels")]
    assert names == ["ParksOpen Spaces", "parks open spaces", "A" * 31, "A" * 27 + " (2)",
                     "History (1)", "Quoted", "Sheet", "levels (2)"]
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)


# --- anonymity ---------------------------------------------------------------------------


SECRET_DEPARTMENTS = ["Zebrafield Depot", "@SUM(1)", "Quayside Harbour Office"]
SECRET_PEOPLE = ["Ottoline Quarrie", "Barnaby Wexford"]
SECRET_COMMENT = "Confidential remark 7741"
SECRET_DIRECTORATE = "Northshire Directorate"


def test_an_anonymised_workbook_names_nobody_anywhere(app, runner, tmp_path, round_factory):
    round_id = round_factory().id
    rows = []
    for index, department in enumerate(SECRET_DEPARTMENTS):
        for person in SECRET_PEOPLE[:1 + index % 2]:
            rows += answer_rows(app, department, person, str(2 + index), SECRET_COMMENT,
                                SECRET_DIRECTORATE)
    import_rows(app, round_id, rows)
    content = export(runner, round_id, tmp_path, "--anonymise", "--no-comments")

    secrets = [*SECRET_DEPARTMENTS, *SECRET_PEOPLE, SECRET_COMMENT, SECRET_DIRECTORATE]
    for name, xml in zip_texts(content).items():
        assert not [s for s in secrets if s in xml], name
    workbook = open_xlsx(content)
    values = [str(c.value) for c in every_cell(workbook) if c.value is not None]
    assert not [v for v in values if any(s in v for s in secrets)]

    letters = ["Department A", "Department B", "Department C"]
    assert column(workbook["Heatmap"], "Department") == letters
    assert set(column(workbook["Departments"], "Department")) == set(letters)
    answers = records(workbook["Answers"])
    assert {r["Department"] for r in answers} == set(letters)
    assert {r["Respondent"] for r in answers} == {"Respondent 1", "Respondent 2"}
    assert not {"Directorate", "Comment", "Evidence", "Challenge note"} & set(answers[0])


def test_anonymised_letters_follow_results_order_and_comments_stay_unless_dropped(
        app, runner, tmp_path, round_factory):
    round_id = round_factory.demo().round_id
    document = results_of(app, round_id)
    workbook = open_xlsx(export(runner, round_id, tmp_path, "--anonymise"))
    heatmap = records(workbook["Heatmap"])
    assert [r["Department"] for r in heatmap][:3] == ["Department A", "Department B",
                                                      "Department C"]
    for department, row in zip(document["departments"], heatmap, strict=True):
        assert row["Respondents"] == department["respondents"]
        assert [row[d["name"]] for d in document["dimensions"]] == [
            shown_score(department["scores"][d["id"]]) for d in document["dimensions"]]
    assert "Comment" in records(workbook["Answers"])[0]


# --- command line and web -------------------------------------------------------------------


def test_export_command_errors_are_one_sentence_and_leave_no_file(app, runner, tmp_path, round_factory):
    unknown = runner.invoke(args=["export-xlsx", "999", str(tmp_path / "x.xlsx")])
    assert unknown.exit_code == 1
    assert unknown.stderr.strip() == "Error: There is no round 999."
    round_id = round_factory().id
    missing = tmp_path / "no-such-folder" / "x.xlsx"
    failed = runner.invoke(args=["export-xlsx", str(round_id), str(missing)])
    assert failed.exit_code == 1 and "Traceback" not in failed.output
    assert len(failed.stderr.strip().splitlines()) == 1
    assert not list(tmp_path.rglob("*.xlsx")) and not list(tmp_path.rglob("*.partial"))


def test_workbook_download_is_private_safely_named_and_audited(app, client_for, round_factory):
    client = client_for("trainer")
    round_id = round_factory('Cylch ŵyl "2026"/Gwanwyn').id
    response = client.get(f"/rounds/{round_id}/export.xlsx?anonymise=y&no_comments=y")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert "filename*=UTF-8''Cylch-%C5%B5yl-2026-Gwanwyn-workshop-anonymised.xlsx" in disposition
    assert open_xlsx(response.data).sheetnames == list(SHEETS)
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.event == "export")).one()
    assert event.round_id == round_id and event.user_email == "trainer@example.org"
    assert event.details["anonymise"] is True and event.details["format"] == "xlsx"


def test_export_page_offers_the_options_and_needs_sign_in(app, client_for, round_factory):
    round_id = round_factory().id
    anonymous = app.test_client().get(f"/rounds/{round_id}/export.xlsx")
    assert anonymous.status_code == 302 and "/sign-in" in anonymous.location
    client = client_for("lead")
    page = client.get(f"/rounds/{round_id}/export")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    for expected in ('name="anonymise"', 'name="no_comments"', f"/rounds/{round_id}/answers.csv",
                     f"/rounds/{round_id}/template.xlsx", f"/rounds/{round_id}/import",
                     f'href="/rounds/{round_id}"'):
        assert expected in text
    # In Welsh the page and the workbook (its bank text in Welsh where the bank has it) work too.
    assert client.get(f"/rounds/{round_id}/export?lang=cy").status_code == 200
    welsh = client.get(f"/rounds/{round_id}/export.xlsx")
    assert open_xlsx(welsh.data).sheetnames == list(SHEETS)


def test_another_organisations_round_is_not_found(app, client_for):
    client = client_for("trainer")
    assert client.get("/rounds/999/export.xlsx").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Department)) == 0
