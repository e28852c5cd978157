"""The streaming import: written in batches, yet all or nothing; memory that
does not grow with the answers (issue 14, item 3)."""

from __future__ import annotations

import io
import tracemalloc

import pytest
from flask import Flask
from sqlalchemy import func, select

from assessment.extensions import db
from assessment.import_format import read_upload
from assessment.models import Answer, Department, Response
from assessment.services import importer, rounds
from assessment.services.import_check import RowChecker, column_index

from .support.apps import SMALL_BANK_SETTINGS
from .support.files import csv_bytes

pytestmark = pytest.mark.app_settings(**SMALL_BANK_SETTINGS)  # the small test bank

HEADER = ["department", "respondent", "question_id", "answer", "comment"]
QUESTIONS = ["alpha-one", "alpha-two", "beta-one", "beta-two", "gamma-one", "gamma-two"]


def answer_rows(respondents: int) -> list[list[str]]:
    return [[f"Department {n // 5}", f"Person {n}", question, str(1 + n % 5), "A comment"]
            for n in range(respondents) for question in QUESTIONS]


def counts(app: Flask) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(model))
                     for model in (Department, Response, Answer))


def test_a_problem_at_the_last_row_writes_nothing_though_batches_were_written(
        app, monkeypatch, round_factory):
    monkeypatch.setattr(importer, "BATCH_ANSWERS", 50)  # many batches before the bad row
    round_id = round_factory().id
    rows = [HEADER, *answer_rows(100), ["Department 0", "Person 0", "alpha-one", "4", ""]]
    with app.app_context():
        assessment_round = rounds.require_round(round_id)
        with pytest.raises(importer.ImportInvalid) as caught:
            importer.import_file(assessment_round, app.extensions["question_bank"],
                                 "answers.csv", csv_bytes(rows))
    assert [str(p) for p in caught.value.problems] == [
        "Row 602: repeats the answer of row 2 for 'alpha-one'"]
    assert counts(app) == (0, 0, 0)


def test_the_same_file_without_the_bad_row_is_written_whole(app, monkeypatch, round_factory):
    monkeypatch.setattr(importer, "BATCH_ANSWERS", 50)
    round_id = round_factory().id
    with app.app_context():
        assessment_round = rounds.require_round(round_id)
        plan = importer.import_file(assessment_round, app.extensions["question_bank"],
                                    "answers.csv", io.BytesIO(csv_bytes([HEADER, *answer_rows(100)])))
    assert (plan.answer_count, plan.submitted_count, len(plan.new_departments)) == (600, 100, 20)
    assert counts(app) == (20, 100, 600)


def checking_peak(app: Flask, respondents: int) -> int:
    """Bytes at the peak of reading and checking a CSV of ``respondents`` x 6 answers
    (the file's own bytes not counted: the command reads it from disk)."""
    content = csv_bytes([HEADER, *answer_rows(respondents)])
    with app.app_context():
        bank = app.extensions["question_bank"]
        tracemalloc.start()
        try:
            rows = iter(read_upload("answers.csv", io.BytesIO(content)).rows)
            checker = RowChecker(bank, column_index(next(rows).cells))
            for row in rows:
                checker.check(row)
            assert not checker.problems
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()


def test_checking_memory_grows_with_respondents_not_answers(app):
    # 20,000 then 80,000 answers (6 a respondent): memory may grow with the respondents
    # remembered (a few hundred bytes each), never with every answer's text, as the
    # old plan's did (an AnswerWrite and its strings for every answer).
    small, large = checking_peak(app, 20_000 // 6), checking_peak(app, 80_000 // 6)
    print(f"peak {small:,} B at 20,000 answers, {large:,} B at 80,000")
    assert (large - small) / 60_000 < 150  # bytes for each further answer
    assert large < 12_000_000


WELSH_HEADER = [*HEADER, "evidence", "directorate", "department_cy", "directorate_cy"]


def welsh_import(app: Flask, round_id: int, rows: list[list[str]]) -> None:
    with app.app_context():
        importer.import_file(rounds.require_round(round_id), app.extensions["question_bank"],
                             "answers.csv", csv_bytes(rows))


def test_welsh_names_given_after_a_batch_is_written_are_stored_and_mark_old_rounds_stale(
        app, monkeypatch, round_factory):
    monkeypatch.setattr(importer, "BATCH_ANSWERS", 6)  # each respondent's answers in its own batch
    plain = [[*row, "", "", "", ""] for row in answer_rows(2)]
    first_round = round_factory().id
    welsh_import(app, first_round, [WELSH_HEADER, *plain[:6]])  # Person 0 of Department 0
    with app.app_context():
        before = rounds.require_round(first_round).data_version
    second_round = round_factory("Second round").id
    later = [[*row[:7], "Adran 0", "Cyfarwyddiaeth"] if row[2] == "gamma-two" else row
             for row in plain]
    welsh_import(app, second_round, [WELSH_HEADER, *later])  # Welsh only in each last row
    with app.app_context():
        department = db.session.scalars(select(Department)).one()
        assert (department.name_cy, department.directorate_cy) == ("Adran 0", "Cyfarwyddiaeth")
        assert rounds.require_round(first_round).data_version > before  # its results show the name


def test_a_new_departments_welsh_name_given_by_a_later_respondent_is_stored(app, monkeypatch, round_factory):
    monkeypatch.setattr(importer, "BATCH_ANSWERS", 6)  # the department is written with Person 0
    rows = [[*row, "", "", "Adran 0" if row[1] == "Person 1" else "", ""] for row in answer_rows(2)]
    welsh_import(app, round_factory().id, [WELSH_HEADER, *rows])
    with app.app_context():
        department = db.session.scalars(select(Department)).one()
        assert (department.name_cy, department.directorate_cy) == ("Adran 0", None)
