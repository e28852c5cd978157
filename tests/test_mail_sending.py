"""Invitations and reminders sent through a real local SMTP server (aiosmtpd on 127.0.0.1).

The job queue runs in immediate mode (as under TESTING), so a send job runs
inside the call that starts it; the 2,000-message test uses a stored queue and
runs the job as the consumer would.
"""

from __future__ import annotations

import logging
from email.utils import parsedate_to_datetime

import pytest
from flask import Flask
from sqlalchemy import select

from assessment import jobs
from assessment.extensions import db
from assessment.models import AuditEvent, BackgroundJob, MailMessage
from assessment.queries import survey as survey_queries
from assessment.services import invitations
from assessment.services import jobs as job_service
from assessment.services import mail as mail_service

from .support.mail import (
    LINK,
    mail_round,
    maildir_messages,
    silent_server,
    smtp_process,
    smtp_server,
    smtp_settings,
    text_of,
)


def send_invitations(app: Flask, made, response_ids=None) -> str:
    with app.test_request_context(environ_base={"REMOTE_ADDR": "192.0.2.7"}):
        return mail_service.start_invitations(made.round_id, made.user_id,
                                              response_ids or made.response_ids.values(), "192.0.2.7")


def app_log(caplog: pytest.LogCaptureFixture) -> str:
    """What the app and its libraries logged: not the test's SMTP server's own log
    ("mail.log"), which stands for the relay's, outside the app."""
    return "\n".join(f"{record.name} {record.getMessage()}" for record in caplog.records
                     if not record.name.startswith("mail.log"))


def messages(app: Flask) -> list[MailMessage]:
    with app.app_context():
        return list(db.session.scalars(select(MailMessage).order_by(MailMessage.id)))


def audit_events(app: Flask, event: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.event == event)))


def job_of(app: Flask, job_id: str) -> BackgroundJob:
    with app.app_context():
        found = db.session.get(BackgroundJob, job_id)
        assert found is not None
        return found


