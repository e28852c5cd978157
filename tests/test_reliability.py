"""A locked or missing database gives the 503 page, the app recovers by itself,
and a write that fails half-way leaves nothing behind; on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from assessment.extensions import db
from assessment.migrate import upgrade
from assessment.models import Answer, Round
from assessment.queries import responses as response_queries
from assessment.queries import rounds as round_queries
from assessment.queries.responses import AnswerWrite

from .support.apps import AppFactory
from .support.databases import migrated_sqlite
from .support.people import sign_in
from .support.security import World, build_world


def assert_unavailable_page(response) -> None:  # type: ignore[no-untyped-def]
    text = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in text
    assert "Traceback" not in text and "sqlalchemy" not in text.lower()
    assert response.headers["Retry-After"].isdigit()


def assert_health(app: Flask, status: int) -> None:
    response = app.test_client().get("/healthz")
    assert response.status_code == status
    expected = "ok" if status == 200 else "unavailable"
    assert response.get_json() == {"status": expected, "database": expected}


def test_health_check_reports_a_working_database(app: Flask) -> None:
    assert_health(app, 200)


# --- SQLite ----------------------------------------------------------------------------------

def test_a_locked_sqlite_database_gives_503_then_recovers(
        app_on: AppFactory, tmp_path: Path) -> None:
    path = tmp_path / "locked.sqlite"
    migrated_sqlite(path)
    app = app_on(f"sqlite:///{path}", SQLITE_BUSY_TIMEOUT_MS=200)
    build_world(app)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process writing for longer than the busy timeout
    try:
        assert_unavailable_page(sign_in(app.test_client(), "lead@example.org"))
        assert_unavailable_page(app.test_client().get("/r/some-invitation-token"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert sign_in(app.test_client(), "lead@example.org").status_code == 302


def test_a_missing_sqlite_database_gives_503_then_recovers_when_it_appears(
        app_on: AppFactory, tmp_path: Path) -> None:
    path = tmp_path / "not-yet" / "joined-up.sqlite"
    app = app_on(f"sqlite:///{path}")
    assert_unavailable_page(app.test_client().get("/"))
    assert_health(app, 503)
    path.parent.mkdir()
    engine = create_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    assert app.test_client().get("/").status_code == 302  # to the set-up page
    assert_health(app, 200)


# --- PostgreSQL --------------------------------------------------------------------------------

@pytest.fixture
def postgres_server(postgres_url: str) -> Iterator[tuple[object, str]]:
    """An admin connection and the URL of a database name that does not exist yet."""
    admin = create_engine(make_url(postgres_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    name = f"joinedup_outage_{uuid.uuid4().hex[:8]}"
    yield admin, make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def create_database(admin, url: str) -> None:  # type: ignore[no-untyped-def]
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{make_url(url).database}"'))
    engine = create_engine(url)
    upgrade(engine)
    engine.dispose()


def drop_database(admin, url: str) -> None:  # type: ignore[no-untyped-def]
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{make_url(url).database}" WITH (FORCE)'))


def test_postgresql_going_away_gives_503_and_the_app_recovers_without_restart(
        postgres_server: tuple[object, str], app_on: AppFactory) -> None:
    admin, url = postgres_server
    app = app_on(url)
    assert_unavailable_page(app.test_client().get("/"))
    assert_health(app, 503)
    create_database(admin, url)
    build_world(app)
    lead = app.test_client()
    assert sign_in(lead, "lead@example.org").status_code == 302
    assert lead.get("/").status_code == 200
    drop_database(admin, url)  # kills the pooled connections too
    assert_unavailable_page(lead.get("/"))
    assert_health(app, 503)
    create_database(admin, url)
    build_world(app)
    assert_health(app, 200)
    assert sign_in(app.test_client(), "lead@example.org").status_code == 302


# --- All or nothing, both databases ------------------------------------------------------------

def answer_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Answer)) or 0


def test_a_write_failing_half_way_leaves_nothing_behind(app: Flask, world: World) -> None:
    before = answer_count(app)
    with app.app_context():
        version = db.session.get(Round, world.round_id).data_version
        with pytest.raises(IntegrityError), db.transaction() as session:
            round_queries.bump_data_version(session, world.round_id)
            response_queries.upsert_answers(session, world.response_ids["libraries"],
                                            [AnswerWrite(world.first_question, "4", "first write")])
            # The second write breaks a constraint: the whole transaction must go.
            response_queries.upsert_answers(session, world.response_ids["libraries"],
                                            [AnswerWrite("another-question", "seven")])
    assert answer_count(app) == before
    with app.app_context():
        assert db.session.get(Round, world.round_id).data_version == version
