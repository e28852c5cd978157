"""Organisations (the tenants of an installation) and user accounts.

Every look-up of an organisation takes its id or its exact name: there is no
"the organisation" query, so no caller can forget which one it means.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import Department, Organisation, Response, Round, TrainerAccess, User


def get_organisation(organisation_id: int | None) -> Organisation | None:
    """The organisation ``organisation_id``, or None (also for None: a service administrator)."""
    return None if organisation_id is None else db.session.get(Organisation, organisation_id)


def organisation_in(session: Session, organisation_id: int) -> Organisation | None:
    return session.get(Organisation, organisation_id)


def organisation_named(session: Session, name: str) -> Organisation | None:
    """The organisation called exactly ``name``, or None."""
    return session.scalars(select(Organisation).where(Organisation.name == name)).first()


def organisation_ids(session: Session, limit: int | None = None) -> list[int]:
    """The ids of the installation's organisations, oldest first (at most ``limit``)."""
    return list(session.scalars(select(Organisation.id).order_by(Organisation.id).limit(limit)))


def list_organisations() -> list[Organisation]:
    """Every organisation, by name (the service administrator's view)."""
    return list(db.session.scalars(select(Organisation).order_by(Organisation.name)))


def organisation_of_round(round_id: int) -> Organisation | None:
    """The organisation that owns round ``round_id``, or None if there is no such round."""
    query = select(Organisation).join(Round, Round.organisation_id == Organisation.id)
    return db.session.scalars(query.where(Round.id == round_id)).first()


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


def count_members_in(session: Session) -> int:
    """Accounts that belong to an organisation (every role but the service administrator)."""
    query = select(func.count()).select_from(User).where(User.organisation_id.is_not(None))
    return session.scalar(query) or 0


def get_user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def get_user_by_email(email: str) -> User | None:
    return db.session.scalars(select(User).where(User.email == email.strip().lower())).first()


def create_user(session: Session, organisation_id: int | None, email: str, password_hash: str,
                role: str) -> User:
    """A new account; ``organisation_id`` is None only for a service administrator."""
    user = User(organisation_id=organisation_id, email=email.strip().lower(),
                password_hash=password_hash, role=role)
    session.add(user)
    session.flush()
    return user


def email_taken(session: Session, email: str) -> bool:
    found = session.scalar(select(User.id).where(User.email == email.strip().lower()))
    return found is not None


# --- trainers with access to several organisations -------------------------------------------


def trainer_organisations(user_id: int) -> list[Organisation]:
    """The organisations a trainer may switch to besides their own, by name."""
    query = (select(Organisation).join(TrainerAccess, TrainerAccess.organisation_id == Organisation.id)
             .where(TrainerAccess.user_id == user_id).order_by(Organisation.name))
    return list(db.session.scalars(query))


def has_trainer_access(user_id: int, organisation_id: int) -> bool:
    query = select(TrainerAccess.user_id).where(TrainerAccess.user_id == user_id,
                                                TrainerAccess.organisation_id == organisation_id)
    return db.session.scalar(query) is not None


def grant_trainer_access(session: Session, user_id: int, organisation_id: int) -> None:
    """Let trainer ``user_id`` switch to ``organisation_id`` (nothing if already granted)."""
    found = session.get(TrainerAccess, (user_id, organisation_id))
    if found is None:
        session.add(TrainerAccess(user_id=user_id, organisation_id=organisation_id))
        session.flush()


def revoke_trainer_access(session: Session, user_id: int, organisation_id: int) -> None:
    session.execute(delete(TrainerAccess).where(TrainerAccess.user_id == user_id,
                                                TrainerAccess.organisation_id == organisation_id))


def trainers_with_access(organisation_id: int) -> list[User]:
    """Trainers of other organisations given access to ``organisation_id``, by email."""
    query = (select(User).join(TrainerAccess, TrainerAccess.user_id == User.id)
             .where(TrainerAccess.organisation_id == organisation_id).order_by(User.email))
    return list(db.session.scalars(query))


def find_or_create_organisation(session: Session, name: str) -> Organisation:
    """The organisation called ``name``, created if there is none (tests and the demo of a
    regional service make several organisations in one database)."""
    found = session.scalars(select(Organisation).where(Organisation.name == name)
                            .order_by(Organisation.id).limit(1)).first()
    return found if found is not None else create_organisation(session, name)