def test_invitations_arrive_with_their_headers_languages_and_working_links(
        app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with smtp_server() as (server, port):
        app.config.update(smtp_settings(port))
        made = mail_round(app, {"en@example.org": "en", "cy@example.org": "cy",
                                "both@example.org": "both"})
        job_id = send_invitations(app, made)
    assert sorted(server.recipients) == ["both@example.org", "cy@example.org", "en@example.org"]
    by_address = {str(message["To"]): message for message in server.messages}
    english, welsh, both = (by_address[f"{name}@example.org"] for name in ("en", "cy", "both"))
    for message in (english, welsh, both):
        assert message["From"] == "Joined-Up <noreply@council.example>"
        assert parsedate_to_datetime(str(message["Date"])).tzinfo is not None
        assert str(message["Message-ID"]).endswith("@council.example>")
        assert message.get_content_type() == "text/plain"
        assert message.get_content_charset() == "utf-8"
    assert english["Subject"] == "Test Council: please take part in “Digital skills 2026”"
    assert welsh["Subject"] == "Test Council: cymerwch ran yn y cylch “Digital skills 2026”"
    assert both["Subject"] == f"{welsh['Subject']} / {english['Subject']}"
    assert "invites you to answer" in text_of(english) and "contact Jo Bloggs" in text_of(english)
    assert "yn eich gwahodd" in text_of(welsh) and "dyma'r manylion cyswllt: Jo Bloggs" in text_of(welsh)
    body = text_of(both)
    assert body.index("yn eich gwahodd") < body.index("invites you to answer")
    assert body.startswith("English below")

    links = {address: set(LINK.findall(text_of(message))) for address, message in by_address.items()}
    assert all(len(found) == 1 for found in links.values())  # the bilingual one twice, the same
    assert len(LINK.findall(text_of(both))) == 2
    client = app.test_client()
    for (link,) in links.values():
        assert client.get(link.removeprefix("http://joined-up.test")).status_code in (200, 302)

    tokens = [link.rsplit("/", 1)[1] for (link,) in links.values()]
    logged = app_log(caplog)
    assert "invitation to response" in logged  # the log names responses, never links
    assert not any(token in logged for token in tokens)
    sent = audit_events(app, "mail_sent")
    assert len(sent) == 3 and {event.details["kind"] for event in sent} == {"invitation"}
    assert not any(token in repr(event.details) for event in sent for token in tokens)
    stored = messages(app)
    assert [(m.kind, m.state, m.attempts) for m in stored] == [("invitation", "sent", 1)] * 3
    assert {m.provider_id for m in stored} == {str(m["Message-ID"]) for m in server.messages}
    assert {m.language for m in stored} == {"en", "cy", "both"}
    finished = job_of(app, job_id)
    assert (finished.status, finished.done, finished.total) == ("done", 3, 3)
    assert finished.details["sent"] == 3


def test_english_comes_first_when_welsh_first_is_off(app: Flask) -> None:
    with smtp_server() as (server, port):
        app.config.update(smtp_settings(port, MAIL_WELSH_FIRST=False))
        send_invitations(app, mail_round(app, {"both@example.org": "both"}))
    (message,) = server.messages
    body = text_of(message)
    assert body.startswith("Cymraeg isod")
    assert body.index("invites you to answer") < body.index("yn eich gwahodd")


@pytest.mark.parametrize("reply, attempts, said", [
    ("550 5.1.1 Mailbox unavailable: {link}", 1, "The mail server answered 550"),
    ("451 4.3.0 Greylisted, try again later: {link}", 3, "The mail server answered 451"),
])
def test_a_refusing_server_fails_the_message_with_the_reason_and_no_token(
        app: Flask, caplog: pytest.LogCaptureFixture, reply: str, attempts: int, said: str) -> None:
    """A 5xx is final at once; a 4xx is tried MAIL_MAX_ATTEMPTS times, then failed."""
    caplog.set_level(logging.DEBUG)
    with smtp_server(reply) as (server, port):
        app.config.update(smtp_settings(port))
        made = mail_round(app, {"en@example.org": "en"})
        job_id = send_invitations(app, made)
    assert server.attempts == attempts
    (message,) = messages(app)
    assert (message.state, message.attempts) == ("failed", attempts)
    assert message.reason.startswith(said) and "[link removed]" in message.reason
    assert "/r/" not in message.reason.replace("/r/[link removed]", "")
    (failed,) = audit_events(app, "mail_failed")
    assert failed.details["reason"] == message.reason
    assert not LINK.search(app_log(caplog))
    assert job_of(app, job_id).details["failed"] == 1


def test_a_server_that_never_answers_times_out_is_retried_then_failed(app: Flask) -> None:
    with silent_server() as port:
        app.config.update(smtp_settings(port, MAIL_SMTP_TIMEOUT=0.3, MAIL_MAX_ATTEMPTS=2))
        made = mail_round(app, {"en@example.org": "en"})
        job_id = send_invitations(app, made)
    (message,) = messages(app)
    assert (message.state, message.attempts) == ("failed", 2)
    assert message.reason == "The mail server did not answer in time."
    assert job_of(app, job_id).status == "done"


def test_no_server_at_all_is_a_temporary_failure_retried_then_failed(app: Flask) -> None:
    with silent_server() as port:
        pass  # closed: nothing listens there now
    app.config.update(smtp_settings(port, MAIL_MAX_ATTEMPTS=2))
    send_invitations(app, mail_round(app, {"en@example.org": "en"}))
    (message,) = messages(app)
    assert (message.state, message.attempts) == ("failed", 2)
    assert message.reason.startswith("Could not reach the mail server")


def test_reminders_reach_only_those_who_have_not_submitted_with_the_same_link(app: Flask) -> None:
    addresses = {"waiting@example.org": "en", "done@example.org": "en", "revoked@example.org": "cy"}
    with smtp_server() as (server, port):
        app.config.update(smtp_settings(port))
        made = mail_round(app, addresses)
        send_invitations(app, made)
        invited = {str(m["To"]): LINK.search(text_of(m)).group(0) for m in server.messages}
        with app.app_context():
            with db.transaction() as session:
                survey_queries.mark_submitted(session, made.response_ids["done@example.org"])
            invitations.revoke_link(made.round_id, made.response_ids["revoked@example.org"])
        server.messages.clear()
        with app.test_request_context():
            mail_service.start_reminders(made.round_id, made.user_id, None)
    (reminder,) = server.messages
    assert reminder["To"] == "waiting@example.org"
    assert reminder["Subject"] == "Reminder: please answer “Digital skills 2026”"
    assert LINK.search(text_of(reminder)).group(0) == invited["waiting@example.org"]
    kinds = [(m.response_id, m.kind, m.state) for m in messages(app) if m.kind == "reminder"]
    assert kinds == [(made.response_ids["waiting@example.org"], "reminder", "sent")]


def test_a_reminder_is_not_sent_to_someone_who_submits_while_it_waits(app: Flask, tmp_path) -> None:
    with smtp_server() as (server, port):
        app.config.update(smtp_settings(port), JOBS_IMMEDIATE=False,
                          JOBS_SQLITE_PATH=str(tmp_path / "jobs.sqlite"))
        jobs.init_app(app)
        made = mail_round(app, {"a@example.org": "en", "b@example.org": "en"})
        with app.test_request_context():
            job_id = mail_service.start_reminders(made.round_id, made.user_id, None)
        with app.app_context(), db.transaction() as session:
            survey_queries.mark_submitted(session, made.response_ids["a@example.org"])
        queue = jobs.job_queue(app)
        queue.execute(queue.dequeue())
    assert [str(m["To"]) for m in server.messages] == ["b@example.org"]
    assert [m.response_id for m in messages(app)] == [made.response_ids["b@example.org"]]
    finished = job_of(app, job_id)
    assert (finished.done, finished.total, finished.details["skipped"]) == (2, 2, 1)


def test_a_link_replaced_by_other_means_is_not_emailed(app: Flask) -> None:
    with smtp_server() as (server, port):
        app.config.update(smtp_settings(port))
        made = mail_round(app, {"en@example.org": "en"})
        with app.app_context():
            invitations.replace_link(made.round_id, made.response_ids["en@example.org"])
        send_invitations(app, made)
    assert server.messages == []
    (message,) = messages(app)
    assert message.state == "failed" and "replaced or revoked" in message.reason


def test_2000_invitations_are_a_background_job_that_reports_progress(
        app: Flask, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    with smtp_process(tmp_path / "maildir") as (maildir, port):
        app.config.update(smtp_settings(port), JOBS_IMMEDIATE=False,
                          JOBS_SQLITE_PATH=str(tmp_path / "jobs.sqlite"))
        jobs.init_app(app)
        made = mail_round(app, {f"person{n}@example.org": "en" for n in range(2000)}, None)
        job_id = send_invitations(app, made)  # queued: nothing sent while the page answers
        assert maildir_messages(maildir) == [] and job_of(app, job_id).status == "queued"
        reports: list[int] = []
        real_report = job_service.report_progress
        monkeypatch.setattr(job_service, "report_progress",
                            lambda job, done: (reports.append(done), real_report(job, done)))
        queue = jobs.job_queue(app)
        queue.execute(queue.dequeue())  # as the consumer process does
        received = maildir_messages(maildir)
    assert len(received) == 2000
    assert reports == sorted(reports) and len(reports) >= 2000 // 25 and reports[-1] == 2000
    finished = job_of(app, job_id)
    assert (finished.status, finished.done, finished.total) == ("done", 2000, 2000)
    assert {m.state for m in messages(app)} == {"sent"}
    assert len(audit_events(app, "mail_sent")) == 2000
