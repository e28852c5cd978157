"""The offline questionnaire: drop-downs and descriptors to print or fill in, and
a filled-in copy that imports as if answered through the web questionnaire."""

from __future__ import annotations

import io
import itertools

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from assessment.core.answers import ANSWER_CHOICES
from assessment.extensions import db
from assessment.models import Answer, AuditEvent, Response
from assessment.services import importer, invitations, rounds

from .support.people import signed_in_client
from .support.rounds import results_of
from .support.survey import answer, complete_every_section, invite, respondent_client

FIRST_ROW = 8  # questions start below the header row (row 7)
ANSWER_CYCLE = ("4", "2", "dont_know", "5", "1", "3", "not_applicable")


def template(app, round_id: int, sheets: str = "blank") -> bytes:
    response = signed_in_client(app, "trainer").get(f"/rounds/{round_id}/template.xlsx?sheets={sheets}")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    return response.data


def planned_answers(app) -> list[tuple[str, str, str, str]]:
    """(question id, answer, comment, evidence) for every question: every kind of answer."""
    rows = []
    for question, value in zip(app.extensions["question_bank"].questions,
                               itertools.cycle(ANSWER_CYCLE)):
        evidence = f"Report on {question.id}" if value in ("4", "5") else ""
        rows.append((question.id, value, f"Note ŵ {question.id}" if value == "2" else "", evidence))
    return rows


def fill(sheet, department: str, respondent: str, answers) -> None:
    sheet["C2"], sheet["C4"] = department, respondent
    by_id = {row[0].value: row[0].row for row in sheet.iter_rows(min_row=FIRST_ROW)}
    for question_id, value, comment, evidence in answers:
        row = by_id[question_id]
        # Excel stores a typed 4 as a number, so the test does too.
        sheet.cell(row, 4).value = int(value) if value.isdigit() else value
        sheet.cell(row, 5).value = comment or None
        sheet.cell(row, 6).value = evidence or None


def saved(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def import_bytes(app, round_id: int, content: bytes) -> importer.ImportPlan:
    with app.app_context():
        assessment_round = rounds.require_round(round_id)
        return importer.import_file(assessment_round, app.extensions["question_bank"],
                                    "filled.xlsx", content)


def answer_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Answer))


# --- what the template looks like -------------------------------------------------------


def test_a_blank_questionnaire_has_drop_downs_and_the_descriptors_beside_each_question(app, survey_round):
    workbook = load_workbook(io.BytesIO(template(app, survey_round)))
    assert workbook.sheetnames == ["Questionnaire", "Levels"]
    sheet = workbook["Questionnaire"]
    bank = app.extensions["question_bank"]
    assert [c.value for c in sheet[7]][:6] == [
        "question_id", "dimension", "question", "answer", "comment", "evidence"]
    last = FIRST_ROW + len(bank.questions) - 1
    for question, row in zip(bank.questions, sheet.iter_rows(min_row=FIRST_ROW), strict=True):
        assert row[0].value == question.id and row[2].value == question.text.en
        assert [c.value for c in row[6:11]] == [d.en for d in question.descriptors]
        assert row[3].value is None
    lists = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert len(lists) == 1 and str(lists[0].sqref) == f"D{FIRST_ROW}:D{last}"
    assert lists[0].formula1 == '"' + ",".join(ANSWER_CHOICES) + '"'
    assert sheet.page_setup.orientation == "portrait" and sheet.freeze_panes == f"D{FIRST_ROW}"
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.event == "export")).one()
    assert event.details["format"] == "template"


def test_a_questionnaire_per_department_has_safe_unique_sheet_names(app, survey_round):
    long_name = "Adult Social Care and Health Integration Services"
    with app.app_context():
        for name in ("Parks: Open Spaces?", "parks open spaces", "History", "Levels", long_name):
            invitations.invite(survey_round, name, "Someone", directorate="People")
    workbook = load_workbook(io.BytesIO(template(app, survey_round, "departments")))
    names = workbook.sheetnames
    assert len(names) == 6 and names[-1] == "Levels"
    assert len({n.casefold() for n in names}) == 6
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    assert {"History (1)", "Levels (2)", long_name[:31]} < set(names)
    assert {"Parks Open Spaces", "parks open spaces"} & set(names)
    assert {"Parks Open Spaces (2)", "parks open spaces (2)"} & set(names)
    sheet = workbook[long_name[:31]]
    assert (sheet["C2"].value, sheet["C3"].value, sheet["C4"].value) == (long_name, "People", None)


