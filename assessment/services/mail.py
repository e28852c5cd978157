"""Emailing invitations and reminders: what the round pages call (issue 16, docs/mail.md).

1. :func:`give_email_links` gives respondents an email address and a new link
   derived from a stored seed (assessment.mail.links), so reminders can carry
   the same link; their previous link stops working, their answers stay.
2. :func:`start_invitations` / :func:`start_reminders` queue one message per
   respondent and a background job (assessment.mail.runner) that sends them;
   both return at once with the job's id, whose page shows progress.
3. :func:`latest_messages` gives each respondent's latest message state.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _

from ..audit import event_row as audit_row
from ..core.errors import AssessmentError
from ..extensions import db
from ..jobs import job_queue
from ..mail import links
from ..mail.compose import LANGUAGES, Addressee, Composed, compose
from ..mail.senders import is_configured, sender_from_config
from ..queries import mail as mail_queries
from ..queries.mail import MessageInfo
from . import jobs as job_service
from . import mail_schedule as schedule
from .invitations import hash_token, invitation_link
from .rounds import require_round

#: What a preview shows where each respondent's own link will be.
PREVIEW_TOKEN = "x" * 43


class MailError(AssessmentError):
    """Messages cannot be sent as asked; the message says why, in plain English."""


@dataclass(frozen=True)
class NewRecipient:
    response_id: int
    email: str
    language: str = "en"


def sending_configured() -> bool:
    """Whether the settings say how to send (else the pages keep the CSV download)."""
    return is_configured(current_app.config)


def clean_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise MailError(_("Enter an email address in the correct format, like name@example.org "
                          "(%(email)s: %(error)s)", email=email.strip()[:100], error=error)) from error


def give_email_links(round_id: int, recipients: Iterable[NewRecipient]) -> None:
    """Store each respondent's address and give them a new, mailable link, in one transaction."""
    if require_round(round_id).status == "closed":
        raise MailError(_("The round is closed: reopen it before sending invitations."))
    cleaned = [NewRecipient(r.response_id, clean_email(r.email), _language(r.language))
               for r in recipients]
    with db.transaction() as session:
        known = mail_queries.round_response_ids(session, round_id, [r.response_id for r in cleaned])
        unknown = [r.response_id for r in cleaned if r.response_id not in known]
        if unknown:
            raise MailError(_("Round %(round)s has no respondent %(respondent)s.", round=round_id,
                              respondent=unknown[0]))
        mail_queries.give_links(session, [_new_link(recipient) for recipient in cleaned])
        mail_queries.add_audit_events(session, [
            audit_row("invitation_created", round_id, response_id=recipient.response_id,
                      by_email=True, language=recipient.language) for recipient in cleaned])


def _new_link(recipient: NewRecipient) -> mail_queries.NewLink:
    seed = links.new_link_seed()
    return mail_queries.NewLink(recipient.response_id, recipient.email, recipient.language, seed,
                                hash_token(links.token_from_seed(seed)))


def _language(language: str) -> str:
    if language not in LANGUAGES:
        raise MailError(_("Choose English, Welsh or both for the message's language."))
    return language


def start_invitations(round_id: int, user_id: int, response_ids: Iterable[int],
                      address: str | None) -> str:
    """Queue an invitation to each of ``response_ids`` (who must have an address); the job id."""
    wanted = set(response_ids)
    targets = mail_queries.targets(round_id, wanted)
    missing = wanted - {t.response_id for t in targets}
    if missing:
        raise MailError(_("%(count)s of the respondents chosen have no email address.",
                          count=len(missing)))
    return _start(round_id, user_id, "invitation", [(t.response_id, t.language) for t in targets],
                  address)


def not_yet_invited(round_id: int) -> list[int]:
    """Respondents with an address, not submitted, whose invitation is not sent or queued."""
    latest = mail_queries.latest_messages(round_id)
    return [t.response_id for t in mail_queries.targets(round_id)
            if t.status != "submitted" and not t.link_revoked
            and (t.response_id not in latest or latest[t.response_id].state == "failed")]


def start_reminders(round_id: int, user_id: int, address: str | None) -> str:
    """Queue a reminder to every respondent with an address who has not submitted; the job id."""
    return _start(round_id, user_id, "reminder", schedule.waiting_for_reminder(round_id), address)


def _start(round_id: int, user_id: int, kind: str, recipients: list[tuple[int, str]],
           address: str | None) -> str:
    if not recipients:
        raise MailError(_("There is nobody to send to: no respondent with an email address "
                          "is waiting for this message."))
    if not sending_configured():
        raise MailError(_("Sending email is not set up: ask your administrator (see docs/mail.md)."))
    details = {"mail_kind": kind, "address": address}
    job_id = job_service.create_job("send_mail", round_id, user_id, len(recipients), details)
    with db.transaction() as session:
        mail_queries.queue_messages(session, job_id, kind, recipients)
    try:
        job_queue(current_app).run_job(job_id)
    except Exception:  # the queue's storage cannot be reached: the messages stay queued
        current_app.logger.exception("Could not queue mail job %s", job_id)
        job_service.fail(job_id, details, "unavailable")
    return job_id


def preview(round_id: int, kind: str, language: str) -> Composed:
    """The message as respondents will get it, with a stand-in where their own link goes."""
    details = mail_queries.round_details(round_id)
    if details is None:
        raise MailError(_("There is no round %(round)s.", round=round_id))
    return compose(kind, _language(language), details,
                   Addressee("(respondent)", "(department)"), invitation_link(PREVIEW_TOKEN),
                   welsh_first=bool(current_app.config["MAIL_WELSH_FIRST"]))


def check_bounces(round_id: int) -> int:
    """Ask Notify what became of the round's sent messages; how many bounced.

    Notify's ``permanent-failure`` (the address does not exist or its inbox
    refuses) marks a message ``bounced``.  SMTP relays report bounces by mail
    to MAIL_FROM's mailbox, which the app does not read, so this does nothing
    for SMTP.  Meant to run from a periodic job or a lead's refresh.
    """
    sender = sender_from_config(current_app.config)
    status_of = getattr(sender, "delivery_status", None)
    bounced = 0
    try:
        for _message_id, provider_id in mail_queries.sent_with_provider_ids(round_id):
            if status_of is not None and status_of(provider_id) == "permanent-failure":
                bounced += mail_queries.mark_bounced(
                    provider_id, "Notify could not deliver it: the address does not exist or "
                    "its inbox refused it.")
    finally:
        sender.close()
    return bounced


def set_round_details(round_id: int, purpose: str | None, closing_date: date | None) -> None:
    """The round's purpose and closing date, told to respondents and in emails."""
    require_round(round_id)
    purpose = " ".join((purpose or "").split())[:500] or None
    with db.transaction() as session:
        mail_queries.set_round_details(session, round_id, purpose, closing_date)


def latest_messages(round_id: int) -> dict[int, MessageInfo]:
    """Each respondent's latest message (state, reason, attempts), by response id."""
    return mail_queries.latest_messages(round_id)
