"""Fixtures: an app on a fresh database, on SQLite and on PostgreSQL.

Every test that takes ``app`` (or anything built on it) runs twice, once per
database.  PostgreSQL comes from ``TEST_DATABASE_URL`` (default: this machine's
local server); outside CI an unreachable server skips those runs with the reason,
under ``CI=true`` it is a failure.

The fixtures, by what they give:

- ``app``, ``client``, ``runner``: the app on a fresh database, a client, a CLI runner.
  ``@pytest.mark.app_settings(**settings)`` on a test, class or module gives ``app``
  settings of its own (presets in tests/support/apps.py), the nearest marker winning;
- ``client_for``: ``client_for("lead")`` is a new client signed in as
  ``lead@example.org`` of "Test Council" (made if there is none); also
  ``client_for("anonymous")`` and ``client_for("department_head", link=...)``
  (see :func:`tests.support.people.signed_in_client`, for apps other than ``app``);
- ``admin_client``, ``lead_client``, ``trainer_client``: ``client_for`` of that role;
- ``round_factory``: ``round_factory(departments={"Parks": "2"})`` builds a round
  whose departments have submitted answers; ``round_factory.survey()`` one made as
  the "New round" page makes it; ``round_factory.demo()`` the demonstration
  (see :class:`tests.support.rounds.RoundFactory`, for apps other than ``app``);
- ``survey_round``, ``invitation``: an open round made by ``round_factory.survey()``
  and Ann Example's (Housing) invitation link to it, for the questionnaire's tests;
- ``world``: the security tests' organisation, someone of every role in it (see
  :func:`tests.support.security.build_world`);
- ``make_app``: ``make_app(**config)`` builds another app on the test's database,
  for tests of configuration and tests that need two apps at once; ``app_on(url,
  **config)`` one on another database (a backup's target, a served database).
  No other test builds an app.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from assessment import create_app
from assessment.extensions import db
from assessment.migrate import upgrade

from .support.apps import AppFactory, app_settings
from .support.databases import empty_postgres, migrated_sqlite
from .support.people import ClientFor, signed_in_client
from .support.rounds import RoundFactory
from .support.security import World, build_world
from .support.survey import invite

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

# Property tests check what is true, not how fast: Hypothesis's 200 ms deadline per example
# fails them on a CI machine shared with other work, so no example has a deadline.
settings.register_profile("joined-up", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("joined-up")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "app_settings(**settings): settings of the test's own for "
                            "the app fixture (a test's marker wins over its class's and module's)")


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


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty, migrated database of each kind."""
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_url")
        empty_postgres(url)
        return url
    return migrated_sqlite(tmp_path / "test.sqlite")


@pytest.fixture
def app_on() -> Iterator[AppFactory]:
    """``app_on(database_url, **config)``: an app on that database, disposed of after the test."""
    made: list[Flask] = []

    def build(database_url: str, **config: Any) -> Flask:
        made.append(create_app(app_settings(database_url, **config)))
        return made[-1]

    yield build
    for flask_app in made:
        with flask_app.app_context():
            db.dispose()


@pytest.fixture
def app(request: pytest.FixtureRequest, database_url: str, app_on: AppFactory) -> Flask:
    """The app on a fresh database, CSRF off, with the settings of the test's
    ``app_settings`` markers (a test's own winning over its class's and module's)."""
    settings: dict[str, Any] = {}
    for marker in reversed(list(request.node.iter_markers("app_settings"))):
        settings.update(marker.kwargs)
    return app_on(database_url, **settings)


@pytest.fixture
def make_app(database_url: str, app_on: AppFactory) -> AppFactory:
    """``make_app(**config)``: another app on the test's database with settings of its own."""
    return partial(app_on, database_url)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture(autouse=True)
def own_instance_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test, and every process it starts, has its own instance folder, never the checkout's.

    ``create_app`` honours JOINED_UP_INSTANCE_PATH, so no test reads a developer's
    ``instance/config.py`` or writes a secret key, database or job queue into the checkout.
    """
    monkeypatch.setenv("JOINED_UP_INSTANCE_PATH", str(tmp_path / "instance"))


# --- people and rounds ---------------------------------------------------------------------------


@pytest.fixture
def client_for(app: Flask) -> ClientFor:
    """``client_for(role, email=None, link=None)``: a new client of ``app`` as that visitor."""
    return partial(signed_in_client, app)


@pytest.fixture
def admin_client(app: Flask) -> FlaskClient:
    return signed_in_client(app, "admin")


@pytest.fixture
def lead_client(app: Flask) -> FlaskClient:
    return signed_in_client(app, "lead")


@pytest.fixture
def trainer_client(app: Flask) -> FlaskClient:
    return signed_in_client(app, "trainer")


@pytest.fixture
def round_factory(app: Flask) -> RoundFactory:
    return RoundFactory(app)


@pytest.fixture
def survey_round(round_factory: RoundFactory) -> int:
    """An open round made as the "New round" page makes it, for the questionnaire's tests."""
    return round_factory.survey().id


@pytest.fixture
def invitation(app: Flask, survey_round: int) -> str:
    """Ann Example's (Housing) invitation link to ``survey_round``, a path."""
    return invite(app, survey_round)


@pytest.fixture
def world(app: Flask) -> World:
    """The security tests' small organisation: someone of every role, a round, two links."""
    return build_world(app)
