"""Action plans: the weakest questions, what the next level asks, and peer pairs.

Public names:

- :func:`organisation_question_scores`: the organisation's score on each
  question, the mean of the department question scores (each department
  counting once, as docs/specification.md section 4 rule 4 does for dimensions).
- :func:`next_steps` and :class:`NextStep`: the lowest-scoring questions and
  the level each should reach next, lowest first.
- :func:`largest_differences` and :class:`Difference`: the questions of a
  dimension on which two departments differ most.
- :func:`peer_pairs` and :class:`PeerPair`: departments ahead on a dimension
  paired with departments behind, so they can learn from each other.
- :func:`furthest_apart` and :class:`Standing`: the departments most behind and
  most ahead overall, for a large round's summary.

Empty input is never an error: no scores give no steps and no pairs.

>>> from assessment.core.scoring import DepartmentInput, _example_bank, score_department
>>> bank = _example_bank()
>>> parks = score_department(bank, DepartmentInput("Parks", None, ({"a1": 1, "b1": 2},)))
>>> roads = score_department(bank, DepartmentInput("Roads", None, ({"a1": 4, "b1": 3},)))
>>> organisation_question_scores(bank, [parks, roads])
{'a1': 2.5, 'a2': None, 'b1': 2.5, 'c1': None}
>>> [(s.question_id, s.next_level) for s in next_steps(bank, parks.question_scores)]
[('a1', 2), ('b1', 3)]
>>> [(p.dimension, p.learner, p.mentor, p.gap) for p in peer_pairs(bank, [parks, roads])]
[('a', 'Parks', 'Roads', 3.0), ('b', 'Parks', 'Roads', 1.0)]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean

from .bank import LEVELS, QuestionBank, Text
from .consistency import name_order
from .scoring import TOLERANCE, DepartmentScores, check_unique_names, level_reached

__all__ = [
    "Difference",
    "NextStep",
    "PeerPair",
    "Standing",
    "furthest_apart",
    "largest_differences",
    "next_steps",
    "organisation_question_scores",
    "peer_pairs",
]

#: How many steps and differences a plan shows unless asked otherwise.
DEFAULT_STEPS = 3
DEFAULT_DIFFERENCES = 2


@dataclass(frozen=True)
class NextStep:
    """A question scored ``score`` (level ``level``) and the level to reach next."""

    question_id: str
    dimension: str
    score: float
    level: int
    next_level: int
    descriptor: Text


@dataclass(frozen=True)
class Difference:
    """One question on which a lower and a higher department differ."""

    question_id: str
    lower_score: float
    higher_score: float
    difference: float


@dataclass(frozen=True)
class PeerPair:
    """``learner`` is behind ``mentor`` on ``dimension`` by ``gap``."""

    dimension: str
    learner: str
    learner_score: float
    mentor: str
    mentor_score: float
    gap: float
    questions: tuple[Difference, ...]


def organisation_question_scores(
    bank: QuestionBank, departments: Sequence[DepartmentScores]
) -> dict[str, float | None]:
    """The mean of the department question scores; ``None`` where none is scored.

    Every bank question is a key, in bank order (see the module example).
    """
    check_unique_names(department.name for department in departments)
    result: dict[str, float | None] = {}
    for question in bank.questions:
        values = [s for d in departments if (s := d.question_scores.get(question.id)) is not None]
        result[question.id] = fmean(values) if values else None
    return result


def next_steps(
    bank: QuestionBank,
    question_scores: Mapping[str, float | None],
    targets: Mapping[str, float] | None = None,
    limit: int = DEFAULT_STEPS,
) -> list[NextStep]:
    """The ``limit`` weakest questions and the descriptor of their next level.

    Questions already at level 5, unscored questions, and questions scoring at
    or above their dimension's target (where one is set) are left out.
    Questions of a dimension with a target come first, the largest shortfall
    below the target first (the lead has said where the organisation must get
    to, so the furthest from it matters most); then the questions of
    dimensions without a target, lowest score first.  Ties in bank order.

    >>> from assessment.core.scoring import _example_bank
    >>> bank = _example_bank()
    >>> steps = next_steps(bank, {"a1": 2.9, "a2": 5.0, "b1": 1.5, "c1": 3.0}, targets={"c": 3})
    >>> [(s.question_id, s.level, s.next_level, str(s.descriptor)) for s in steps]
    [('b1', 1, 2, 'b1 at level 2'), ('a1', 2, 3, 'a1 at level 3')]
    >>> [s.question_id for s in next_steps(bank, {"a1": 2.9, "b1": 1.5}, targets={"a": 4})]
    ['a1', 'b1']
    """
    wanted = targets or {}
    candidates = []
    for order, question in enumerate(bank.questions):
        score = question_scores.get(question.id)
        if score is None:
            continue
        level = level_reached(score)
        target = wanted.get(question.dimension)
        if level is None or level >= LEVELS[-1] or (target is not None and score >= target - TOLERANCE):
            continue
        step = NextStep(question.id, question.dimension, score, level, level + 1,
                        question.descriptor(level + 1))
        priority = (0, score - target) if target is not None else (1, score)
        candidates.append((priority, order, step))
    candidates.sort(key=lambda item: (item[0], item[1]))
    return [step for _, _, step in candidates[:limit]]


def largest_differences(
    bank: QuestionBank,
    lower: DepartmentScores,
    higher: DepartmentScores,
    dimension: str,
    limit: int = DEFAULT_DIFFERENCES,
) -> list[Difference]:
    """The questions of ``dimension`` on which ``higher`` most exceeds ``lower``.

    Only questions both departments scored, and only where ``higher`` is ahead;
    largest difference first, then bank order.

    >>> from assessment.core.scoring import DepartmentInput, _example_bank, score_department
    >>> bank = _example_bank()
    >>> low = score_department(bank, DepartmentInput("Low", None, ({"a1": 1, "a2": 2},)))
    >>> high = score_department(bank, DepartmentInput("High", None, ({"a1": 4, "a2": 3},)))
    >>> [(d.question_id, d.difference) for d in largest_differences(bank, low, high, "a")]
    [('a1', 3.0), ('a2', 1.0)]
    """
    found = []
    for order, question in enumerate(bank.dimension(dimension).questions):
        low = lower.question_scores.get(question.id)
        high = higher.question_scores.get(question.id)
        if low is None or high is None or high - low <= TOLERANCE:
            continue
        found.append((-(high - low), order, Difference(question.id, low, high, high - low)))
    found.sort(key=lambda item: (item[0], item[1]))
    return [difference for _, _, difference in found[:limit]]


def peer_pairs(
    bank: QuestionBank, departments: Sequence[DepartmentScores], min_gap: float = 1.0
) -> list[PeerPair]:
    """Pair the lowest department on each dimension with the highest, and so inwards.

    On each dimension the departments are ranked by score; the lowest is paired
    with the highest, the second lowest with the second highest, and so on
    while the gap is at least ``min_gap`` (allowing the tolerance).  Each
    department appears at most once per dimension, so no one department mentors
    everyone.  Largest gap first, then bank dimension order.

    >>> from assessment.core.scoring import DepartmentInput, _example_bank, score_department
    >>> bank = _example_bank()
    >>> scored = [score_department(bank, DepartmentInput(name, None, ({"c1": level},)))
    ...           for name, level in [("A", 1), ("B", 2), ("C", 2), ("D", 4)]]
    >>> [(p.learner, p.mentor, p.gap) for p in peer_pairs(bank, scored)]
    [('A', 'D', 3.0)]
    """
    check_unique_names(department.name for department in departments)
    pairs = []
    for order, dimension in enumerate(bank.dimension_ids):
        ranked = sorted(
            ((score, d) for d in departments if (score := d.scores.get(dimension)) is not None),
            key=lambda item: (item[0], name_order(item[1].name)),
        )
        low, high = 0, len(ranked) - 1
        while low < high and ranked[high][0] - ranked[low][0] >= min_gap - TOLERANCE:
            (learner_score, learner), (mentor_score, mentor) = ranked[low], ranked[high]
            pair = PeerPair(dimension, learner.name, learner_score, mentor.name, mentor_score,
                            mentor_score - learner_score,
                            tuple(largest_differences(bank, learner, mentor, dimension)))
            pairs.append((-pair.gap, order, pair))
            low, high = low + 1, high - 1
    pairs.sort(key=lambda item: (item[0], item[1]))
    return [pair for _, _, pair in pairs]


@dataclass(frozen=True)
class Standing:
    """A department's mean score across the dimensions it has scores on, and that level."""

    name: str
    mean: float
    level: int | None


