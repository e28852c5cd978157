"""The audit log in words: event names and detail names through gettext.

The log stores short machine names (``sign_in_failed``, ``role_from``); people read
"Sign-in failed" and "Role before". A name this table does not know yet is shown
with its underscores as spaces, so a new event is never hidden.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

EVENT_WORDS = {
    "sign_in": _l("Signed in"),
    "sign_in_failed": _l("Sign-in failed"),
    "sign_out": _l("Signed out"),
    "access_denied": _l("Page refused"),
    "csrf_failed": _l("Form refused (security check)"),
    "export": _l("Results downloaded"),
    "import": _l("Answers imported"),
    "invitation_created": _l("Link created"),
    "invitation_revoked": _l("Link revoked"),
    "invalid_token": _l("Link that does not work used"),
    "round_created": _l("Round created"),
    "round_changed": _l("Round changed"),
    "user_created": _l("User added"),
    "user_changed": _l("User changed"),
    "password_changed": _l("Password changed"),
    "rate_limited": _l("Too many attempts"),
    "response_submitted": _l("Answers submitted"),
    "answer_challenged": _l("Answer challenged"),
    "mail_sent": _l("Email sent"),
    "mail_failed": _l("Email not sent"),
    "organisation_created": _l("Organisation created"),
    "benchmark_group_created": _l("Benchmark group created"),
    "benchmark_contributed": _l("Round contributed to a benchmark group"),
    "benchmark_withdrawn": _l("Round withdrawn from a benchmark group"),
}

DETAIL_WORDS = {
    "email": _l("Email address"),
    "response_id": _l("Response number"),
    "format": _l("Format"),
    "department": _l("Department"),
    "answers": _l("Answers"),
    "status": _l("Status"),
    "status_before": _l("Status before"),
    "role": _l("Role"),
    "role_from": _l("Role before"),
    "respondent": _l("Respondent"),
    "path": _l("Address"),
    "endpoint": _l("Page"),
    "method": _l("Method"),
    "sheets": _l("Sheets"),
    "retry_after": _l("Seconds to wait"),
    "responses": _l("Respondents"),
    "no_comments": _l("Without comments"),
    "anonymise": _l("Names removed"),
    "name": _l("Name"),
    "limit": _l("Limit"),
    "form": _l("Form"),
    "file": _l("File"),
    "active": _l("Active"),
    "group": _l("Benchmark group"),
}


def _plain(name: str) -> str:
    return name.replace("_", " ").capitalize()


def event_words(event: str) -> str:
    """What happened, in words."""
    return str(EVENT_WORDS[event]) if event in EVENT_WORDS else _plain(event)


def _value_words(value: Any) -> str:
    if value is True:
        return str(_l("Yes"))
    if value is False:
        return str(_l("No"))
    return "" if value is None else str(value)


def detail_rows(details: dict[str, Any] | None) -> list[tuple[str, str]]:
    """Each detail as (name in words, value as text), in a steady order."""
    return [(str(DETAIL_WORDS[key]) if key in DETAIL_WORDS else _plain(key), _value_words(value))
            for key, value in sorted((details or {}).items())]
