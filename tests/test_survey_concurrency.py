"""Nothing is lost when many people, or many windows, save at once, or the database is busy.

Threads with their own test clients hit one app and one database (SQLite with
WAL and BEGIN IMMEDIATE, and PostgreSQL), released together by a barrier.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from assessment import extensions
from assessment.extensions import db
from assessment.models import AuditEvent

from .support.rounds import RoundFactory
from .support.survey import (
    answer,
    answer_everything,
    bank_of,
    complete_every_section,
    data_version,
    invite,
    respondent_client,
    stored_answers,
    the_response,
)

THREADS = 6


def run_together(work: list[Callable[[], object]]) -> list[object]:
    """Run each callable in its own thread, all released at the same moment."""
    barrier = threading.Barrier(len(work))
    results: list[object] = [None] * len(work)
    errors: list[BaseException] = []

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = work[index]()
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(work))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


def test_respondents_saving_at_once_lose_nothing(app, survey_round):
    bank = bank_of(app)
    clients = [respondent_client(app, invite(app, survey_round, f"Department {n}", f"Person {n}"))
               for n in range(THREADS)]
    before = data_version(app, survey_round)

    def answer_all(client) -> Callable[[], list[int]]:
        return lambda: [answer(client, q.id, "2", comment=f"Note on {q.id}", revision="0").status_code
                        for q in bank.questions]

    statuses = run_together([answer_all(client) for client in clients])
    assert all(code == 302 for codes in statuses for code in codes)
    stored = stored_answers(app)
    assert len(stored) == THREADS * len(bank.questions)
    assert all(a.comment == f"Note on {a.question_id}" for a in stored.values())
    assert data_version(app, survey_round) == before + THREADS * len(bank.questions)


def test_two_windows_saving_different_questions_at_once_lose_nothing(app, invitation):
    link = invitation
    windows = [respondent_client(app, link), respondent_client(app, link)]
    questions = bank_of(app).questions

    def save_every_other(window, start: int) -> Callable[[], list[int]]:
        return lambda: [answer(window, q.id, "4", revision="0").status_code
                        for q in questions[start::2]]

    run_together([save_every_other(windows[0], 0), save_every_other(windows[1], 1)])
    assert set(stored_answers(app)) == {(the_response(app).id, q.id) for q in questions}


def test_windows_saving_the_same_answer_at_once_keep_one_and_tell_the_others(app, invitation):
    link = invitation
    question = bank_of(app).questions[0]
    windows = [respondent_client(app, link) for _ in range(THREADS)]

    def save(n: int) -> Callable[[], tuple[int, str]]:
        def post() -> tuple[int, str]:
            shown = answer(windows[n], question.id, "3", comment=f"Window {n}", revision="0")
            return shown.status_code, shown.get_data(as_text=True)
        return post

    results = run_together([save(n) for n in range(THREADS)])
    saved = [n for n, (code, _) in enumerate(results) if code == 302]
    assert len(saved) == 1
    stored = stored_answers(app)[(the_response(app).id, question.id)]
    assert stored.comment == f"Window {saved[0]}" and stored.revision == 1
    for n, (code, page) in enumerate(results):
        if n != saved[0]:
            assert code == 409
            assert "This answer was changed in another window" in page
            assert f"Window {n}" in page  # what this window typed is still there


def test_submitting_from_several_windows_at_once_makes_one_submission(app, survey_round, invitation):
    link = invitation
    first = respondent_client(app, link)
    answer_everything(first, bank_of(app))
    complete_every_section(first, bank_of(app))
    windows = [first] + [respondent_client(app, link) for _ in range(THREADS - 1)]
    before = data_version(app, survey_round)

    results = run_together([lambda w=w: w.post("/respond/submit").headers["Location"]
                            for w in windows])
    assert set(results) == {"/respond/confirmation"}
    assert the_response(app).status == "submitted"
    assert data_version(app, survey_round) == before + 1
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.event == "response_submitted")).all()
    assert len(events) == 1


def test_completing_sections_from_two_windows_at_once_keeps_both(app, invitation):
    link = invitation
    bank = bank_of(app)
    first = respondent_client(app, link)
    answer_everything(first, bank)
    windows = [first, respondent_client(app, link)]
    sections = [d.id for d in bank.dimensions]

    def complete(window, start: int) -> Callable[[], None]:
        def post() -> None:
            for section in sections[start::2]:
                window.post(f"/respond/sections/{section}", data={"completed": "yes"})
        return post

    run_together([complete(windows[0], 0), complete(windows[1], 1)])
    assert sorted(the_response(app).completed_sections) == sorted(sections)


# --- a busy database ------------------------------------------------------------------------


@pytest.fixture
def impatient_app(database_url: str, make_app, monkeypatch) -> Flask:
    """The app waiting only 0.3 s for a lock, so a held lock shows as a busy database."""
    url = database_url
    if url.startswith("sqlite"):
        monkeypatch.setattr(extensions, "_SQLITE_BUSY_TIMEOUT_MS", 300)
    else:
        url = make_url(url).update_query_dict({"options": "-c lock_timeout=300"}).render_as_string(
            hide_password=False)
    return make_app(SQLALCHEMY_DATABASE_URI=url)


class HeldLock:
    """Another connection holding the lock a save needs, until released."""

    def __init__(self, database_url: str, response_id: int) -> None:
        if database_url.startswith("sqlite"):
            self.sqlite = sqlite3.connect(make_url(database_url).database, isolation_level=None)
            self.sqlite.execute("BEGIN IMMEDIATE")
        else:
            self.sqlite = None
            self.engine = create_engine(database_url)
            self.connection = self.engine.connect()
            self.transaction = self.connection.begin()
            self.connection.execute(text("SELECT id FROM response WHERE id = :id FOR UPDATE"),
                                    {"id": response_id})

    def release(self) -> None:
        if self.sqlite is not None:
            self.sqlite.execute("ROLLBACK")
            self.sqlite.close()
        else:
            self.transaction.rollback()
            self.connection.close()
            self.engine.dispose()


def test_a_busy_database_re_shows_the_page_with_what_was_typed(impatient_app, database_url):
    app = impatient_app
    client = respondent_client(app, invite(app, RoundFactory(app).survey().id))
    question = bank_of(app).questions[0]
    lock = HeldLock(database_url, the_response(app).id)
    try:
        busy = answer(client, question.id, "4", comment="Typed while busy",
                      evidence="Typed evidence", revision="0")
    finally:
        lock.release()
    page = busy.get_data(as_text=True)
    assert busy.status_code == 503
    assert "Not saved yet: the service is busy" in page
    assert "&lt;p" not in page  # the banner's markup is not shown as text
    assert "Typed while busy" in page and "Typed evidence" in page
    assert 'value="4" checked' in page
    assert stored_answers(app) == {}

    again = answer(client, question.id, "4", comment="Typed while busy", revision="0")
    assert again.status_code == 302
    assert stored_answers(app)[(the_response(app).id, question.id)].comment == "Typed while busy"
