"""The results cache: computed once per data version, never stale after any write.

Every way answers or settings change (an import, a respondent saving and
submitting, a challenge, targets, a department's directorate) must show in the
very next analysis, and so must a write by another process, since the cache key
comes from the database on every call.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from flask import Flask
from sqlalchemy import text

from assessment.extensions import db
from assessment.models import Base
from assessment.queries import results as result_queries
from assessment.queries.responses import AnswerWrite
from assessment.services import importer, invitations, results, review, rounds, survey

from .support.files import csv_bytes

HEADER = [*importer.REQUIRED_COLUMNS, "evidence", "directorate"]
ROOT = Path(__file__).resolve().parent.parent


def rows_for(app: Flask, department: str, level: str, directorate: str = "") -> list[list[str]]:
    bank = app.extensions["question_bank"]
    return [HEADER, *([department, "Ann", q.id, level, "", "", directorate] for q in bank.questions)]


def import_into(app: Flask, round_id: int, rows: list[list[str]]) -> None:
    with app.app_context():
        assessment_round = rounds.require_round(round_id)
        plan = importer.plan_import(assessment_round, app.extensions["question_bank"], rows)
        importer.apply_import(assessment_round, plan)


def analysed(app: Flask, round_id: int) -> results.RoundResults:
    with app.app_context():
        return results.analyse(rounds.require_round(round_id)).results


def scores(app: Flask, round_id: int) -> dict[str, dict[str, float | None]]:
    return {d.name: d.scores for d in analysed(app, round_id).departments}


def test_results_are_computed_once_per_data_version_and_an_import_shows_at_once(app, round_factory):
    round_id = round_factory("Cached round", departments={"Parks": "2"}).id
    assert analysed(app, round_id) is analysed(app, round_id)
    assert set(scores(app, round_id)) == {"Parks"}
    import_into(app, round_id, rows_for(app, "Roads", "4"))
    assert set(scores(app, round_id)) == {"Parks", "Roads"}


def test_a_respondent_saving_and_submitting_shows_at_once(app, round_factory):
    round_id = round_factory("Cached round", departments={"Parks": "2"}).id
    analysed(app, round_id)
    bank = app.extensions["question_bank"]
    with app.app_context():
        response_id = invitations.invite(round_id, "Roads", "Bea").response_id
        for question in bank.questions:
            survey.save_answer(response_id, AnswerWrite(question.id, "5"), 0)
    assert set(scores(app, round_id)) == {"Parks"}  # saved, not yet submitted
    with app.app_context():
        assert survey.submit(response_id, bank)
    assert set(scores(app, round_id)["Roads"].values()) == {5.0}


def test_a_challenge_and_new_targets_show_at_once(app, round_factory):
    round_id = round_factory("Cached round", departments={"Parks": "2"}).id
    before = analysed(app, round_id)
    with app.app_context():
        department = result_queries.round_departments(round_id)[0]
        answer = result_queries.department_answer_rows(round_id, department.id)[0]
        review.challenge_answer(round_id, department.id, answer.id, "Ask for the policy.")
    assert analysed(app, round_id) is not before  # exports show challenges: computed again
    assert analysed(app, round_id).targets == {}
    first = app.extensions["question_bank"].dimension_ids[0]
    with app.app_context():
        review.set_targets(round_id, {first: 4})  # changes no answer, nor the data version
    assert analysed(app, round_id).targets == {first: 4.0}
    assert analysed(app, round_id).gaps[first] == 2.0


def test_a_new_directorate_shows_in_every_round_of_the_department(app, round_factory):
    earlier = round_factory("Earlier", departments={"Parks": "2"}, directorates={"Parks": "Place"}).id
    assert analysed(app, earlier).departments[0].directorate == "Place"
    later = round_factory("Later").id
    with app.app_context():
        invitations.invite(later, "Parks", "Bea", directorate="Environment")
    assert analysed(app, earlier).departments[0].directorate == "Environment"


def test_an_import_by_another_process_shows_at_once(app, round_factory, tmp_path):
    round_id = round_factory("Cached round", departments={"Parks": "2"}).id
    assert set(scores(app, round_id)) == {"Parks"}
    answers = tmp_path / "roads.csv"
    answers.write_bytes(csv_bytes(rows_for(app, "Roads", "4")))
    settings = tmp_path / "settings.py"
    settings.write_text(f"SQLALCHEMY_DATABASE_URI = {app.config['SQLALCHEMY_DATABASE_URI']!r}\n"
                        f"JOBS_SQLITE_PATH = {str(tmp_path / 'jobs.sqlite')!r}\n"
                        "SECRET_KEY = 'test-secret-key-not-for-production'\n")
    environment = {name: value for name, value in os.environ.items()
                   if name not in ("DATABASE_URL", "REDIS_URL", "RATELIMIT_STORAGE_URI")}
    environment["JOINED_UP_SETTINGS"] = str(settings)
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "import-responses", str(round_id), str(answers)],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert set(scores(app, round_id)) == {"Parks", "Roads"}


def empty_database(app: Flask) -> None:
    """Every row gone and ids starting again at 1, as between two tests."""
    with app.app_context(), db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(table.delete())


def test_a_round_made_again_with_the_same_id_and_version_is_not_served_old_results(app, round_factory):
    round_id = round_factory("Cached round", departments={"Parks": "2"}).id
    assert set(scores(app, round_id)) == {"Parks"}
    empty_database(app)
    assert round_factory("Cached round").id == round_id
    import_into(app, round_id, rows_for(app, "Roads", "4"))
    assert set(scores(app, round_id)) == {"Roads"}
