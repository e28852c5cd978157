"""The offline questionnaire in Welsh (issue 17, item 4): Welsh headings and Welsh drop-down
labels for "I do not know" and "Not applicable", which import back to the same codes."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from assessment.import_format import ImportInvalid
from assessment.import_format.questionnaire import CODES_SHEET, COLUMNS, HEADER_ROW

from .support.survey import stored_answers
from .test_offline_template import FIRST_ROW, fill, import_bytes, planned_answers, saved, template

DONT_KNOW, NOT_APPLICABLE = "Nid wyf yn gwybod", "Amherthnasol"


def welsh_template(app, round_id: int) -> bytes:
    return template(app, round_id, "blank&lang=cy")


def test_the_welsh_questionnaire_has_welsh_headings_and_a_drop_down_of_welsh_labels(app, survey_round):
    workbook = load_workbook(io.BytesIO(welsh_template(app, survey_round)))
    sheet = workbook.worksheets[0]
    headings = [cell.value for cell in sheet[HEADER_ROW]][:len(COLUMNS)]
    assert headings == ["ID y cwestiwn", "Dimensiwn", "Cwestiwn", "Ateb", "Sylw", "Tystiolaeth"]
    codes = workbook[CODES_SHEET]
    assert codes.sheet_state == "hidden"
    pairs = [(row[0].value, row[1].value) for row in codes.iter_rows(min_row=2)]
    assert (DONT_KNOW, "dont_know") in pairs and (NOT_APPLICABLE, "not_applicable") in pairs
    (answers,) = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert answers.formula1 == f"'{CODES_SHEET}'!$A$2:$A$8"
    assert [pairs[i][0] for i in range(7)] == ["1", "2", "3", "4", "5", DONT_KNOW, NOT_APPLICABLE]
    assert str(answers.sqref) == f"D{FIRST_ROW}:D{FIRST_ROW + len(planned_answers(app)) - 1}"
    # The instructions and the drop-down's messages name the choices as the drop-down shows them.
    instructions = sheet.cell(row=5, column=3).value
    assert f"{DONT_KNOW} neu {NOT_APPLICABLE}" in instructions and "dont_know" not in instructions
    assert answers.prompt == f"1 i 5, {DONT_KNOW} neu {NOT_APPLICABLE}"
    assert "not_applicable" not in answers.error


def test_a_welsh_questionnaire_filled_in_with_welsh_labels_imports_the_same_codes(app, survey_round):
    workbook = load_workbook(io.BytesIO(welsh_template(app, survey_round)))
    answers = planned_answers(app)
    labels = {"dont_know": DONT_KNOW, "not_applicable": NOT_APPLICABLE}
    fill(workbook.worksheets[0], "Libraries", "Ann Example",
         [(q, labels.get(v, v), c, e) for q, v, c, e in answers])
    plan = import_bytes(app, survey_round, saved(workbook))
    assert (len(plan.responses), plan.submitted_count) == (1, 1)
    stored = {question: answer.value for (_r, question), answer in stored_answers(app).items()}
    assert stored == {q: v for q, v, _c, _e in answers}


def test_a_welsh_label_not_in_the_list_is_refused_by_row_and_nothing_is_written(app, survey_round):
    workbook = load_workbook(io.BytesIO(welsh_template(app, survey_round)))
    answers = planned_answers(app)
    question, *_rest = answers[0]
    fill(workbook.worksheets[0], "Libraries", "Ann Example",
         [(question, "Efallai", "", ""), *answers[1:]])
    try:
        import_bytes(app, survey_round, saved(workbook))
    except ImportInvalid as error:
        assert f"row {FIRST_ROW}: 'Efallai' is not an answer" in str(error)
    else:
        raise AssertionError("the import was not refused")
    assert stored_answers(app) == {}
