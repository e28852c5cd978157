"""Welsh names (issue 17, item 3): departments, directorates and rounds given a Welsh
name show it on Welsh pages, and the English name where none was given."""

from __future__ import annotations

import html

from flask import Flask
from flask.testing import FlaskClient

from assessment.core.names import display_name, display_names
from assessment.extensions import db
from assessment.models import Department, Round
from assessment.queries.rounds import WelshNames
from assessment.services import accounts, importer, invitations, results, rounds

from .support.files import csv_bytes
from .support.people import signed_in_client
from .support.rounds import RoundFactory
from .support.survey import respondent_client

ROUND, ROUND_CY = "2026 baseline", "Llinell sylfaen 2026"


def page(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)
    return html.unescape(response.get_data(as_text=True))


def welsh_round(app: Flask, name_cy: str | None = ROUND_CY) -> int:
    return RoundFactory(app)(ROUND, name_cy=name_cy).id


def import_rows(app: Flask, round_id: int, rows: list[list[str]]) -> importer.ImportPlan:
    with app.app_context():
        assessment_round = rounds.require_round(round_id)
        return importer.import_file(assessment_round, results.round_bank(assessment_round),
                                    "answers.csv", csv_bytes(rows))


def answer_rows(app: Flask, department: str, level: str, *, department_cy: str = "",
                directorate: str = "", directorate_cy: str = "") -> list[list[str]]:
    bank = app.extensions["question_bank"]
    return [[department, "Respondent 1", q.id, level, "", "", directorate, department_cy,
             directorate_cy] for q in bank.questions]


HEADER = [*importer.REQUIRED_COLUMNS, "evidence", "directorate", "department_cy", "directorate_cy"]


# --- the one helper ---------------------------------------------------------------------


def test_display_name_picks_welsh_on_welsh_pages_and_falls_back_to_english():
    assert display_name("Libraries", "Llyfrgelloedd", "cy") == "Llyfrgelloedd"
    assert display_name("Libraries", None, "cy") == "Libraries"
    assert display_name("Libraries", "   ", "cy") == "Libraries"
    assert display_name("Libraries", "Llyfrgelloedd", "en") == "Libraries"
    assert display_names([("Parks", "Parciau"), ("Roads", None)], "cy") == {
        "Parks": "Parciau", "Roads": "Roads"}


# --- respondent pages -------------------------------------------------------------------


def test_a_welsh_respondent_sees_welsh_names_where_given_and_english_where_not(app):
    round_id = welsh_round(app)
    with app.app_context():
        welsh_link = invitations.invite(round_id, "Libraries", "Ann", None,
                                        WelshNames("Llyfrgelloedd")).link
        english_link = invitations.invite(round_id, "Housing", "Bob").link
    base = app.config["BASE_URL"]
    welsh = respondent_client(app, welsh_link.removeprefix(base))
    for path in ("/respond/?lang=cy", "/respond/tasks"):
        text = page(welsh, path)
        assert f"{ROUND_CY}: Llyfrgelloedd" in text
        assert "Libraries" not in text and ROUND not in text
    assert f"{ROUND}: Libraries" in page(welsh, "/respond/?lang=en")
    english = respondent_client(app, english_link.removeprefix(base))
    assert f"{ROUND_CY}: Housing" in page(english, "/respond/?lang=cy")


def test_a_round_without_a_welsh_name_shows_its_english_name_in_welsh(app):
    round_id = welsh_round(app, None)
    with app.app_context():
        link = invitations.invite(round_id, "Libraries", "Ann", None,
                                  WelshNames("Llyfrgelloedd")).link
    client = respondent_client(app, link.removeprefix(app.config["BASE_URL"]))
    assert f"{ROUND}: Llyfrgelloedd" in page(client, "/respond/?lang=cy")


# --- lead pages: dashboard, department page, gap sentences, charts ----------------------


