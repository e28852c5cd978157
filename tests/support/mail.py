"""Real local mail servers for the mail tests (not fixtures), all on 127.0.0.1.

- :func:`smtp_server`: an aiosmtpd server that keeps what it receives, or
  answers every message with a reply of our choosing (a 4xx, a 5xx echoing
  the message's link back, as some servers quote what they refuse);
- :func:`silent_server`: a socket that accepts connections and never says
  anything, so the client's timeout fires;
- :func:`notify_stand_in`: a tiny HTTP server answering GOV.UK Notify's v2
  email endpoint, with Notify's own error JSON for chosen addresses;
- :func:`mail_round`: a round whose respondents have email addresses.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from flask import Flask

from assessment.services import mail as mail_service

from .people import make_user
from .rounds import RoundFactory

LINK = re.compile(r"http://joined-up\.test/r/[A-Za-z0-9_-]{43}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Recorder:
    """An aiosmtpd handler: keeps each message, or answers DATA with ``reply``."""

    reply: str | None = None
    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    attempts: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.attempts += 1
        if self.reply is not None:
            found = LINK.search(envelope.content.decode("utf-8", "replace"))
            return self.reply.replace("{link}", found.group(0) if found else "")
        self.recipients.extend(envelope.rcpt_tos)
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server(reply: str | None = None) -> Iterator[tuple[Recorder, int]]:
    handler = Recorder(reply)
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@contextmanager
def smtp_process(folder: Path) -> Iterator[tuple[Path, int]]:
    """aiosmtpd in a process of its own, filing messages in the maildir ``folder``.

    For many messages: an in-process server shares the interpreter with the app,
    and every SMTP round trip then waits for a thread switch (about 28 ms a
    message instead of about 13).
    """
    port = free_port()
    command = [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
               "-c", "aiosmtpd.handlers.Mailbox", str(folder)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60  # generous: CI machines may be busy
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.1)
        yield folder, port
    finally:
        server.terminate()
        server.wait(timeout=10)


def maildir_messages(folder: Path) -> list[Path]:
    return sorted((folder / "new").iterdir()) if (folder / "new").exists() else []


@contextmanager
def silent_server() -> Iterator[int]:
    """A port whose connections are accepted (by the kernel) and never answered."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()


def smtp_settings(port: int, **more: Any) -> dict[str, Any]:
    return {"MAIL_SENDER": "smtp", "MAIL_SMTP_HOST": "127.0.0.1", "MAIL_SMTP_PORT": port,
            "MAIL_SMTP_SECURITY": "none", "MAIL_FROM": "Joined-Up <noreply@council.example>",
            "MAIL_PER_SECOND": 0, "MAIL_RETRY_DELAY": 0.01, "MAIL_MAX_ATTEMPTS": 3,
            "MAIL_SMTP_TIMEOUT": 5, **more}


# --- GOV.UK Notify's API, as far as the client uses it ------------------------------------------

NOTIFY_ERRORS = {
    "bad-request": (400, "BadRequestError", "Can't send to this recipient using a team-only API key"),
    "forbidden": (403, "AuthError", "Invalid token: API key not found"),
    "rate-limited": (429, "RateLimitError",
                     "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds"),
    "broken": (500, "Exception", "Internal server error"),
}


@dataclass
class NotifyLog:
    requests: list[dict[str, Any]] = field(default_factory=list)
    authorisations: list[str] = field(default_factory=list)
    statuses: dict[str, str] = field(default_factory=dict)  # notification id: its status


def _notify_handler(log: NotifyLog) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            notification_id = self.path.rsplit("/", 1)[1]
            if notification_id not in log.statuses:
                return self._answer(404, {"status_code": 404, "errors": [
                    {"error": "NoResultFound", "message": "No result found"}]})
            self._answer(200, {"id": notification_id, "status": log.statuses[notification_id],
                               "type": "email"})

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            log.requests.append(body)
            log.authorisations.append(self.headers.get("Authorization", ""))
            if self.path != "/v2/notifications/email":
                return self._answer(404, {"status_code": 404, "errors": [
                    {"error": "NotFound", "message": "Not found"}]})
            mode = body["email_address"].partition("@")[0]
            if mode in NOTIFY_ERRORS:
                code, error, message = NOTIFY_ERRORS[mode]
                return self._answer(code, {"status_code": code,
                                           "errors": [{"error": error, "message": message}]})
            notification_id = str(uuid.uuid4())
            log.statuses[notification_id] = "sending"
            self._answer(201, {"id": notification_id, "reference": None,
                               "content": {"subject": body["personalisation"]["subject"],
                                           "body": body["personalisation"]["body"],
                                           "from_email": "joined-up@notifications.example"},
                               "uri": "/v2/notifications/x",
                               "template": {"id": body["template_id"], "version": 1, "uri": "/t"}})

        def _answer(self, code: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def notify_stand_in() -> Iterator[tuple[NotifyLog, str]]:
    log = NotifyLog()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _notify_handler(log))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield log, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def notify_settings(base_url: str) -> dict[str, Any]:
    key = f"test_key-{uuid.uuid4()}-{uuid.uuid4()}"
    return {"MAIL_SENDER": "notify", "MAIL_NOTIFY_API_KEY": key,
            "MAIL_NOTIFY_INVITATION_TEMPLATE_ID": str(uuid.uuid4()),
            "MAIL_NOTIFY_REMINDER_TEMPLATE_ID": str(uuid.uuid4()),
            "MAIL_NOTIFY_BASE_URL": base_url, "MAIL_NOTIFY_TIMEOUT": 5,
            "MAIL_PER_SECOND": 0, "MAIL_RETRY_DELAY": 0.01, "MAIL_MAX_ATTEMPTS": 3}


# --- a round whose respondents have addresses ---------------------------------------------------


@dataclass(frozen=True)
class MailRound:
    round_id: int
    user_id: int
    response_ids: dict[str, int]  # by email address


def mail_round(app: Flask, addresses: dict[str, str], contact: str | None = "Jo Bloggs, "
               "jo@council.example") -> MailRound:
    """A round of "Test Council" with one respondent per address (``{email: language}``)."""
    user_id = make_user(app, "lead")
    round_id = RoundFactory(app)("Digital skills 2026").id
    with app.app_context():
        ids = _respondents(round_id, list(addresses))
        mail_service.give_email_links(round_id, [
            mail_service.NewRecipient(ids[email], email, language)
            for email, language in addresses.items()])
        if contact:
            from assessment.extensions import db
            from assessment.queries import survey as survey_queries

            with db.transaction() as session:
                found = survey_queries.get_round_in(session, round_id)
                assert found is not None
                found.contact = contact
    return MailRound(round_id, user_id, ids)


def _respondents(round_id: int, names: list[str]) -> dict[str, int]:
    """A respondent of "Parks" per name, in one transaction (2,000 in a few seconds)."""
    from assessment.extensions import db
    from assessment.queries import accounts as account_queries
    from assessment.queries import responses as response_queries
    from assessment.queries import rounds as round_queries

    organisation = account_queries.organisation_of_round(round_id)
    assert organisation is not None
    with db.transaction() as session:
        department = round_queries.get_or_create_department(session, organisation.id, "Parks", None)
        return {name: response_queries.create_response(session, round_id, department.id, name).id
                for name in names}


def text_of(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return part.get_content()
