"""Audit rows for mail, written in batches with the messages' states.

:func:`assessment.audit.record` commits one event at a time; a job of 2,000
messages would spend most of its time on those commits.  These rows carry the
same facts (who asked, from where, the round, the details), are checked
against the same list of events, and are written by queries/mail.py in the
transaction that records the messages' states.  Never a link or token.
"""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from flask_login import current_user

from ..audit import EVENTS, MAX_DETAIL_LENGTH
from ..models import utcnow


def _clean(value: Any) -> Any:
    if isinstance(value, int | float | bool) or value is None:
        return value
    return str(value)[:MAX_DETAIL_LENGTH]


def audit_row(event: str, round_id: int | None, **details: Any) -> dict[str, Any]:
    """An audit event as :func:`assessment.audit.record` would write it."""
    if event not in EVENTS:
        raise ValueError(f"unknown audit event {event!r}")
    user_id = user_email = address = None
    if has_request_context():
        address = request.remote_addr
        if current_user and current_user.is_authenticated:
            user_id, user_email = current_user.user_id, current_user.email
    return {"event": event, "user_id": user_id, "user_email": user_email, "address": address,
            "round_id": round_id, "created_at": utcnow(),
            "details": {key: _clean(value) for key, value in details.items()}}
