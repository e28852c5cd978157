"""Invitation links start with the right address (issue 11 item 2).

``BASE_URL`` when it is set; otherwise the address the request came in on, so
``make run PORT=5077`` gives working links without further settings; behind a
proxy (``PROXY_FIX_X_FOR``) the public address.  Production refuses to start
without ``BASE_URL``; the command line needs it or ``--base-url``.
"""

from __future__ import annotations

import csv
import http.cookiejar
import io
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.serving import make_server

from assessment import create_app
from assessment.extensions import db
from assessment.models import Response
from assessment.security import InsecureConfiguration
from assessment.services import invitations

from .support.people import PASSWORD, make_user
from .support.rounds import RoundFactory

STRONG_KEY = "9d4be2a71c0f83e6b5a9d27c4e1f06b8a3c5d7e9f1a2b4c6"
LINK = re.compile(r"https?://[^\s\"<>]+/r/[A-Za-z0-9_-]+")


@contextmanager
def served(app: Flask) -> Iterator[str]:
    """``app`` served by a real werkzeug server on a free port of 127.0.0.1; yields its address."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


class Browser:
    """A cookie-keeping HTTP client that does not follow redirects."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirects())

    def post(self, path: str, **form: str) -> tuple[int, str]:
        body = urllib.parse.urlencode(form).encode()
        try:
            with self.opener.open(self.address + path, data=body, timeout=30) as answer:
                return answer.status, answer.read().decode("utf-8-sig")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def round_with_a_lead(app: Flask) -> int:
    """An open round, and a lead (lead@example.org) to sign in through the page."""
    make_user(app, "lead")
    return RoundFactory(app)("Spring").id


def test_links_on_screen_in_the_csv_and_after_replace_start_with_the_served_address(
        make_app: Callable[..., Flask]) -> None:
    app = make_app(BASE_URL=None)
    round_id = round_with_a_lead(app)
    with served(app) as address:
        assert not address.endswith(":5000")
        lead = Browser(address)
        assert lead.post("/sign-in", email="lead@example.org", password=PASSWORD)[0] == 302

        status, page = lead.post(f"/rounds/{round_id}/invitations", department="Libraries",
                                 respondents="Ann", delivery="screen")
        assert status == 200, page
        on_screen = LINK.findall(page)
        assert on_screen and all(link.startswith(address + "/r/") for link in on_screen)

        status, body = lead.post(f"/rounds/{round_id}/invitations", department="Parks",
                                 respondents="Bo\nCy", delivery="csv")
        assert status == 200
        rows = list(csv.DictReader(io.StringIO(body)))
        assert [row["respondent"] for row in rows] == ["Bo", "Cy"]
        assert all(row["link"].startswith(address + "/r/") for row in rows)

        with app.app_context():
            ann = db.session.scalars(select(Response.id).where(Response.respondent == "Ann")).one()
        status, page = lead.post(f"/rounds/{round_id}/invitations/{ann}/replace")
        assert status == 200
        replaced = LINK.findall(page)
        assert replaced and replaced[0].startswith(address + "/r/") and replaced[0] not in on_screen


def test_a_link_from_the_served_address_opens_the_questionnaire(make_app: Callable[..., Flask]) -> None:
    app = make_app(BASE_URL=None)
    round_id = round_with_a_lead(app)
    with served(app) as address:
        lead = Browser(address)
        lead.post("/sign-in", email="lead@example.org", password=PASSWORD)
        link = LINK.findall(lead.post(f"/rounds/{round_id}/invitations", department="Libraries",
                                      respondents="Ann", delivery="screen")[1])[0]
        respondent = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        with respondent.open(link, timeout=30) as answer:  # follows the redirect to the questions
            assert answer.status == 200
            assert answer.url.startswith(address)


def test_base_url_wins_over_the_request_address(make_app: Callable[..., Flask]) -> None:
    app = make_app(BASE_URL="https://assess.example.org/")
    round_id = round_with_a_lead(app)
    client = app.test_client()
    client.post("/sign-in", base_url="http://127.0.0.1:5077",
                data={"email": "lead@example.org", "password": PASSWORD})
    page = client.post(f"/rounds/{round_id}/invitations", base_url="http://127.0.0.1:5077",
                       data={"department": "Libraries", "delivery": "screen"}).get_data(as_text=True)
    assert LINK.findall(page)[0].startswith("https://assess.example.org/r/")


@pytest.mark.parametrize("proxies", [0, 1])
def test_behind_a_proxy_links_use_the_forwarded_address_only_when_proxy_fix_is_on(
        make_app: Callable[..., Flask], proxies: int) -> None:
    app = make_app(BASE_URL=None, PROXY_FIX_X_FOR=proxies)
    round_id = round_with_a_lead(app)
    client = app.test_client()
    client.post("/sign-in", base_url="http://10.0.0.5:8000",
                data={"email": "lead@example.org", "password": PASSWORD})
    forwarded = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https",
                 "X-Forwarded-Host": "assess.example.org"}
    page = client.post(f"/rounds/{round_id}/invitations", base_url="http://10.0.0.5:8000",
                       headers=forwarded,
                       data={"department": "Libraries", "delivery": "screen"}).get_data(as_text=True)
    expected = "https://assess.example.org/r/" if proxies else "http://10.0.0.5:8000/r/"
    assert LINK.findall(page)[0].startswith(expected)


def test_the_invite_command_needs_base_url_or_the_option_and_writes_nothing_without(
        make_app: Callable[..., Flask]) -> None:
    app = make_app(BASE_URL=None)
    round_id = str(round_with_a_lead(app))
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["invite", round_id, "Libraries", "--respondent", "Ann"])
    assert refused.exit_code == 1
    assert refused.stderr.startswith("Error: Links need the address people open the app at: set BASE_URL")
    assert "--base-url" in refused.stderr and "Traceback" not in refused.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 0

    made = runner.invoke(args=["invite", round_id, "Libraries", "--respondent", "Ann",
                               "--base-url", "https://assess.example.org"])
    assert made.exit_code == 0, made.output
    assert made.stdout.startswith("https://assess.example.org/r/")

    bad = runner.invoke(args=["invite", round_id, "Libraries", "--base-url", "assess.example.org"])
    assert bad.exit_code == 1
    assert "must start with https:// or http://" in bad.stderr


def test_the_default_settings_carry_no_fixed_address() -> None:
    from assessment import settings

    assert settings.BASE_URL is None


def test_outside_a_request_without_base_url_a_link_cannot_be_made(app: Flask) -> None:
    app.config["BASE_URL"] = None
    with app.app_context(), pytest.raises(invitations.InvitationError, match="set BASE_URL"):
        invitations.invitation_link("token")


@pytest.fixture
def in_production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOINED_UP_ENV", "production")
    for name in ("SECRET_KEY", "FLASK_DEBUG", "BASE_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("in_production")
@pytest.mark.parametrize("base_url", [None, "", "assess.example.org", "ftp://assess.example.org"])
def test_production_refuses_to_start_without_a_base_url(tmp_path: Path, base_url: str | None) -> None:
    with pytest.raises(InsecureConfiguration, match="BASE_URL must be set in production"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'prod.sqlite'}",
                    "SECRET_KEY": STRONG_KEY, "BASE_URL": base_url})


@pytest.mark.usefixtures("in_production")
def test_production_starts_with_a_base_url(tmp_path: Path) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'prod.sqlite'}",
                      "SECRET_KEY": STRONG_KEY, "BASE_URL": "https://assess.example.org"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
