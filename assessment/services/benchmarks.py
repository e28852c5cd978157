"""Peer benchmarks: groups, contributing and withdrawing rounds, and a round's figures.

What a round contributes is its organisation's dimension and question scores (the
means of its departments', each counting once), its question bank's id and version,
and nothing else.  A round is compared only with contributions on the same bank id and
version; each other organisation counts once (its latest contribution) and the round's
own organisation is represented by the round itself.  The figures are worked out by
:func:`assessment.core.benchmark.group_benchmark`.  Every function takes the
organisation's id: nothing here assumes one organisation per installation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _

from .. import audit
from ..core.benchmark import DEFAULT_MINIMUM, GroupBenchmark, group_benchmark
from ..core.errors import AssessmentError
from ..core.plan import organisation_question_scores
from ..extensions import db
from ..models import Round
from ..queries import benchmarks as benchmark_queries
from ..queries import rounds as round_queries
from ..queries.benchmarks import ContributedScores, ContributionInfo, GroupInfo
from . import results

#: The longest group name, as the database holds it.
MAX_NAME = 200


class BenchmarkSetupError(AssessmentError):
    """A group cannot be created, or a round contributed or withdrawn, as asked."""


@dataclass(frozen=True)
class RoundGroup:
    """A group as a round's benchmark page lists it: whether the round contributes."""

    group: GroupInfo
    contributed_at: datetime | None


@dataclass(frozen=True)
class RoundBenchmark:
    """A group the round contributes to, and the figures it shows."""

    name: str
    name_cy: str | None
    figures: GroupBenchmark


def minimum_organisations() -> int:
    """The setting ``BENCHMARK_MINIMUM_ORGANISATIONS`` (5 unless changed)."""
    return int(current_app.config.get("BENCHMARK_MINIMUM_ORGANISATIONS", DEFAULT_MINIMUM))


# --- groups (the service administrator's) -----------------------------------------------------


def create_group(name: str, name_cy: str | None = None) -> GroupInfo:
    """A new benchmark group; its name is unique (ignoring case)."""
    name, name_cy = " ".join(name.split()), " ".join((name_cy or "").split()) or None
    if not name:
        raise BenchmarkSetupError(_("Enter a name for the benchmark group."))
    if len(name) > MAX_NAME or (name_cy and len(name_cy) > MAX_NAME):
        raise BenchmarkSetupError(_("The name must be 200 characters or fewer"))
    if benchmark_queries.group_name_taken(name):
        raise BenchmarkSetupError(_("There is already a benchmark group called %(name)s.",
                                    name=name))
    with db.transaction() as session:
        group_id = benchmark_queries.create_group(session, name, name_cy)
    return GroupInfo(group_id, name, name_cy, 0, 0)


def list_groups() -> list[GroupInfo]:
    """Every group, with how many rounds and organisations contribute (for the command
    line and the service administrator's page: no scores, no organisation's name)."""
    return benchmark_queries.list_groups()


def group_contributions(group_id: int) -> list[ContributionInfo]:
    """Which organisation contributed which round to a group, and when: for the service
    administrator's page and ``flask benchmark-groups`` only, never for a member."""
    _group(group_id)
    return benchmark_queries.group_contributions(group_id)


# --- an organisation's rounds ---------------------------------------------------------------


def _organisation_round(organisation_id: int, round_id: int) -> Round:
    found = round_queries.get_round(round_id)
    if found is None or found.organisation_id != organisation_id:
        raise BenchmarkSetupError(_("There is no round %(id)s.", id=round_id))
    return found


def _group(group_id: int) -> GroupInfo:
    found = benchmark_queries.get_group(group_id)
    if found is None:
        raise BenchmarkSetupError(_("There is no benchmark group %(id)s.", id=group_id))
    return found


def round_groups(organisation_id: int, round_id: int) -> list[RoundGroup]:
    """Every group, and whether (since when) this organisation's round contributes to it."""
    _organisation_round(organisation_id, round_id)
    contributed = benchmark_queries.round_group_ids(round_id)
    return [RoundGroup(group, contributed.get(group.id)) for group in list_groups()]


def contribute(organisation_id: int, round_id: int, group_id: int) -> None:
    """Contribute a closed round's organisation scores to a group (audited).

    A demonstration round, a round nobody has submitted answers to, or one already
    in the group, is refused with a sentence saying why.
    """
    assessment_round = _organisation_round(organisation_id, round_id)
    group = _group(group_id)
    if assessment_round.status != "closed":
        raise BenchmarkSetupError(_("Close the round before contributing it to a benchmark group."))
    if assessment_round.is_demo:
        raise BenchmarkSetupError(_("A demonstration round cannot be contributed."))
    if group_id in benchmark_queries.round_group_ids(round_id):
        raise BenchmarkSetupError(_("This round already contributes to %(group)s.", group=group.name))
    analysis = results.analyse(assessment_round)
    if not analysis.results.organisation.departments_scored:
        raise BenchmarkSetupError(_("Nobody submitted answers in this round, so it has no scores "
                                    "to contribute."))
    with db.transaction() as session:
        benchmark_queries.add_contribution(
            session, group_id, round_id, organisation_id,
            (assessment_round.bank_id, assessment_round.bank_version),
            dict(analysis.results.organisation.scores),
            organisation_question_scores(analysis.bank, analysis.results.departments))
    audit.record("benchmark_contributed", round_id, group=group.name)


def withdraw(organisation_id: int, round_id: int, group_id: int) -> None:
    """Withdraw a round from a group: its contribution is deleted (audited)."""
    _organisation_round(organisation_id, round_id)
    group = _group(group_id)
    with db.transaction() as session:
        deleted = benchmark_queries.delete_contribution(session, group_id, round_id)
    if not deleted:
        raise BenchmarkSetupError(_("This round does not contribute to %(group)s.", group=group.name))
    audit.record("benchmark_withdrawn", round_id, group=group.name)


# --- a round's figures ------------------------------------------------------------------


def _latest_per_organisation(found: list[ContributedScores],
                             organisation_id: int) -> list[ContributedScores]:
    """Each other organisation's latest contribution (``found`` is oldest first)."""
    latest = {c.organisation_id: c for c in found if c.organisation_id != organisation_id}
    return list(latest.values())


def round_benchmarks(analysis: results.RoundAnalysis,
                     organisation_id: int) -> tuple[RoundBenchmark, ...]:
    """The figures of every group the round contributes to, by group name; none when it
    contributes to none.  The round's own scores are its contribution's."""
    assessment_round = analysis.round
    contributed = benchmark_queries.round_group_ids(assessment_round.id)
    if not contributed:
        return ()
    bank, minimum = analysis.bank, minimum_organisations()
    question_ids = [question.id for question in bank.questions]
    found = []
    for group in list_groups():
        if group.id not in contributed:
            continue
        scores = benchmark_queries.group_scores(group.id, assessment_round.bank_id,
                                                assessment_round.bank_version)
        own = next((c for c in scores if c.round_id == assessment_round.id), None)
        if own is None:  # contributed on another bank version: cannot happen, a round keeps its bank
            continue
        peers = _latest_per_organisation(scores, organisation_id)
        figures = group_benchmark(
            (own.dimension_scores, own.question_scores),
            [(peer.dimension_scores, peer.question_scores) for peer in peers],
            bank.dimension_ids, question_ids, minimum)
        found.append(RoundBenchmark(group.name, group.name_cy, figures))
    return tuple(found)
