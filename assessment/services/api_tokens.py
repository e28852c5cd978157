"""API tokens: bearer tokens for the JSON API, only their SHA-256 stored.

A token belongs to a user whose role may see results (lead or trainer; an
admin too, who can see everything anyway).  It is revoked when its user
changes password, is deactivated or changes role (services.users), can be
revoked by ``flask revoke-api-token``, and never reveals anything once created.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from ..audit import record
from ..auth import ROLE_POWERS
from ..core.errors import AssessmentError
from ..extensions import db
from ..models import User
from ..queries import accounts as account_queries
from ..queries import api_tokens as token_queries
from ..queries import results as result_queries
from .invitations import hash_token

#: Tokens carry a prefix so a leaked one is easy to recognise in logs and scanners.
TOKEN_PREFIX = "ju_"  # noqa: S105 (a prefix, not a secret)
TOKEN_BYTES = 32


class ApiTokenError(AssessmentError):
    """A token cannot be created as asked."""


def _member(email: str, organisation_id: int | None) -> User | None:
    """The user with this email, if they belong to ``organisation_id`` (when given)."""
    user = account_queries.get_user_by_email(email)
    if user is None or (organisation_id is not None and user.organisation_id != organisation_id):
        return None
    return user


def create_api_token(email: str, organisation_id: int | None = None) -> str:
    """A new token for the active user with this email (a member of ``organisation_id``,
    when given); the only time it is shown."""
    user = _member(email, organisation_id)
    if user is None:
        raise ApiTokenError(f"There is no user with the email address {email.strip()}.")
    if not user.active:
        raise ApiTokenError(f"The user {user.email} is deactivated.")
    if not _may_use_api(user):
        raise ApiTokenError(f"The user {user.email} cannot see results, so cannot have an API token.")
    token = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    with db.transaction() as session:
        result_queries.add_api_token(session, user.id, hash_token(token))
    record("user_changed", action="api_token_created", user=user.email)
    return token


def revoke_token(token_id: int, organisation_id: int | None = None) -> str:
    """Revoke one token (of a member of ``organisation_id``, when given); its user's email."""
    with db.transaction() as session:
        owner = token_queries.token_owner(session, token_id)
        if owner is None or organisation_id not in (None, owner.organisation_id):
            raise ApiTokenError(f"There is no API token {token_id}.")
        token_queries.revoke_token(session, token_id)
    record("user_changed", action="api_token_revoked", user=owner.email, token_id=token_id)
    return owner.email


def tokens_to_show(organisation_id: int, user_id: int, everyone: bool) -> list[token_queries.TokenRow]:
    """The live tokens the tokens page lists: the user's own, or (for an admin) the organisation's."""
    return token_queries.live_tokens(organisation_id, None if everyone else user_id)


def revocable_token(token_id: int, organisation_id: int, user_id: int,
                    everyone: bool) -> token_queries.TokenRow | None:
    """A live token this user may revoke (their own; an admin: any in the organisation), else None.

    None also for another organisation's token, so the page cannot tell whether it exists.
    """
    for row in tokens_to_show(organisation_id, user_id, everyone):
        if row.token_id == token_id:
            return row
    return None


def revoke_user_tokens(email: str, organisation_id: int | None = None) -> tuple[str, int]:
    """Revoke every token of the user with this email (a member of ``organisation_id``,
    when given); returns (email, how many)."""
    user = _member(email, organisation_id)
    if user is None:
        raise ApiTokenError(f"There is no user with the email address {email.strip()}.")
    with db.transaction() as session:
        count = token_queries.revoke_user_tokens(session, user.id)
    record("user_changed", action="api_tokens_revoked", user=user.email, count=count)
    return user.email, count


@dataclass(frozen=True)
class TokenCaller:
    """Who an API request with a valid token comes from: plain values for the view."""

    user_id: int
    organisation_id: int | None
    role: str


def caller_for_token(token: str) -> TokenCaller | None:
    """The caller a live token belongs to, or None (see :func:`user_for_token`)."""
    user = user_for_token(token)
    return None if user is None else TokenCaller(user.id, user.organisation_id, user.role)


def user_for_token(token: str) -> User | None:
    """The active user a token belongs to, or None for any unknown, revoked or stale token."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    found = result_queries.api_token_owner(hash_token(token))
    if found is None:
        return None
    api_token, user = found
    if not user.active or not _may_use_api(user):
        return None
    with db.transaction() as session:
        result_queries.touch_api_token(session, api_token.id)
    return user


def _may_use_api(user: User) -> bool:
    return "results" in ROLE_POWERS.get(user.role, set())
