"""Importing answers: every bad row listed by number, and nothing written."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from openpyxl import Workbook
from sqlalchemy import func, select

from assessment.extensions import db
from assessment.models import Answer, Department, Response
from assessment.services import importer, rounds

from .support.apps import SMALL_BANK_SETTINGS
from .support.files import csv_bytes

pytestmark = pytest.mark.app_settings(**SMALL_BANK_SETTINGS)  # the small test bank

HEADER = ["department", "respondent", "question_id", "answer", "comment"]
QUESTIONS = ["alpha-one", "alpha-two", "beta-one", "beta-two", "gamma-one", "gamma-two"]


def complete(department: str, respondent: str, level: str = "3") -> list[list[str]]:
    return [[department, respondent, q, level, ""] for q in QUESTIONS]


def run_import(app: Flask, round_id: int, filename: str, content: bytes) -> importer.ImportPlan:
    with app.app_context():
        assessment_round = rounds.require_round(round_id)
        bank = app.extensions["question_bank"]
        return importer.import_file(assessment_round, bank, filename, content)


def counts(app: Flask) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(model))
                     for model in (Department, Response, Answer))


def test_complete_and_partial_responses_are_created(app, round_factory):
    round_id = round_factory().id
    rows = [HEADER, *complete("Libraries", "Ann"), ["Parks", "Dan", "alpha-one", "2", "Started"],
            ["Parks", "Dan", "alpha-two", "", ""]]
    plan = run_import(app, round_id, "answers.csv", csv_bytes(rows))
    assert (plan.answer_count, plan.submitted_count, len(plan.responses)) == (7, 1, 2)
    assert plan.new_departments == ("Libraries", "Parks")
    assert counts(app) == (2, 2, 7)
    with app.app_context():
        statuses = dict(db.session.execute(select(Response.respondent, Response.status)).all())
    assert statuses == {"Ann": "submitted", "Dan": "in_progress"}


def test_every_bad_row_is_listed_by_number_and_nothing_is_written(app, round_factory):
    round_id = round_factory().id
    rows = [
        HEADER,
        *complete("Libraries", "Ann"),                          # rows 2-7 fine
        ["Libraries", "Bob", "no-such-question", "3", ""],       # row 8
        ["Libraries", "Bob", "alpha-one", "6", ""],              # row 9
        ["Libraries", "Bob", "alpha-two", "+3", ""],             # row 10: not exactly "3"
        ["Libraries", "Ann", "alpha-one", "2", ""],              # row 11: duplicate of row 2
        ["Libraries", "Bob", "beta-one", "2", "x" * 2001],       # row 12
        ["", "Bob", "beta-two", "2", ""],                        # row 13
    ]
    with pytest.raises(importer.ImportInvalid) as caught:
        run_import(app, round_id, "answers.csv", csv_bytes(rows))
    problems = caught.value.problems
    assert [p.split(":")[0] for p in problems] == [f"Row {n}" for n in (8, 9, 10, 11, 12, 13)]
    assert "unknown question_id 'no-such-question'" in problems[0]
    assert "'6' is not an answer" in problems[1]
    assert "repeats the answer of row 2" in problems[3]
    assert "comment is longer than 2,000 characters" in problems[4]
    assert "department is empty" in problems[5]
    assert counts(app) == (0, 0, 0)


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("answers.txt", b"x", "must be a CSV or an XLSX"),
        ("answers.csv", b"", "The file is empty"),
        ("answers.csv", "département\n".encode("latin-1"), "not UTF-8"),
        ("answers.csv", b"dept,who,q,a,c\n", "the header must start with"),
        ("answers.csv", b"department,respondent,question_id,answer,comment,colour\n", "unknown column 'colour'"),
        ("answers.csv", b"department,respondent,question_id,answer,comment\n", "no answer rows"),
        ("answers.xlsx", b"not a zip", "could not be read as an XLSX"),
    ],
)
def test_unreadable_files_get_a_specific_message(app, filename, content, message, round_factory):
    round_id = round_factory().id
    with pytest.raises(importer.ImportInvalid) as caught:
        run_import(app, round_id, filename, content)
    assert message in str(caught.value)
    assert counts(app) == (0, 0, 0)


def test_xlsx_with_numbers_imports_like_csv(app, round_factory):
    round_id = round_factory().id
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([*HEADER, "directorate"])
    for row in complete("Libraries", "Ann"):
        sheet.append([row[0], row[1], row[2], 4.0, "Comment", "Communities"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = run_import(app, round_id, "answers.xlsx", buffer.getvalue())
    assert plan.submitted_count == 1
    with app.app_context():
        assert db.session.scalar(select(Department.directorate)) == "Communities"


def test_evidence_only_goes_with_levels_four_and_five(app, round_factory):
    round_id = round_factory().id
    rows = [[*HEADER, "evidence"], ["Libraries", "Ann", "alpha-one", "3", "", "Board minutes"],
            ["Libraries", "Ann", "alpha-two", "5", "", "Board minutes"]]
    with pytest.raises(importer.ImportInvalid) as caught:
        run_import(app, round_id, "answers.csv", csv_bytes(rows))
    assert caught.value.problems == ["Row 2: evidence goes only with answers at level 4 or 5"]


def test_a_respondent_already_in_the_round_is_not_overwritten(app, round_factory):
    round_id = round_factory().id
    run_import(app, round_id, "a.csv", csv_bytes([HEADER, *complete("Libraries", "Ann")]))
    with pytest.raises(importer.ImportInvalid) as caught:
        run_import(app, round_id, "b.csv", csv_bytes([HEADER, *complete("Libraries", "Ann", "1")]))
    assert "'Ann' of 'Libraries' already has a response in this round" in str(caught.value)
    assert counts(app) == (1, 1, 6)


def test_cli_import_lists_problems_on_stderr_and_exits_1(app, tmp_path, round_factory):
    round_id = round_factory().id
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([HEADER, ["Libraries", "Ann", "nope", "3", ""],
                               ["Libraries", "Ann", "alpha-one", "seven", ""]]))
    result = app.test_cli_runner().invoke(args=["import-responses", str(round_id), str(bad)])
    assert result.exit_code == 1
    assert "Row 2: unknown question_id 'nope'" in result.stderr
    assert "Row 3: 'seven' is not an answer" in result.stderr
    assert "nothing was imported" in result.stderr
    assert "Traceback" not in result.output
    assert counts(app) == (0, 0, 0)
