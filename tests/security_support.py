"""A small organisation with someone of every role, for the security tests.

``build_world`` makes an admin, a lead and a trainer, an open round with two
departments (Parks has submitted, Libraries is in progress), an invitation
link for each, and returns the ids the route walk needs.  ``client_as`` gives a
test client signed in as one of the five kinds of visitor.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assessment import create_app
from assessment.extensions import db
from assessment.models import Response, User, utcnow
from assessment.queries import responses as response_queries
from assessment.queries.responses import AnswerWrite
from assessment.services import accounts, invitations, results, rounds

PASSWORD = "correct horse battery staple"
ROLES = ("anonymous", "department_head", "trainer", "lead", "admin")
STAFF = ("trainer", "lead", "admin")


def make_app(database_url: str, **settings: Any) -> Flask:
    """The app as the conftest makes it, with settings of the test's own."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "BASE_URL": "http://joined-up.test",
        "RATELIMIT_STORAGE_URI": None,
        "REDIS_URL": None,
        # The walks follow invitation links many times from one address.
        "RATELIMIT_INVITATION_PER_ADDRESS": "10000 per minute",
    }
    config.update(settings)
    return create_app(config)


def closing(app: Flask) -> Iterator[Flask]:
    yield app
    with app.app_context():
        db.dispose()


@dataclass
class World:
    round_id: int
    user_ids: dict[str, int]
    department_ids: dict[str, int]
    response_ids: dict[str, int]
    tokens: dict[str, str]
    first_question: str
    first_dimension: str
    extra: dict[str, Any] = field(default_factory=dict)

    def email(self, role: str) -> str:
        return f"{role}@example.org"


def _token(link: str) -> str:
    return link.rsplit("/", 1)[1]


def submit_all(app: Flask, round_id: int, response_id: int, value: str = "3",
               comment: str | None = None) -> None:
    """Answer every question of the round and mark the response submitted."""
    with app.app_context():
        bank = results.round_bank(rounds.require_round(round_id))
        writes = [AnswerWrite(q.id, value, comment) for q in bank.questions]
        with db.transaction() as session:
            response_queries.upsert_answers(session, response_id, writes)
            response = session.get(Response, response_id)
            assert response is not None
            response.status, response.submitted_at = "submitted", utcnow()


def build_world(app: Flask, organisation: str = "Test Council") -> World:
    with app.app_context():
        accounts.ensure_organisation(organisation)
        user_ids = {role: accounts.create_user(f"{role}@example.org", PASSWORD, role).id
                    for role in STAFF}
        assessment_round = rounds.create_round("Spring round", "open")
        bank = results.round_bank(assessment_round)
        parks = invitations.invite(assessment_round.id, "Parks", "Alex")
        libraries = invitations.invite(assessment_round.id, "Libraries", "Bo")
        departments = {"parks": _department_of(parks.response_id),
                       "libraries": _department_of(libraries.response_id)}
    submit_all(app, assessment_round.id, parks.response_id)
    with app.app_context():
        answer_id = response_queries.response_answers(parks.response_id)[0].id
    return World(
        round_id=assessment_round.id, user_ids=user_ids, department_ids=departments,
        response_ids={"parks": parks.response_id, "libraries": libraries.response_id},
        tokens={"parks": _token(parks.link), "libraries": _token(libraries.link)},
        first_question=bank.questions[0].id, first_dimension=bank.dimensions[0].id,
        extra={"answer_id": answer_id},
    )


def _department_of(response_id: int) -> int:
    response = db.session.get(Response, response_id)
    assert response is not None
    return response.department_id


def sign_in_session(app: Flask, client: FlaskClient, user_id: int) -> None:
    """Sign ``client`` in as the user, as the sign-in page would (without scrypt)."""
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        version = user.session_version
    with client.session_transaction() as session:
        session["_user_id"] = f"{user_id}:{version}"
        session["_fresh"] = True


def client_as(app: Flask, world: World, role: str) -> FlaskClient:
    """A new client: anonymous, a department head who followed their link, or signed in."""
    client = app.test_client()
    if role == "department_head":
        followed = client.get(f"/r/{world.tokens['libraries']}")
        assert followed.status_code == 302, followed.status_code
    elif role in STAFF:
        sign_in_session(app, client, world.user_ids[role])
    return client


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD) -> Any:
    """Sign in through the real page (scrypt, rate limit, audit)."""
    return client.post("/sign-in", data={"email": email, "password": password})


def table_snapshot(app: Flask, leave_out: tuple[str, ...] = ("audit_event",)) -> dict[str, Any]:
    """Every row of every table (as a backup holds them), for "nothing changed" checks."""
    from assessment.services import backup

    with app.app_context():
        tables = backup.make_backup()["tables"]
    return {name: _without_link_states(table) for name, table in tables.items() if name not in leave_out}


#: Following a link records when it was first opened, and downloading the links when they were
#: downloaded (a link's honest state): the only writes a GET may make, so "nothing changed"
#: checks leave them out.
LINK_STATE_COLUMNS = {"opened_at", "downloaded_at"}


def _without_link_states(table: dict[str, Any]) -> dict[str, Any]:
    kept = [i for i, column in enumerate(table["columns"]) if column not in LINK_STATE_COLUMNS]
    return {"columns": [table["columns"][i] for i in kept],
            "rows": [[row[i] for i in kept] for row in table["rows"]]}


def project_root() -> Path:
    return Path(__file__).resolve().parents[1]


class ScryptCalls:
    """Counts scrypt runs and the length of each password given to it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.lengths: list[int] = []
        real = hashlib.scrypt

        def counting(password: bytes, **kwargs):  # type: ignore[no-untyped-def]
            self.lengths.append(len(password))
            return real(password, **kwargs)

        monkeypatch.setattr(hashlib, "scrypt", counting)

    def during(self, action) -> list[int]:  # type: ignore[no-untyped-def]
        self.lengths.clear()
        action()
        return list(self.lengths)
