"""SMTP over STARTTLS (with a user and password) and over implicit TLS, to aiosmtpd on
127.0.0.1 with a certificate made for the test; an unknown certificate is refused."""

from __future__ import annotations

import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from flask import Flask
from sqlalchemy import select

from assessment.extensions import db
from assessment.models import MailMessage
from assessment.services import mail as mail_service

from .support.mail import Recorder, free_port, mail_round, smtp_settings

USER, PASSWORD = "joined-up", "relay password"


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


def _authenticate(server: Any, session: Any, envelope: Any, mechanism: str,
                  auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(), PASSWORD.encode())
    return AuthResult(success=ok, handled=False)


@contextmanager
def tls_server(certificate: tuple[Path, Path], implicit: bool) -> Iterator[tuple[Recorder, int]]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    handler, port = Recorder(), free_port()
    options: dict[str, Any] = ({"ssl_context": context} if implicit else
                               {"tls_context": context, "require_starttls": True,
                                "authenticator": _authenticate, "auth_required": True})
    controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def states(app: Flask) -> list[tuple[str, str | None]]:
    with app.app_context():
        return [(m.state, m.reason) for m in db.session.scalars(select(MailMessage))]


def send(app: Flask) -> None:
    made = mail_round(app, {"en@example.org": "en"})
    with app.test_request_context():
        mail_service.start_invitations(made.round_id, made.user_id, made.response_ids.values(), None)


def test_starttls_with_a_user_and_password(app: Flask, certificate) -> None:
    with tls_server(certificate, implicit=False) as (server, port):
        app.config.update(smtp_settings(port, MAIL_SMTP_SECURITY="starttls", MAIL_SMTP_USER=USER,
                                        MAIL_SMTP_PASSWORD=PASSWORD,
                                        MAIL_SMTP_CA_FILE=str(certificate[0])))
        send(app)
    assert server.recipients == ["en@example.org"]
    assert states(app) == [("sent", None)]


def test_a_certificate_nobody_vouches_for_is_refused(app: Flask, certificate) -> None:
    with tls_server(certificate, implicit=False) as (server, port):
        app.config.update(smtp_settings(port, MAIL_SMTP_SECURITY="starttls", MAIL_SMTP_USER=USER,
                                        MAIL_SMTP_PASSWORD=PASSWORD))
        send(app)
    assert server.recipients == []
    ((state, reason),) = states(app)
    assert state == "failed" and reason.startswith("The mail server's security failed")


def test_implicit_tls(app: Flask, certificate) -> None:
    with tls_server(certificate, implicit=True) as (server, port):
        app.config.update(smtp_settings(port, MAIL_SMTP_SECURITY="tls",
                                        MAIL_SMTP_CA_FILE=str(certificate[0])))
        send(app)
    assert server.recipients == ["en@example.org"]
    assert states(app) == [("sent", None)]


def test_a_wrong_password_is_a_permanent_failure(app: Flask, certificate) -> None:
    with tls_server(certificate, implicit=False) as (_server, port):
        app.config.update(smtp_settings(port, MAIL_SMTP_SECURITY="starttls", MAIL_SMTP_USER=USER,
                                        MAIL_SMTP_PASSWORD="wrong",
                                        MAIL_SMTP_CA_FILE=str(certificate[0])))
        send(app)
    ((state, reason),) = states(app)
    assert state == "failed" and reason.startswith("The mail server answered 535")
    assert "wrong" not in reason
