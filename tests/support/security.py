"""A small organisation with someone of every role, for the security tests (not fixtures;
the ``world`` fixture in tests/conftest.py builds one on ``app``).

:func:`build_world` makes an admin, a lead and a trainer, an open round with two
departments (Parks has submitted, Libraries is in progress) and an invitation
link for each, and returns the ids the route walks need.  A client as each kind of
visitor is ``signed_in_client(app, role, link=world.respondent_link)``
(tests/support/people.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask

from assessment.extensions import db
from assessment.models import Response, utcnow
from assessment.queries import responses as response_queries
from assessment.queries.responses import AnswerWrite
from assessment.services import results, rounds

from .people import STAFF, VISITORS, make_user
from .rounds import RoundFactory

#: Every kind of visitor the walks try, from the least trusted.
ROLES = VISITORS


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

    @property
    def respondent_link(self) -> str:
        """The link the walks' department head follows: Libraries', whose response is in progress."""
        return f"/r/{self.tokens['libraries']}"


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


def build_world(app: Flask) -> World:
    user_ids = {role: make_user(app, role) for role in STAFF}
    made = RoundFactory(app)("Spring round", invited={"Parks": "Alex", "Libraries": "Bo"})
    parks, libraries = made.responses["Parks"], made.responses["Libraries"]
    submit_all(app, made.id, parks)
    with app.app_context():
        bank = results.round_bank(rounds.require_round(made.id))
        departments = {"parks": _department_of(parks), "libraries": _department_of(libraries)}
        answer_id = response_queries.response_answers(parks)[0].id
    return World(
        round_id=made.id, user_ids=user_ids, department_ids=departments,
        response_ids={"parks": parks, "libraries": libraries},
        tokens={name.lower(): link.rsplit("/", 1)[1] for name, link in made.links.items()},
        first_question=bank.questions[0].id, first_dimension=bank.dimensions[0].id,
        extra={"answer_id": answer_id},
    )


def _department_of(response_id: int) -> int:
    response = db.session.get(Response, response_id)
    assert response is not None
    return response.department_id


class ScryptCalls:
    """Counts scrypt runs and the length of each password given to it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.lengths: list[int] = []
        real = hashlib.scrypt

        def counting(password: bytes, **kwargs):  # type: ignore[no-untyped-def]
            self.lengths.append(len(password))
            return real(password, **kwargs)

        monkeypatch.setattr(hashlib, "scrypt", counting)

    def during(self, action: Callable[[], object]) -> list[int]:
        self.lengths.clear()
        action()
        return list(self.lengths)
