"""Sign-in and sessions: generic errors, fresh sessions, cookies that stop working."""

from __future__ import annotations

import re
import time

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assessment.services.accounts import MAX_PASSWORD_LENGTH

from .support.apps import WALK_SETTINGS
from .support.people import PASSWORD, sign_in
from .support.security import ScryptCalls, World

pytestmark = pytest.mark.app_settings(**WALK_SETTINGS)

SESSION_COOKIE = "session"


def session_cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie(SESSION_COOKIE)
    assert cookie is not None
    return cookie.value


def replay(app: Flask, cookie: str) -> FlaskClient:
    """A new browser holding a copied session cookie."""
    thief = app.test_client()
    thief.set_cookie(SESSION_COOKIE, cookie)
    return thief


def is_sent_to_sign_in(client: FlaskClient, path: str = "/") -> bool:
    response = client.get(path)
    return response.status_code == 302 and response.headers["Location"].startswith("/sign-in")


def test_a_cookie_copied_before_sign_out_is_refused_afterwards(app: Flask, world: World) -> None:
    browser = app.test_client()
    sign_in(browser, "lead@example.org")
    copied = session_cookie(browser)
    assert replay(app, copied).get("/").status_code == 200
    assert browser.post("/sign-out").status_code == 302
    thief = replay(app, copied)
    assert is_sent_to_sign_in(thief)
    assert is_sent_to_sign_in(thief, "/rounds/new")
    assert thief.post("/rounds/new", data={"name": "Sneaky"}).headers["Location"].startswith("/sign-in")


def test_sign_out_ends_every_session_of_that_user(app: Flask, world: World) -> None:
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, "trainer@example.org")
    sign_in(phone, "trainer@example.org")
    laptop.post("/sign-out")
    assert is_sent_to_sign_in(phone)


def page_without(response, email: str) -> str:  # type: ignore[no-untyped-def]
    """The page with what legitimately differs (the nonce, the typed email) taken out."""
    text = re.sub(r'nonce="[^"]+"', "", response.get_data(as_text=True))
    return text.replace(email, "EMAIL")


def test_unknown_user_and_wrong_password_get_the_same_page(app: Flask, world: World) -> None:
    attempts = [("nobody@example.org", PASSWORD), ("lead@example.org", "not the password"),
                ("LEAD@example.org ", "not the password")]
    pages = [(sign_in(app.test_client(), email, password), email) for email, password in attempts]
    assert {response.status_code for response, _email in pages} == {200}
    # The form trims the email (one text rule for every field), so the page echoes it trimmed.
    assert len({page_without(response, email.strip()) for response, email in pages}) == 1
    assert "Enter a correct email address and password" in page_without(*pages[0])


def test_a_huge_password_is_refused_without_hashing_it(app: Flask, world: World,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # Asserts on what the code does (what scrypt is given), not on seconds, so
    # a busy machine cannot make it fail or pass.
    scrypt = ScryptCalls(monkeypatch)
    for email in ("lead@example.org", "nobody@example.org"):
        hashed = scrypt.during(lambda email=email: self_check(sign_in(app.test_client(), email,
                                                                      "p" * 200_000)))
        assert hashed and max(hashed) <= MAX_PASSWORD_LENGTH


def self_check(page) -> None:  # type: ignore[no-untyped-def]
    assert b"Enter a correct email address and password" in page.get_data()


def test_sign_in_starts_a_fresh_session(app: Flask, world: World) -> None:
    browser = app.test_client()
    with browser.session_transaction() as planted:
        planted["planted_by_attacker"] = "yes"
        planted["lang"] = "cy"
    sign_in(browser, "lead@example.org")
    with browser.session_transaction() as after:
        assert "planted_by_attacker" not in after
        assert after["lang"] == "cy"  # the language choice is kept


def test_session_cookie_is_http_only_lax_and_lasts_hours(app: Flask, world: World) -> None:
    browser = app.test_client()
    response = sign_in(browser, "lead@example.org")
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header
    assert "Secure" not in header  # local development and tests run over plain HTTP
    lifetime = app.permanent_session_lifetime.total_seconds()
    assert 3600 <= lifetime <= 12 * 3600


@pytest.mark.app_settings(PERMANENT_SESSION_LIFETIME=2)
def test_a_session_older_than_its_lifetime_is_refused(app: Flask, world: World) -> None:
    browser = app.test_client()
    sign_in(browser, "lead@example.org")
    assert browser.get("/").status_code == 200
    time.sleep(3.2)
    assert is_sent_to_sign_in(browser)
