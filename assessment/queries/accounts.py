"""Organisations and user accounts."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import Department, Organisation, Response, Round, User


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


def hand_round_to(session: Session, round_id: int, organisation_id: int) -> None:
    """Make ``round_id``, and every department with a response in it, ``organisation_id``'s.

    For loading many organisations through the importer, which files the departments it
    creates under the installation's first organisation (benchmarks/tenants_bench.py).
    """
    session.execute(update(Round).where(Round.id == round_id).values(organisation_id=organisation_id))
    taking_part = select(Response.department_id).where(Response.round_id == round_id)
    session.execute(update(Department).where(Department.id.in_(taking_part))
                    .values(organisation_id=organisation_id))


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