def lead_round(app: Flask) -> tuple[int, FlaskClient]:
    client = signed_in_client(app, "lead")
    round_id = welsh_round(app)
    rows = [HEADER, *answer_rows(app, "Libraries", "1", department_cy="Llyfrgelloedd",
                                 directorate="Place", directorate_cy="Lle")]
    for name, level in (("Housing", "3"), ("Parks", "3"), ("Roads", "3"), ("Schools", "3")):
        rows += answer_rows(app, name, level)
    import_rows(app, round_id, rows)
    return round_id, client


def test_a_welsh_lead_sees_welsh_names_on_the_dashboard_and_in_gap_sentences(app):
    round_id, client = lead_round(app)
    text = page(client, f"/rounds/{round_id}/dashboard?lang=cy")
    assert ROUND_CY in text and "Llyfrgelloedd" in text and "Housing" in text
    assert "Libraries" not in text and ROUND not in text
    english = page(client, f"/rounds/{round_id}/dashboard?lang=en")
    assert "Libraries" in english and "Llyfrgelloedd" not in english and ROUND in english


def test_a_welsh_lead_sees_the_welsh_department_and_directorate_on_its_page(app):
    round_id, client = lead_round(app)
    with app.app_context():
        department_id = db.session.query(Department.id).filter_by(name="Libraries").scalar()
    text = page(client, f"/rounds/{round_id}/departments/{department_id}?lang=cy")
    assert "Llyfrgelloedd" in text and "Lle" in text and ROUND_CY in text
    assert "Libraries" not in text
    chart = client.get(f"/rounds/{round_id}/charts/departments/{department_id}/radar.svg")
    assert "Llyfrgelloedd" in chart.get_data(as_text=True)


# --- import columns ---------------------------------------------------------------------


def test_the_welsh_name_columns_import_and_are_optional(app):
    round_id = welsh_round(app)
    plan = import_rows(app, round_id, [
        HEADER, *answer_rows(app, "Libraries", "2", department_cy="Llyfrgelloedd",
                             directorate="Place", directorate_cy="Lle"),
        *answer_rows(app, "Housing", "3")])
    assert len(plan.responses) == 2
    with app.app_context():
        stored = {d.name: (d.name_cy, d.directorate_cy) for d in db.session.query(Department)}
    assert stored == {"Libraries": ("Llyfrgelloedd", "Lle"), "Housing": (None, None)}


def test_two_welsh_names_for_one_department_are_refused_and_nothing_is_written(app):
    round_id = welsh_round(app)
    rows = [HEADER, *answer_rows(app, "Libraries", "2", department_cy="Llyfrgelloedd"),
            *[[*row[:1], "Respondent 2", *row[2:7], "Llyfrgell", ""]
              for row in answer_rows(app, "Libraries", "2")]]
    with app.app_context():
        assessment_round = rounds.require_round(round_id)
        try:
            importer.plan_import(assessment_round, results.round_bank(assessment_round), rows)
        except importer.ImportInvalid as error:
            problems = error.rendered()
        else:
            raise AssertionError("the import was not refused")
        assert db.session.query(Department).count() == 0
    assert problems == ["Department 'Libraries' is given more than one department_cy: "
                        "Llyfrgell, Llyfrgelloedd"]


def test_a_welsh_name_longer_than_200_characters_is_refused(app):
    round_id = welsh_round(app)
    rows = [HEADER, *answer_rows(app, "Libraries", "2", department_cy="Ll" * 101)]
    with app.app_context():
        assessment_round = rounds.require_round(round_id)
        try:
            importer.plan_import(assessment_round, results.round_bank(assessment_round), rows)
        except importer.ImportInvalid as error:
            assert "department_cy is longer than 200 characters" in str(error)
        else:
            raise AssertionError("the import was not refused")


# --- forms and command line -------------------------------------------------------------


def test_the_round_and_invite_forms_take_welsh_names(app, client_for):
    client = client_for("lead")
    created = client.post("/rounds/new", data={"name": ROUND, "name_cy": ROUND_CY,
                                               "ask_evidence": "y"})
    assert created.status_code == 302, created.get_data(as_text=True)
    with app.app_context():
        assessment_round = db.session.query(Round).one()
        assert (assessment_round.name, assessment_round.name_cy) == (ROUND, ROUND_CY)
    invited = client.post(f"/rounds/{assessment_round.id}/invitations", data={
        "department": "Libraries", "department_cy": "Llyfrgelloedd", "directorate": "Place",
        "directorate_cy": "Lle", "respondents": "Ann", "delivery": "screen"})
    assert invited.status_code in (200, 302), invited.get_data(as_text=True)
    with app.app_context():
        department = db.session.query(Department).one()
        assert (department.name_cy, department.directorate_cy) == ("Llyfrgelloedd", "Lle")


