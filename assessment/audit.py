"""The audit log: who did what, when.

Call :func:`record` from services and views.  Details are stored as JSON
values, never interpolated into a log line, so user text cannot forge an
entry; callers must never pass passwords or tokens.
"""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from flask_login import current_user

from .models import utcnow
from .queries import accounts as account_queries
from .queries import admin as admin_queries

#: The events the log knows, so the admin page can offer them as a filter.
EVENTS = (
    "sign_in", "sign_in_failed", "sign_out", "access_denied", "csrf_failed",
    "export", "import", "invitation_created", "invitation_revoked", "invalid_token",
    "round_created", "round_changed", "user_created", "user_changed", "password_changed",
    "rate_limited", "response_submitted", "answer_challenged", "mail_sent", "mail_failed",
    "demo_removed", "organisation_created",
    "challenge_replied", "challenge_resolved", "challenge_reopened",
    "benchmark_contributed", "benchmark_withdrawn", "benchmark_group_created",
)
MAX_DETAIL_LENGTH = 500


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return value[:MAX_DETAIL_LENGTH]
    if isinstance(value, int | float | bool) or value is None:
        return value
    return str(value)[:MAX_DETAIL_LENGTH]


def event_row(event: str, round_id: int | None = None, **details: Any) -> dict[str, Any]:
    """One audit event as a row: who asked, from where, the round and the details.

    :func:`record` writes one at once; a mail job writes many in one transaction
    (queries/mail.py), with the same facts and the same list of events.
    """
    if event not in EVENTS:
        raise ValueError(f"unknown audit event {event!r}")
    user_id = user_email = address = organisation_id = None
    signed_in = False
    if has_request_context():
        address = request.remote_addr
        if current_user and current_user.is_authenticated:
            signed_in = True
            user_id, user_email = current_user.user_id, current_user.email
            organisation_id = current_user.organisation_id
    if organisation_id is None and not signed_in:
        organisation_id = _organisation_of(round_id)
    return {"event": event, "user_id": user_id, "user_email": user_email, "address": address,
            "round_id": round_id, "organisation_id": organisation_id, "created_at": utcnow(),
            "details": {key: _clean(value) for key, value in details.items()}}


def _organisation_of(round_id: int | None) -> int | None:
    """Whose log an event of nobody signed in goes to: the round's organisation, else the
    installation's only one (a single-organisation admin sees every event, as before)."""
    if round_id is not None:
        found = account_queries.organisation_of_round(round_id)
        return None if found is None else found.id
    from .extensions import db

    ids = account_queries.organisation_ids(db.session, limit=2)
    return ids[0] if len(ids) == 1 else None


def record(event: str, round_id: int | None = None, **details: Any) -> None:
    """Add one event in its own transaction (kept even if the caller then fails)."""
    admin_queries.add_audit_event(event_row(event, round_id, **details))