def furthest_apart(
    bank: QuestionBank, departments: Sequence[DepartmentScores], count: int
) -> tuple[list[Standing], list[Standing]]:
    """The ``count`` departments most behind and the ``count`` most ahead.

    A department's standing is the mean of its dimension scores (dimensions it
    has no score on are left out; a department with none is left out).  At most
    half the ranked departments go on each side, so no department is on both.
    Behind: lowest first; ahead: highest first; ties in name order on both sides.

    >>> from assessment.core.scoring import DepartmentInput, _example_bank, score_department
    >>> bank = _example_bank()
    >>> scored = [score_department(bank, DepartmentInput(name, None, ({"a1": a, "b1": b},)))
    ...           for name, a, b in [("A", 1, 2), ("B", 4, 5), ("C", 3, 3), ("D", 2, 2)]]
    >>> behind, ahead = furthest_apart(bank, scored, 5)
    >>> [(s.name, s.mean, s.level) for s in behind], [(s.name, s.mean) for s in ahead]
    ([('A', 1.5, 1), ('D', 2.0, 2)], [('B', 4.5), ('C', 3.0)])
    """
    check_unique_names(department.name for department in departments)
    standings = []
    for department in departments:
        scores = [s for d in bank.dimension_ids if (s := department.scores.get(d)) is not None]
        if scores:
            mean = fmean(scores)
            standings.append(Standing(department.name, mean, level_reached(mean)))
    standings.sort(key=lambda s: (s.mean, name_order(s.name)))
    shown = min(count, len(standings) // 2)
    ahead = sorted(standings[len(standings) - shown:], key=lambda s: (-s.mean, name_order(s.name)))
    return standings[:shown], ahead
