"""The audit log: who did what, when.

Call :func:`record` from services and views.  Details are stored as JSON
values, never interpolated into a log line, so user text cannot forge an
entry; callers must never pass passwords or tokens.
"""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from flask_login import current_user

from .queries import admin as admin_queries

#: The events the log knows, so the admin page can offer them as a filter.
EVENTS = (
    "sign_in", "sign_in_failed", "sign_out", "access_denied", "csrf_failed",
    "export", "import", "invitation_created", "invitation_revoked", "invalid_token",
    "round_created", "round_changed", "user_created", "user_changed", "password_changed",
    "rate_limited", "response_submitted", "answer_challenged", "mail_sent", "mail_failed",
    "demo_removed",
)
MAX_DETAIL_LENGTH = 500


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return value[:MAX_DETAIL_LENGTH]
    if isinstance(value, int | float | bool) or value is None:
        return value
    return str(value)[:MAX_DETAIL_LENGTH]


def record(event: str, round_id: int | None = None, **details: Any) -> None:
    """Add one event in its own transaction (kept even if the caller then fails)."""
    if event not in EVENTS:
        raise ValueError(f"unknown audit event {event!r}")
    user_id = user_email = address = None
    if has_request_context():
        address = request.remote_addr
        if current_user and current_user.is_authenticated:
            user_id, user_email = current_user.user_id, current_user.email
    admin_queries.add_audit_event(event, user_id, user_email, address, round_id,
                                  {k: _clean(v) for k, v in details.items()})
