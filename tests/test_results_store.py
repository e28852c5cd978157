"""Issue #14: results computed once per data version and shared by every worker and host.

"Computed" is counted by wrapping ``services.results._compute``, and analysis
by SQL statements that read the round's answers (``SELECT answer.response_id``),
never by time.  Two apps made with ``create_app`` on one database stand for
two workers (each app has its own in-memory cache).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError

from assessment.extensions import db
from assessment.queries import results_store as store_queries
from assessment.queries.responses import AnswerWrite
from assessment.services import (
    invitations,
    results,
    results_cache,
    results_store,
    review,
    rounds,
    survey,
)

from .support.ci import skip_or_fail_in_ci
from .support.people import signed_in_client

READS_ANSWERS = "SELECT answer.response_id"


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The ids of the rounds computed from their answers, in order."""
    calls: list[int] = []
    compute = results._compute

    def counting(assessment_round: Any, bank: Any) -> Any:
        calls.append(assessment_round.id)
        return compute(assessment_round, bank)

    monkeypatch.setattr(results, "_compute", counting)
    return calls


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    """Every SQL statement ``app`` runs inside the block."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def analyses(seen: list[str]) -> int:
    return sum(statement.startswith(READS_ANSWERS) for statement in seen)


def analysed(app: Flask, round_id: int) -> results.RoundResults:
    with app.app_context():
        return results.analyse(rounds.require_round(round_id)).results


def dashboard(client: FlaskClient, round_id: int) -> None:
    response = client.get(f"/rounds/{round_id}/dashboard")
    assert response.status_code == 200


def two_rounds(round_factory: Callable[..., Any]) -> tuple[int, int]:
    earlier = round_factory("Earlier", departments={"Parks": "2", "Roads": "3"}).id
    current = round_factory("Current", departments={"Parks": "4", "Roads": ["5", "3"]}).id
    return earlier, current


def test_viewing_an_earlier_round_does_not_evict_the_current_rounds_stored_results(
        app, round_factory, lead_client, computed, monkeypatch):
    # The worker's own cache holds one department: every other view pushes a round out
    # of it, as a 10,000-department round was pushed out by the trend's rounds.
    monkeypatch.setattr(results_cache, "MAX_DEPARTMENTS", 1)
    earlier, current = two_rounds(round_factory)
    dashboard(lead_client, current)
    assert computed == [current, earlier]  # the trend needs the earlier round once
    dashboard(lead_client, earlier)
    with statements(app) as seen:
        dashboard(lead_client, current)
    assert computed == [current, earlier]
    assert analyses(seen) == 0


def test_after_one_new_answer_the_next_view_computes_once_and_the_view_after_does_not(
        app, make_app, round_factory, lead_client, computed):
    made = round_factory("Current", departments={"Parks": "2"}, invited=["Roads"])
    dashboard(lead_client, made.id)
    assert computed == [made.id]
    question = app.extensions["question_bank"].questions[0]
    with app.app_context():
        response_id = invitations.invite(made.id, "Schools", "Bea").response_id
        survey.save_answer(response_id, AnswerWrite(question.id, "5"), 0)
    with statements(app) as seen:
        dashboard(lead_client, made.id)
    assert computed == [made.id, made.id]
    assert analyses(seen) == 1
    with statements(app) as seen:
        dashboard(lead_client, made.id)
    assert analyses(seen) == 0
    other_worker = make_app()
    assert analysed(other_worker, made.id) == analysed(app, made.id)
    assert computed == [made.id, made.id]


def test_two_apps_on_one_database_share_the_stored_results(app, make_app, round_factory, computed):
    _, current = two_rounds(round_factory)
    first = analysed(app, current)
    second_worker = make_app()
    with statements(second_worker) as seen:
        second = analysed(second_worker, current)
    assert second == first
    assert computed == [current]
    assert analyses(seen) == 0
    assert not any("round_results.summary" in statement for statement in seen)


def test_the_trend_does_not_recompute_earlier_rounds(app, make_app, round_factory, computed):
    earlier, current = two_rounds(round_factory)
    analysed(app, earlier)
    assert computed == [earlier]
    worker = make_app()
    dashboard(signed_in_client(worker, "lead"), current)
    assert computed == [earlier, current]


def test_the_trend_reads_an_earlier_rounds_summary_only(app, make_app, round_factory, computed):
    earlier, _ = two_rounds(round_factory)
    whole = analysed(app, earlier)
    worker = make_app()
    with worker.app_context(), statements(worker) as seen:
        summary = results.trend_analysis(rounds.require_round(earlier)).results
        results.trend_analysis(rounds.require_round(earlier))  # now from the worker's memory
    assert computed == [earlier]
    assert summary.organisation == whole.organisation
    assert [(d.name, d.scores, d.levels) for d in summary.departments] == [
        (d.name, d.scores, d.levels) for d in whole.departments]
    read = [statement for statement in seen if "round_results" in statement]
    assert len(read) == 1 and "round_results.summary" in read[0]
    assert "round_results.payload" not in read[0]


def test_a_round_never_stored_is_analysed_once_for_the_trend(app, round_factory, computed):
    earlier, _ = two_rounds(round_factory)
    with app.app_context():
        found = results.trend_analysis(rounds.require_round(earlier)).results
        again = results.trend_analysis(rounds.require_round(earlier)).results
    assert computed == [earlier]
    assert found is again


def test_new_targets_are_a_new_version_of_the_stored_results(app, make_app, round_factory, computed):
    _, current = two_rounds(round_factory)
    analysed(app, current)
    first = app.extensions["question_bank"].dimension_ids[0]
    with app.app_context():
        review.set_targets(current, {first: 4})  # changes no answer, nor the data version
    assert analysed(make_app(), current).targets == {first: 4.0}
    assert analysed(make_app(), current).targets == {first: 4.0}
    assert computed == [current, current]


def stored_row(app: Flask, round_id: int) -> Any:
    with app.app_context(), db.engine.connect() as connection:
        return connection.execute(
            text("SELECT data_version, bank_version FROM round_results WHERE round_id = :id"),
            {"id": round_id}).first()


def test_one_row_per_round_replaced_when_the_version_moves(app, round_factory):
    made = round_factory("Current", departments={"Parks": "2"})
    analysed(app, made.id)
    with app.app_context():
        assessment_round = rounds.require_round(made.id)
        version, bank_version = assessment_round.data_version, assessment_round.bank_version
        response_id = invitations.invite(made.id, "Schools", "Bea").response_id
        question = app.extensions["question_bank"].questions[0]
        survey.save_answer(response_id, AnswerWrite(question.id, "5"), 0)
    assert tuple(stored_row(app, made.id)) == (version, bank_version)
    analysed(app, made.id)
    with app.app_context():
        assert tuple(stored_row(app, made.id)) == (rounds.require_round(made.id).data_version,
                                                   bank_version)
        count = db.session.scalar(text("SELECT count(*) FROM round_results"))
    assert count == 1


def test_workers_storing_the_same_round_at_once_all_succeed(app, make_app, round_factory):
    _, current = two_rounds(round_factory)
    expected = analysed(app, current)
    workers = [make_app() for _ in range(3)]
    failures: list[BaseException] = []

    def store_repeatedly(worker: Flask) -> None:
        try:
            for _ in range(5):
                with worker.app_context():
                    results_store.save(rounds.require_round(current), expected)
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)

    threads = [threading.Thread(target=store_repeatedly, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with app.app_context():
        assert results_store.load(rounds.require_round(current)) == expected


def test_a_damaged_stored_payload_is_computed_again(app, make_app, round_factory, computed):
    _, current = two_rounds(round_factory)
    expected = analysed(app, current)
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(text("UPDATE round_results SET payload = :junk"), {"junk": b"not zlib"})
    assert analysed(make_app(), current) == expected
    assert computed == [current, current]
    assert analysed(make_app(), current) == expected  # stored again, whole
    assert computed == [current, current]


def test_a_store_that_cannot_be_written_still_gives_the_results(
        app, round_factory, computed, monkeypatch):
    def locked(*_args: Any) -> None:
        raise OperationalError("INSERT INTO round_results", {}, Exception("database is locked"))

    monkeypatch.setattr(store_queries, "save_results", locked)
    _, current = two_rounds(round_factory)
    assert {d.name for d in analysed(app, current).departments} == {"Parks", "Roads"}
    assert stored_row(app, current) is None


# --- Redis, when REDIS_URL is set -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A throwaway Redis server that keeps nothing on disk."""
    server = shutil.which("redis-server")
    if server is None:
        skip_or_fail_in_ci("redis-server is not installed")
    port = free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60  # generous: CI machines may be busy
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    skip_or_fail_in_ci("redis-server did not start")
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_with_redis_two_workers_share_results_kept_in_redis(
        app, make_app, round_factory, computed, redis_url):
    _, current = two_rounds(round_factory)
    first, second = make_app(REDIS_URL=redis_url), make_app(REDIS_URL=redis_url)
    expected = analysed(first, current)
    with statements(second) as seen:
        assert analysed(second, current) == expected
    assert computed == [current]
    assert analyses(seen) == 0
    assert stored_row(app, current) is None  # in Redis, not the database
    with second.app_context():
        summary = results.trend_analysis(rounds.require_round(current)).results
        assert summary == expected  # whole results already in this worker's memory
    with first.app_context():
        question = first.extensions["question_bank"].questions[0]
        response_id = invitations.invite(current, "Schools", "Bea").response_id
        survey.save_answer(response_id, AnswerWrite(question.id, "5"), 0)
    analysed(second, current)
    analysed(first, current)
    assert computed == [current, current]
    with first.app_context():
        results_store.clear()
    analysed(make_app(REDIS_URL=redis_url), current)
    assert computed == [current, current, current]


def test_with_redis_down_the_results_are_computed(make_app, round_factory, computed):
    _, current = two_rounds(round_factory)
    worker = make_app(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    assert {d.name for d in analysed(worker, current).departments} == {"Parks", "Roads"}
    assert computed == [current]


def test_forgetting_the_stored_results_makes_the_next_view_compute(app, make_app, round_factory,
                                                                   computed):
    _, current = two_rounds(round_factory)
    analysed(app, current)
    with app.app_context():
        results_store.clear()
    assert stored_row(app, current) is None
    analysed(make_app(), current)
    assert computed == [current, current]
