"""Scheduled reminders: 7 and 2 days before a round closes (issue 16).

The consumer's daily task (:mod:`assessment.jobs`) calls
:func:`start_due_reminders` and queues the jobs it returns.  This module
does not import the queue or the services, so the queue can import it.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

from flask import current_app

from ..extensions import db
from ..mail.senders import is_configured
from ..queries import mail as mail_queries
from . import jobs as job_service

#: Scheduled reminders go this many days before a round closes.
REMINDER_DAYS = (7, 2)

log = logging.getLogger(__name__)


def waiting_for_reminder(round_id: int) -> list[tuple[int, str]]:
    """(response id, language) of respondents with an address and a live link who have not submitted."""
    return [(t.response_id, t.language) for t in mail_queries.targets(round_id)
            if t.status != "submitted" and t.token_hash and not t.link_revoked]


def start_due_reminders(today: date | None = None) -> list[str]:
    """Jobs (created, not yet queued) for the reminders due ``today``; their ids.

    Idempotent: a round that already had a reminder queued that day is skipped,
    so the task can run twice (a restart, two consumers) without anyone getting
    two reminders.  Rounds where nobody is waiting, or without a lead, are skipped.
    """
    if not is_configured(current_app.config):
        return []
    today = today or datetime.now(UTC).date()
    midnight = datetime(today.year, today.month, today.day, tzinfo=UTC)
    job_ids = []
    for round_id in mail_queries.rounds_closing_on(today + timedelta(days=d) for d in REMINDER_DAYS):
        recipients = waiting_for_reminder(round_id)
        user_id = mail_queries.scheduling_user(round_id)
        if mail_queries.reminders_since(round_id, midnight) or not recipients or user_id is None:
            continue
        details = {"mail_kind": "reminder", "address": None, "scheduled": True}
        job_id = job_service.create_job("send_mail", round_id, user_id, len(recipients), details)
        with db.transaction() as session:
            mail_queries.queue_messages(session, job_id, "reminder", recipients)
        log.info("Scheduled reminders for round %s: job %s, %s messages", round_id, job_id,
                 len(recipients))
        job_ids.append(job_id)
    return job_ids
