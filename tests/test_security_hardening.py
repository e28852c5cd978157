"""Crafted numbers, production cookies and keys, the dead-link page (issue 12 items 10 and "Also")."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assessment import create_app
from assessment.security import InsecureConfiguration

from .support.apps import WALK_SETTINGS
from .support.security import World

pytestmark = pytest.mark.app_settings(**WALK_SETTINGS)

HUGE = "99999999999999999999999"


@pytest.mark.parametrize("query", [f"page={HUGE}", "page=-1", "page=0", "page=abc", f"user={HUGE}",
                                   f"page={HUGE}&user={HUGE}", "page=٣"])
def test_crafted_numbers_on_the_audit_log_never_give_a_500(app: Flask, world: World,
                                                            query: str, admin_client: FlaskClient) -> None:
    response = admin_client.get(f"/admin/audit?{query}")
    assert response.status_code in (200, 404), response.status_code


def test_a_page_past_the_end_of_the_audit_log_is_not_found(
        app: Flask, world: World, admin_client: FlaskClient) -> None:
    assert admin_client.get("/admin/audit?page=1").status_code == 200
    assert admin_client.get(f"/admin/audit?page={HUGE}").status_code == 404
    assert admin_client.get("/admin/audit?page=2").status_code == 404  # the test world has a page of events


@pytest.mark.parametrize("path", [f"/admin/users/{HUGE}", f"/rounds/{HUGE}", f"/rounds/{HUGE}/dashboard",
                                  f"/admin/users/{2**31}", f"/api/v1/rounds/{HUGE}/results"])
def test_crafted_ids_in_addresses_are_not_found(
        app: Flask, world: World, path: str, admin_client: FlaskClient) -> None:
    response = admin_client.get(path)
    assert response.status_code == 404, response.status_code


def test_the_link_page_shows_no_round_contact_to_any_visitor(app: Flask, world: World) -> None:
    from assessment.extensions import db
    from assessment.models import Round

    with app.app_context():
        assessment_round = db.session.get(Round, world.round_id)
        assert assessment_round is not None
        assessment_round.contact = "Jo Bloggs, jo.bloggs@example.org, 01234 567890"
        db.session.commit()
    stranger = app.test_client()
    page = stranger.get("/r/not-a-real-token-0123456789abcdef", follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "This link does not work" in text
    assert "jo.bloggs" not in text and "Jo Bloggs" not in text and "01234" not in text
    assert "contact the person who sent you the link" in text


# Production settings --------------------------------------------------------------------

STRONG_KEY = "3f9c1a7e5b2d8046c9e1f7a3b5d20c48e6a1f9b3d7c5e2a0"


@pytest.fixture
def in_production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOINED_UP_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)


def production_app(tmp_path: Path, key: str) -> Flask:
    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'prod.sqlite'}", "SECRET_KEY": key,
                       "BASE_URL": "https://joined-up.example.org"})


@pytest.mark.usefixtures("in_production")
@pytest.mark.parametrize("key", [
    "k" * 40,                                          # one repeated character
    "ab" * 20,                                         # a repeated pattern
    "0123456789" * 4,                                  # a repeated run
    "test-secret-key-not-for-production",              # the tests' key
    "shared-secret-key-of-both-servers-0123456789",    # another test's key
    "change-me-change-me-change-me-change-me",         # an example to replace
    "your-secret-key-goes-here-please-replace-it",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab",  # almost one character
])
def test_production_refuses_a_weak_or_example_secret_key(tmp_path: Path, key: str) -> None:
    with pytest.raises(InsecureConfiguration, match="SECRET_KEY"):
        production_app(tmp_path, key)


@pytest.mark.usefixtures("in_production")
def test_production_names_the_session_cookie_with_the_host_prefix(tmp_path: Path) -> None:
    app = production_app(tmp_path, STRONG_KEY)
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-session"
    with app.test_request_context():
        from flask import session

        session["lang"] = "cy"
        response = app.make_response("ok")
        app.session_interface.save_session(app, session, response)
    cookie = response.headers["Set-Cookie"]
    # A __Host- cookie is only kept by browsers if Secure, Path=/ and without Domain.
    assert cookie.startswith("__Host-session=") and "Secure" in cookie and "Path=/" in cookie
    assert "Domain" not in cookie


def test_outside_production_the_session_cookie_keeps_its_plain_name(app: Flask) -> None:
    assert app.config["SESSION_COOKIE_NAME"] == "session"
