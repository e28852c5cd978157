"""Benchmark groups and the rounds contributed to them.

A contribution holds an organisation's dimension and question scores only;
these functions never read a name, comment or department of another organisation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import BenchmarkContribution, BenchmarkGroup, Organisation, Round


@dataclass(frozen=True, slots=True)
class GroupInfo:
    """A benchmark group, how many rounds and organisations contribute to it."""

    id: int
    name: str
    name_cy: str | None
    rounds: int
    organisations: int


@dataclass(frozen=True, slots=True)
class ContributedScores:
    """One contribution's scores, without anything that says whose they are but its id."""

    organisation_id: int
    round_id: int
    dimension_scores: dict[str, Any]
    question_scores: dict[str, Any]
    contributed_at: datetime


@dataclass(frozen=True, slots=True)
class ContributionInfo:
    """Who contributed which round to a group, for the service administrator only (never
    shown to members): the organisation, the round, its question bank, when."""

    organisation_id: int
    organisation: str
    round_id: int
    round_name: str
    bank_version: str
    contributed_at: datetime


def create_group(session: Session, name: str, name_cy: str | None) -> int:
    group = BenchmarkGroup(name=name, name_cy=name_cy)
    session.add(group)
    session.flush()
    return group.id


def group_name_taken(name: str) -> bool:
    found = db.session.scalar(select(BenchmarkGroup.id).where(
        func.lower(BenchmarkGroup.name) == name.lower()))
    return found is not None


def list_groups() -> list[GroupInfo]:
    """Every group, by name, with its contributions counted."""
    contribution = BenchmarkContribution
    query = (
        select(BenchmarkGroup.id, BenchmarkGroup.name, BenchmarkGroup.name_cy,
               func.count(contribution.id),
               func.count(func.distinct(contribution.organisation_id)))
        .outerjoin(contribution, contribution.group_id == BenchmarkGroup.id)
        .group_by(BenchmarkGroup.id, BenchmarkGroup.name, BenchmarkGroup.name_cy)
        .order_by(func.lower(BenchmarkGroup.name), BenchmarkGroup.id)
    )
    return [GroupInfo(*row) for row in db.session.execute(query)]


def get_group(group_id: int) -> GroupInfo | None:
    return next((group for group in list_groups() if group.id == group_id), None)


def round_group_ids(round_id: int) -> dict[int, datetime]:
    """The groups a round contributes to: group id -> when it was contributed."""
    query = select(BenchmarkContribution.group_id, BenchmarkContribution.contributed_at).where(
        BenchmarkContribution.round_id == round_id)
    return {group_id: moment for group_id, moment in db.session.execute(query)}


def add_contribution(session: Session, group_id: int, round_id: int, organisation_id: int,
                     bank: tuple[str, str], dimension_scores: dict[str, float | None],
                     question_scores: dict[str, float | None]) -> None:
    """Contribute a round's scores (``bank``: the question bank's id and version)."""
    session.add(BenchmarkContribution(
        group_id=group_id, round_id=round_id, organisation_id=organisation_id,
        bank_id=bank[0], bank_version=bank[1],
        dimension_scores=dimension_scores, question_scores=question_scores))
    session.flush()


def delete_contribution(session: Session, group_id: int, round_id: int) -> bool:
    """Withdraw a round from a group; whether it was contributed."""
    deleted = session.execute(delete(BenchmarkContribution).where(
        BenchmarkContribution.group_id == group_id, BenchmarkContribution.round_id == round_id))
    return bool(deleted.rowcount)


def group_scores(group_id: int, bank_id: str, bank_version: str) -> list[ContributedScores]:
    """Every contribution to a group on this question-bank id and version, oldest first."""
    contribution = BenchmarkContribution
    query = (
        select(contribution.organisation_id, contribution.round_id, contribution.dimension_scores,
               contribution.question_scores, contribution.contributed_at)
        .where(contribution.group_id == group_id, contribution.bank_id == bank_id,
               contribution.bank_version == bank_version)
        .order_by(contribution.contributed_at, contribution.id)
    )
    return [ContributedScores(*row) for row in db.session.execute(query)]


def group_contributions(group_id: int) -> list[ContributionInfo]:
    """A group's contributions, by organisation name then newest first (no scores)."""
    contribution = BenchmarkContribution
    query = (
        select(contribution.organisation_id, Organisation.name, contribution.round_id, Round.name,
               contribution.bank_version, contribution.contributed_at)
        .join(Organisation, Organisation.id == contribution.organisation_id)
        .join(Round, Round.id == contribution.round_id)
        .where(contribution.group_id == group_id)
        .order_by(func.lower(Organisation.name), contribution.organisation_id,
                  contribution.contributed_at.desc(), contribution.id.desc())
    )
    return [ContributionInfo(*row) for row in db.session.execute(query)]
