"""Storage: SQLite settings, one answer per question, and concurrent writers."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from assessment.extensions import db
from assessment.models import Answer, Response, Round
from assessment.queries import responses as response_queries
from assessment.queries.responses import AnswerWrite
from assessment.services import invitations

from .support.apps import SMALL_BANK_SETTINGS

pytestmark = pytest.mark.app_settings(**SMALL_BANK_SETTINGS)  # the small test bank

ROOT = Path(__file__).resolve().parent.parent

# Each process signs in to the same database and, N times, reads the current
# answer count and then writes: the read-then-write shape that loses updates or
# fails with "database is locked" unless write transactions take the lock first.
WORKER = textwrap.dedent("""
    import sys
    from sqlalchemy import func, select
    from assessment import create_app
    from assessment.extensions import db
    from assessment.models import Answer
    from assessment.queries import responses, rounds
    from assessment.queries.responses import AnswerWrite

    url, response_id, round_id, worker, count = sys.argv[1:6]
    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": url,
                      "QUESTIONS_PATH": "tests/data/small_bank"})
    with app.app_context():
        for n in range(int(count)):
            with db.transaction() as session:
                session.scalar(select(func.count()).select_from(Answer))
                responses.upsert_answers(session, int(response_id),
                                         [AnswerWrite(f"w{worker}-q{n}", "3")])
                rounds.bump_data_version(session, int(round_id))
""")


def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite settings only")
        pragmas = {name: db.session.execute(text(f"PRAGMA {name}")).scalar()
                   for name in ("journal_mode", "foreign_keys", "busy_timeout")}
    assert pragmas == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 10000}


def test_one_answer_per_response_and_question(app, round_factory):
    round_id = round_factory().id
    with app.app_context():
        response_id = invitations.invite(round_id, "Libraries", "Ann").response_id
        with pytest.raises(IntegrityError), db.transaction() as session:
            session.add_all([Answer(response_id=response_id, question_id="alpha-one", value="3"),
                             Answer(response_id=response_id, question_id="alpha-one", value="4")])
        with db.transaction() as session:
            response_queries.upsert_answers(session, response_id, [AnswerWrite("alpha-one", "3")])
            response_queries.upsert_answers(session, response_id, [AnswerWrite("alpha-one", "4", "Changed")])
        answer = db.session.scalars(select(Answer)).one()
        assert (answer.value, answer.comment, answer.revision) == ("4", "Changed", 2)


def test_concurrent_writer_processes_lose_nothing(app, database_url, round_factory):
    round_id = round_factory().id
    with app.app_context():
        response_id = invitations.invite(round_id, "Libraries", "Ann").response_id
    workers, per_worker = 4, 30
    processes = [
        subprocess.Popen([sys.executable, "-c", WORKER, database_url, str(response_id), str(round_id),
                          str(w), str(per_worker)], cwd=ROOT, stderr=subprocess.PIPE, text=True)
        for w in range(workers)
    ]
    errors = [p.communicate(timeout=120)[1] for p in processes]
    assert [p.returncode for p in processes] == [0] * workers, errors
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Answer)) == workers * per_worker
        assert db.session.get(Round, round_id).data_version == workers * per_worker


def test_a_failed_write_transaction_leaves_nothing(app, round_factory):
    round_id = round_factory().id
    with app.app_context():
        response_id = invitations.invite(round_id, "Libraries", "Ann").response_id
        with pytest.raises(IntegrityError), db.transaction() as session:
            response_queries.upsert_answers(session, response_id, [AnswerWrite("alpha-one", "3")])
            session.execute(text("INSERT INTO answer (response_id, question_id, value, revision, "
                                 "challenged, updated_at) VALUES (:r, 'x', 'bad', 1, false, "
                                 "CURRENT_TIMESTAMP)"), {"r": response_id})
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 0
        assert db.session.get(Response, response_id).status == "in_progress"