# --- filled in, it imports ----------------------------------------------------------------


def answer_on_the_web(app, round_id: int, department: str, respondent: str, answers) -> None:
    client = respondent_client(app, invite(app, round_id, department, respondent))
    for question_id, value, comment, evidence in answers:
        saved_answer = answer(client, question_id, value, comment, evidence, revision="0")
        assert saved_answer.status_code == 302, saved_answer.get_data(as_text=True)
    complete_every_section(client, app.extensions["question_bank"])
    assert client.post("/respond/submit").headers["Location"] == "/respond/confirmation"


def stored_answers(app, round_id: int) -> set[tuple]:
    with app.app_context():
        query = (select(Response.respondent, Response.status, Answer.question_id, Answer.value,
                        Answer.comment, Answer.evidence)
                 .join(Answer).where(Response.round_id == round_id))
        return {tuple(row) for row in db.session.execute(query)}


def test_a_filled_in_questionnaire_gives_the_results_of_the_web_questionnaire(app, round_factory):
    answers = planned_answers(app)
    others = [(q, v, c, e) for (q, *_rest), (_q, v, c, e) in zip(answers, answers[::-1],
                                                                  strict=True)]
    web_round = round_factory.survey("Answered on the web").id
    answer_on_the_web(app, web_round, "Libraries", "Ann Example", answers)
    answer_on_the_web(app, web_round, "Parks", "Dan Example", others)

    paper_round = round_factory.survey("Answered on paper").id
    workbook = load_workbook(io.BytesIO(template(app, paper_round)))
    fill(workbook["Questionnaire"], "Libraries", "Ann Example", answers)
    second = workbook.copy_worksheet(workbook["Questionnaire"])  # "for another person, copy"
    fill(second, "Parks", "Dan Example", others)
    plan = import_bytes(app, paper_round, saved(workbook))

    assert (len(plan.responses), plan.submitted_count) == (2, 2)
    assert stored_answers(app, paper_round) == stored_answers(app, web_round)
    web, paper = results_of(app, web_round), results_of(app, paper_round)
    assert web.pop("round")["name"] != paper.pop("round")["name"]
    assert paper == web


def test_blank_copies_are_skipped_and_a_partly_filled_sheet_is_in_progress(app, survey_round):
    workbook = load_workbook(io.BytesIO(template(app, survey_round)))
    sheet = workbook["Questionnaire"]
    workbook.copy_worksheet(sheet)  # a spare copy nobody filled in
    fill(sheet, "Housing", "Pat Example", planned_answers(app)[:2])
    plan = import_bytes(app, survey_round, saved(workbook))
    assert [(r.department, r.respondent, r.submitted, r.answer_count) for r in plan.responses] == [
        ("Housing", "Pat Example", False, 2)]


def test_problems_name_the_sheet_and_row_and_nothing_is_written(app, tmp_path, survey_round):
    workbook = load_workbook(io.BytesIO(template(app, survey_round)))
    sheet = workbook["Questionnaire"]
    fill(sheet, "Housing", "", planned_answers(app))
    sheet.cell(FIRST_ROW + 1, 4, 6)
    with pytest.raises(importer.ImportInvalid) as caught:
        import_bytes(app, survey_round, saved(workbook))
    problems = caught.value.problems
    assert problems[0] == f"Sheet 'Questionnaire', row {FIRST_ROW}: respondent is empty"
    assert any(p.startswith(f"Sheet 'Questionnaire', row {FIRST_ROW + 1}: '6' is not an answer")
               for p in problems)
    assert len(problems) == len(app.extensions["question_bank"].questions) + 1
    filled = tmp_path / "filled.xlsx"
    filled.write_bytes(saved(workbook))
    result = app.test_cli_runner().invoke(args=["import-responses", str(survey_round), str(filled)])
    assert result.exit_code == 1
    assert f"Sheet 'Questionnaire', row {FIRST_ROW}: respondent is empty" in result.stderr
    assert answer_count(app) == 0
