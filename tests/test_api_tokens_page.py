"""API tokens in the app and the API documentation page (issue 11 item 7), on both databases.

A lead or trainer sees their own live tokens, with when each was made and last used,
and revokes one after a confirmation (POST with CSRF, audited); the token then answers
401.  An admin sees and revokes every user's; nobody else's token can be seen or revoked.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from assessment.extensions import db
from assessment.models import AuditEvent
from assessment.security import CSP
from assessment.services import api_tokens

from .support.people import ClientFor

MISSING_ROUND = "/api/v1/rounds/999/results"


def make_token(app: Flask, email: str) -> str:
    with app.app_context():
        return api_tokens.create_api_token(email)


def api_status(client: FlaskClient, token: str) -> int:
    # A round that does not exist: 404 means the token was accepted, 401 that it was refused.
    return client.get(MISSING_ROUND, headers={"Authorization": f"Bearer {token}"}).status_code


def revoked_in_audit(app: Flask) -> list[dict]:
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.event == "user_changed"))
        return [event.details for event in events if event.details.get("action") == "api_token_revoked"]


def test_owner_lists_revokes_and_the_token_then_answers_401(app: Flask, lead_client: FlaskClient) -> None:
    token = make_token(app, "lead@example.org")
    page = lead_client.get("/account/api-tokens").get_data(as_text=True)
    assert "Your tokens" in page and "Never" in page and token not in page
    assert api_status(app.test_client(), token) == 404
    page = lead_client.get("/account/api-tokens").get_data(as_text=True)
    assert "Never" not in page  # the last use is shown now
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d</td>\s*<td", page)

    confirm = lead_client.get("/account/api-tokens/1/revoke")
    assert confirm.status_code == 200
    assert "Revoke token 1 of lead@example.org?" in confirm.get_data(as_text=True)
    assert api_status(app.test_client(), token) == 404  # looking at the confirmation revokes nothing

    done = lead_client.post("/account/api-tokens/1/revoke", follow_redirects=True)
    text = done.get_data(as_text=True)
    assert "The API token of lead@example.org is revoked" in text
    assert "You have no API tokens." in text
    assert api_status(app.test_client(), token) == 401
    assert revoked_in_audit(app) == [{"action": "api_token_revoked", "user": "lead@example.org",
                                      "token_id": 1}]
    assert lead_client.post("/account/api-tokens/1/revoke").status_code == 404  # already revoked


def test_nobody_sees_or_revokes_another_users_token(app: Flask, lead_client: FlaskClient,
                                                     trainer_client: FlaskClient) -> None:
    token = make_token(app, "lead@example.org")
    assert "You have no API tokens." in trainer_client.get("/account/api-tokens").get_data(as_text=True)
    assert trainer_client.get("/account/api-tokens/1/revoke").status_code == 404
    assert trainer_client.post("/account/api-tokens/1/revoke").status_code == 404
    assert api_status(app.test_client(), token) == 404
    assert revoked_in_audit(app) == []


def test_admin_sees_every_users_tokens_and_revokes_one(app: Flask, lead_client: FlaskClient,
                                                       trainer_client: FlaskClient,
                                                       client_for: ClientFor) -> None:
    lead_token = make_token(app, "lead@example.org")
    trainer_token = make_token(app, "trainer@example.org")
    admin = client_for("admin")
    page = admin.get("/account/api-tokens").get_data(as_text=True)
    assert "Tokens of every user" in page
    assert "lead@example.org" in page and "trainer@example.org" in page
    admin.post("/account/api-tokens/2/revoke")
    assert api_status(app.test_client(), trainer_token) == 401
    assert api_status(app.test_client(), lead_token) == 404
    page = admin.get("/account/api-tokens").get_data(as_text=True)
    assert "trainer@example.org" not in page.split("<table", 1)[1]


@pytest.mark.app_settings(WTF_CSRF_ENABLED=True)
def test_revoking_needs_the_csrf_token(app: Flask, client_for: ClientFor) -> None:
    client = client_for("lead")
    token = make_token(app, "lead@example.org")
    assert client.post("/account/api-tokens/1/revoke").status_code == 400
    assert api_status(app.test_client(), token) == 404
    confirm = client.get("/account/api-tokens/1/revoke").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', confirm).group(1)  # type: ignore[union-attr]
    assert client.post("/account/api-tokens/1/revoke", data={"csrf_token": csrf}).status_code == 302
    assert api_status(app.test_client(), token) == 401


def test_bad_token_numbers_are_a_plain_404(lead_client: FlaskClient) -> None:
    for path in ("/account/api-tokens/0/revoke", "/account/api-tokens/99999999999999999999/revoke",
                 "/account/api-tokens/x/revoke"):
        assert lead_client.get(path).status_code == 404, path
        assert lead_client.post(path).status_code == 404, path


def test_docs_page_is_linked_for_leads_and_trainers_and_keeps_the_strict_csp(
        trainer_client: FlaskClient) -> None:
    home = trainer_client.get("/").get_data(as_text=True)
    assert 'href="/api/docs"' in home and 'href="/account/api-tokens"' in home
    response = trainer_client.get("/api/docs")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "build/swagger-ui/swagger-ui-bundle.js" in page and 'data-spec-url="/api/v1/openapi.json"' in page
    # No relaxation was needed: the docs page has the same policy as every other page.
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)  # type: ignore[union-attr]
    assert response.headers["Content-Security-Policy"] == CSP.format(nonce=nonce)
    assert "unsafe-eval" not in CSP and "script-src 'self' 'nonce-{nonce}';" in CSP


def test_docs_and_tokens_pages_ask_to_sign_in(client: FlaskClient) -> None:
    for path in ("/api/docs", "/account/api-tokens"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in"), path