def test_the_round_form_refuses_a_welsh_name_that_is_too_long(app, client_for):
    client = client_for("lead")
    response = client.post("/rounds/new", data={"name": ROUND, "name_cy": "x" * 201})
    assert response.status_code == 200
    assert "The name must be 200 characters or fewer" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Round).count() == 0


def test_the_command_line_takes_welsh_names(app, runner):
    with app.app_context():
        accounts.ensure_organisation("Test Council")
    made = runner.invoke(args=["create-round", ROUND, "--open", "--name-cy", ROUND_CY])
    assert made.exit_code == 0, made.output
    round_id = int(made.stdout.strip())
    invited = runner.invoke(args=["invite", str(round_id), "Libraries", "--respondent", "Ann",
                                  "--department-cy", "Llyfrgelloedd"])
    assert invited.exit_code == 0, invited.output
    with app.app_context():
        assert db.session.get(Round, round_id).name_cy == ROUND_CY
        assert db.session.query(Department).one().name_cy == "Llyfrgelloedd"


def test_the_command_line_refuses_a_welsh_round_name_that_is_too_long(app, runner):
    with app.app_context():
        accounts.ensure_organisation("Test Council")
    made = runner.invoke(args=["create-round", ROUND, "--name-cy", "x" * 201])
    assert made.exit_code == 1
    assert "200 characters or fewer" in made.output
    with app.app_context():
        assert db.session.query(Round).count() == 0


# --- workbooks, the Word report and the organisation --------------------------------------


def all_text(workbook) -> str:
    return "\n".join(str(cell.value) for sheet in workbook.worksheets
                     for row in sheet.iter_rows() for cell in row if cell.value is not None)


def test_a_welsh_workbook_shows_welsh_names_and_an_english_one_english_names(app):
    import io

    from openpyxl import load_workbook

    round_id, client = lead_round(app)
    welsh = load_workbook(io.BytesIO(client.get(f"/rounds/{round_id}/export.xlsx?lang=cy").data))
    text = all_text(welsh)
    assert "Llyfrgelloedd" in text and ROUND_CY in text and "Housing" in text
    assert "Libraries" not in text
    english = load_workbook(io.BytesIO(client.get(f"/rounds/{round_id}/export.xlsx?lang=en").data))
    assert "Libraries" in all_text(english) and "Llyfrgelloedd" not in all_text(english)


def test_the_welsh_word_report_shows_welsh_names(app):
    import io

    from docx import Document

    round_id, client = lead_round(app)
    with app.app_context():
        organisation = accounts.ensure_organisation("Test Council")
        organisation.name_cy = "Cyngor Prawf"
        db.session.commit()
    response = client.get(f"/rounds/{round_id}/report.docx?lang=cy")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.data))
    text = "\n".join([p.text for p in document.paragraphs] +
                     [c.text for t in document.tables for r in t.rows for c in r.cells])
    assert "Cyngor Prawf" in text and ROUND_CY in text and "Llyfrgelloedd" in text
    assert "Libraries" not in text and "Test Council" not in text


def test_the_set_up_form_takes_the_organisation_s_welsh_name(app):
    from assessment.models import Organisation

    client = app.test_client()
    response = client.post("/setup", data={
        "organisation": "Aberbrook County Council", "organisation_cy": "Cyngor Sir Aberbrook",
        "email": "admin@example.org", "password": "correct horse battery",
        "confirm": "correct horse battery"})
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        organisation = db.session.query(Organisation).one()
        assert organisation.name_cy == "Cyngor Sir Aberbrook"
    assert "Cyngor Sir Aberbrook" in page(client, "/?lang=cy")
    assert "Aberbrook County Council" in page(client, "/?lang=en")
