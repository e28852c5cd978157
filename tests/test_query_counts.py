"""SQL statements per results document and dashboard: a few, whatever the round's size.

Counted with a SQLAlchemy ``before_cursor_execute`` event, so a query run per
department (an N+1) shows as a count that grows with the departments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from sqlalchemy import event, text

from assessment.core.bank import QuestionBank
from assessment.extensions import db
from assessment.question_bank import load_question_bank
from assessment.services import importer, results, results_cache, rounds

from .support.apps import SMALL_BANK
from .support.people import signed_in_client
from .support.rounds import RoundFactory

HEADER = [*importer.REQUIRED_COLUMNS, "evidence", "directorate"]
#: Issue #7: the results document takes at most this many statements.
MAX_DOCUMENT_STATEMENTS = 5
#: Issue #14: once per data version the results are computed and stored, which
#: adds reading the store and writing it (on SQLite, with its BEGIN) to the above.
MAX_COMPUTING_STATEMENTS = MAX_DOCUMENT_STATEMENTS + 3


def round_of(app: Flask, departments: int, bank: QuestionBank | None = None) -> int:
    """A round of ``departments`` departments, two respondents each, every question answered.

    ``bank`` (default: the app's) is the bank the round pins.
    """
    app_bank = app.extensions["question_bank"]
    bank = bank or app_bank
    rows = [HEADER]
    for d in range(departments):
        for respondent in ("Ann", "Bob"):
            rows += [[f"Department {d:02d}", respondent, q.id, str(1 + (d + i) % 5), "", "",
                      ("North", "South")[d % 2]] for i, q in enumerate(bank.questions)]
    app.extensions["question_bank"] = bank
    try:
        return RoundFactory(app)(f"{departments} departments", rows=rows).id
    finally:
        app.extensions["question_bank"] = app_bank


@contextmanager
def statements(app: Flask) -> Iterator[list[int]]:
    counted = [0]

    def count(*_args: Any) -> None:
        counted[0] += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield counted
    finally:
        event.remove(engine, "before_cursor_execute", count)


def counted(app: Flask, step: Callable[[], object]) -> int:
    with statements(app) as count:
        step()
    return count[0]


def forget_stored_results(app: Flask) -> None:
    """Empty the results store every worker shares (the round_results table)."""
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(text("DELETE FROM round_results"))


def cold_document(app: Flask, round_id: int) -> Callable[[], object]:
    """The results document from a cold worker: its own cache empty."""
    def document() -> object:
        results_cache.clear(app)
        with app.app_context():
            return results.results_document(results.analyse(rounds.require_round(round_id)))
    return document


def test_the_results_document_takes_the_same_few_statements_for_3_and_30_departments(app):
    small, large = round_of(app, 3), round_of(app, 30)
    forget_stored_results(app)  # as after a new answer: computed and stored once
    computing_small = counted(app, cold_document(app, small))
    computing_large = counted(app, cold_document(app, large))
    assert computing_small == computing_large
    assert computing_large <= MAX_COMPUTING_STATEMENTS
    for_small = counted(app, cold_document(app, small))  # read from the store
    for_large = counted(app, cold_document(app, large))
    assert for_small == for_large
    assert for_large <= MAX_DOCUMENT_STATEMENTS
    assert for_large < computing_large
    with app.app_context():  # cached now: nothing read beyond the round itself
        assessment_round = rounds.require_round(large)
        with statements(app) as after_the_round:
            results.results_document(results.analyse(assessment_round))
        assert after_the_round[0] == 0


def test_the_dashboard_takes_as_many_statements_for_30_departments_as_for_3(app):
    # The small round pins another bank, so the large round's page, which lists the
    # earlier rounds, draws no trend from it: the two pages do the same work.
    small = round_of(app, 3, load_question_bank(SMALL_BANK))
    large = round_of(app, 30)
    client = signed_in_client(app, "lead", email="counting-lead@example.org")

    def page(round_id: int) -> Callable[[], object]:
        def get() -> object:
            results_cache.clear(app)
            response = client.get(f"/rounds/{round_id}/dashboard")
            assert response.status_code == 200
            return response
        return get

    assert counted(app, page(large)) == counted(app, page(small))
