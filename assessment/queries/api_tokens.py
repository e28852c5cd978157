"""API tokens: revoking them (creating and looking them up is in queries.results)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..models import ApiToken, User


@dataclass(frozen=True)
class TokenOwner:
    token_id: int
    user_id: int
    email: str


def token_owner(session: Session, token_id: int) -> TokenOwner | None:
    """The token's id, its user's id and email, or None if there is no such token."""
    row = session.execute(
        select(ApiToken.id, User.id, User.email).join(User, ApiToken.user_id == User.id)
        .where(ApiToken.id == token_id)
    ).first()
    return None if row is None else TokenOwner(row[0], row[1], row[2])


def revoke_token(session: Session, token_id: int) -> None:
    session.execute(update(ApiToken).where(ApiToken.id == token_id).values(revoked=True))


def revoke_user_tokens(session: Session, user_id: int) -> int:
    """Revoke every live token of the user; returns how many were live."""
    result = session.execute(
        update(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked.is_(False))
        .values(revoked=True)
    )
    return result.rowcount or 0
