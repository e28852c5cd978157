"""Security headers on every response, nonce-only scripts, and plain error pages."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy.exc import OperationalError
from werkzeug.test import TestResponse

from .support.apps import WALK_SETTINGS
from .support.people import signed_in_client
from .support.security import World
from .test_routes_allowlist import ACCESS, ALLOWED, methods, request, rules, url_for_rule

pytestmark = pytest.mark.app_settings(**WALK_SETTINGS)

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
NONCE = re.compile(r"'nonce-([A-Za-z0-9_-]+)'")


@pytest.fixture
def header_app(app: Flask) -> Flask:
    """The app with a small body limit and two routes that fail."""
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024

    @app.route("/test-only/crash")
    def crash() -> str:
        raise RuntimeError("boom in /work/main/assessment/secret.py line 12")

    @app.route("/test-only/database-down")
    def database_down() -> str:
        raise OperationalError("SELECT 1", {}, Exception("connection refused at /var/run/db"))

    return app


def pages_seen_by(app: Flask, world: World, role: str) -> Iterator[tuple[str, TestResponse]]:
    for rule in rules(app):
        if "GET" in methods(rule) and role in ALLOWED[ACCESS.get(rule.endpoint, "nowhere")]:
            url = url_for_rule(rule, world)
            yield url, request(signed_in_client(app, role, link=world.respondent_link), "GET", url)


def check_headers(url: str, response: TestResponse) -> None:
    policy = response.headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in policy, url
    assert "object-src 'none'" in policy and "base-uri 'none'" in policy, url
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";")[0], url
    assert response.headers["X-Content-Type-Options"] == "nosniff", url
    assert response.headers["Referrer-Policy"] == "no-referrer", url
    if url.startswith("/static/"):
        assert "no-store" not in response.headers.get("Cache-Control", ""), url
    else:
        assert response.headers["Cache-Control"] == "no-store", url


def check_scripts_carry_the_nonce(url: str, response: TestResponse) -> None:
    if response.mimetype != "text/html":
        return
    nonce = NONCE.search(response.headers["Content-Security-Policy"])
    assert nonce, url
    for attributes in SCRIPT_TAG.findall(response.get_data(as_text=True)):
        assert "src=" in attributes or f'nonce="{nonce.group(1)}"' in attributes, (url, attributes)


@pytest.mark.parametrize("role", ["anonymous", "department_head", "admin"])
def test_every_page_has_the_security_headers(header_app: Flask, world: World, role: str) -> None:
    seen = 0
    for url, response in pages_seen_by(header_app, world, role):
        check_headers(url, response)
        check_scripts_carry_the_nonce(url, response)
        seen += 1
    assert seen >= 3


def test_the_nonce_is_new_on_every_request_and_used_by_the_template(header_app: Flask) -> None:
    client = header_app.test_client()
    first, second = client.get("/sign-in"), client.get("/sign-in")
    nonces = [NONCE.search(r.headers["Content-Security-Policy"]).group(1) for r in (first, second)]
    assert nonces[0] != nonces[1]
    assert f'<script nonce="{nonces[0]}">' in first.get_data(as_text=True)


def error_page(response: TestResponse, code: int, title: str) -> str:
    text = response.get_data(as_text=True)
    assert response.status_code == code
    assert title in text
    for leak in ("Traceback", "/work/", "site-packages", ".py", "/var/run", "boom"):
        assert leak not in text, (code, leak)
    check_headers(f"error {code}", response)
    return text


def test_error_pages_are_plain_and_leak_nothing(header_app: Flask, world: World, trainer_client) -> None:
    client = header_app.test_client()
    error_page(client.get("/no-such-page"), 404, "Page not found")
    error_page(trainer_client.get("/rounds/new"), 403,
               "You do not have permission to see this page")
    error_page(client.post("/sign-in", data={"email": "x" * 100_000}), 413, "The file is too large")
    error_page(client.get("/test-only/crash"), 500, "Sorry, there is a problem with the service")
    unavailable = client.get("/test-only/database-down")
    error_page(unavailable, 503, "Sorry, the service is unavailable")
    assert unavailable.headers["Retry-After"].isdigit()


@pytest.mark.app_settings(RATELIMIT_INVITATION_PER_ADDRESS="1 per minute")
def test_too_many_attempts_get_the_plain_429_page(app: Flask) -> None:
    client = app.test_client()
    client.get("/r/not-a-token")
    error_page(client.get("/r/not-a-token-either"), 429, "Too many attempts")


@pytest.mark.app_settings(WTF_CSRF_ENABLED=True)
def test_a_csrf_failure_gets_the_plain_400_page(app: Flask, world: World) -> None:
    response = app.test_client().post("/sign-in", data={"email": "lead@example.org",
                                                        "password": "whatever"})
    error_page(response, 400, "Sorry, there is a problem with the request")
