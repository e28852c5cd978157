"""Organisations and user accounts."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import Organisation, User


def get_organisation_in(session: Session) -> Organisation | None:
    """The organisation of this installation (one for now), or None before set-up."""
    return session.scalars(select(Organisation).order_by(Organisation.id).limit(1)).first()


def get_organisation() -> Organisation | None:
    return get_organisation_in(db.session)


def create_organisation(session: Session, name: str, name_cy: str | None = None) -> Organisation:
    organisation = Organisation(name=name, name_cy=name_cy)
    session.add(organisation)
    session.flush()
    return organisation


def rename_organisation(session: Session, organisation_id: int, name: str) -> None:
    session.execute(update(Organisation).where(Organisation.id == organisation_id).values(name=name))


def count_users_in(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User)) or 0


def count_users() -> int:
    return count_users_in(db.session)


def get_user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def get_user_by_email(email: str) -> User | None:
    return db.session.scalars(select(User).where(User.email == email.strip().lower())).first()


def create_user(session: Session, organisation_id: int, email: str, password_hash: str,
                role: str) -> User:
    user = User(organisation_id=organisation_id, email=email.strip().lower(),
                password_hash=password_hash, role=role)
    session.add(user)
    session.flush()
    return user


def email_taken(session: Session, email: str) -> bool:
    found = session.scalar(select(User.id).where(User.email == email.strip().lower()))
    return found is not None


def find_or_create_organisation(session: Session, name: str) -> Organisation:
    """The organisation called ``name``, created if there is none (tests and the demo of a
    regional service make several organisations in one database)."""
    found = session.scalars(select(Organisation).where(Organisation.name == name)
                            .order_by(Organisation.id).limit(1)).first()
    return found if found is not None else create_organisation(session, name)
