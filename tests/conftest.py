"""Fixtures: an app on a fresh database, on SQLite and on PostgreSQL.

Every test that takes ``app`` (or ``client``/``runner``) runs twice, once per
database.  PostgreSQL comes from ``TEST_DATABASE_URL`` (default: this machine's
local server); outside CI an unreachable server skips those runs with the reason,
under ``CI=true`` it is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from assessment import create_app
from assessment.extensions import db
from assessment.migrate import upgrade
from assessment.models import Base

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL database for this test session, migrated once."""
    server_url = os.environ.get("TEST_DATABASE_URL", DEFAULT_POSTGRES)
    name = f"joinedup_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL at {server_url} is required under CI: {error}")
        pytest.skip(f"PostgreSQL not reachable at {server_url}: {error}")
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    engine = create_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _empty_postgres(url: str) -> None:
    engine = create_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty, migrated database of each kind."""
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_url")
        _empty_postgres(url)
        return url
    url = f"sqlite:///{tmp_path / 'test.sqlite'}"
    engine = create_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The app on a fresh database, CSRF off (tests that check CSRF turn it on)."""
    flask_app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "BASE_URL": "http://joined-up.test",
    })
    yield flask_app
    with flask_app.app_context():
        db.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def small_app(database_url: str) -> Iterator[Flask]:
    """The app with the small test bank (tests/data/small_bank), for hand-worked numbers."""
    flask_app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "QUESTIONS_PATH": str(Path(__file__).parent / "data" / "small_bank"),
    })
    yield flask_app
    with flask_app.app_context():
        db.dispose()


@pytest.fixture(autouse=True)
def own_instance_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test, and every process it starts, has its own instance folder, never the checkout's.

    ``create_app`` honours JOINED_UP_INSTANCE_PATH, so no test reads a developer's
    ``instance/config.py`` or writes a secret key, database or job queue into the checkout.
    """
    monkeypatch.setenv("JOINED_UP_INSTANCE_PATH", str(tmp_path / "instance"))
