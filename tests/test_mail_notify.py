"""GOV.UK Notify through its official client, against a local stand-in of its API.

The stand-in (tests/support/mail.py) answers ``POST /v2/notifications/email``
on 127.0.0.1 as Notify does, including its error JSON: 400 and 403 are final,
429 and 500 are tried again and then failed.
"""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from assessment.extensions import db
from assessment.models import AuditEvent, MailMessage
from assessment.services import mail as mail_service

from .support.mail import LINK, NOTIFY_ERRORS, mail_round, notify_settings, notify_stand_in


def stored(app: Flask) -> dict[int, MailMessage]:
    with app.app_context():
        return {m.response_id: m for m in db.session.scalars(select(MailMessage))}


def test_invitations_go_through_notify_with_the_template_and_the_message(app: Flask) -> None:
    with notify_stand_in() as (log, base_url):
        settings = notify_settings(base_url)
        app.config.update(settings)
        made = mail_round(app, {"en@example.org": "en", "both@example.org": "both"})
        with app.test_request_context():
            mail_service.start_invitations(made.round_id, made.user_id,
                                           made.response_ids.values(), None)
    assert {request["email_address"] for request in log.requests} == {"en@example.org",
                                                                       "both@example.org"}
    assert all(auth.startswith("Bearer ") for auth in log.authorisations)  # a signed JWT
    for request in log.requests:
        assert request["template_id"] == settings["MAIL_NOTIFY_INVITATION_TEMPLATE_ID"]
        fields = request["personalisation"]
        assert LINK.fullmatch(fields["link"]) and fields["link"] in fields["body"]
        assert fields["organisation"] == "Test Council"
    both = next(r for r in log.requests if r["email_address"] == "both@example.org")
    assert "yn eich gwahodd" in both["personalisation"]["body"]
    assert "invites you to answer" in both["personalisation"]["body"]
    messages = stored(app)
    assert {m.state for m in messages.values()} == {"sent"}
    assert all(m.provider_id and len(m.provider_id) == 36 for m in messages.values())


@pytest.mark.parametrize("mode, attempts", [("bad-request", 1), ("forbidden", 1),
                                            ("rate-limited", 3), ("broken", 3)])
def test_notify_errors_fail_the_message_with_notify_s_reason(app: Flask, mode: str,
                                                             attempts: int) -> None:
    with notify_stand_in() as (log, base_url):
        app.config.update(notify_settings(base_url))
        made = mail_round(app, {f"{mode}@example.org": "en"})
        with app.test_request_context():
            mail_service.start_invitations(made.round_id, made.user_id,
                                           made.response_ids.values(), None)
    assert len(log.requests) == attempts
    (message,) = stored(app).values()
    code, _, said = NOTIFY_ERRORS[mode]
    assert (message.state, message.attempts) == ("failed", attempts)
    assert message.reason == f"Notify answered {code}: {said}"
    with app.app_context():
        (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.event == "mail_failed"))
    assert event.details["reason"] == message.reason and "/r/" not in repr(event.details)


def test_notify_out_of_reach_is_a_temporary_failure(app: Flask) -> None:
    with notify_stand_in() as (_, base_url):
        pass  # stopped: nothing answers there now
    app.config.update(notify_settings(base_url), MAIL_MAX_ATTEMPTS=2)
    made = mail_round(app, {"en@example.org": "en"})
    with app.test_request_context():
        mail_service.start_invitations(made.round_id, made.user_id, made.response_ids.values(), None)
    (message,) = stored(app).values()
    assert (message.state, message.attempts) == ("failed", 2)
    assert message.reason.startswith("Notify answered 503") and "/r/" not in message.reason


def test_sending_without_settings_is_refused_with_how_to_set_it_up(app: Flask) -> None:
    made = mail_round(app, {"en@example.org": "en"})
    with app.test_request_context():
        assert not mail_service.sending_configured()
        with pytest.raises(mail_service.MailError, match="not set up"):
            mail_service.start_invitations(made.round_id, made.user_id,
                                           made.response_ids.values(), None)
    assert stored(app) == {}


def test_a_message_notify_could_not_deliver_is_marked_bounced(app: Flask) -> None:
    with notify_stand_in() as (log, base_url):
        app.config.update(notify_settings(base_url))
        made = mail_round(app, {"gone@example.org": "en", "here@example.org": "en"})
        with app.test_request_context():
            mail_service.start_invitations(made.round_id, made.user_id,
                                           made.response_ids.values(), None)
        gone = stored(app)[made.response_ids["gone@example.org"]]
        log.statuses = {key: "delivered" for key in log.statuses}
        log.statuses[gone.provider_id] = "permanent-failure"
        with app.app_context():
            assert mail_service.check_bounces(made.round_id) == 1
    states = {m.response_id: (m.state, m.reason) for m in stored(app).values()}
    assert states[made.response_ids["here@example.org"]] == ("sent", None)
    assert states[made.response_ids["gone@example.org"]][0] == "bounced"
