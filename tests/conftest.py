"""Fixtures: an app on a fresh database, on SQLite and on PostgreSQL.

Every test that takes ``app`` (or anything built on it) runs twice, once per
database.  PostgreSQL comes from ``TEST_DATABASE_URL`` (default: this machine's
local server); outside CI an unreachable server skips those runs with the reason,
under ``CI=true`` it is a failure.

The fixtures, by what they give:

- ``app``, ``client``, ``runner``: the app on a fresh database, a client, a CLI runner;
- ``admin_client``, ``lead_client``, ``trainer_client``: a client signed in (through
  the sign-in page) as ``<role>@example.org`` of the organisation "Test Council";
- ``round_factory``: ``round_factory(departments={"Parks": "2"})`` builds a round
  whose departments have submitted answers (see :class:`RoundFactory`);
- ``make_app``: ``make_app(**config)`` builds another app on the test's database
  with settings of its own, for the few tests of configuration; no other test
  builds an app.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
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
from assessment.models import Base
from assessment.services import accounts, importer, invitations, results, rounds

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

# Property tests check what is true, not how fast: Hypothesis's 200 ms deadline per example
# fails them on a CI machine shared with other work, so no example has a deadline.
settings.register_profile("joined-up", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("joined-up")


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


def empty_postgres(url: str) -> None:
    """Every table of the PostgreSQL database at ``url`` emptied, ids starting again at 1."""
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
        empty_postgres(url)
        return url
    url = f"sqlite:///{tmp_path / 'test.sqlite'}"
    engine = create_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


def app_settings(database_url: str, **settings: Any) -> dict[str, Any]:
    """The settings every test app starts from, CSRF off (tests that check CSRF turn it on)."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "BASE_URL": "http://joined-up.test",
        **settings,
    }


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The app on a fresh database, CSRF off (tests that check CSRF turn it on)."""
    flask_app = create_app(app_settings(database_url))
    yield flask_app
    with flask_app.app_context():
        db.dispose()


@pytest.fixture
def make_app(database_url: str) -> Iterator[Callable[..., Flask]]:
    """``make_app(**config)``: an app on the test's database with settings of its own."""
    made: list[Flask] = []

    def build(**config: Any) -> Flask:
        made.append(create_app(app_settings(database_url, **config)))
        return made[-1]

    yield build
    for flask_app in made:
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
        "BASE_URL": "http://joined-up.test",  # invitations made outside a request need it
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


# --- people and rounds ---------------------------------------------------------------------------

ORGANISATION = "Test Council"
PASSWORD = "a long enough password"


def signed_in_client(app: Flask, role: str) -> FlaskClient:
    """A new client signed in through the sign-in page as a new ``<role>@example.org``."""
    email = f"{role}@example.org"
    with app.app_context():
        accounts.ensure_organisation(ORGANISATION)
        accounts.create_user(email, PASSWORD, role)
    signed_in = app.test_client()
    response = signed_in.post("/sign-in", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return signed_in


@pytest.fixture
def admin_client(app: Flask) -> FlaskClient:
    return signed_in_client(app, "admin")


@pytest.fixture
def lead_client(app: Flask) -> FlaskClient:
    return signed_in_client(app, "lead")


@pytest.fixture
def trainer_client(app: Flask) -> FlaskClient:
    return signed_in_client(app, "trainer")


@dataclass(frozen=True)
class MadeRound:
    """A round built by :class:`RoundFactory`: its id, and the invitation link
    (a path, ``/r/<token>``) of each department invited without answers."""

    id: int
    links: dict[str, str] = field(default_factory=dict)


@dataclass
class RoundFactory:
    """Builds rounds of the organisation "Test Council" (made if there is none).

    ``departments`` maps a department to the level every respondent of it gives
    to every question of the round's bank: one respondent for a string
    (``{"Parks": "2"}``), one per item for a list (``{"Housing": ["1", "4"]}``).
    Answers go in through the importer, as submitted responses.
    ``directorates`` gives departments a directorate; each of ``invited`` gets an
    invitation link and no answers.  A round ends in ``status``.
    """

    app: Flask

    def __call__(self, name: str = "Test round", *, status: str = "open",
                 departments: Mapping[str, str | Sequence[str]] | None = None,
                 directorates: Mapping[str, str] | None = None,
                 invited: Sequence[str] = ()) -> MadeRound:
        filled = bool(departments or invited)  # answers and invitations need an open round
        with self.app.app_context():
            accounts.ensure_organisation(ORGANISATION)
            round_id = rounds.create_round(name, "open" if filled else status).id
            if departments:
                self._import(round_id, departments, directorates or {})
            links = {department: invitations.invite(round_id, department, f"{department} head").link
                     for department in invited}
            if filled and status != "open":
                rounds.set_status(round_id, status)
        base = self.app.config["BASE_URL"]
        return MadeRound(round_id, {name: link.removeprefix(base) for name, link in links.items()})

    @staticmethod
    def _import(round_id: int, departments: Mapping[str, str | Sequence[str]],
                directorates: Mapping[str, str]) -> None:
        assessment_round = rounds.require_round(round_id)
        bank = results.round_bank(assessment_round)
        rows: list[list[str]] = [[*importer.REQUIRED_COLUMNS, "evidence", "directorate"]]
        for department, levels in departments.items():
            for number, level in enumerate([levels] if isinstance(levels, str) else levels, 1):
                rows += [[department, f"Respondent {number}", question.id, level, "", "",
                          directorates.get(department, "")] for question in bank.questions]
        importer.apply_import(assessment_round, importer.plan_import(assessment_round, bank, rows))


@pytest.fixture
def round_factory(app: Flask) -> RoundFactory:
    return RoundFactory(app)
