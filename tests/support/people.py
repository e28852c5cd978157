"""People: the organisation, its users, and a client as each kind of visitor.

:func:`signed_in_client` is the one way a test gets a client as someone (the
``client_for``, ``admin_client``, ``lead_client`` and ``trainer_client`` fixtures
call it).  It signs in by setting the session, as the sign-in page would, without
the page's scrypt, rate limit and audit event; the tests of signing in post the
real form with :func:`sign_in`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from assessment.extensions import db
from assessment.queries import accounts as account_queries
from assessment.services import accounts

ORGANISATION = "Test Council"
PASSWORD = "a long enough password"
STAFF = ("trainer", "lead", "admin")
#: Every kind of visitor, from the least trusted.
VISITORS = ("anonymous", "department_head", *STAFF)
LINK_NOT_WORKING = "/respond/link-not-working"
#: The ``client_for`` fixture: ``client_for(role, email=None, link=None)``.
ClientFor = Callable[..., FlaskClient]


@cache
def password_hash(password: str) -> str:
    """scrypt of ``password``, worked out once per test session (each run costs about 0.1 s)."""
    return accounts.hash_password(password)


def _user(app: Flask, role: str, email: str | None, password: str) -> tuple[int, int]:
    email = email or f"{role}@example.org"
    with app.app_context():
        user = account_queries.get_user_by_email(email)
        if user is None:
            organisation_id = accounts.ensure_organisation(ORGANISATION).id
            with db.transaction() as session:
                user = account_queries.create_user(session, organisation_id, email,
                                                   password_hash(password), role)
        return user.id, user.session_version


def make_user(app: Flask, role: str, email: str | None = None, password: str = PASSWORD) -> int:
    """The id of the user ``email`` (default ``<role>@example.org``), made with ``role`` and
    ``password`` if there is none (and "Test Council" first if there is no organisation)."""
    return _user(app, role, email, password)[0]


def signed_in_client(app: Flask, role: str = "lead", *, email: str | None = None,
                     link: str | None = None) -> FlaskClient:
    """A new client of ``app`` as a visitor of kind ``role``:

    - ``"anonymous"``: nobody signed in;
    - ``"department_head"``: a respondent whose browser followed the invitation ``link`` (a path);
    - ``"trainer"``, ``"lead"``, ``"admin"``: signed in as ``email`` (default
      ``<role>@example.org``, made by :func:`make_user` if there is none).
    """
    client = app.test_client()
    if role == "anonymous":
        return client
    if role == "department_head":
        assert link, "a department head needs the invitation link they follow"
        followed = client.get(link)
        assert followed.status_code == 302, followed.status_code
        assert followed.headers["Location"] != LINK_NOT_WORKING
        return client
    user_id, session_version = _user(app, role, email, PASSWORD)
    with client.session_transaction() as session:
        session["_user_id"] = f"{user_id}:{session_version}"
        session["_fresh"] = True
    return client


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD) -> TestResponse:
    """Sign in through the real page (scrypt, rate limit, audit)."""
    return client.post("/sign-in", data={"email": email, "password": password})
