"""API tokens: listing and revoking them (creating and looking them up is in queries.results)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import ApiToken, User


@dataclass(frozen=True)
class TokenOwner:
    token_id: int
    user_id: int
    email: str
    organisation_id: int | None


def token_owner(session: Session, token_id: int) -> TokenOwner | None:
    """The token's id, its user's id and email, or None if there is no such token."""
    row = session.execute(
        select(ApiToken.id, User.id, User.email, User.organisation_id)
        .join(User, ApiToken.user_id == User.id).where(ApiToken.id == token_id)
    ).first()
    return None if row is None else TokenOwner(row[0], row[1], row[2], row[3])


def revoke_token(session: Session, token_id: int) -> None:
    session.execute(update(ApiToken).where(ApiToken.id == token_id).values(revoked=True))


def revoke_user_tokens(session: Session, user_id: int) -> int:
    """Revoke every live token of the user; returns how many were live."""
    result = session.execute(
        update(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked.is_(False))
        .values(revoked=True)
    )
    return result.rowcount or 0


@dataclass(frozen=True)
class TokenRow:
    """A live token as the tokens page shows it: never its hash."""

    token_id: int
    email: str
    created_at: datetime
    last_used_at: datetime | None


def live_tokens(organisation_id: int, user_id: int | None) -> list[TokenRow]:
    """Tokens not revoked of one user (or, with ``user_id`` None, of the whole organisation)."""
    query = (
        select(ApiToken.id, User.email, ApiToken.created_at, ApiToken.last_used_at)
        .join(User, ApiToken.user_id == User.id)
        .where(ApiToken.revoked.is_(False), User.organisation_id == organisation_id)
        .order_by(User.email, ApiToken.created_at, ApiToken.id)
    )
    if user_id is not None:
        query = query.where(User.id == user_id)
    return [TokenRow(*row) for row in db.session.execute(query)]
