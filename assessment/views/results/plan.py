"""The action plan page: next steps and peer pairs as sentences.

The choices (which questions, which pairs) are made by
:mod:`assessment.core.plan`; this module only words them.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from ...core.plan import NextStep, PeerPair, next_steps, organisation_question_scores, peer_pairs
from ...core.scoring import score_text
from ...flags import Descriptor, descriptor, shown_difference
from ...services.results import round_thresholds
from .view import RoundView


@dataclass(frozen=True)
class Step:
    question: str
    dimension: str
    score: str
    next_level: str
    descriptor: str


@dataclass(frozen=True)
class DepartmentPlan:
    department_id: int | None
    name: str
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Pairing:
    dimension: str
    sentence: str
    descriptors: tuple[Descriptor, ...]


@dataclass(frozen=True)
class TargetRow:
    dimension: str
    target: str
    score: str
    gap: str


@dataclass(frozen=True)
class Plan:
    targets: tuple[TargetRow, ...]
    organisation: tuple[Step, ...]
    departments: tuple[DepartmentPlan, ...]
    pairs: tuple[Pairing, ...]
    uses_targets: bool


def action_plan(view: RoundView) -> Plan:
    """Where the organisation and each department should go next, and who can help."""
    results, bank = view.results, view.bank
    targets = results.targets
    organisation_steps = next_steps(bank, organisation_question_scores(bank, results.departments),
                                    targets)
    min_gap = round_thresholds(view.round).outlier_distance
    return Plan(
        targets=tuple(
            TargetRow(view.dimension_name(d), f"{targets[d]:g}" if d in targets else "–",
                      view.score_and_level(results.organisation.scores[d]),
                      score_text(shown_difference(targets.get(d), results.organisation.scores[d])))
            for d in view.dimension_ids
        ),
        organisation=tuple(_step(view, s) for s in organisation_steps),
        departments=tuple(
            DepartmentPlan(view.ids.get(d.name), view.department_name(d.name),
                           tuple(_step(view, s) for s in next_steps(bank, d.question_scores, targets)))
            for d in results.departments
        ),
        pairs=tuple(_pairing(view, pair) for pair in peer_pairs(bank, results.departments, min_gap)),
        uses_targets=bool(targets),
    )


def _step(view: RoundView, step: NextStep) -> Step:
    return Step(
        question=view.question_text(step.question_id),
        dimension=view.dimension_name(step.dimension),
        score=view.score_and_level(step.score),
        next_level=_("To reach %(level)s", level=view.level_name(step.next_level)),
        descriptor=step.descriptor.get(view.language),
    )


def _pairing(view: RoundView, pair: PeerPair) -> Pairing:
    learner, mentor = view.department_name(pair.learner), view.department_name(pair.mentor)
    sentence = _("On %(dimension)s, %(learner)s (%(learner_score)s) could learn from %(mentor)s "
                 "(%(mentor_score)s).", dimension=view.dimension_name(pair.dimension),
                 learner=learner, learner_score=view.score_and_level(pair.learner_score),
                 mentor=mentor, mentor_score=view.score_and_level(pair.mentor_score))
    descriptors = tuple(
        descriptor(view.words, d.question_id, [(learner, d.lower_score),
                                               (mentor, d.higher_score)])
        for d in pair.questions
    )
    return Pairing(view.dimension_name(pair.dimension), sentence, descriptors)
