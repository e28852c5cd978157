"""User administration and password changes, each ending the user's other sessions.

Every change that should take effect at once (sign-out, password change,
deactivation, role change) bumps ``User.session_version`` in the same
transaction: each session carries the version it was signed in with, and
``assessment.auth`` refuses an older one on its next request.  A password
change, deactivation or role change also revokes the user's API tokens (for
good: reactivating does not bring them back); signing out of the web pages
does not, since a script's token is not a browser session.

An administrator cannot deactivate or change the role of their own account,
so there is always at least one active administrator.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from .. import audit
from ..extensions import db
from ..models import MEMBER_ROLES, User
from ..queries import accounts as account_queries
from ..queries import admin as admin_queries
from ..queries import api_tokens as token_queries
from . import accounts
from .accounts import AccountError


@dataclass(frozen=True)
class UserSummary:
    """A user as the admin pages show it: plain values."""

    id: int
    email: str
    role: str
    active: bool
    organisation_id: int


def organisation_user(user_id: int, organisation_id: int) -> UserSummary | None:
    """The user if they belong to this organisation, else None."""
    user = account_queries.get_user(user_id)
    if user is None or user.organisation_id != organisation_id:
        return None
    return UserSummary(user.id, user.email, user.role, user.active, user.organisation_id)


def _locked_user(session, user_id: int) -> User:  # type: ignore[no-untyped-def]
    user = admin_queries.lock_user(session, user_id)
    if user is None:
        raise AccountError(_("There is no such user."))
    return user


def _not_yourself(user_id: int, acting_user_id: int) -> None:
    if user_id == acting_user_id:
        raise AccountError(_("You cannot change your own role or deactivate yourself: "
                             "ask another administrator."))


def add_user(email: str, password: str, role: str, organisation_id: int) -> User:
    """A new member of ``organisation_id`` (the admin's own), audited."""
    user = accounts.create_user(email, password, role, organisation_id)
    audit.record("user_created", email=user.email, role=user.role)
    return user


def change_role(user_id: int, role: str, acting_user_id: int) -> User:
    if role not in MEMBER_ROLES:
        raise AccountError(_("The role must be one of %(roles)s.", roles=", ".join(MEMBER_ROLES)), "role")
    _not_yourself(user_id, acting_user_id)
    with db.transaction() as session:
        user = _locked_user(session, user_id)
        previous = user.role
        if previous == role:
            return user
        user.role = role
        admin_queries.bump_session_version(session, user_id)
        token_queries.revoke_user_tokens(session, user_id)
    audit.record("user_changed", email=user.email, role_from=previous, role=role)
    return user


def set_active(user_id: int, active: bool, acting_user_id: int) -> User:
    _not_yourself(user_id, acting_user_id)
    with db.transaction() as session:
        user = _locked_user(session, user_id)
        if user.active == active:
            return user
        user.active = active
        admin_queries.bump_session_version(session, user_id)
        token_queries.revoke_user_tokens(session, user_id)
    audit.record("user_changed", email=user.email, active=active)
    return user


def change_password(user_id: int, current_password: str, new_password: str) -> int:
    """Set a new password after checking the current one; returns the new session version.

    Every other session of the user ends; the caller signs this one in again
    with the returned version.
    """
    user = account_queries.get_user(user_id)
    if user is None or not accounts.password_matches(user, current_password):
        raise AccountError(_("Your current password is not right."), "current_password")
    password_hash = accounts.hash_password(new_password)
    with db.transaction() as session:
        user = _locked_user(session, user_id)
        user.password_hash = password_hash
        admin_queries.bump_session_version(session, user_id)
        token_queries.revoke_user_tokens(session, user_id)
        version = admin_queries.session_version(session, user_id)
    audit.record("password_changed", email=user.email)
    return version


def sign_out(user_id: int) -> None:
    """End every session of the user (called by the sign-out button)."""
    with db.transaction() as session:
        admin_queries.bump_session_version(session, user_id)
    audit.record("sign_out")
