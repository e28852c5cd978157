"""The send job: a round's queued invitations or reminders, throttled and retried.

Run by the job queue (assessment.jobs runs ``RUNNERS[job.kind]``) inside a
request context of the person who asked, so the audit trail names them.  The
job goes through its queued messages in passes: each pass sends every waiting
message at most ``MAIL_PER_SECOND``; those that failed for a temporary reason
wait ``MAIL_RETRY_DELAY`` seconds (doubling each pass) and go again, up to
``MAIL_MAX_ATTEMPTS`` attempts, then are ``failed`` with the reason.  Progress
(``done`` of ``total``) counts messages settled.  The link is recomputed for
each message as it goes (:mod:`.links`) and exists only in memory.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import current_app

from ..audit import event_row as audit_row
from ..models import BackgroundJob
from ..queries import mail as mail_queries
from ..queries.mail import RoundDetails, Settled, Target
from ..services import jobs as job_service
from . import links
from .compose import Addressee, compose
from .senders import Email, MailNotConfigured, Outcome, Sender, redact, sender_from_config

#: Messages' states, their audit events and the job's progress are written after
#: this many messages settle (and at the end of each pass): one commit for many.
PROGRESS_EVERY = 25


class Throttle:
    """At most ``per_second`` calls of :meth:`wait` a second (0: no limit)."""

    def __init__(self, per_second: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval = 1 / per_second if per_second > 0 else 0.0
        self.clock, self.sleep = clock, sleep
        self.next_at = 0.0

    def wait(self) -> None:
        if not self.interval:
            return
        now = self.clock()
        if now < self.next_at:
            self.sleep(self.next_at - now)
        self.next_at = max(now, self.next_at) + self.interval


@dataclass
class Pending:
    message_id: int
    target: Target
    kind: str
    language: str
    attempts: int = 0


@dataclass
class Tally:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    done: int = 0
    retry: list[Pending] = field(default_factory=list)
    settled: list[Settled] = field(default_factory=list)
    audit_rows: list[dict[str, Any]] = field(default_factory=list)


def run_send_job(job: BackgroundJob, sleep: Callable[[float], None] = time.sleep) -> None:
    """Send the job's queued messages; finish the job with how many went."""
    config = current_app.config
    details = mail_queries.round_details(job.round_id)
    pending = _pending(job)
    tally = Tally()
    try:
        sender = sender_from_config(config)
    except MailNotConfigured as error:
        for item in pending:
            _settle(job, tally, item, Outcome("permanent", str(error)))
        sender = None
    if sender is not None and details is not None:
        try:
            _send_all(job, sender, details, pending, tally, sleep)
        finally:  # what was sent is recorded even if the job then fails
            sender.close()
            _report(job, tally)
    else:
        _report(job, tally)
    outcome = {**job.details, "sent": tally.sent, "failed": tally.failed, "skipped": tally.skipped}
    job_service.finish(job.id, tally.done, outcome)


def _pending(job: BackgroundJob) -> list[Pending]:
    queued = mail_queries.queued_messages(job.id)
    by_response = {t.response_id: t for t in mail_queries.targets(
        job.round_id, [response_id for _, response_id, _, _ in queued])}
    return [Pending(message_id, by_response[response_id], kind, language)
            for message_id, response_id, kind, language in queued if response_id in by_response]


def _send_all(job: BackgroundJob, sender: Sender, details: RoundDetails, pending: list[Pending],
              tally: Tally, sleep: Callable[[float], None]) -> None:
    config = current_app.config
    throttle = Throttle(float(config["MAIL_PER_SECOND"] or 0), sleep=sleep)
    max_attempts = max(1, int(config["MAIL_MAX_ATTEMPTS"]))
    delay = float(config["MAIL_RETRY_DELAY"])
    for attempt in range(1, max_attempts + 1):
        if attempt > 1:
            sleep(delay * 2 ** (attempt - 2))
        tally.retry = []
        for item in pending:
            throttle.wait()
            _send_one(job, sender, details, item, tally, last_try=attempt == max_attempts)
            if len(tally.settled) >= PROGRESS_EVERY:
                _report(job, tally)
        _report(job, tally)
        pending = tally.retry
        if not pending:
            return


def _report(job: BackgroundJob, tally: Tally) -> None:
    """Write the settled messages' states and audit events, then the job's progress."""
    if tally.settled or tally.audit_rows:
        mail_queries.settle_messages(tally.settled, tally.audit_rows)
        tally.settled, tally.audit_rows = [], []
    job_service.report_progress(job.id, tally.done)


def _send_one(job: BackgroundJob, sender: Sender, details: RoundDetails, item: Pending,
              tally: Tally, last_try: bool) -> None:
    target = item.target
    if item.kind == "reminder" and mail_queries.response_status(target.response_id) == "submitted":
        mail_queries.drop_message(item.message_id)  # never remind someone who has submitted
        tally.skipped += 1
        tally.done += 1
        return
    link = links.live_link(target.link_seed, target.token_hash, target.link_revoked)
    if link is None:
        _settle(job, tally, item, Outcome("permanent", "The link was replaced or revoked after "
                                          "the address was given: give it a new link to send."))
        return
    item.attempts += 1
    outcome = sender.send(_email(item, details, link))
    if outcome.status == "temporary" and not last_try:
        mail_queries.mark_retrying(item.message_id, item.attempts, outcome.reason or "")
        tally.retry.append(item)
        return
    _settle(job, tally, item, outcome)


def _email(item: Pending, details: RoundDetails, link: str) -> Email:
    target = item.target
    composed = compose(item.kind, item.language, details,
                       Addressee(target.respondent, target.department), link,
                       welsh_first=bool(current_app.config["MAIL_WELSH_FIRST"]))
    token = link.rsplit("/", 1)[1]
    fields = {"link": link, "organisation": details.organisation, "round": details.round_name,
              "department": target.department}
    return Email(target.email, composed.subject, composed.body, item.kind, fields, (link, token))


def _settle(job: BackgroundJob, tally: Tally, item: Pending, outcome: Outcome) -> None:
    """Note a message's final state for the messages table, the audit trail and the log."""
    response_id = item.target.response_id
    facts = {"response_id": response_id, "kind": item.kind, "language": item.language,
             "attempts": item.attempts}
    if outcome.status == "sent":
        tally.settled.append(Settled(item.message_id, "sent", item.attempts,
                                     provider_id=outcome.provider_id))
        tally.audit_rows.append(audit_row("mail_sent", job.round_id, **facts))
        tally.sent += 1
        said = "sent"
    else:
        said = redact(outcome.reason or "Unknown failure.")
        tally.settled.append(Settled(item.message_id, "failed", item.attempts, reason=said))
        tally.audit_rows.append(audit_row("mail_failed", job.round_id, reason=said, **facts))
        tally.failed += 1
    current_app.logger.info("Mail job %s: %s to response %s: %s", job.id, item.kind, response_id,
                            said)
    tally.done += 1


RUNNERS: dict[str, Callable[[BackgroundJob], None]] = {"send_mail": run_send_job}
