"""Rounds and departments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import Department, Response, Round


@dataclass(frozen=True, slots=True)
class RoundInfo:
    """A round as pages and presenters see it: plain values, no ORM session behind it."""

    id: int
    organisation_id: int
    name: str
    status: str
    bank_id: str
    bank_version: str
    bank_snapshot: dict[str, Any]
    thresholds: dict[str, float]
    targets: dict[str, float]
    ask_evidence: bool
    show_department_radar: bool
    contact: str | None
    data_version: int
    created_at: datetime
    is_demo: bool = False
    name_cy: str | None = None
    purpose: str | None = None
    closing_date: date | None = None

    @classmethod
    def of(cls, assessment_round: Round) -> RoundInfo:
        return cls(
            id=assessment_round.id, organisation_id=assessment_round.organisation_id,
            name=assessment_round.name, status=assessment_round.status,
            bank_id=assessment_round.bank_id, bank_version=assessment_round.bank_version,
            bank_snapshot=assessment_round.bank_snapshot,
            thresholds=dict(assessment_round.thresholds or {}),
            targets=dict(assessment_round.targets or {}),
            ask_evidence=assessment_round.ask_evidence,
            show_department_radar=assessment_round.show_department_radar,
            contact=assessment_round.contact, data_version=assessment_round.data_version,
            created_at=assessment_round.created_at, is_demo=bool(assessment_round.is_demo),
            name_cy=assessment_round.name_cy,
            purpose=assessment_round.purpose, closing_date=assessment_round.closing_date,
        )


def get_round(round_id: int) -> Round | None:
    return db.session.get(Round, round_id)


def organisation_round(organisation_id: int | None, round_id: int) -> RoundInfo | None:
    """The round if it belongs to this organisation, else None (pages answer 404)."""
    assessment_round = db.session.get(Round, round_id)
    if assessment_round is None or assessment_round.organisation_id != organisation_id:
        return None
    return RoundInfo.of(assessment_round)


def list_rounds(organisation_id: int) -> list[Round]:
    query = select(Round).where(Round.organisation_id == organisation_id).order_by(Round.id.desc())
    return list(db.session.scalars(query))


def create_round(session: Session, organisation_id: int, name: str, status: str,
                 bank_snapshot: dict[str, Any], name_cy: str | None = None) -> Round:
    assessment_round = Round(
        organisation_id=organisation_id, name=name, name_cy=name_cy, status=status,
        bank_id=bank_snapshot["id"], bank_version=bank_snapshot["version"],
        bank_snapshot=bank_snapshot, thresholds={}, targets={},
    )
    session.add(assessment_round)
    session.flush()
    return assessment_round


def set_round_status(session: Session, round_id: int, status: str) -> None:
    session.execute(update(Round).where(Round.id == round_id).values(status=status))


def bump_data_version(session: Session, round_id: int) -> None:
    """Mark the round's results stale; runs in the same transaction as the write."""
    session.execute(
        update(Round).where(Round.id == round_id).values(data_version=Round.data_version + 1)
    )


def find_department(session: Session, organisation_id: int, name: str) -> Department | None:
    query = select(Department).where(
        Department.organisation_id == organisation_id, Department.name == name
    )
    return session.scalars(query).first()


def get_or_create_department(session: Session, organisation_id: int, name: str,
                             directorate: str | None = None,
                             welsh: WelshNames | None = None) -> Department:
    """The department called ``name``; a directorate or Welsh name given replaces the old one."""
    welsh = welsh or WelshNames()
    department = find_department(session, organisation_id, name)
    if department is None:
        department = Department(organisation_id=organisation_id, name=name,
                                directorate=directorate, name_cy=welsh.name,
                                directorate_cy=welsh.directorate)
        session.add(department)
        session.flush()
        return department
    changed = _set_welsh_names(department, welsh)
    if directorate and department.directorate != directorate:
        department.directorate = directorate
        changed = True
    if changed:
        # Results show the directorate: every round the department answered in is stale.
        session.execute(
            update(Round)
            .where(Round.id.in_(select(Response.round_id).where(Response.department_id == department.id)))
            .values(data_version=Round.data_version + 1)
        )
    return department


@dataclass(frozen=True, slots=True)
class WelshNames:
    """A department's Welsh name and its directorate's, each optional."""

    name: str | None = None
    directorate: str | None = None


def _set_welsh_names(department: Department, welsh: WelshNames) -> bool:
    """Store the Welsh names given (a missing one keeps the old); True if one changed."""
    changed = False
    if welsh.name and department.name_cy != welsh.name:
        department.name_cy, changed = welsh.name, True
    if welsh.directorate and department.directorate_cy != welsh.directorate:
        department.directorate_cy, changed = welsh.directorate, True
    return changed
